package contact

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/notify/message"
)

// codeMail is what the contact-code templates (email and SMS) can show.
type codeMail struct {
	Name, AccountName, Brand, Code string
	Minutes                        int
}

// hashCode binds a code to its contact and channel, so a stored hash says nothing useful
// about another contact's code.
func hashCode(contactID string, ch account.Channel, code string) string {
	return ident.HashToken(contactID + "/" + string(ch) + "/" + code)
}

func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// Sent is where a verification code went.
type Sent struct {
	Channel   account.Channel `json:"channel"`
	SentTo    string          `json:"sentTo"`
	ExpiresAt time.Time       `json:"expiresAt"`
}

// SendCode sends a new verification code to the contact's email address or mobile
// number, replacing any code sent before, and records it (hashed) with the provider's
// message ID. Should that write fail, the code that went out does not work and the
// caller asks again.
func (s *Service) SendCode(ctx context.Context, actor account.Actor, accountID, contactID string, ch account.Channel) (Sent, error) {
	acct, m, err := s.contact(ctx, actor, accountID, contactID, true)
	if err != nil {
		return Sent{}, err
	}
	to := m.Email
	if ch == account.MobileChannel {
		if to = m.Contact.Mobile; to == "" {
			return Sent{}, &fault.Error{Code: fault.Invalid, Message: "the contact has no mobile number",
				Fields: []fault.FieldReason{{Field: "mobile", Reason: "is not set: add it to the contact first"}}}
		}
	}
	now := s.Now().UTC()
	if p, ok := m.Contact.Pending[ch]; ok && now.Before(p.SentAt.Add(ResendAfter)) {
		return Sent{}, fault.New(fault.Throttled, "a code was sent less than a minute ago; wait before asking for another")
	}
	code, err := newCode()
	if err != nil {
		return Sent{}, fault.Wrap(fault.Internal, err, "could not make a code")
	}
	data := codeMail{Name: m.Contact.Name, AccountName: acct.Name, Brand: acct.SMSSender(), Code: code, Minutes: int(CodeTTL / time.Minute)}
	var messageID string
	if ch == account.MobileChannel {
		messageID, err = s.SMS.Send(ctx, to, acct.SMSSender(), message.SMSContactCode, data)
	} else {
		messageID, err = s.Mailer.Send(ctx, to, message.ContactCode, data)
	}
	if err != nil {
		return Sent{}, err
	}
	next := withContact(m)
	pending := account.PendingCode{CodeHash: hashCode(m.ID, ch, code), SentTo: to, SentAt: now, MessageID: messageID, ExpiresAt: now.Add(CodeTTL)}
	next.Contact.Pending[ch] = pending
	next.Version = m.Version + 1
	entry := audit.New(now, actor.UserID, audit.Contact, audit.CodeSent, m.ID, m, next)
	if err := s.Store.SaveContact(ctx, acct, m, next, []audit.Entry{entry}, nil); err != nil {
		return Sent{}, err
	}
	return Sent{Channel: ch, SentTo: to, ExpiresAt: pending.ExpiresAt}, nil
}

// withContact returns a copy of m whose Contact, and its pending codes, may be changed
// without touching m's.
func withContact(m account.Member) account.Member {
	c := *m.Contact
	c.Pending = map[account.Channel]account.PendingCode{}
	for k, v := range m.Contact.Pending {
		c.Pending[k] = v
	}
	m.Contact = &c
	return m
}

// Confirm checks a verification code. A wrong code uses up an attempt; after MaxAttempts,
// or once expired, the code is void and a new one must be sent. A right code marks the
// channel verified on the contact and on its account.
func (s *Service) Confirm(ctx context.Context, actor account.Actor, accountID, contactID string, ch account.Channel, code string) (Shown, error) {
	acct, m, err := s.contact(ctx, actor, accountID, contactID, true)
	if err != nil {
		return Shown{}, err
	}
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return Shown{}, codeRefused("must be the 6 digits that were sent")
	}
	p, ok := m.Contact.Pending[ch]
	now := s.Now().UTC()
	if !ok || !now.Before(p.ExpiresAt) {
		return Shown{}, codeRefused("no code is pending for this channel, or it expired: send a new one")
	}
	next := withContact(m)
	next.Version = m.Version + 1
	if hashCode(m.ID, ch, code) != p.CodeHash {
		p.Attempts++
		reason := fmt.Sprintf("is wrong: %d attempts left", MaxAttempts-p.Attempts)
		if p.Attempts >= MaxAttempts {
			delete(next.Contact.Pending, ch)
			reason = "is wrong, and that was the last attempt: send a new code"
		} else {
			next.Contact.Pending[ch] = p
		}
		entry := audit.New(now, actor.UserID, audit.Contact, audit.CodeRefused, m.ID, m, next)
		if err := s.Store.SaveContact(ctx, acct, m, next, []audit.Entry{entry}, nil); err != nil {
			return Shown{}, err
		}
		return Shown{}, codeRefused(reason)
	}
	delete(next.Contact.Pending, ch)
	entries := []audit.Entry{}
	var changed *account.Account
	after := acct
	if ch == account.EmailChannel {
		next.Contact.EmailVerified, after.EmailVerified = true, true
	} else {
		next.Contact.MobileVerified, after.MobileVerified = true, true
	}
	entries = append(entries, audit.New(now, actor.UserID, audit.Contact, audit.Verified, m.ID, m, next))
	if after.EmailVerified != acct.EmailVerified || after.MobileVerified != acct.MobileVerified {
		after.UpdatedAt, after.Version = now, acct.Version+1
		changed = &after
		entries = append(entries, audit.New(now, actor.UserID, audit.Account, audit.Verified, acct.ID, acct, after))
	}
	if err := s.Store.SaveContact(ctx, acct, m, next, entries, changed); err != nil {
		return Shown{}, err
	}
	return visible(actor, acct, next), nil
}

func codeRefused(reason string) error {
	return &fault.Error{Code: fault.Invalid, Message: "the code was not accepted", Fields: []fault.FieldReason{{Field: "code", Reason: reason}}}
}
