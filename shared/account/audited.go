package account

import "time"

// accountAudit is what an account's audit entries show of it: the fields its API view
// shows. Its features and contact email are not in the view, so not in the log either.
type accountAudit struct {
	ID             string             `json:"id"`
	ParentID       string             `json:"parentId,omitempty"`
	Kind           Kind               `json:"kind"`
	Name           string             `json:"name"`
	ShortName      string             `json:"shortName,omitempty"`
	Domain         string             `json:"domain,omitempty"`
	Realm          string             `json:"realm"`
	Timezone       string             `json:"timezone"`
	Status         Status             `json:"status"`
	TemplateID     string             `json:"templateId,omitempty"`
	Permissions    []string           `json:"permissions"`
	Limits         Limits             `json:"limits"`
	Available      Limits             `json:"available"`
	Restrictions   map[CallClass]Rule `json:"restrictions"`
	Credit         Credit             `json:"credit"`
	DebitLimit     int64              `json:"debitLimitMinor"`
	LowBalance     int64              `json:"lowBalanceThresholdMinor,omitempty"`
	ANI            string             `json:"ani,omitempty"`
	SMSSenderName  string             `json:"smsSenderName,omitempty"`
	EmailVerified  bool               `json:"emailVerified,omitempty"`
	MobileVerified bool               `json:"mobileVerified,omitempty"`
	CreatedAt      time.Time          `json:"createdAt"`
	UpdatedAt      time.Time          `json:"updatedAt"`
	Version        int                `json:"version"`
}

// AuditForm implements audit.Audited.
func (a Account) AuditForm() any {
	return accountAudit{ID: a.ID, ParentID: a.ParentID, Kind: a.Kind, Name: a.Name, ShortName: a.ShortName, Domain: a.Domain,
		Realm: a.Realm, Timezone: a.Timezone, Status: a.Status, TemplateID: a.TemplateID, Permissions: a.Permissions, Limits: a.Limits,
		Available: a.Available, Restrictions: a.Restrictions, Credit: a.Credit, DebitLimit: a.DebitLimit, LowBalance: a.LowBalanceThreshold, ANI: a.ANI,
		SMSSenderName: a.SMSSenderName, EmailVerified: a.EmailVerified, MobileVerified: a.MobileVerified, CreatedAt: a.CreatedAt,
		UpdatedAt: a.UpdatedAt, Version: a.Version}
}

// memberAudit is what a user's or contact's audit entries show: what their views show.
// The session epoch, the activation instant the dispatcher computes and the personnel ID
// are the system's; a pending code shows where it went, until when, and the provider's
// message ID (so staff can trace its delivery), never its hash.
type memberAudit struct {
	ID             string        `json:"id"`
	AccountID      string        `json:"accountId"`
	Username       string        `json:"username"`
	FirstName      string        `json:"firstName,omitempty"`
	LastName       string        `json:"lastName,omitempty"`
	Email          string        `json:"email,omitempty"`
	Phone          string        `json:"phone,omitempty"`
	Role           Role          `json:"role"`
	InvoiceAddress *Address      `json:"invoiceAddress,omitempty"`
	PrimaryNumber  string        `json:"primaryNumber,omitempty"`
	Aliases        []string      `json:"aliases,omitempty"`
	ActivationDate string        `json:"activationDate,omitempty"`
	Contact        *contactAudit `json:"contact,omitempty"`
	Inactive       bool          `json:"inactive,omitempty"`
	Disabled       bool          `json:"disabled,omitempty"`
	CreatedAt      time.Time     `json:"createdAt"`
	Version        int           `json:"version"`
}

type contactAudit struct {
	Name           string                   `json:"name"`
	Mobile         string                   `json:"mobile,omitempty"`
	PublicNotes    string                   `json:"publicNotes,omitempty"`
	PrivateNotes   string                   `json:"privateNotes,omitempty"` // redacted for readers who may not see them
	EmailVerified  bool                     `json:"emailVerified"`
	MobileVerified bool                     `json:"mobileVerified"`
	Pending        map[Channel]pendingAudit `json:"pending,omitempty"`
}

type pendingAudit struct {
	SentTo    string    `json:"sentTo"`
	SentAt    time.Time `json:"sentAt"`
	MessageID string    `json:"messageId"`
	ExpiresAt time.Time `json:"expiresAt"`
	Attempts  int       `json:"attempts"`
}

// AuditForm implements audit.Audited.
func (m Member) AuditForm() any {
	f := memberAudit{ID: m.ID, AccountID: m.AccountID, Username: m.Username, FirstName: m.FirstName, LastName: m.LastName,
		Email: m.Email, Phone: m.Phone, Role: m.Role, InvoiceAddress: m.InvoiceAddress, PrimaryNumber: m.PrimaryNumber,
		Aliases: m.Aliases, ActivationDate: m.ActivationDate, Inactive: m.Inactive, Disabled: m.Disabled, CreatedAt: m.CreatedAt, Version: m.Version}
	if c := m.Contact; c != nil {
		f.Contact = &contactAudit{Name: c.Name, Mobile: c.Mobile, PublicNotes: c.PublicNotes, PrivateNotes: c.PrivateNotes,
			EmailVerified: c.EmailVerified, MobileVerified: c.MobileVerified}
		for ch, p := range c.Pending {
			if f.Contact.Pending == nil {
				f.Contact.Pending = map[Channel]pendingAudit{}
			}
			f.Contact.Pending[ch] = pendingAudit{SentTo: p.SentTo, SentAt: p.SentAt, MessageID: p.MessageID, ExpiresAt: p.ExpiresAt,
				Attempts: p.Attempts}
		}
	}
	return f
}
