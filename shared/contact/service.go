package contact

import (
	"context"
	"strings"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/phone"
	"github.com/provisio/provisio/shared/text"
)

// CreateRequest is a new contact; an empty Password means "auto generate and email".
type CreateRequest struct {
	Name, Email, Mobile, Password, PublicNotes, PrivateNotes string
}

// Patch changes a contact; nil fields stay as they are. A new email or mobile number is
// unverified until confirmed again.
type Patch struct {
	Version      int
	Name         *string
	Email        *string
	Mobile       *string
	PublicNotes  *string
	PrivateNotes *string
}

// welcomeMail is what the contact-welcome and contact-password templates can show.
type welcomeMail struct {
	Name, AccountName, Domain, Username, Password, PortalURL string
}

// normalMobile is a mobile number in E.164 form when it is one; anything else is kept as
// given for check to name the reason ("" means none).
func normalMobile(s string) string {
	if e164, reason := phone.E164(s); s != "" && reason == "" {
		return e164
	}
	return s
}

// check validates a contact's fields against what they were (an empty Contact for a new
// one): notes are checked only when they change, so staff-written private notes do not
// stop a customer's edit. isPassword tells whether a word is the contact's password.
func check(f *fault.Fields, actor account.Actor, acct account.Account, was account.Contact, m account.Member, isPassword func(string) bool) {
	c := m.Contact
	if n := strings.TrimSpace(c.Name); n == "" || len([]rune(n)) > MaxName || !text.Visible(n) {
		f.Add("name", "is required: at most 64 characters, none of them control, invisible or direction-changing")
	}
	if !account.PlainEmail(m.Email) {
		f.Add("email", "must be a plain email address; it is the contact's login name")
	}
	if c.Mobile != "" {
		if _, reason := phone.E164(c.Mobile); reason != "" {
			f.Add("mobile", reason)
		}
	}
	if c.PrivateNotes != was.PrivateNotes && !account.ShowsPrivateNotes(actor, acct) {
		f.Add("privateNotes", "only administrators of the accounts above this one may write private notes")
	}
	for _, n := range []struct{ field, text, was string }{{"publicNotes", c.PublicNotes, was.PublicNotes}, {"privateNotes", c.PrivateNotes, was.PrivateNotes}} {
		switch {
		case n.text == n.was:
		case len([]rune(n.text)) > MaxNotes:
			f.Add(n.field, "must be at most 2000 characters")
		case n.text != "":
			if reason := CredentialIn(n.text, isPassword); reason != "" {
				f.Add(n.field, reason)
			}
		}
	}
}

func (s *Service) contact(ctx context.Context, actor account.Actor, accountID, contactID string, writes bool) (account.Account, account.Member, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, writes)
	if err != nil {
		return acct, account.Member{}, err
	}
	m, err := s.Store.Member(ctx, accountID, contactID)
	if err == nil && m.Contact == nil {
		err = fault.New(fault.NotFound, "no such contact")
	}
	return acct, m, err
}

// Create adds a contact. Without a password one is generated and emailed, once. With a
// key, a retry of the same request answers with the contact the first one made.
func (s *Service) Create(ctx context.Context, actor account.Actor, accountID string, req CreateRequest, key string) (Shown, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return Shown{}, err
	}
	typed, unkeyed := req.Password, req
	unkeyed.Password = "" // compared against the stored hash on a retry; the fingerprint is stored
	k := idempotency.NewKey("contact", actor.AccountID, key, []any{accountID, unkeyed})
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Shown, error) {
		acct, m, err := s.contact(ctx, actor, accountID, id, false)
		if err == nil && typed != "" && !password.Matches(m.PasswordHash, typed) {
			return Shown{}, idempotency.ErrOtherRequest
		}
		return visible(actor, acct, m), err
	}, func() (Shown, error) { return s.create(ctx, actor, acct, req, k) })
}

func (s *Service) create(ctx context.Context, actor account.Actor, acct account.Account, req CreateRequest, k idempotency.Key) (Shown, error) {
	email := strings.ToLower(strings.TrimSpace(req.Email))
	now := s.Now().UTC()
	m := account.Member{AccountID: acct.ID, Username: email, Email: email, Role: account.AdminRole(acct.Kind), CreatedAt: now, Version: 1,
		Contact: &account.Contact{Name: strings.TrimSpace(req.Name), Mobile: normalMobile(req.Mobile), PublicNotes: req.PublicNotes, PrivateNotes: req.PrivateNotes}}
	var f fault.Fields
	if req.Password != "" {
		if reason := password.Check(req.Password, email, acct.Name); reason != "" {
			f.Add("password", reason)
		}
	}
	// A generated password is new, so only a given one can be in the notes already.
	check(&f, actor, acct, account.Contact{}, m, func(word string) bool { return req.Password != "" && word == req.Password })
	if err := f.Err(); err != nil {
		return Shown{}, err
	}
	hash, generated, err := password.Protect(nil, req.Password)
	if err != nil {
		return Shown{}, err
	}
	m.PasswordHash, m.ID = hash, s.NewID("con-")
	if err := s.Store.CreateMember(ctx, acct, m, audit.New(now, actor.UserID, audit.Contact, audit.Create, m.ID, nil, m), k.Record(m.ID, now)); err != nil {
		if fault.Is(err, fault.Conflict) {
			return Shown{}, &fault.Error{Code: fault.Conflict, Message: "the login email is taken",
				Fields: []fault.FieldReason{{Field: "email", Reason: "is the login of another user or contact: login emails are unique on the platform"}}, Err: err}
		}
		return Shown{}, err
	}
	s.mail(ctx, acct, m, message.ContactWelcome, generated)
	return visible(actor, acct, m), nil
}

// mail sends a contact its sign-in details; a generated password goes only here.
func (s *Service) mail(ctx context.Context, acct account.Account, m account.Member, template message.Name, generated string) {
	if _, err := s.Mailer.Send(ctx, m.Email, template, welcomeMail{Name: m.Contact.Name, AccountName: acct.Name,
		Domain: acct.SignInDomain(), Username: m.Username, Password: generated, PortalURL: s.PortalURL}); err != nil {
		s.Log.WarnContext(ctx, "contact email not sent", "contact", m.ID, "template", template, "error", err)
	}
}

// Get returns a contact.
func (s *Service) Get(ctx context.Context, actor account.Actor, accountID, contactID string) (Shown, error) {
	acct, m, err := s.contact(ctx, actor, accountID, contactID, false)
	return visible(actor, acct, m), err
}

// List returns a page of an account's contacts; query, when set, is a case-insensitive
// prefix of a word of a contact's name or email, or of its mobile number.
func (s *Service) List(ctx context.Context, actor account.Actor, accountID, query, cursor string, limit int) ([]Shown, string, error) {
	var bad fault.Fields
	if account.CheckQuery(&bad, query); bad.Err() != nil {
		return nil, "", bad.Err()
	}
	acct, err := account.Load(ctx, s.Store, actor, accountID, false)
	if err != nil {
		return nil, "", err
	}
	ms, next, err := s.Store.Contacts(ctx, accountID, query, cursor, account.PageSize(limit))
	shown := make([]Shown, 0, len(ms))
	for _, m := range ms {
		shown = append(shown, visible(actor, acct, m))
	}
	return shown, next, err
}

// Update applies a patch.
func (s *Service) Update(ctx context.Context, actor account.Actor, accountID, contactID string, p Patch) (Shown, error) {
	acct, m, err := s.contact(ctx, actor, accountID, contactID, true)
	if err != nil {
		return Shown{}, err
	}
	var f fault.Fields
	if p.Version <= 0 {
		f.Add("version", "is required: send the version you read (or an If-Match header)")
	}
	next := withContact(m) // its pending codes are a map of their own: m stays as read, for the audit
	c := next.Contact
	if p.Name != nil {
		c.Name = strings.TrimSpace(*p.Name)
	}
	if p.Email != nil {
		if email := strings.ToLower(strings.TrimSpace(*p.Email)); email != m.Email {
			next.Email, next.Username, c.EmailVerified = email, email, false
			delete(c.Pending, account.EmailChannel)
		}
	}
	if p.Mobile != nil {
		if mobile := normalMobile(*p.Mobile); mobile != c.Mobile {
			c.Mobile, c.MobileVerified = mobile, false
			delete(c.Pending, account.MobileChannel)
		}
	}
	if p.PublicNotes != nil {
		c.PublicNotes = *p.PublicNotes
	}
	if p.PrivateNotes != nil {
		c.PrivateNotes = *p.PrivateNotes
	}
	check(&f, actor, acct, *m.Contact, next, func(word string) bool { return password.Matches(m.PasswordHash, word) })
	if err := f.Err(); err != nil {
		return Shown{}, err
	}
	if p.Version != m.Version {
		return Shown{}, fault.New(fault.Conflict, "the contact changed since you read it (version %d, you sent %d)", m.Version, p.Version)
	}
	next.Version = m.Version + 1
	entry := audit.New(s.Now().UTC(), actor.UserID, audit.Contact, audit.Update, m.ID, m, next)
	if err := s.Store.SaveContact(ctx, acct, m, next, []audit.Entry{entry}, nil); err != nil {
		if next.Email != m.Email {
			return Shown{}, loginTaken(err)
		}
		return Shown{}, err
	}
	return visible(actor, acct, next), nil
}

// loginTaken explains a conflicting save that moved the login email: the contact changed
// meanwhile, or the new email is someone else's login.
func loginTaken(err error) error {
	if fault.Is(err, fault.Conflict) {
		return &fault.Error{Code: fault.Conflict, Message: "the contact changed meanwhile, or the new login email is taken",
			Fields: []fault.FieldReason{{Field: "email", Reason: "may be the login of another user or contact; read the contact again and retry"}}, Err: err}
	}
	return err
}

// Delete removes a contact and its sign-in.
func (s *Service) Delete(ctx context.Context, actor account.Actor, accountID, contactID string) error {
	acct, m, err := s.contact(ctx, actor, accountID, contactID, true)
	if err != nil {
		return err
	}
	keeper, err := account.Keeper(ctx, s.Store, m, nil) // a contact administers its account
	if err != nil {
		return err
	}
	return s.Store.DeleteUser(ctx, acct, m, audit.New(s.Now().UTC(), actor.UserID, audit.Contact, audit.Delete, m.ID, m, nil), keeper)
}

// SetPassword sets a contact's password: the given one (policy checked), or a generated
// one emailed to the contact ("Auto Generate & Email Password").
func (s *Service) SetPassword(ctx context.Context, actor account.Actor, accountID, contactID, pw string) (Shown, error) {
	acct, m, err := s.contact(ctx, actor, accountID, contactID, true)
	if err != nil {
		return Shown{}, err
	}
	if pw != "" {
		if reason := password.Check(pw, m.Email, acct.Name); reason != "" {
			return Shown{}, &fault.Error{Code: fault.Invalid, Message: "the password breaks the policy", Fields: []fault.FieldReason{{Field: "password", Reason: reason}}}
		}
		for _, notes := range []string{m.Contact.PublicNotes, m.Contact.PrivateNotes} {
			if strings.Contains(notes, pw) {
				return Shown{}, &fault.Error{Code: fault.Invalid, Message: "the password is written in the contact's notes",
					Fields: []fault.FieldReason{{Field: "password", Reason: "appears in the contact's notes: pick another and clean the notes"}}}
			}
		}
	}
	next := m
	var generated string
	if next.PasswordHash, generated, err = password.Protect(nil, pw); err != nil {
		return Shown{}, err
	}
	next.Version = m.Version + 1
	next.CredentialsChanged()
	entry := audit.New(s.Now().UTC(), actor.UserID, audit.Contact, audit.PasswordSet, m.ID, m, next)
	if err := s.Store.SaveContact(ctx, acct, m, next, []audit.Entry{entry}, nil); err != nil {
		return Shown{}, err
	}
	if generated != "" {
		s.mail(ctx, acct, next, message.ContactPassword, generated)
	}
	return visible(actor, acct, next), nil
}
