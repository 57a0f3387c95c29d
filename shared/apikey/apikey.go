// Package apikey is the machines' credentials (docs/auth.md, "API keys"): the switch,
// the billing system and the registrar call the API with a long-lived key scoped to one
// job and to an account's subtree, shown once and kept only as a hash. Keys are rotated
// without downtime (the old key stays valid for a grace period) and revoked at once.
package apikey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/text"
)

// Job is the one thing a key may do; each job acts in a role of its own.
type Job string

// The jobs (docs/auth.md).
const (
	// SwitchJob posts call records (POST /v1/call-records).
	SwitchJob Job = "switch"
	// BillingJob reads invoices and acknowledges what it imported.
	BillingJob Job = "billing"
	// RegistrarJob reports softphone registrations.
	RegistrarJob Job = "registrar"
)

// Jobs lists every job.
var Jobs = []Job{SwitchJob, BillingJob, RegistrarJob}

// Role is the role a key of the job acts in.
func (j Job) Role() account.Role {
	return map[Job]account.Role{SwitchJob: account.Switch, BillingJob: account.Billing, RegistrarJob: account.Registrar}[j]
}

// Rotation grace periods: how long a rotated key keeps working beside its successor.
const (
	DefaultGrace = 24 * time.Hour
	MaxGrace     = 7 * 24 * time.Hour
)

// Prefix starts every key, so a key is told from a sign-in token at a glance (and by
// secret scanners).
const Prefix = "pvk_"

// Key is an API key. Its secret is never kept: SecretHash is its SHA-256 (a key is 160
// random bits, so a fast hash is as safe as a slow one and keeps each request cheap).
type Key struct {
	ID         string
	AccountID  string // the root of the subtree the key acts in
	Job        Job
	Name       string
	SecretHash string
	CreatedAt  time.Time
	CreatedBy  string
	LastUsedAt time.Time
	// ExpiresAt is when a rotated key stops working; zero for a key that does not expire.
	ExpiresAt  time.Time
	RevokedAt  time.Time
	ReplacedBy string
	Version    int
}

// Valid reports whether the key may be used at now.
func (k Key) Valid(now time.Time) bool {
	return k.RevokedAt.IsZero() && (k.ExpiresAt.IsZero() || now.Before(k.ExpiresAt))
}

// AuditForm implements audit.Audited: the key as its view shows it, without the hash.
func (k Key) AuditForm() any {
	return struct {
		Job        Job       `json:"job"`
		Name       string    `json:"name"`
		AccountID  string    `json:"accountId"`
		ExpiresAt  time.Time `json:"expiresAt,omitzero"`
		RevokedAt  time.Time `json:"revokedAt,omitzero"`
		ReplacedBy string    `json:"replacedBy,omitempty"`
	}{k.Job, k.Name, k.AccountID, k.ExpiresAt, k.RevokedAt, k.ReplacedBy}
}

// Hash is the stored form of a secret.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Matches reports whether secret is the key's, in constant time.
func (k Key) Matches(secret string) bool {
	return subtle.ConstantTimeCompare([]byte(Hash(secret)), []byte(k.SecretHash)) == 1
}

// Parse splits a presented key into its ID and the whole secret; ok is false when it is
// not shaped like a key.
func Parse(secret string) (id string, ok bool) {
	rest, found := strings.CutPrefix(secret, Prefix)
	if !found {
		return "", false
	}
	id, _, found = strings.Cut(rest, "_")
	return id, found && id != ""
}

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newSecret returns a key's secret for id: the prefix, the ID and 160 random bits.
func newSecret(id string) (string, error) {
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not make a key")
	}
	return Prefix + id + "_" + strings.ToLower(encoding.EncodeToString(raw)), nil
}

// Store keeps keys.
type Store interface {
	account.Reader
	// APIKey returns a key; NotFound when there is none.
	APIKey(ctx context.Context, id string) (Key, error)
	// APIKeys returns the keys of an account, oldest first.
	APIKeys(ctx context.Context, accountID string) ([]Key, error)
	// SaveAPIKeys writes each key, new (version 1) or over the stored version-1, with the
	// audit entries, in one transaction; Conflict when one changed meanwhile.
	SaveAPIKeys(ctx context.Context, keys []Key, entries []audit.Entry) error
	// TouchAPIKey records a key's last use.
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
}

// Service manages keys.
type Service struct {
	Store Store
	Now   func() time.Time
	NewID func(prefix string) string
}

// Issued is a new key and its secret, which is shown this once.
type Issued struct {
	Key    Key
	Secret string
}

// mayManage checks the actor may manage the keys of accountID: provider and reseller
// administrators, in their own subtree.
func (s *Service) mayManage(ctx context.Context, actor account.Actor, accountID string) error {
	if actor.Role != account.ProviderAdmin && actor.Role != account.ResellerAdmin {
		return fault.New(fault.Forbidden, "only provider and reseller administrators manage API keys")
	}
	_, err := account.Load(ctx, s.Store, actor, accountID, true)
	return err
}

// issue makes a key of job for accountID.
func (s *Service) issue(actor account.Actor, accountID string, job Job, name string) (Issued, error) {
	k := Key{ID: s.NewID("key-"), AccountID: accountID, Job: job, Name: name, CreatedAt: s.Now().UTC(), CreatedBy: actor.UserID, Version: 1}
	secret, err := newSecret(k.ID)
	k.SecretHash = Hash(secret)
	return Issued{Key: k, Secret: secret}, err
}

// Create issues a key for one job, acting in accountID's subtree.
func (s *Service) Create(ctx context.Context, actor account.Actor, accountID string, job Job, name string) (Issued, error) {
	name, err := checkNew(job, name)
	if err != nil {
		return Issued{}, err
	}
	if err := s.mayManage(ctx, actor, accountID); err != nil {
		return Issued{}, err
	}
	return s.save(ctx, actor, accountID, job, name)
}

// Provision issues a key for the one-off bootstrap of a deployment (the switch's first
// key), outside the API: the system is its author.
func (s *Service) Provision(ctx context.Context, accountID string, job Job, name string) (Issued, error) {
	name, err := checkNew(job, name)
	if err != nil {
		return Issued{}, err
	}
	return s.save(ctx, account.Actor{UserID: "system:bootstrap"}, accountID, job, name)
}

// save issues and writes a key with its audit entry.
func (s *Service) save(ctx context.Context, actor account.Actor, accountID string, job Job, name string) (Issued, error) {
	made, err := s.issue(actor, accountID, job, name)
	if err != nil {
		return Issued{}, err
	}
	entry := audit.New(made.Key.CreatedAt, actor.UserID, audit.APIKey, audit.Create, made.Key.ID, nil, made.Key)
	return made, s.Store.SaveAPIKeys(ctx, []Key{made.Key}, []audit.Entry{entry})
}

// checkNew validates a new key's job and name, and returns the name trimmed.
func checkNew(job Job, name string) (string, error) {
	var f fault.Fields
	if !slices.Contains(Jobs, job) {
		f.Add("job", fmt.Sprintf("must be one of %v", Jobs))
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 64 || !text.Visible(name) {
		f.Add("name", "is required: at most 64 characters, none of them control, invisible or direction-changing")
	}
	return name, f.Err()
}

// List returns an account's keys, revoked and expired ones included (they show when).
func (s *Service) List(ctx context.Context, actor account.Actor, accountID string) ([]Key, error) {
	if err := s.mayManage(ctx, actor, accountID); err != nil {
		return nil, err
	}
	return s.Store.APIKeys(ctx, accountID)
}

// key reads one key of accountID for someone who may manage it; a key of another
// account is NotFound.
func (s *Service) key(ctx context.Context, actor account.Actor, accountID, id string) (Key, error) {
	if err := s.mayManage(ctx, actor, accountID); err != nil {
		return Key{}, err
	}
	k, err := s.Store.APIKey(ctx, id)
	if err == nil && k.AccountID != accountID {
		return Key{}, fault.New(fault.NotFound, "no such API key")
	}
	return k, err
}

// Rotate issues a successor of a valid key, with its job and scope; the old key keeps
// working for grace (DefaultGrace when zero, at most MaxGrace), so the machine can move
// to the new one without downtime.
func (s *Service) Rotate(ctx context.Context, actor account.Actor, accountID, id string, grace time.Duration) (Issued, error) {
	if grace == 0 {
		grace = DefaultGrace
	}
	if grace < 0 || grace > MaxGrace {
		return Issued{}, &fault.Error{Code: fault.Invalid, Message: "some fields are invalid",
			Fields: []fault.FieldReason{{Field: "graceSeconds", Reason: fmt.Sprintf("must be 1 to %d seconds", int(MaxGrace.Seconds()))}}}
	}
	old, err := s.key(ctx, actor, accountID, id)
	if err != nil {
		return Issued{}, err
	}
	now := s.Now().UTC()
	if !old.Valid(now) || old.ReplacedBy != "" {
		return Issued{}, fault.New(fault.Conflict, "the key is revoked, expired or rotated already; create a new one")
	}
	made, err := s.issue(actor, accountID, old.Job, old.Name)
	if err != nil {
		return Issued{}, err
	}
	next := old
	next.ExpiresAt, next.ReplacedBy, next.Version = now.Add(grace), made.Key.ID, old.Version+1
	entries := []audit.Entry{
		audit.New(now, actor.UserID, audit.APIKey, audit.Create, made.Key.ID, nil, made.Key),
		audit.New(now, actor.UserID, audit.APIKey, audit.Rotate, old.ID, old, next),
	}
	return made, s.Store.SaveAPIKeys(ctx, []Key{made.Key, next}, entries)
}

// Revoke stops a key at once (within the token check's cache, 30 seconds, on a function
// that checked it moments before). Revoking a revoked key changes nothing.
func (s *Service) Revoke(ctx context.Context, actor account.Actor, accountID, id string) (Key, error) {
	old, err := s.key(ctx, actor, accountID, id)
	if err != nil || !old.RevokedAt.IsZero() {
		return old, err
	}
	now := s.Now().UTC()
	next := old
	next.RevokedAt, next.Version = now, old.Version+1
	return next, s.Store.SaveAPIKeys(ctx, []Key{next}, []audit.Entry{audit.New(now, actor.UserID, audit.APIKey, audit.Revoke, id, old, next)})
}
