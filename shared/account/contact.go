package account

import "time"

// Channel is where a verification code is sent.
type Channel string

// Verification channels.
const (
	EmailChannel  Channel = "email"
	MobileChannel Channel = "mobile"
)

// Contact is what a contact holds besides being a user: a display name, a mobile number,
// notes and the verification state of its email address and mobile number.
type Contact struct {
	Name   string `json:"name"`
	Mobile string `json:"mobile,omitempty"`
	// PublicNotes are shown to the customer; PrivateNotes only to the provider's and
	// resellers' staff (ShowsPrivateNotes).
	PublicNotes    string `json:"publicNotes,omitempty"`
	PrivateNotes   string `json:"privateNotes,omitempty"`
	EmailVerified  bool   `json:"emailVerified"`
	MobileVerified bool   `json:"mobileVerified"`
	// Pending holds the code last sent to each channel until it is confirmed, expires or
	// runs out of attempts; only its hash is kept.
	Pending map[Channel]PendingCode `json:"pending,omitempty"`
}

// PendingCode is a verification code waiting to be confirmed.
type PendingCode struct {
	CodeHash  string    `json:"codeHash"`
	SentTo    string    `json:"sentTo"`
	SentAt    time.Time `json:"sentAt"`
	MessageID string    `json:"messageId"` // the email or SMS provider's
	ExpiresAt time.Time `json:"expiresAt"`
	Attempts  int       `json:"attempts"`
}

// ShowsPrivateNotes reports whether actor may read and write the private notes of acct's
// contacts: the staff who manage the customer, that is administrators of an account above
// it (and the provider's administrators on the provider's own account). The customer's
// own people (its administrators, users and contacts) never see them.
func ShowsPrivateNotes(actor Actor, acct Account) bool {
	return actor.Role.Admin() && acct.Within(actor.AccountID) && (acct.ID != actor.AccountID || acct.ID == ProviderRootID)
}
