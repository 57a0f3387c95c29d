package dynamo

import (
	"time"

	"github.com/provisio/provisio/shared/personid"
	"github.com/provisio/provisio/shared/porting"
)

// portingRow is how a porting.Request is stored.
type portingRow struct {
	ID              string           `json:"id"`
	AccountID       string           `json:"accountId"`
	AccountName     string           `json:"accountName,omitempty"`
	Timezone        string           `json:"timezone,omitempty"`
	UserID          string           `json:"userId"`
	SubscriptionID  string           `json:"subscriptionId"`
	Number          string           `json:"number"`
	Country         string           `json:"country"`
	OwnerType       string           `json:"ownerType"`
	OwnerID         string           `json:"ownerId"`
	ProposedAt      time.Time        `json:"proposedAt"`
	ConfirmedAt     time.Time        `json:"confirmedAt,omitzero"`
	TemporaryNumber string           `json:"temporaryNumber,omitempty"`
	LosingCarrier   losingCarrierRow `json:"losingCarrier,omitzero"`
	Status          string           `json:"status"`
	Timeline        []portingStepRow `json:"timeline"`
	Documents       []documentRow    `json:"documents,omitempty"`
	PreparedAt      time.Time        `json:"preparedAt,omitzero"`
	CreatedAt       time.Time        `json:"createdAt"`
	UpdatedAt       time.Time        `json:"updatedAt"`
	Version         int              `json:"version"`
}

func toPortingRow(v porting.Request) portingRow {
	return portingRow{
		ID:              v.ID,
		AccountID:       v.AccountID,
		AccountName:     v.AccountName,
		Timezone:        v.Timezone,
		UserID:          v.UserID,
		SubscriptionID:  v.SubscriptionID,
		Number:          v.Number,
		Country:         v.Country,
		OwnerType:       string(v.OwnerType),
		OwnerID:         v.OwnerID,
		ProposedAt:      v.ProposedAt,
		ConfirmedAt:     v.ConfirmedAt,
		TemporaryNumber: v.TemporaryNumber,
		LosingCarrier:   losingCarrierRow(v.LosingCarrier),
		Status:          string(v.Status),
		Timeline:        each(v.Timeline, toPortingStepRow),
		Documents:       each(v.Documents, toDocumentRow),
		PreparedAt:      v.PreparedAt,
		CreatedAt:       v.CreatedAt,
		UpdatedAt:       v.UpdatedAt,
		Version:         v.Version,
	}
}

func (r portingRow) domain() porting.Request {
	return porting.Request{
		ID:              r.ID,
		AccountID:       r.AccountID,
		AccountName:     r.AccountName,
		Timezone:        r.Timezone,
		UserID:          r.UserID,
		SubscriptionID:  r.SubscriptionID,
		Number:          r.Number,
		Country:         r.Country,
		OwnerType:       personid.Owner(r.OwnerType),
		OwnerID:         r.OwnerID,
		ProposedAt:      r.ProposedAt,
		ConfirmedAt:     r.ConfirmedAt,
		TemporaryNumber: r.TemporaryNumber,
		LosingCarrier:   porting.LosingCarrier(r.LosingCarrier),
		Status:          porting.Status(r.Status),
		Timeline:        each(r.Timeline, portingStepRow.domain),
		Documents:       each(r.Documents, documentRow.domain),
		PreparedAt:      r.PreparedAt,
		CreatedAt:       r.CreatedAt,
		UpdatedAt:       r.UpdatedAt,
		Version:         r.Version,
	}
}

// losingCarrierRow is how a porting.LosingCarrier is stored.
type losingCarrierRow struct {
	Name          string `json:"name,omitempty"`
	AccountNumber string `json:"accountNumber,omitempty"`
	PIN           string `json:"pin,omitempty"`
	BillingNumber string `json:"billingNumber,omitempty"`
	SigneeName    string `json:"signeeName,omitempty"`
	SignedOn      string `json:"signedOn,omitempty"`
}

// portingStepRow is how a porting.Step is stored.
type portingStepRow struct {
	Status      string    `json:"status"`
	At          time.Time `json:"at"`
	By          string    `json:"by"`
	ByRole      string    `json:"byRole,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	Comment     string    `json:"comment,omitempty"`
	Private     bool      `json:"private,omitempty"`
	CommentOnly bool      `json:"commentOnly,omitempty"`
}

func toPortingStepRow(v porting.Step) portingStepRow {
	return portingStepRow{
		Status:      string(v.Status),
		At:          v.At,
		By:          v.By,
		ByRole:      v.ByRole,
		Reason:      v.Reason,
		Comment:     v.Comment,
		Private:     v.Private,
		CommentOnly: v.CommentOnly,
	}
}

func (r portingStepRow) domain() porting.Step {
	return porting.Step{
		Status:      porting.Status(r.Status),
		At:          r.At,
		By:          r.By,
		ByRole:      r.ByRole,
		Reason:      r.Reason,
		Comment:     r.Comment,
		Private:     r.Private,
		CommentOnly: r.CommentOnly,
	}
}

// documentRow is how a porting.Document is stored.
type documentRow struct {
	ID          string    `json:"id"`
	FileName    string    `json:"fileName"`
	ContentType string    `json:"contentType"`
	Key         string    `json:"key"`
	RequestedAt time.Time `json:"requestedAt"`
}

func toDocumentRow(v porting.Document) documentRow {
	return documentRow{
		ID:          v.ID,
		FileName:    v.FileName,
		ContentType: v.ContentType,
		Key:         v.Key,
		RequestedAt: v.RequestedAt,
	}
}

func (r documentRow) domain() porting.Document {
	return porting.Document{
		ID:          r.ID,
		FileName:    r.FileName,
		ContentType: r.ContentType,
		Key:         r.Key,
		RequestedAt: r.RequestedAt,
	}
}
