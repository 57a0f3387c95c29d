package sip

import "time"

// accountAudit is what a client account's audit entries show: the fields of its API view,
// without the link token hashes and the times of recent SMS that the rate limit keeps.
type accountAudit struct {
	ID                   string    `json:"id"`
	AccountID            string    `json:"accountId"`
	DisplayName          string    `json:"displayName"`
	Email                string    `json:"email"`
	PrimaryNumber        string    `json:"primaryNumber"`
	SecondaryNumber      string    `json:"secondaryNumber,omitempty"`
	Username             string    `json:"username"`
	Enabled              bool      `json:"enabled"`
	DisabledAnnouncement string    `json:"disabledAnnouncement"`
	LastStatus           Status    `json:"lastStatus"`
	LastStatusDate       time.Time `json:"lastStatusDate"`
	KeyVersion           int       `json:"keyVersion"`
	LastSMS              *SentSMS  `json:"lastSms,omitempty"`
	CreatedAt            time.Time `json:"createdAt"`
	UpdatedAt            time.Time `json:"updatedAt"`
	Version              int       `json:"version"`
}

// AuditForm implements audit.Audited.
func (a Account) AuditForm() any {
	return accountAudit{ID: a.ID, AccountID: a.AccountID, DisplayName: a.DisplayName, Email: a.Email, PrimaryNumber: a.PrimaryNumber,
		SecondaryNumber: a.SecondaryNumber, Username: a.Username, Enabled: a.Enabled, DisabledAnnouncement: a.DisabledAnnouncement,
		LastStatus: a.LastStatus, LastStatusDate: a.LastStatusDate, KeyVersion: a.KeyVersion, LastSMS: a.LastSMS,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}
