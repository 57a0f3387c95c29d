package porting

import (
	"time"

	"github.com/provisio/provisio/shared/personid"
)

// requestAudit is what a porting request's audit entries show: the fields of its API view
// (the owner's ID number and the losing carrier's PIN masked by the audit log, private comments redacted for readers
// who are not operators), without the preparation time the porting consumer keeps.
type requestAudit struct {
	ID              string         `json:"id"`
	AccountID       string         `json:"accountId"`
	UserID          string         `json:"userId"`
	SubscriptionID  string         `json:"subscriptionId"`
	Number          string         `json:"number"`
	Country         string         `json:"country"`
	OwnerType       personid.Owner `json:"ownerType"`
	OwnerID         string         `json:"ownerId"`
	ProposedAt      time.Time      `json:"proposedAt"`
	ConfirmedAt     time.Time      `json:"confirmedAt,omitzero"`
	TemporaryNumber string         `json:"temporaryNumber,omitempty"`
	LosingCarrier   LosingCarrier  `json:"losingCarrier,omitzero"`
	Status          Status         `json:"status"`
	Timeline        []Step         `json:"timeline"`
	Documents       []Document     `json:"documents,omitempty"`
	CreatedAt       time.Time      `json:"createdAt"`
	UpdatedAt       time.Time      `json:"updatedAt"`
	Version         int            `json:"version"`
}

// AuditForm implements audit.Audited.
func (r Request) AuditForm() any {
	return requestAudit{ID: r.ID, AccountID: r.AccountID, UserID: r.UserID, SubscriptionID: r.SubscriptionID, Number: r.Number,
		Country: r.Country, OwnerType: r.OwnerType, OwnerID: r.OwnerID, ProposedAt: r.ProposedAt, ConfirmedAt: r.ConfirmedAt,
		TemporaryNumber: r.TemporaryNumber, LosingCarrier: r.LosingCarrier, Status: r.Status, Timeline: r.Timeline, Documents: r.Documents, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, Version: r.Version}
}
