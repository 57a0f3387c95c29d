// Package sip manages softphone (SIP) client accounts (docs/requirements.md, SC): a client account is
// created with its virtual numbers, provisioned through an installation SMS whose link
// serves the client's configuration, activated through an activation SMS whose link opens
// a mobile web page, and then disabled, enabled or re-keyed as needed.
package sip

import (
	"fmt"
	"slices"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// Status is a client account's last status (SC-5).
type Status string

// Client account statuses, in life-cycle order (docs/sip.md).
const (
	Created             Status = "created"
	InstallationSMSSent Status = "installation_sms_sent"
	Installed           Status = "installed"
	ActivationSMSSent   Status = "activation_sms_sent"
	Activated           Status = "activated"
)

// Action is something done to a client account.
type Action string

// Actions.
const (
	SendInstallationSMS Action = "installation-sms"
	Install             Action = "install" // the client fetched its configuration
	SendActivationSMS   Action = "activation-sms"
	Activate            Action = "activate" // the user confirmed the activation page
	Disable             Action = "disable"
	Enable              Action = "enable"
	RevokeKeys          Action = "revoke-keys"
)

// Actions lists every action, for tables and messages.
var Actions = []Action{SendInstallationSMS, Install, SendActivationSMS, Activate, Disable, Enable, RevokeKeys}

// allowed says which actions each status permits. Sending an SMS again from the state it
// leads to is allowed: the new link supersedes the old one (a customer lost the SMS).
var allowed = map[Status][]Action{
	Created:             {SendInstallationSMS},
	InstallationSMSSent: {SendInstallationSMS, Install, RevokeKeys},
	Installed:           {SendActivationSMS, RevokeKeys},
	ActivationSMSSent:   {SendActivationSMS, Activate, RevokeKeys},
	Activated:           {Disable, Enable, RevokeKeys},
}

// Allowed returns the actions a client account in status s permits.
func Allowed(s Status) []Action { return slices.Clone(allowed[s]) }

// next is the status an action leads to; absent: the status stays.
var next = map[Action]Status{
	SendInstallationSMS: InstallationSMSSent,
	Install:             Installed,
	SendActivationSMS:   ActivationSMSSent,
	Activate:            Activated,
	RevokeKeys:          Created,
}

// Account is a SIP client account.
type Account struct {
	ID              string `json:"id"`
	AccountID       string `json:"accountId"`
	DisplayName     string `json:"displayName"`
	Email           string `json:"email"`
	PrimaryNumber   string `json:"primaryNumber"`
	SecondaryNumber string `json:"secondaryNumber,omitempty"`
	// Username and Secret are the SIP credentials the configuration file carries.
	Username string `json:"username"`
	Secret   string `json:"-"` // kept by the store beside the account's data, never in its JSON form
	// Enabled says whether the account may call and be called; DisabledAnnouncement is
	// the audio message the switch plays to callers while it is not.
	Enabled              bool      `json:"enabled"`
	DisabledAnnouncement string    `json:"disabledAnnouncement"`
	LastStatus           Status    `json:"lastStatus"`
	LastStatusDate       time.Time `json:"lastStatusDate"`
	// KeyVersion counts end-to-end messaging key pairs; revoking keys moves it on, and
	// links and keys of an older version no longer work.
	KeyVersion int `json:"keyVersion"`
	// InstallTokenHash and ActivateTokenHash identify the one link of each kind that
	// works; a newer link replaces the older.
	InstallTokenHash  string      `json:"installTokenHash,omitempty"`
	ActivateTokenHash string      `json:"activateTokenHash,omitempty"`
	LastSMS           *SentSMS    `json:"lastSms,omitempty"`
	SMSSentAt         []time.Time `json:"smsSentAt,omitempty"` // recent sends, for the rate limit
	CreatedAt         time.Time   `json:"createdAt"`
	UpdatedAt         time.Time   `json:"updatedAt"`
	Version           int         `json:"version"`
}

// SentSMS records an SMS the provider accepted.
type SentSMS struct {
	Kind      Action    `json:"kind"`
	MessageID string    `json:"messageId"`
	SentAt    time.Time `json:"sentAt"`
}

// Apply returns a copy of a after action at now, or a Conflict naming the actions its
// status allows.
func (a Account) Apply(action Action, now time.Time) (Account, error) {
	if !slices.Contains(allowed[a.LastStatus], action) {
		return a, &fault.Error{Code: fault.Conflict, Message: fmt.Sprintf("a client account in status %s cannot take %s; allowed now: %v", a.LastStatus, action, allowed[a.LastStatus])}
	}
	switch action {
	case Disable:
		a.Enabled = false
	case Enable:
		a.Enabled = true
	case Activate:
		a.Enabled = true
	case RevokeKeys:
		a.Enabled, a.KeyVersion = false, a.KeyVersion+1
		a.InstallTokenHash, a.ActivateTokenHash = "", ""
	}
	if to, moves := next[action]; moves {
		a.LastStatus, a.LastStatusDate = to, now
	}
	a.UpdatedAt = now
	return a, nil
}
