package auth

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

// MemberReader is what the authorizer reads: the user behind a token.
type MemberReader interface {
	// Member returns a user of an account; NotFound when there is none.
	Member(ctx context.Context, accountID, userID string) (account.Member, error)
}

// Authorizer decides, for API Gateway, whether a request's bearer token may call the API.
// Besides the token itself it checks the user still exists, is not locked and has the
// role the token claims. Users are cached for CacheTTL, so a warm authorizer makes no AWS
// call per request; a deleted or locked user is refused within CacheTTL.
type Authorizer struct {
	Keys     KeySource
	Members  MemberReader
	Now      func() time.Time
	CacheTTL time.Duration

	mu    sync.Mutex
	cache map[string]cachedMember
}

type cachedMember struct {
	member account.Member
	until  time.Time
}

// DefaultCacheTTL is how long the authorizer trusts what it read about a user.
const DefaultCacheTTL = 30 * time.Second

// Authorize returns the caller of an Authorization header value ("Bearer <token>").
// Every refusal is the same Unauthorized error; the reason is only logged by the caller.
func (a *Authorizer) Authorize(ctx context.Context, header string) (account.Actor, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return account.Actor{}, fault.New(fault.Unauthorized, "send Authorization: Bearer <token>")
	}
	keys, err := a.Keys(ctx)
	if err != nil {
		return account.Actor{}, err
	}
	caller, err := keys.Verify(strings.TrimSpace(token))
	if err != nil {
		return account.Actor{}, fault.Wrap(fault.Unauthorized, err, "the token is not valid")
	}
	m, err := a.member(ctx, caller)
	if fault.Is(err, fault.NotFound) {
		return account.Actor{}, fault.New(fault.Unauthorized, "the token's user no longer exists")
	}
	if err != nil {
		return account.Actor{}, err
	}
	if m.Locked(a.Now()) || m.Role != caller.Role {
		return account.Actor{}, fault.New(fault.Unauthorized, "the token's user is locked or has another role now")
	}
	if m.SessionEpoch != caller.Epoch {
		return account.Actor{}, fault.New(fault.Unauthorized, "the token was issued before the user's credentials changed")
	}
	return caller, nil
}

func (a *Authorizer) member(ctx context.Context, c account.Actor) (account.Member, error) {
	cacheKey := c.AccountID + "/" + c.UserID
	now := a.Now()
	a.mu.Lock()
	hit, ok := a.cache[cacheKey]
	a.mu.Unlock()
	if ok && now.Before(hit.until) {
		return hit.member, nil
	}
	m, err := a.Members.Member(ctx, c.AccountID, c.UserID)
	if err != nil {
		return m, err
	}
	a.mu.Lock()
	if a.cache == nil {
		a.cache = map[string]cachedMember{}
	}
	a.cache[cacheKey] = cachedMember{member: m, until: now.Add(a.CacheTTL)}
	a.mu.Unlock()
	return m, nil
}
