package dynamo

import (
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/user"
)

// memberRow is how an account.Member is stored.
type memberRow struct {
	ID             string      `json:"id"`
	AccountID      string      `json:"accountId"`
	Username       string      `json:"username"`
	PersonnelID    string      `json:"personnelId,omitempty"`
	FirstName      string      `json:"firstName,omitempty"`
	LastName       string      `json:"lastName,omitempty"`
	Email          string      `json:"email,omitempty"`
	Phone          string      `json:"phone,omitempty"`
	Role           string      `json:"role"`
	InvoiceAddress *addressRow `json:"invoiceAddress,omitempty"`
	PrimaryNumber  string      `json:"primaryNumber,omitempty"`
	Aliases        []string    `json:"aliases,omitempty"`
	ActivationDate string      `json:"activationDate,omitempty"`
	Contact        *contactRow `json:"contact,omitempty"`
	Inactive       bool        `json:"inactive,omitempty"`
	Disabled       bool        `json:"disabled,omitempty"`
	ActivatesAt    time.Time   `json:"activatesAt,omitzero"`
	SessionEpoch   int         `json:"sessionEpoch,omitempty"`
	CreatedAt      time.Time   `json:"createdAt"`
	Version        int         `json:"version"`
}

func toMemberRow(v account.Member) memberRow {
	return memberRow{
		ID:             v.ID,
		AccountID:      v.AccountID,
		Username:       v.Username,
		PersonnelID:    v.PersonnelID,
		FirstName:      v.FirstName,
		LastName:       v.LastName,
		Email:          v.Email,
		Phone:          v.Phone,
		Role:           string(v.Role),
		InvoiceAddress: ptr(v.InvoiceAddress, toAddressRow),
		PrimaryNumber:  v.PrimaryNumber,
		Aliases:        v.Aliases,
		ActivationDate: v.ActivationDate,
		Contact:        ptr(v.Contact, toContactRow),
		Inactive:       v.Inactive,
		Disabled:       v.Disabled,
		ActivatesAt:    v.ActivatesAt,
		SessionEpoch:   v.SessionEpoch,
		CreatedAt:      v.CreatedAt,
		Version:        v.Version,
	}
}

func (r memberRow) domain() account.Member {
	return account.Member{
		ID:             r.ID,
		AccountID:      r.AccountID,
		Username:       r.Username,
		PersonnelID:    r.PersonnelID,
		FirstName:      r.FirstName,
		LastName:       r.LastName,
		Email:          r.Email,
		Phone:          r.Phone,
		Role:           account.Role(r.Role),
		InvoiceAddress: ptr(r.InvoiceAddress, addressRow.domain),
		PrimaryNumber:  r.PrimaryNumber,
		Aliases:        r.Aliases,
		ActivationDate: r.ActivationDate,
		Contact:        ptr(r.Contact, contactRow.domain),
		Inactive:       r.Inactive,
		Disabled:       r.Disabled,
		ActivatesAt:    r.ActivatesAt,
		SessionEpoch:   r.SessionEpoch,
		CreatedAt:      r.CreatedAt,
		Version:        r.Version,
	}
}

// subscriptionRow is how a user.Subscription is stored. Rows written before subscriptions
// had a status read as ordered.
type subscriptionRow struct {
	ID                 string          `json:"id"`
	AccountID          string          `json:"accountId"`
	UserID             string          `json:"userId"`
	Kind               string          `json:"kind"`
	Number             string          `json:"number"`
	PortingID          string          `json:"portingId,omitempty"`
	Status             string          `json:"status,omitempty"`
	ActivationDate     string          `json:"activationDate"`
	ActivatesAt        time.Time       `json:"activatesAt,omitzero"`
	ActivatedAt        time.Time       `json:"activatedAt,omitzero"`
	SIMDeliveryAddress addressRow      `json:"simDeliveryAddress"`
	SIM                *simDispatchRow `json:"sim,omitempty"`
	TerminatedAt       time.Time       `json:"terminatedAt,omitzero"`
	TerminationReason  string          `json:"terminationReason,omitempty"`
	NumberFreeAt       time.Time       `json:"numberFreeAt,omitzero"`
	CreatedAt          time.Time       `json:"createdAt"`
	Version            int             `json:"version,omitempty"`
}

// simDispatchRow is how a user.SIMDispatch is stored.
type simDispatchRow struct {
	ICCID        string `json:"iccid"`
	DispatchedOn string `json:"dispatchedOn"`
}

func toSubscriptionRow(v user.Subscription) subscriptionRow {
	return subscriptionRow{
		ID:                 v.ID,
		AccountID:          v.AccountID,
		UserID:             v.UserID,
		Kind:               string(v.Kind),
		Number:             v.Number,
		PortingID:          v.PortingID,
		Status:             string(v.Status),
		ActivationDate:     v.ActivationDate,
		ActivatesAt:        v.ActivatesAt,
		ActivatedAt:        v.ActivatedAt,
		SIMDeliveryAddress: toAddressRow(v.SIMDeliveryAddress),
		TerminatedAt:       v.TerminatedAt,
		TerminationReason:  v.TerminationReason,
		NumberFreeAt:       v.NumberFreeAt,
		CreatedAt:          v.CreatedAt,
		Version:            v.Version,
		SIM:                ptr(v.SIM, func(d user.SIMDispatch) simDispatchRow { return simDispatchRow(d) }),
	}
}

func (r subscriptionRow) domain() user.Subscription {
	v := user.Subscription{
		ID:                 r.ID,
		AccountID:          r.AccountID,
		UserID:             r.UserID,
		Kind:               user.SubscriptionKind(r.Kind),
		Number:             r.Number,
		PortingID:          r.PortingID,
		Status:             user.SubscriptionStatus(r.Status),
		ActivationDate:     r.ActivationDate,
		ActivatesAt:        r.ActivatesAt,
		ActivatedAt:        r.ActivatedAt,
		SIMDeliveryAddress: r.SIMDeliveryAddress.domain(),
		TerminatedAt:       r.TerminatedAt,
		TerminationReason:  r.TerminationReason,
		NumberFreeAt:       r.NumberFreeAt,
		CreatedAt:          r.CreatedAt,
		Version:            r.Version,
		SIM:                ptr(r.SIM, func(d simDispatchRow) user.SIMDispatch { return user.SIMDispatch(d) }),
	}
	if v.Status == "" {
		v.Status = user.Ordered
	}
	return v
}

// resetRow is how an auth.Reset is stored.
type resetRow struct {
	TokenHash string    `json:"tokenHash"`
	AccountID string    `json:"accountId"`
	UserID    string    `json:"userId"`
	ExpiresAt time.Time `json:"expiresAt"`
}

func toResetRow(v auth.Reset) resetRow {
	return resetRow{
		TokenHash: v.TokenHash,
		AccountID: v.AccountID,
		UserID:    v.UserID,
		ExpiresAt: v.ExpiresAt,
	}
}

func (r resetRow) domain() auth.Reset {
	return auth.Reset{
		TokenHash: r.TokenHash,
		AccountID: r.AccountID,
		UserID:    r.UserID,
		ExpiresAt: r.ExpiresAt,
	}
}

// addressRow is how an account.Address is stored.
type addressRow struct {
	Name       string `json:"name"`
	Street     string `json:"street"`
	PostalCode string `json:"postalCode"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

func toAddressRow(v account.Address) addressRow {
	return addressRow{
		Name:       v.Name,
		Street:     v.Street,
		PostalCode: v.PostalCode,
		City:       v.City,
		Country:    v.Country,
	}
}

func (r addressRow) domain() account.Address {
	return account.Address{
		Name:       r.Name,
		Street:     r.Street,
		PostalCode: r.PostalCode,
		City:       r.City,
		Country:    r.Country,
	}
}

// contactRow is how an account.Contact is stored.
type contactRow struct {
	Name           string                    `json:"name"`
	Mobile         string                    `json:"mobile,omitempty"`
	PublicNotes    string                    `json:"publicNotes,omitempty"`
	PrivateNotes   string                    `json:"privateNotes,omitempty"`
	EmailVerified  bool                      `json:"emailVerified"`
	MobileVerified bool                      `json:"mobileVerified"`
	Pending        map[string]pendingCodeRow `json:"pending,omitempty"`
}

func toContactRow(v account.Contact) contactRow {
	return contactRow{
		Name:           v.Name,
		Mobile:         v.Mobile,
		PublicNotes:    v.PublicNotes,
		PrivateNotes:   v.PrivateNotes,
		EmailVerified:  v.EmailVerified,
		MobileVerified: v.MobileVerified,
		Pending:        stringKeys(v.Pending, toPendingCodeRow),
	}
}

func (r contactRow) domain() account.Contact {
	return account.Contact{
		Name:           r.Name,
		Mobile:         r.Mobile,
		PublicNotes:    r.PublicNotes,
		PrivateNotes:   r.PrivateNotes,
		EmailVerified:  r.EmailVerified,
		MobileVerified: r.MobileVerified,
		Pending:        typedKeys[account.Channel](r.Pending, pendingCodeRow.domain),
	}
}

// pendingCodeRow is how an account.PendingCode is stored.
type pendingCodeRow struct {
	CodeHash  string    `json:"codeHash"`
	SentTo    string    `json:"sentTo"`
	SentAt    time.Time `json:"sentAt"`
	MessageID string    `json:"messageId"`
	ExpiresAt time.Time `json:"expiresAt"`
	Attempts  int       `json:"attempts"`
}

func toPendingCodeRow(v account.PendingCode) pendingCodeRow {
	return pendingCodeRow{
		CodeHash:  v.CodeHash,
		SentTo:    v.SentTo,
		SentAt:    v.SentAt,
		MessageID: v.MessageID,
		ExpiresAt: v.ExpiresAt,
		Attempts:  v.Attempts,
	}
}

func (r pendingCodeRow) domain() account.PendingCode {
	return account.PendingCode{
		CodeHash:  r.CodeHash,
		SentTo:    r.SentTo,
		SentAt:    r.SentAt,
		MessageID: r.MessageID,
		ExpiresAt: r.ExpiresAt,
		Attempts:  r.Attempts,
	}
}
