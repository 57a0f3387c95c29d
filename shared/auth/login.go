package auth

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/password"
)

// Throttle policy: MaxFailedLogins failed sign-ins for one sign-in name from one source
// address, each within LockFor of the one before, refuse that source that name until
// LockFor after the last failure. The user is never locked: a guesser elsewhere, or the
// user from their own address, can still sign in (docs/auth.md).
const (
	MaxFailedLogins = 5
	LockFor         = 15 * time.Minute
	// ResetTTL is how long a password-reset link works.
	ResetTTL = 30 * time.Minute
	// MaxResetMails reset links go to one user per ResetMailWindow, however many are asked for.
	MaxResetMails   = 3
	ResetMailWindow = 15 * time.Minute
)

// Store is what sign-in and password reset need.
type Store interface {
	// MemberByLogin finds the user who signs in with domain (or realm) and username;
	// NotFound when there is none.
	MemberByLogin(ctx context.Context, domain, username string) (account.Member, error)
	// Member returns a user of an account; NotFound when there is none.
	Member(ctx context.Context, accountID, userID string) (account.Member, error)
	// Account returns an account; NotFound when there is none.
	Account(ctx context.Context, id string) (account.Account, error)
	// SaveMember writes m when the stored copy has version m.Version-1, with its audit entry.
	SaveMember(ctx context.Context, m account.Member, entry audit.Entry) error
	// PutReset stores a reset token (by its hash) with its expiry, replacing none.
	PutReset(ctx context.Context, r Reset) error
	// Reset returns a stored reset token by its hash; NotFound when unknown or used.
	Reset(ctx context.Context, tokenHash string) (Reset, error)
	// CompleteReset consumes the token (Conflict if it was used meanwhile) and writes the
	// member (version-checked) with its audit entry, in one transaction.
	CompleteReset(ctx context.Context, tokenHash string, m account.Member, entry audit.Entry) error
	// Throttle returns the failed sign-ins counted under a throttle key (none: zero).
	Throttle(ctx context.Context, key string) (Throttle, error)
	// RecordFailure counts one more failure under key, whose window now ends at until.
	RecordFailure(ctx context.Context, key string, now, until time.Time) error
	// ClearFailures forgets the failures counted under key.
	ClearFailures(ctx context.Context, key string) error
	KeyReader
	// SaveTokenKeys writes the published keys when the stored copy has version
	// ks.Version-1 (none, for version 1); Conflict otherwise.
	SaveTokenKeys(ctx context.Context, ks KeySet) error
}

// Throttle is the failed sign-ins of one source for one sign-in name.
type Throttle struct {
	Failures int
	Until    time.Time
}

// throttleKey names what a throttle counts: one source address trying one sign-in name,
// whether or not that user exists. It is a digest, so the table holds no addresses.
func throttleKey(source, domain, username string) string {
	return ident.HashToken(source + "\x00" + domain + "\x00" + strings.ToLower(username))
}

// Mailer sends templated email.
type Mailer interface {
	// Send renders message template name with data, emails it to to, and returns the
	// provider's message ID.
	Send(ctx context.Context, to string, name message.Name, data any) (string, error)
}

// Reset is a pending password reset; only the hash of its token is kept.
type Reset struct {
	TokenHash string    `json:"tokenHash"`
	AccountID string    `json:"accountId"`
	UserID    string    `json:"userId"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Service signs users in and resets passwords.
type Service struct {
	Signer    SignerSource
	Store     Store
	Mailer    Mailer
	Resets    ResetJobs
	Log       *slog.Logger
	Now       func() time.Time
	NewID     func(prefix string) string
	PortalURL string

	mu        sync.Mutex
	published string // the kid this instance has seen in the published keys
}

// SignerSource gives the signing key, reloading its secret every SignerRefresh.
type SignerSource func(ctx context.Context) (*Signer, error)

// Token is a signed access token.
type Token struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// errLogin is the one answer to every failed sign-in: it does not say whether the user
// exists, the password was wrong or the user is inactive.
var errLogin = &fault.Error{Code: fault.Unauthorized, Message: "the domain, user name or password is wrong, or the user is not active"}

// dummyHash is compared against when the user does not exist, so unknown users take as
// long to refuse as known ones. It is a bcrypt hash of a random password at the cost
// password.Hash uses, precomputed: hashing at start-up would cost every cold start.
const dummyHash = "$2a$10$CqamDirrLSqbt/vdJUgXNOf29Hi0w048k6nMmPwWDNsEkzx3Hzv52"

// Login checks a user's password and returns an access token. A known and an unknown
// user cost the same: one throttle read, the same reads to find the user, one bcrypt
// comparison and, on failure, one throttle write (BenchmarkLoginTiming).
func (s *Service) Login(ctx context.Context, source, domain, username, pw string) (Token, error) {
	domain, username = strings.ToLower(strings.TrimSpace(domain)), strings.TrimSpace(username)
	if domain == "" || username == "" || pw == "" {
		var f fault.Fields
		for _, fv := range [][2]string{{"domain", domain}, {"username", username}, {"password", pw}} {
			field, v := fv[0], fv[1]
			if v == "" {
				f.Add(field, "is required")
			}
		}
		return Token{}, f.Err()
	}
	now := s.Now().UTC()
	tkey := throttleKey(source, domain, username)
	th, err := s.Store.Throttle(ctx, tkey)
	if err != nil {
		return Token{}, err
	}
	if th.Failures >= MaxFailedLogins && now.Before(th.Until) {
		return Token{}, &fault.Error{Code: fault.Throttled, Message: "too many failed sign-ins for this user from your address: try again later",
			RetryAfter: th.Until.Sub(now)}
	}
	m, err := s.Store.MemberByLogin(ctx, domain, username)
	known := err == nil
	if err != nil && !fault.Is(err, fault.NotFound) {
		return Token{}, err
	}
	hash := dummyHash
	if known && m.MaySignIn() {
		hash = m.PasswordHash
	}
	if !password.Matches(hash, pw) || hash == dummyHash {
		s.recordFailure(ctx, tkey, th, now)
		return Token{}, errLogin
	}
	acct, err := s.Store.Account(ctx, m.AccountID)
	if err != nil {
		return Token{}, err
	}
	if acct.Status == account.Suspended {
		return Token{}, &fault.Error{Code: fault.Forbidden, Message: "the account is suspended: ask your service provider"}
	}
	if th.Failures > 0 {
		if err := s.Store.ClearFailures(ctx, tkey); err != nil {
			s.Log.WarnContext(ctx, "failed sign-ins not cleared", "user", m.ID, "error", err)
		}
	}
	signer, err := s.signer(ctx)
	if err != nil {
		return Token{}, err
	}
	tok, exp, err := signer.Issue(account.Actor{UserID: m.ID, AccountID: m.AccountID, Role: m.Role, Epoch: m.SessionEpoch}, s.NewID("tok-"))
	if err != nil {
		return Token{}, fault.Wrap(fault.Internal, err, "could not sign the token")
	}
	return Token{Token: tok, ExpiresAt: exp}, nil
}

// signer returns the signing key, once its public half is published: no token names a
// kid that protected functions cannot find.
func (s *Service) signer(ctx context.Context) (*Signer, error) {
	sg, err := s.Signer(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	done := s.published == sg.Public.ID
	s.mu.Unlock()
	if done {
		return sg, nil
	}
	if err := s.publish(ctx, sg.Public); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.published = sg.Public.ID
	s.mu.Unlock()
	return sg, nil
}

// publish makes k the current token key (KeySet.Publish). Two sign-in functions that
// publish at once both succeed: the one that lost the race reads again.
func (s *Service) publish(ctx context.Context, k PublicKey) error {
	for range 3 {
		ks, err := s.Store.TokenKeys(ctx)
		if err != nil {
			return err
		}
		next, changed := ks.Publish(k, s.Now())
		if !changed {
			return nil
		}
		if next.Previous != nil {
			s.Log.InfoContext(ctx, "token key rotated", "kid", k.ID, "previous", next.Previous.ID)
		}
		if err := s.Store.SaveTokenKeys(ctx, next); !fault.Is(err, fault.Conflict) {
			return err
		}
	}
	return &fault.Error{Code: fault.Unavailable, Message: "the token key could not be published; try again"}
}

// recordFailure counts a failed sign-in under its throttle key, the same for known and
// unknown users. Reaching the limit is logged (by key, never the password); a failed
// write is logged too: the next failure counts again.
func (s *Service) recordFailure(ctx context.Context, tkey string, th Throttle, now time.Time) {
	if err := s.Store.RecordFailure(ctx, tkey, now, now.Add(LockFor)); err != nil {
		s.Log.WarnContext(ctx, "failed sign-in not recorded", "error", err)
		return
	}
	if th.Failures+1 == MaxFailedLogins {
		s.Log.WarnContext(ctx, "sign-in throttled for a source and user name", "throttle", tkey[:16], "minutes", int(LockFor/time.Minute))
	}
}

// resetMail is what the reset email template can show.
type resetMail struct {
	Username, Link string
	Minutes        int
}

// ResetJobs queues password-reset requests.
type ResetJobs interface {
	// EnqueueReset queues a reset request for a sign-in name, known or not.
	EnqueueReset(ctx context.Context, domain, username string) error
}

// RequestReset takes a "forgot password" request. It does the same for every name,
// known or not: it queues the request and answers, so neither the answer nor its timing
// tells whether the user exists. ProcessReset then does the work off the request path.
func (s *Service) RequestReset(ctx context.Context, domain, username string) error {
	domain, username = strings.ToLower(strings.TrimSpace(domain)), strings.TrimSpace(username)
	var f fault.Fields
	if domain == "" || len(domain) > 253 {
		f.Add("domain", "is required: at most 253 characters")
	}
	if username == "" || len(username) > 254 {
		f.Add("username", "is required: at most 254 characters")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Resets.EnqueueReset(ctx, domain, username)
}

// ProcessReset handles a queued reset request: a user with an email gets a single-use
// link; an unknown name, or a user without email, gets nothing.
func (s *Service) ProcessReset(ctx context.Context, domain, username string) error {
	m, err := s.Store.MemberByLogin(ctx, domain, username)
	if fault.Is(err, fault.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if m.Email == "" {
		s.Log.WarnContext(ctx, "password reset asked for a user without email", "user", m.ID)
		return nil
	}
	// Anyone may ask for anyone's link, so a user gets at most MaxResetMails of them in
	// ResetMailWindow: more requests would only fill the user's inbox.
	key, now := "reset#"+m.AccountID+"#"+m.ID, s.Now().UTC()
	th, err := s.Store.Throttle(ctx, key)
	if err != nil {
		return err
	}
	if th.Failures >= MaxResetMails && now.Before(th.Until) {
		s.Log.WarnContext(ctx, "password reset not mailed: the user had enough links lately", "user", m.ID)
		return nil
	}
	if err := s.Store.RecordFailure(ctx, key, now, now.Add(ResetMailWindow)); err != nil {
		return err
	}
	return s.SendReset(ctx, m)
}

// SendReset stores a single-use reset token for m and emails the link to m's address.
func (s *Service) SendReset(ctx context.Context, m account.Member) error {
	token := ident.NewToken()
	r := Reset{TokenHash: ident.HashToken(token), AccountID: m.AccountID, UserID: m.ID, ExpiresAt: s.Now().UTC().Add(ResetTTL)}
	if err := s.Store.PutReset(ctx, r); err != nil {
		return err
	}
	link := strings.TrimRight(s.PortalURL, "/") + "/reset-password?token=" + token
	_, err := s.Mailer.Send(ctx, m.Email, message.PasswordReset, resetMail{Username: m.Username, Link: link, Minutes: int(ResetTTL / time.Minute)})
	return err
}

// ConfirmReset sets a new password with a reset token. The token works once, until it
// expires; the new password must meet the policy.
func (s *Service) ConfirmReset(ctx context.Context, token, newPassword string) error {
	invalid := &fault.Error{Code: fault.Invalid, Message: "the reset link is not valid",
		Fields: []fault.FieldReason{{Field: "token", Reason: "is unknown, used or expired: ask for a new link"}}}
	if token == "" {
		return invalid
	}
	h := ident.HashToken(token)
	r, err := s.Store.Reset(ctx, h)
	if fault.Is(err, fault.NotFound) {
		return invalid
	}
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	if !now.Before(r.ExpiresAt) {
		return invalid
	}
	m, err := s.Store.Member(ctx, r.AccountID, r.UserID)
	if fault.Is(err, fault.NotFound) {
		return invalid
	}
	if err != nil {
		return err
	}
	if reason := password.Check(newPassword, m.Username, m.FirstName, m.LastName); reason != "" {
		return &fault.Error{Code: fault.Invalid, Message: "some fields are invalid", Fields: []fault.FieldReason{{Field: "password", Reason: reason}}}
	}
	hash, err := password.Hash(newPassword)
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not protect the password")
	}
	next := m
	next.PasswordHash, next.Version = hash, m.Version+1
	next.CredentialsChanged()
	err = s.Store.CompleteReset(ctx, h, next, audit.New(now, m.ID, audit.User, audit.PasswordReset, m.ID, m, next))
	if fault.Is(err, fault.Conflict) {
		return invalid
	}
	return err
}
