// Package authtest is an in-memory auth.Store for the sign-in service's unit tests, on
// accounttest's store of accounts and users: sign-in names, reset tokens, throttles and
// the published token keys.
package authtest

import (
	"context"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
)

// Store is an in-memory auth.Store. A user signs in with its account's domain (or realm)
// and its user name.
type Store struct {
	*accounttest.Store
	Resets    map[string]auth.Reset
	Throttles map[string]auth.Throttle
	Keys      auth.KeySet
}

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store {
	return &Store{Store: accounttest.New(accounts...), Resets: map[string]auth.Reset{}, Throttles: map[string]auth.Throttle{}}
}

var _ auth.Store = (*Store)(nil)

// MemberByLogin implements auth.Store.
func (s *Store) MemberByLogin(_ context.Context, domain, username string) (account.Member, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("MemberByLogin"); err != nil {
		return account.Member{}, err
	}
	for _, m := range s.Users {
		a := s.Accounts[m.AccountID]
		if (a.Domain == domain || a.Realm == domain) && strings.EqualFold(m.Username, username) {
			return m, nil
		}
	}
	return account.Member{}, fault.New(fault.NotFound, "no such user")
}

// PutReset implements auth.Store.
func (s *Store) PutReset(_ context.Context, r auth.Reset) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.Resets[r.TokenHash] = r
	return nil
}

// Reset implements auth.Store.
func (s *Store) Reset(_ context.Context, hash string) (auth.Reset, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	r, ok := s.Resets[hash]
	if !ok {
		return r, fault.New(fault.NotFound, "no such reset")
	}
	return r, nil
}

// CompleteReset implements auth.Store: Conflict when the token was used meanwhile.
func (s *Store) CompleteReset(_ context.Context, hash string, m account.Member, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if _, ok := s.Resets[hash]; !ok {
		return fault.New(fault.Conflict, "the reset was used")
	}
	if err := s.Replace(m); err != nil {
		return err
	}
	delete(s.Resets, hash)
	s.Wrote(entry)
	return nil
}

// Throttle implements auth.Store.
func (s *Store) Throttle(_ context.Context, key string) (auth.Throttle, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Throttle"); err != nil {
		return auth.Throttle{}, err
	}
	return s.Throttles[key], nil
}

// RecordFailure implements auth.Store: a failure after the window ended starts a new count.
func (s *Store) RecordFailure(_ context.Context, key string, now, until time.Time) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	th := s.Throttles[key]
	if !now.Before(th.Until) {
		th.Failures = 0
	}
	th.Failures++
	th.Until = until
	s.Throttles[key] = th
	return nil
}

// ClearFailures implements auth.Store.
func (s *Store) ClearFailures(_ context.Context, key string) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	delete(s.Throttles, key)
	return nil
}

// TokenKeys implements auth.KeyReader.
func (s *Store) TokenKeys(context.Context) (auth.KeySet, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.Keys, s.Failed("TokenKeys")
}

// SaveTokenKeys implements auth.Store: version-checked.
func (s *Store) SaveTokenKeys(_ context.Context, ks auth.KeySet) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if ks.Version != s.Keys.Version+1 {
		return fault.New(fault.Conflict, "the keys changed")
	}
	s.Keys = ks
	return nil
}
