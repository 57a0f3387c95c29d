// Package contact manages an account's contacts (docs/requirements.md, CM-2 to CM-6): the customer's people who
// sign in to the portal with their login email, with public and private notes that may
// never hold a password, and codes that verify their email address and mobile number.
package contact

import (
	"context"
	"log/slog"
	"time"

	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
)

// Verification policy (docs/contacts.md).
const (
	CodeTTL     = 15 * time.Minute
	MaxAttempts = 5
	// ResendAfter is how long a new code must wait after the last one to the channel.
	ResendAfter = time.Minute
	MaxName     = 64
)

// Store keeps contacts. A contact is a user (account.Member) with Contact set, so it signs
// in, locks out and resets its password like every user.
type Store interface {
	account.Reader
	idempotency.Records
	// Member returns a user of an account; NotFound when there is none.
	Member(ctx context.Context, accountID, userID string) (account.Member, error)
	// Contacts returns a page of an account's contacts, only those whose search terms
	// (account.Member.SearchTerms) have a word starting with query when it is set.
	Contacts(ctx context.Context, accountID, query, cursor string, limit int) ([]account.Member, string, error)
	// CreateMember adds a user with its sign-in lookups and email guard; Conflict when
	// the login email is taken anywhere on the platform.
	CreateMember(ctx context.Context, acct account.Account, m account.Member, entry audit.Entry, idem *idempotency.Record) error
	// SaveContact writes after over before (version-checked), moving the sign-in lookups
	// and email guard when the login email changed; acct, when set, is written too
	// (version-checked). Conflict when the new login email is taken.
	SaveContact(ctx context.Context, acct account.Account, before, after account.Member, entries []audit.Entry, changed *account.Account) error
	// DeleteUser removes a user with its sign-in lookups and email guard; with a keeper,
	// only while the keeper is still as read.
	DeleteUser(ctx context.Context, acct account.Account, m account.Member, entry audit.Entry, keeper *account.Member) error
	// Members returns every user of an account.
	Members(ctx context.Context, accountID string) ([]account.Member, error)
}

// Mailer sends templated email.
type Mailer interface {
	// Send renders message template name with data, emails it to to, and returns the
	// provider's message ID.
	Send(ctx context.Context, to string, name message.Name, data any) (string, error)
}

// SMS sends text messages.
type SMS interface {
	// Send renders text template name with data, sends it to the E.164 number to under
	// sender, and returns the provider's message ID.
	Send(ctx context.Context, to, sender string, name message.Name, data any) (string, error)
}

// Service manages contacts.
type Service struct {
	Store     Store
	Mailer    Mailer
	SMS       SMS
	Log       *slog.Logger
	Now       func() time.Time
	NewID     func(prefix string) string
	PortalURL string
}

// Shown is a contact as one caller may see it: Staff says the private notes are theirs
// to see; otherwise they are blanked.
type Shown struct {
	account.Member
	Staff bool
}

// visible is m as actor may see it.
func visible(actor account.Actor, acct account.Account, m account.Member) Shown {
	staff := account.ShowsPrivateNotes(actor, acct)
	if m.Contact != nil && !staff {
		c := *m.Contact
		c.PrivateNotes = ""
		m.Contact = &c
	}
	return Shown{Member: m, Staff: staff}
}
