package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

// publishedKeys is the table's token keys item, counting its reads.
type publishedKeys struct {
	set   KeySet
	err   error
	reads int
}

func (p *publishedKeys) TokenKeys(context.Context) (KeySet, error) {
	p.reads++
	return p.set, p.err
}

// members are the users of the table, counting reads.
type members struct {
	byID  map[string]account.Member
	reads int
}

func (m *members) Member(_ context.Context, accountID, userID string) (account.Member, error) {
	m.reads++
	u, ok := m.byID[accountID+"/"+userID]
	if !ok {
		return account.Member{}, fault.New(fault.NotFound, "no such user")
	}
	return u, nil
}

type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

// authFixture is an authenticator with one published key and one user, and that user's
// token.
type authFixture struct {
	clock   *clock
	signer  *Signer
	keys    *publishedKeys
	members *members
	auth    *Authenticator
	user    account.Member
	token   string
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	c := &clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s := signerAt(t, seed, c.now)
	s.Now = c.Now
	u := account.Member{ID: "usr-1", AccountID: "acc-1", Role: account.TenantAdmin, SessionEpoch: 2}
	f := &authFixture{clock: c, signer: s, user: u,
		keys:    &publishedKeys{set: KeySet{Current: s.Public, RotatedAt: c.now, Version: 1}},
		members: &members{byID: map[string]account.Member{"acc-1/usr-1": u}}}
	f.auth = &Authenticator{Keys: f.keys, Members: f.members, Now: c.Now, CacheTTL: DefaultCacheTTL}
	f.token = f.issue(t, s)
	return f
}

func (f *authFixture) issue(t *testing.T, s *Signer) string {
	t.Helper()
	tok, _, err := s.Issue(Caller{UserID: f.user.ID, AccountID: f.user.AccountID, Role: f.user.Role, Epoch: f.user.SessionEpoch}, "tok-1")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *authFixture) authenticate(token string) (Caller, error) {
	return f.auth.Authenticate(context.Background(), "Bearer "+token)
}

func TestAWarmAuthenticatorMakesNoReads(t *testing.T) {
	f := newAuthFixture(t)
	for range 3 {
		got, err := f.authenticate(f.token)
		if err != nil || got.UserID != "usr-1" || got.AccountID != "acc-1" || got.Role != account.TenantAdmin {
			t.Fatalf("got %+v, %v", got, err)
		}
	}
	if f.keys.reads != 1 || f.members.reads != 1 {
		t.Fatalf("three requests read the keys %d times and the user %d times, want once each", f.keys.reads, f.members.reads)
	}
	f.clock.advance(DefaultCacheTTL)
	if _, err := f.authenticate(f.token); err != nil || f.members.reads != 2 || f.keys.reads != 1 {
		t.Fatalf("after the user cache's life: %v, user read %d times, keys %d", err, f.members.reads, f.keys.reads)
	}
	f.clock.advance(KeysTTL)
	if _, err := f.authenticate(f.token); err != nil || f.keys.reads != 2 {
		t.Fatalf("after the keys' life: %v, keys read %d times", err, f.keys.reads)
	}
}

func TestARequestWithoutABearerTokenIsChallenged(t *testing.T) {
	f := newAuthFixture(t)
	for _, header := range []string{"", "Bearer", "Bearer   ", "Basic " + f.token, f.token} {
		if _, err := f.auth.Authenticate(context.Background(), header); !errors.Is(err, ErrNoToken) {
			t.Errorf("%q: got %v, want ErrNoToken", header, err)
		}
	}
	if f.keys.reads+f.members.reads != 0 {
		t.Fatal("a request without a token read the table")
	}
}

func TestTheUserBehindATokenIsCheckedEachCacheLife(t *testing.T) {
	for name, change := range map[string]func(*account.Member){
		"deleted":             nil,
		"inactive":            func(m *account.Member) { m.Inactive = true },
		"given another role":  func(m *account.Member) { m.Role = account.User },
		"credentials changed": func(m *account.Member) { m.CredentialsChanged() },
	} {
		t.Run(name, func(t *testing.T) {
			f := newAuthFixture(t)
			if _, err := f.authenticate(f.token); err != nil {
				t.Fatal(err)
			}
			if change == nil {
				delete(f.members.byID, "acc-1/usr-1")
			} else {
				u := f.user
				change(&u)
				f.members.byID["acc-1/usr-1"] = u
			}
			f.clock.advance(DefaultCacheTTL)
			_, err := f.authenticate(f.token)
			if !fault.Is(err, fault.Unauthorized) || !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("got %v, want an invalid token", err)
			}
		})
	}
}

// A token issued after a change the cache has not seen yet (the user signed in again in
// a new role) is let in at once: the user is read again, and tokens issued before that
// read never read it.
func TestATokenNewerThanTheCachedUserReadsItAgain(t *testing.T) {
	f := newAuthFixture(t)
	if _, err := f.authenticate(f.token); err != nil {
		t.Fatal(err)
	}
	old := f.token
	f.user.Role = account.User
	f.members.byID["acc-1/usr-1"] = f.user
	f.clock.advance(2 * time.Second) // the new token is issued after the cached copy was read
	reads := f.members.reads
	if _, err := f.authenticate(f.issue(t, f.signer)); err != nil || f.members.reads != reads+1 {
		t.Fatalf("a token of the new role: %v, %d reads", err, f.members.reads-reads)
	}
	for range 3 { // the old role's token: refused, with no read while the copy is fresh
		if _, err := f.authenticate(old); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("a token of the old role: %v", err)
		}
	}
	if f.members.reads != reads+1 {
		t.Fatalf("old tokens read the user %d more times", f.members.reads-reads-1)
	}
}

func TestAnUnknownKidRereadsTheKeysAtMostOnceASecond(t *testing.T) {
	f := newAuthFixture(t)
	if _, err := f.authenticate(f.token); err != nil {
		t.Fatal(err)
	}
	stranger := f.issue(t, signerAt(t, seed+"-stranger", f.clock.now))
	for range 5 {
		if _, err := f.authenticate(stranger); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("a token of an unpublished key: %v", err)
		}
	}
	if f.keys.reads != 1 {
		t.Fatalf("five tokens naming an unknown kid read the keys %d more times within a second", f.keys.reads-1)
	}
	f.clock.advance(time.Second)
	_, _ = f.authenticate(stranger)
	if f.keys.reads != 2 {
		t.Fatalf("a second later the keys were read %d times in all, want 2", f.keys.reads)
	}
}

func TestARotationKeepsBothKeysForItsGrace(t *testing.T) {
	f := newAuthFixture(t)
	if _, err := f.authenticate(f.token); err != nil {
		t.Fatal(err)
	}
	// The secret is rotated: the sign-in function publishes its new key, then signs.
	f.clock.advance(2 * time.Second)
	next := signerAt(t, seed+"-next", f.clock.now)
	next.Now = f.clock.Now
	rotatedAt := f.clock.now
	f.keys.set, _ = f.keys.set.Publish(next.Public, rotatedAt)
	fresh := f.issue(t, next)
	if _, err := f.authenticate(fresh); err != nil {
		t.Fatalf("a token of the new key, while the old set was cached: %v", err)
	}
	f.clock.advance(TokenTTL - 3*time.Second) // the old token is still within its life...
	if _, err := f.authenticate(f.token); err != nil {
		t.Fatalf("a token of the previous key during the grace: %v", err)
	}
	late := f.issue(t, f.signer)               // ...and a warm sign-in function may still sign with it
	f.clock.now = rotatedAt.Add(RotationGrace) // still within the late token's life
	if _, err := f.authenticate(late); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("a token of the previous key after the grace: %v", err)
	}
	if _, err := f.authenticate(f.issue(t, next)); err != nil {
		t.Fatalf("a token of the current key: %v", err)
	}
}

func TestAStoreOutageIsUnavailableNotUnauthorized(t *testing.T) {
	f := newAuthFixture(t)
	f.keys.err = fault.New(fault.Unavailable, "the data store is unavailable")
	if _, err := f.authenticate(f.token); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("keys unreadable: %v", err)
	}
	f.keys.err = nil
	f.auth.Members = failingMembers{}
	if _, err := f.authenticate(f.token); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("user unreadable: %v", err)
	}
}

type failingMembers struct{}

func (failingMembers) Member(context.Context, string, string) (account.Member, error) {
	return account.Member{}, fault.New(fault.Unavailable, "the data store is unavailable")
}

func TestKeySetRotationOnlyMovesForward(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a, b, c := PublicKey{ID: "a"}, PublicKey{ID: "b"}, PublicKey{ID: "c"}
	first, changed := KeySet{}.Publish(a, now)
	if !changed || first.Current.ID != "a" || first.Previous != nil || first.Version != 1 {
		t.Fatalf("first key: %+v %v", first, changed)
	}
	second, changed := first.Publish(b, now.Add(time.Hour))
	if !changed || second.Current.ID != "b" || second.Previous.ID != "a" || second.Version != 2 || !second.RotatedAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("rotation: %+v %v", second, changed)
	}
	for _, k := range []PublicKey{a, b} { // the warm instance that still has a, and b again
		if again, changed := second.Publish(k, now.Add(2*time.Hour)); changed || again.Current.ID != "b" {
			t.Fatalf("publishing %s again changed the set: %+v", k.ID, again)
		}
	}
	third, _ := second.Publish(c, now.Add(3*time.Hour))
	if third.Current.ID != "c" || third.Previous.ID != "b" {
		t.Fatalf("a second rotation: %+v", third)
	}
	if _, ok := third.Key("a", now.Add(3*time.Hour)); ok {
		t.Fatal("a key two rotations old still verifies")
	}
	if _, ok := third.Key("", now); ok {
		t.Fatal("a token without a kid found a key")
	}
}
