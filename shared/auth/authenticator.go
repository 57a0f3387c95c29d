package auth

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/fault"
)

// MemberReader reads the user behind a token.
type MemberReader interface {
	// Member returns a user of an account; NotFound when there is none.
	Member(ctx context.Context, accountID, userID string) (account.Member, error)
}

// KeyReader reads the published token keys.
type KeyReader interface {
	// TokenKeys returns the published keys, read consistently; an empty set when none
	// are published yet.
	TokenKeys(ctx context.Context) (KeySet, error)
}

// Cache lifetimes of an Authenticator.
const (
	// DefaultCacheTTL is how long what was read about a user is trusted: a deleted or
	// locked user is refused within it.
	DefaultCacheTTL = 30 * time.Second
	// KeysTTL is how long the published keys are trusted: a key withdrawn by hand
	// (docs/auth.md) stops verifying within it.
	KeysTTL = 5 * time.Minute
	// keysRereadEvery bounds the reads a token naming an unknown kid causes: at most one
	// a second, however many such tokens arrive.
	keysRereadEvery = time.Second
)

// ErrNoToken is the refusal of a request that carries no bearer token at all.
var ErrNoToken = &fault.Error{Code: fault.Unauthorized, Message: "sign in and send Authorization: Bearer <token>"}

// APIKeyReader reads the machines' API keys.
type APIKeyReader interface {
	// APIKey returns a key; NotFound when there is none.
	APIKey(ctx context.Context, id string) (apikey.Key, error)
}

// APIKeyUse records when a key was last used.
type APIKeyUse interface {
	// TouchAPIKey records that key id was used at at.
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
}

// KeyUseEvery is how often an instance records a key's last use: at most one write a
// minute per key, however many requests the key makes.
const KeyUseEvery = time.Minute

// Authenticator verifies a request's bearer token inside each protected function, with
// only the public keys. Besides the token itself it checks the user still exists, is not
// locked, has the role the token claims and has not changed credentials since. Warm, it
// makes no AWS call per request: users are cached for CacheTTL and keys for KeysTTL.
//
// A bearer that starts with apikey.Prefix is an API key instead: read by its ID (cached
// for CacheTTL as users are), compared by hash, and acting in its job's role in its
// account's subtree. Functions of the machines' routes record its last use (KeyUse).
type Authenticator struct {
	Keys     KeyReader
	Members  MemberReader
	APIKeys  APIKeyReader
	KeyUse   APIKeyUse // nil: the function records no use
	Now      func() time.Time
	CacheTTL time.Duration

	mu      sync.Mutex
	members map[string]cachedMember
	apiKeys map[string]cachedAPIKey
	keys    KeySet
	keysAt  time.Time
}

type cachedAPIKey struct {
	key         apikey.Key
	until, used time.Time
}

type cachedMember struct {
	member        account.Member
	readAt, until time.Time
}

// Authenticate returns the caller of an Authorization header value ("Bearer <token>").
// A request without a bearer token is ErrNoToken; every other refusal is Unauthorized
// and wraps ErrInvalidToken, with the reason for the logs only.
func (a *Authenticator) Authenticate(ctx context.Context, header string) (Caller, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return Caller{}, ErrNoToken
	}
	if id, ok := apikey.Parse(token); ok {
		return a.apiKey(ctx, id, token)
	}
	caller, issued, err := Verify(token, a.Now, func(kid string) (ed25519.PublicKey, error) { return a.key(ctx, kid) })
	if err != nil {
		return Caller{}, refusal(err, "the token is not valid")
	}
	m, err := a.member(ctx, caller, time.Time{})
	if err == nil && (m.Role != caller.Role || m.SessionEpoch != caller.Epoch) {
		// The cached copy may be older than the change the token was issued after (a new
		// role, a new password): read it again if it was read before the token was issued.
		// A token older than the copy never reads.
		m, err = a.member(ctx, caller, issued)
	}
	if fault.Is(err, fault.NotFound) {
		return Caller{}, refusal(ErrInvalidToken, "the token's user no longer exists")
	}
	if err != nil {
		return Caller{}, err
	}
	if !m.MaySignIn() || m.Role != caller.Role {
		return Caller{}, refusal(ErrInvalidToken, "the token's user is inactive, disabled or has another role now")
	}
	if m.SessionEpoch != caller.Epoch {
		return Caller{}, refusal(ErrInvalidToken, "the token was issued before the user's credentials changed")
	}
	return caller, nil
}

// refusal is an invalid token's error, unless err is not about the token (the store did
// not answer), which is returned as it is.
func refusal(err error, message string) error {
	if !errors.Is(err, ErrInvalidToken) {
		return err
	}
	return fault.Wrap(fault.Unauthorized, err, message)
}

// key returns the public key named kid from the cached set, reading the set again when
// it is older than KeysTTL, or when kid is unknown (a rotation just published it).
func (a *Authenticator) key(ctx context.Context, kid string) (ed25519.PublicKey, error) {
	now := a.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	fresh := !a.keysAt.IsZero() && now.Sub(a.keysAt) < KeysTTL
	if k, ok := a.keys.Key(kid, now); ok && fresh {
		return k, nil
	}
	if !fresh || now.Sub(a.keysAt) >= keysRereadEvery {
		ks, err := a.Keys.TokenKeys(ctx)
		if err != nil {
			return nil, err
		}
		a.keys, a.keysAt = ks, now
	}
	if k, ok := a.keys.Key(kid, now); ok {
		return k, nil
	}
	return nil, fmt.Errorf("%w: no published key %q", ErrInvalidToken, kid)
}

// member returns the caller's user, cached for CacheTTL and read again when the cached
// copy may have been read before newerThan (a second's precision).
func (a *Authenticator) member(ctx context.Context, c Caller, newerThan time.Time) (account.Member, error) {
	cacheKey := c.AccountID + "/" + c.UserID
	now := a.Now()
	a.mu.Lock()
	hit, ok := a.members[cacheKey]
	a.mu.Unlock()
	// A token's issue time has whole seconds: a copy read within the second it names may
	// be older than the token.
	if ok && now.Before(hit.until) && hit.readAt.Truncate(time.Second).After(newerThan) {
		return hit.member, nil
	}
	m, err := a.Members.Member(ctx, c.AccountID, c.UserID)
	if err != nil {
		return m, err
	}
	a.mu.Lock()
	if a.members == nil {
		a.members = map[string]cachedMember{}
	}
	a.members[cacheKey] = cachedMember{member: m, readAt: now, until: now.Add(a.CacheTTL)}
	a.mu.Unlock()
	return m, nil
}

// apiKey returns the caller of API key id presented as secret.
func (a *Authenticator) apiKey(ctx context.Context, id, secret string) (Caller, error) {
	if a.APIKeys == nil {
		return Caller{}, refusal(ErrInvalidToken, "this function takes no API keys")
	}
	now := a.Now()
	a.mu.Lock()
	hit, ok := a.apiKeys[id]
	a.mu.Unlock()
	if !ok || !now.Before(hit.until) {
		k, err := a.APIKeys.APIKey(ctx, id)
		if fault.Is(err, fault.NotFound) {
			return Caller{}, refusal(ErrInvalidToken, "no such API key")
		}
		if err != nil {
			return Caller{}, err
		}
		used := hit.used // what this instance recorded may be newer than the stored copy
		if k.LastUsedAt.After(used) {
			used = k.LastUsedAt
		}
		hit = cachedAPIKey{key: k, until: now.Add(a.CacheTTL), used: used}
	}
	k := hit.key
	if !k.Matches(secret) || !k.Valid(now) {
		return Caller{}, refusal(ErrInvalidToken, "the API key is not valid, revoked or expired")
	}
	if a.KeyUse != nil && now.Sub(hit.used) >= KeyUseEvery {
		// Best effort: a key that worked is not refused because its use went unrecorded;
		// the next request past KeyUseEvery tries again.
		if a.KeyUse.TouchAPIKey(ctx, id, now) == nil {
			hit.used = now
		}
	}
	a.mu.Lock()
	if a.apiKeys == nil {
		a.apiKeys = map[string]cachedAPIKey{}
	}
	a.apiKeys[id] = hit
	a.mu.Unlock()
	return Caller{UserID: k.ID, AccountID: k.AccountID, Role: k.Job.Role()}, nil
}

type callerKey struct{}

// WithCaller returns ctx carrying the authenticated caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller an Authenticator put in ctx, if any.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
