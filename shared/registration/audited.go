package registration

import "time"

// registrationAudit is what a registration's audit entries show: its progress, what the
// prospect entered (the admin's password hash is never part of it) and the notification
// email once it went.
type registrationAudit struct {
	ID           string        `json:"id"`
	TemplateID   string        `json:"templateId"`
	OwnerID      string        `json:"ownerId,omitempty"`
	Schedule     Schedule      `json:"schedule"`
	Tenant       Tenant        `json:"tenant"`
	Contact      Contact       `json:"contact"`
	Status       Status        `json:"status"`
	History      []Event       `json:"history"`
	AccountID    string        `json:"accountId,omitempty"`
	Realm        string        `json:"realm,omitempty"`
	Notification *Notification `json:"notification,omitempty"`
	CreatedAt    time.Time     `json:"createdAt"`
	UpdatedAt    time.Time     `json:"updatedAt"`
	Version      int           `json:"version"`
}

// AuditForm implements audit.Audited. Today the form has every field of a registration;
// the conversion stops compiling when a field is added, so each new one is a decision.
func (r Registration) AuditForm() any { return registrationAudit(r) }
