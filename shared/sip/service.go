package sip

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/webhook"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/phone"
	"github.com/provisio/provisio/shared/text"
)

// Link lifetimes and the SMS rate limit (docs/sip.md).
const (
	LinkTTL        = 24 * time.Hour
	SMSPerHour     = 3
	MaxDisplayName = 64
	// DefaultAnnouncement is what the switch plays to callers of a disabled account.
	DefaultAnnouncement = "account-disabled"
)

// Token is a stored link token: only its hash is kept.
type Token struct {
	Hash       string    `json:"hash"`
	AccountID  string    `json:"accountId"`
	SIPID      string    `json:"sipId"`
	Kind       Action    `json:"kind"` // Install or Activate
	KeyVersion int       `json:"keyVersion"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// Store keeps client accounts, their link tokens and registrations.
type Store interface {
	idempotency.Records
	// Account returns a customer account; NotFound when there is none.
	Account(ctx context.Context, id string) (account.Account, error)
	// SIPAccount returns a client account of a customer account; NotFound otherwise.
	SIPAccount(ctx context.Context, accountID, sipID string) (Account, error)
	// SIPAccountWithCustomer returns a client account and its customer account in one
	// read; NotFound when either is gone.
	SIPAccountWithCustomer(ctx context.Context, accountID, sipID string) (Account, account.Account, error)
	// SIPAccounts returns a page of an account's client accounts that f picks.
	SIPAccounts(ctx context.Context, accountID string, f Filter, cursor string, limit int) ([]Account, string, error)
	// CreateSIPAccount writes a new client account with its number guards and audit
	// entry; Conflict names a number in use.
	CreateSIPAccount(ctx context.Context, a Account, entry audit.Entry, idem *idempotency.Record) error
	// SaveSIPAccount writes a (version-checked) with its audit entry; issue, when set, is
	// a new link token stored with it; consume, when set, is the hash of a used token
	// deleted with it (Conflict if it is gone already).
	SaveSIPAccount(ctx context.Context, a Account, entry audit.Entry, issue *Token, consume string) error
	// DeleteSIPAccount removes a (version-checked) and releases its numbers.
	DeleteSIPAccount(ctx context.Context, a Account, entry audit.Entry) error
	// Token returns a stored token by hash; NotFound when unknown or expired.
	Token(ctx context.Context, hash string) (Token, error)
	// Bindings returns the clients of an account the registrar reports registered.
	Bindings(ctx context.Context, accountID string) ([]Binding, error)
}

// SMS sends text messages.
type SMS interface {
	// Send renders text template name with data, sends it to the E.164 number to under
	// sender (the brand shown as the SMS sender), and returns the provider's message ID.
	Send(ctx context.Context, to, sender string, name message.Name, data any) (string, error)
}

// Service manages client accounts.
type Service struct {
	Store   Store
	SMS     SMS
	Log     *slog.Logger
	Now     func() time.Time
	NewID   func(prefix string) string
	BaseURL string // where links in SMS point: the public API
	Proxy   string // the SIP proxy clients register with
	// Events hears of client accounts activated or disabled.
	Events webhook.Publisher
}

// event is what a client account's webhook events carry: never its secret.
type event struct {
	ID              string    `json:"id"`
	AccountID       string    `json:"accountId"`
	DisplayName     string    `json:"displayName"`
	PrimaryNumber   string    `json:"primaryNumber"`
	SecondaryNumber string    `json:"secondaryNumber,omitempty"`
	Enabled         bool      `json:"enabled"`
	LastStatus      Status    `json:"lastStatus"`
	At              time.Time `json:"at"`
}

func (s *Service) publish(ctx context.Context, ev webhook.Event, a Account) {
	webhook.Publish(ctx, s.Events, a.AccountID, ev, event{ID: a.ID, AccountID: a.AccountID, DisplayName: a.DisplayName,
		PrimaryNumber: a.PrimaryNumber, SecondaryNumber: a.SecondaryNumber, Enabled: a.Enabled, LastStatus: a.LastStatus, At: a.UpdatedAt})
}

// CreateRequest is a new client account (SC-1's mandatory fields plus the optional
// secondary number).
type CreateRequest struct {
	DisplayName, Email, PrimaryNumber, SecondaryNumber string
}

// Patch changes what may change; the virtual numbers never do.
type Patch struct {
	Version              int
	DisplayName          *string
	Email                *string
	DisabledAnnouncement *string
	// PrimaryNumber and SecondaryNumber are refused when set: virtual numbers are never
	// edited (SC-3).
	PrimaryNumber, SecondaryNumber *string
}

func (s *Service) customer(ctx context.Context, actor account.Actor, accountID string, writes bool) (account.Account, error) {
	return account.Load(ctx, s.Store, actor, accountID, writes)
}

func (s *Service) load(ctx context.Context, actor account.Actor, accountID, sipID string, writes bool) (Account, account.Account, error) {
	acct, err := s.customer(ctx, actor, accountID, writes)
	if err != nil {
		return Account{}, acct, err
	}
	a, err := s.Store.SIPAccount(ctx, accountID, sipID)
	return a, acct, err
}

func checkDisplay(f *fault.Fields, name, email string) {
	if n := strings.TrimSpace(name); n == "" || len(n) > MaxDisplayName || !text.Visible(n) {
		f.Add("displayName", "is required: at most 64 characters, none of them control, invisible or direction-changing")
	}
	if !account.PlainEmail(email) {
		f.Add("email", "must be a plain email address")
	}
}

// Create makes a client account in status created, with generated SIP credentials.
// With a key, a retry of the same request answers with the account the first one made.
func (s *Service) Create(ctx context.Context, actor account.Actor, accountID string, req CreateRequest, key string) (Account, error) {
	if _, err := s.customer(ctx, actor, accountID, true); err != nil {
		return Account{}, err
	}
	k := idempotency.NewKey("sip", actor.AccountID, key, []any{accountID, req})
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Account, error) { return s.Get(ctx, actor, accountID, id) },
		func() (Account, error) { return s.create(ctx, actor, accountID, req, k) })
}

func (s *Service) create(ctx context.Context, actor account.Actor, accountID string, req CreateRequest, k idempotency.Key) (Account, error) {
	var f fault.Fields
	checkDisplay(&f, req.DisplayName, strings.ToLower(req.Email))
	primary, reason := phone.E164(req.PrimaryNumber)
	if reason != "" {
		f.Add("primaryNumber", reason)
	}
	secondary := ""
	if req.SecondaryNumber != "" {
		if secondary, reason = phone.E164(req.SecondaryNumber); reason != "" {
			f.Add("secondaryNumber", reason)
		} else if secondary == primary {
			f.Add("secondaryNumber", "must differ from the primary number")
		}
	}
	if err := f.Err(); err != nil {
		return Account{}, err
	}
	now := s.Now().UTC()
	id := s.NewID("sip-")
	a := Account{ID: id, AccountID: accountID, DisplayName: strings.TrimSpace(req.DisplayName), Email: strings.ToLower(req.Email),
		PrimaryNumber: primary, SecondaryNumber: secondary, Username: id, Secret: ident.NewToken(),
		DisabledAnnouncement: DefaultAnnouncement, LastStatus: Created, LastStatusDate: now, KeyVersion: 1,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := s.Store.CreateSIPAccount(ctx, a, audit.New(now, actor.UserID, audit.SIP, audit.Create, id, nil, a), k.Record(id, now)); err != nil {
		return Account{}, err
	}
	return a, nil
}

// Get returns a client account.
func (s *Service) Get(ctx context.Context, actor account.Actor, accountID, sipID string) (Account, error) {
	a, _, err := s.load(ctx, actor, accountID, sipID, false)
	return a, err
}

// List returns a page of an account's client accounts, optionally of one status.
func (s *Service) List(ctx context.Context, actor account.Actor, accountID string, f Filter, cursor string, limit int) ([]Account, string, error) {
	var bad fault.Fields
	if f.LastStatus != "" && allowed[f.LastStatus] == nil {
		bad.Add("lastStatus", "must be one of created, installation_sms_sent, installed, activation_sms_sent, activated")
	}
	account.CheckQuery(&bad, f.Query)
	if err := bad.Err(); err != nil {
		return nil, "", err
	}
	if _, err := s.customer(ctx, actor, accountID, false); err != nil {
		return nil, "", err
	}
	return s.Store.SIPAccounts(ctx, accountID, f, cursor, account.PageSize(limit))
}

// Filter picks the client accounts of a list.
type Filter struct {
	// Query is a case-insensitive prefix of a word of the display name, or of a number
	// (with or without its +).
	Query      string
	LastStatus Status
	// Enabled, when set, keeps the enabled (true) or disabled (false) accounts.
	Enabled *bool
}

// SearchTerms are what a search finds a client account by (text.SearchKey).
func (a Account) SearchTerms() []string {
	return append([]string{a.DisplayName}, text.NumberTerms(a.PrimaryNumber, a.SecondaryNumber)...)
}

// Matches reports whether a is one of the accounts f picks, as the store's search does.
func (f Filter) Matches(a Account) bool {
	return (f.LastStatus == "" || a.LastStatus == f.LastStatus) && (f.Enabled == nil || *f.Enabled == a.Enabled) &&
		strings.Contains(text.SearchKey(a.SearchTerms()...), " "+text.SearchQuery(f.Query))
}

// Update applies a patch. The virtual numbers cannot be changed: delete and re-create.
func (s *Service) Update(ctx context.Context, actor account.Actor, accountID, sipID string, p Patch) (Account, error) {
	var numbers fault.Fields
	if p.PrimaryNumber != nil {
		numbers.Add("primaryNumber", "virtual numbers cannot be edited: delete the client account and create it again")
	}
	if p.SecondaryNumber != nil {
		numbers.Add("secondaryNumber", "virtual numbers cannot be edited: delete the client account and create it again")
	}
	if err := numbers.Err(); err != nil {
		return Account{}, err
	}
	a, _, err := s.load(ctx, actor, accountID, sipID, true)
	if err != nil {
		return Account{}, err
	}
	var f fault.Fields
	if p.Version <= 0 {
		f.Add("version", "is required: send the version you read (or an If-Match header)")
	}
	next := a
	if p.DisplayName != nil {
		next.DisplayName = strings.TrimSpace(*p.DisplayName)
	}
	if p.Email != nil {
		next.Email = strings.ToLower(*p.Email)
	}
	checkDisplay(&f, next.DisplayName, next.Email)
	if p.DisabledAnnouncement != nil {
		if n := *p.DisabledAnnouncement; n == "" || len(n) > 64 || strings.ContainsAny(n, "/\\ ") {
			f.Add("disabledAnnouncement", "must name an announcement: at most 64 characters, no spaces or slashes")
		}
		next.DisabledAnnouncement = *p.DisabledAnnouncement
	}
	if err := f.Err(); err != nil {
		return Account{}, err
	}
	if p.Version != a.Version {
		return Account{}, fault.New(fault.Conflict, "the client account changed since you read it (version %d, you sent %d)", a.Version, p.Version)
	}
	next.UpdatedAt, next.Version = s.Now().UTC(), a.Version+1
	if err := s.Store.SaveSIPAccount(ctx, next, audit.New(next.UpdatedAt, actor.UserID, audit.SIP, audit.Update, sipID, a, next), nil, ""); err != nil {
		return Account{}, err
	}
	return next, nil
}

// Delete removes a client account and frees its numbers.
func (s *Service) Delete(ctx context.Context, actor account.Actor, accountID, sipID string) error {
	a, _, err := s.load(ctx, actor, accountID, sipID, true)
	if err != nil {
		return err
	}
	return s.Store.DeleteSIPAccount(ctx, a, audit.New(s.Now().UTC(), actor.UserID, audit.SIP, audit.Delete, sipID, a, nil))
}

// smsText is what the SMS templates can show.
type smsText struct {
	DisplayName, Brand, Link string
	Hours                    int
}

// SendLink sends the installation or the activation SMS with a new single-use link (the
// portal asks for confirmation; the API takes confirm: true). The number must be a mobile
// one, and each client account gets at most SMSPerHour messages an hour.
func (s *Service) SendLink(ctx context.Context, actor account.Actor, accountID, sipID string, kind Action, confirm bool) (Account, error) {
	a, acct, err := s.load(ctx, actor, accountID, sipID, true)
	if err != nil {
		return Account{}, err
	}
	if !confirm {
		return Account{}, &fault.Error{Code: fault.Invalid, Message: "confirm the SMS", Fields: []fault.FieldReason{{Field: "confirm", Reason: "must be true: an SMS goes to the customer's phone"}}}
	}
	now := s.Now().UTC()
	next, err := a.Apply(kind, now)
	if err != nil {
		return Account{}, err
	}
	if !phone.IsMobile(a.PrimaryNumber) {
		return Account{}, &fault.Error{Code: fault.Invalid, Message: "the SMS cannot be sent",
			Fields: []fault.FieldReason{{Field: "primaryNumber", Reason: "is not a mobile number: the SMS would not arrive; use a mobile virtual number"}}}
	}
	recent := a.SMSSentAt[:0:0]
	for _, t := range a.SMSSentAt {
		if now.Sub(t) < time.Hour {
			recent = append(recent, t)
		}
	}
	if len(recent) >= SMSPerHour {
		return Account{}, fault.New(fault.Throttled, "at most %d SMS an hour go to one client account; try again after %s", SMSPerHour, recent[0].Add(time.Hour).Format(time.RFC3339))
	}
	token := ident.NewToken()
	tok := &Token{Hash: ident.HashToken(token), AccountID: accountID, SIPID: sipID, Kind: Install, KeyVersion: a.KeyVersion, ExpiresAt: now.Add(LinkTTL)}
	name, path := message.SIPInstallation, "/v1/sip/install/"
	if kind == SendActivationSMS {
		tok.Kind, name, path = Activate, message.SIPActivation, "/v1/sip/activate/"
		next.ActivateTokenHash = tok.Hash
	} else {
		next.InstallTokenHash = tok.Hash
	}
	msgID, err := s.SMS.Send(ctx, a.PrimaryNumber, acct.SMSSender(), name,
		smsText{DisplayName: a.DisplayName, Brand: acct.SMSSender(), Link: strings.TrimRight(s.BaseURL, "/") + path + token, Hours: int(LinkTTL / time.Hour)})
	if err != nil {
		return Account{}, err
	}
	next.LastSMS = &SentSMS{Kind: kind, MessageID: msgID, SentAt: now}
	next.SMSSentAt = append(recent, now)
	next.Version = a.Version + 1
	if err := s.Store.SaveSIPAccount(ctx, next, audit.New(now, actor.UserID, audit.SIP, audit.Verb(kind), sipID, a, next), tok, ""); err != nil {
		// The SMS is out but its link was not stored: it will not work, and a resend is allowed.
		return Account{}, err
	}
	return next, nil
}

// Switch disables, enables or re-keys a client account.
func (s *Service) Switch(ctx context.Context, actor account.Actor, accountID, sipID string, action Action) (Account, error) {
	a, _, err := s.load(ctx, actor, accountID, sipID, true)
	if err != nil {
		return Account{}, err
	}
	if (action == Enable && a.Enabled) || (action == Disable && !a.Enabled && a.LastStatus == Activated) {
		return a, nil // already so: nothing changes, nothing is written
	}
	next, err := a.Apply(action, s.Now().UTC())
	if err != nil {
		return Account{}, err
	}
	next.Version = a.Version + 1
	if err := s.Store.SaveSIPAccount(ctx, next, audit.New(next.UpdatedAt, actor.UserID, audit.SIP, audit.Verb(action), sipID, a, next), nil, ""); err != nil {
		return Account{}, err
	}
	if action == Disable {
		s.publish(ctx, webhook.SIPDisabled, next)
	}
	return next, nil
}

// Config is the client's configuration file.
type Config struct {
	DisplayName          string `json:"displayName"`
	Username             string `json:"username"`
	Password             string `json:"password"`
	Domain               string `json:"domain"`
	Proxy                string `json:"proxy"`
	Transport            string `json:"transport"`
	PrimaryNumber        string `json:"primaryNumber"`
	SecondaryNumber      string `json:"secondaryNumber,omitempty"`
	Enabled              bool   `json:"enabled"`
	DisabledAnnouncement string `json:"disabledAnnouncement"`
	KeyVersion           int    `json:"keyVersion"`
}

// redeem checks a link token and returns it with its client account and that account's
// customer (two reads: the token, then both accounts at once). A token is good once,
// until it expires, for the kind of link it was made for, while it is the newest link of
// that kind and the account's keys have not been revoked since.
func (s *Service) redeem(ctx context.Context, token string, kind Action) (Token, Account, account.Account, error) {
	gone := fault.New(fault.NotFound, "this link is not valid: it was used, replaced by a newer one, or has expired; ask for a new SMS")
	if token == "" || len(token) > 128 {
		return Token{}, Account{}, account.Account{}, gone
	}
	tok, err := s.Store.Token(ctx, ident.HashToken(token))
	if fault.Is(err, fault.NotFound) {
		return Token{}, Account{}, account.Account{}, gone
	}
	if err != nil {
		return Token{}, Account{}, account.Account{}, err
	}
	a, customer, err := s.Store.SIPAccountWithCustomer(ctx, tok.AccountID, tok.SIPID)
	if fault.Is(err, fault.NotFound) {
		return Token{}, Account{}, account.Account{}, gone
	}
	if err != nil {
		return Token{}, Account{}, account.Account{}, err
	}
	current := a.InstallTokenHash
	if kind == Activate {
		current = a.ActivateTokenHash
	}
	if tok.Kind != kind || tok.Hash != current || tok.KeyVersion != a.KeyVersion || !s.Now().Before(tok.ExpiresAt) {
		return Token{}, Account{}, account.Account{}, gone
	}
	return tok, a, customer, nil
}

// Install serves the configuration behind an installation link and marks the account
// installed. The link works once.
func (s *Service) Install(ctx context.Context, token string) (Config, error) {
	tok, a, acct, err := s.redeem(ctx, token, Install)
	if err != nil {
		return Config{}, err
	}
	next, err := a.Apply(Install, s.Now().UTC())
	if err != nil {
		return Config{}, err
	}
	next.InstallTokenHash, next.Version = "", a.Version+1
	if err := s.Store.SaveSIPAccount(ctx, next, audit.New(next.UpdatedAt, "client:"+a.ID, audit.SIP, audit.Install, a.ID, a, next), nil, tok.Hash); err != nil {
		if fault.Is(err, fault.Conflict) {
			return Config{}, fault.New(fault.NotFound, "this link was used already")
		}
		return Config{}, err
	}
	return Config{DisplayName: a.DisplayName, Username: a.Username, Password: a.Secret, Domain: acct.Realm, Proxy: s.Proxy, Transport: "tls",
		PrimaryNumber: a.PrimaryNumber, SecondaryNumber: a.SecondaryNumber, Enabled: next.Enabled,
		DisabledAnnouncement: a.DisabledAnnouncement, KeyVersion: a.KeyVersion}, nil
}

// ActivationPage returns the client account an activation link is for, without using
// the link: opening a page must change nothing (link previews open links too).
func (s *Service) ActivationPage(ctx context.Context, token string) (Account, error) {
	_, a, _, err := s.redeem(ctx, token, Activate)
	return a, err
}

// Activate confirms an activation link: the account becomes activated and enabled.
func (s *Service) Activate(ctx context.Context, token string) (Account, error) {
	tok, a, _, err := s.redeem(ctx, token, Activate)
	if err != nil {
		return Account{}, err
	}
	next, err := a.Apply(Activate, s.Now().UTC())
	if err != nil {
		return Account{}, err
	}
	next.ActivateTokenHash, next.Version = "", a.Version+1
	if err := s.Store.SaveSIPAccount(ctx, next, audit.New(next.UpdatedAt, "client:"+a.ID, audit.SIP, audit.Activate, a.ID, a, next), nil, tok.Hash); err != nil {
		if fault.Is(err, fault.Conflict) {
			return Account{}, fault.New(fault.NotFound, "this link was used already")
		}
		return Account{}, err
	}
	s.publish(ctx, webhook.SIPActivated, next)
	return next, nil
}
