package dynamo

import (
	"time"

	"github.com/provisio/provisio/shared/sip"
)

// sipRow is how a sip.Account is stored.
type sipRow struct {
	ID                   string      `json:"id"`
	AccountID            string      `json:"accountId"`
	DisplayName          string      `json:"displayName"`
	Email                string      `json:"email"`
	PrimaryNumber        string      `json:"primaryNumber"`
	SecondaryNumber      string      `json:"secondaryNumber,omitempty"`
	Username             string      `json:"username"`
	Enabled              bool        `json:"enabled"`
	DisabledAnnouncement string      `json:"disabledAnnouncement"`
	LastStatus           string      `json:"lastStatus"`
	LastStatusDate       time.Time   `json:"lastStatusDate"`
	KeyVersion           int         `json:"keyVersion"`
	InstallTokenHash     string      `json:"installTokenHash,omitempty"`
	ActivateTokenHash    string      `json:"activateTokenHash,omitempty"`
	LastSMS              *sentSMSRow `json:"lastSms,omitempty"`
	SMSSentAt            []time.Time `json:"smsSentAt,omitempty"`
	CreatedAt            time.Time   `json:"createdAt"`
	UpdatedAt            time.Time   `json:"updatedAt"`
	Version              int         `json:"version"`
}

func toSipRow(v sip.Account) sipRow {
	return sipRow{
		ID:                   v.ID,
		AccountID:            v.AccountID,
		DisplayName:          v.DisplayName,
		Email:                v.Email,
		PrimaryNumber:        v.PrimaryNumber,
		SecondaryNumber:      v.SecondaryNumber,
		Username:             v.Username,
		Enabled:              v.Enabled,
		DisabledAnnouncement: v.DisabledAnnouncement,
		LastStatus:           string(v.LastStatus),
		LastStatusDate:       v.LastStatusDate,
		KeyVersion:           v.KeyVersion,
		InstallTokenHash:     v.InstallTokenHash,
		ActivateTokenHash:    v.ActivateTokenHash,
		LastSMS:              ptr(v.LastSMS, toSentSMSRow),
		SMSSentAt:            v.SMSSentAt,
		CreatedAt:            v.CreatedAt,
		UpdatedAt:            v.UpdatedAt,
		Version:              v.Version,
	}
}

func (r sipRow) domain() sip.Account {
	return sip.Account{
		ID:                   r.ID,
		AccountID:            r.AccountID,
		DisplayName:          r.DisplayName,
		Email:                r.Email,
		PrimaryNumber:        r.PrimaryNumber,
		SecondaryNumber:      r.SecondaryNumber,
		Username:             r.Username,
		Enabled:              r.Enabled,
		DisabledAnnouncement: r.DisabledAnnouncement,
		LastStatus:           sip.Status(r.LastStatus),
		LastStatusDate:       r.LastStatusDate,
		KeyVersion:           r.KeyVersion,
		InstallTokenHash:     r.InstallTokenHash,
		ActivateTokenHash:    r.ActivateTokenHash,
		LastSMS:              ptr(r.LastSMS, sentSMSRow.domain),
		SMSSentAt:            r.SMSSentAt,
		CreatedAt:            r.CreatedAt,
		UpdatedAt:            r.UpdatedAt,
		Version:              r.Version,
	}
}

// sipTokenRow is how a sip.Token is stored.
type sipTokenRow struct {
	Hash       string    `json:"hash"`
	AccountID  string    `json:"accountId"`
	SIPID      string    `json:"sipId"`
	Kind       string    `json:"kind"`
	KeyVersion int       `json:"keyVersion"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

func toSipTokenRow(v sip.Token) sipTokenRow {
	return sipTokenRow{
		Hash:       v.Hash,
		AccountID:  v.AccountID,
		SIPID:      v.SIPID,
		Kind:       string(v.Kind),
		KeyVersion: v.KeyVersion,
		ExpiresAt:  v.ExpiresAt,
	}
}

func (r sipTokenRow) domain() sip.Token {
	return sip.Token{
		Hash:       r.Hash,
		AccountID:  r.AccountID,
		SIPID:      r.SIPID,
		Kind:       sip.Action(r.Kind),
		KeyVersion: r.KeyVersion,
		ExpiresAt:  r.ExpiresAt,
	}
}

// bindingRow is how a sip.Binding is stored.
type bindingRow struct {
	AccountID    string    `json:"accountId"`
	SIPID        string    `json:"sipId"`
	Contact      string    `json:"contact"`
	UserAgent    string    `json:"userAgent,omitempty"`
	RegisteredAt time.Time `json:"registeredAt"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

func toBindingRow(v sip.Binding) bindingRow {
	return bindingRow{
		AccountID:    v.AccountID,
		SIPID:        v.SIPID,
		Contact:      v.Contact,
		UserAgent:    v.UserAgent,
		RegisteredAt: v.RegisteredAt,
		ExpiresAt:    v.ExpiresAt,
	}
}

func (r bindingRow) domain() sip.Binding {
	return sip.Binding{
		AccountID:    r.AccountID,
		SIPID:        r.SIPID,
		Contact:      r.Contact,
		UserAgent:    r.UserAgent,
		RegisteredAt: r.RegisteredAt,
		ExpiresAt:    r.ExpiresAt,
	}
}

// sentSMSRow is how a sip.SentSMS is stored.
type sentSMSRow struct {
	Kind      string    `json:"kind"`
	MessageID string    `json:"messageId"`
	SentAt    time.Time `json:"sentAt"`
}

func toSentSMSRow(v sip.SentSMS) sentSMSRow {
	return sentSMSRow{
		Kind:      string(v.Kind),
		MessageID: v.MessageID,
		SentAt:    v.SentAt,
	}
}

func (r sentSMSRow) domain() sip.SentSMS {
	return sip.SentSMS{
		Kind:      sip.Action(r.Kind),
		MessageID: r.MessageID,
		SentAt:    r.SentAt,
	}
}
