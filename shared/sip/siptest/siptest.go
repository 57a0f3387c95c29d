// Package siptest is an in-memory sip.Store for the client-account service's unit tests,
// on accounttest's store of accounts: client accounts (versions and number guards checked
// as the table does) and link tokens (consumed once).
package siptest

import (
	"context"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/sip"
)

// Store is an in-memory sip.Store; its accounts, idempotency records, audit entries and
// failures are the embedded accounttest store's.
type Store struct {
	*accounttest.Store
	SIP    map[string]sip.Account // by account ID + "/" + SIP ID
	Tokens map[string]sip.Token   // by hash
}

// NewStore returns a store holding the customer accounts.
func NewStore(customers ...account.Account) *Store {
	return &Store{Store: accounttest.New(customers...), SIP: map[string]sip.Account{}, Tokens: map[string]sip.Token{}}
}

var _ sip.Store = (*Store)(nil)

// SIPAccount implements sip.Store.
func (s *Store) SIPAccount(_ context.Context, accountID, sipID string) (sip.Account, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SIPAccount"); err != nil {
		return sip.Account{}, err
	}
	a, ok := s.SIP[accountID+"/"+sipID]
	if !ok {
		return a, fault.New(fault.NotFound, "no such client account")
	}
	return a, nil
}

// SIPAccountWithCustomer implements sip.Store.
func (s *Store) SIPAccountWithCustomer(ctx context.Context, accountID, sipID string) (sip.Account, account.Account, error) {
	a, err := s.SIPAccount(ctx, accountID, sipID)
	if err != nil {
		return a, account.Account{}, err
	}
	c, err := s.Store.Account(ctx, accountID)
	return a, c, err
}

// SIPAccounts implements sip.Store: one page of what f matches.
func (s *Store) SIPAccounts(_ context.Context, accountID string, f sip.Filter, _ string, limit int) ([]sip.Account, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SIPAccounts"); err != nil {
		return nil, "", err
	}
	var out []sip.Account
	for _, a := range s.SIP {
		if a.AccountID == accountID && f.Matches(a) && len(out) < limit {
			out = append(out, a)
		}
	}
	return out, "", nil
}

// CreateSIPAccount implements sip.Store: Conflict when a number is held already.
func (s *Store) CreateSIPAccount(_ context.Context, a sip.Account, entry audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("CreateSIPAccount"); err != nil {
		return err
	}
	for _, held := range s.SIP {
		for _, n := range []string{held.PrimaryNumber, held.SecondaryNumber} {
			if n != "" && (n == a.PrimaryNumber || n == a.SecondaryNumber) {
				return fault.New(fault.Conflict, "the number %s is in use", n)
			}
		}
	}
	s.SIP[a.AccountID+"/"+a.ID] = a
	s.Keep(idem)
	s.Wrote(entry)
	return nil
}

// SaveSIPAccount implements sip.Store: the stored copy must have version a.Version-1, and
// a consumed token must still be there.
func (s *Store) SaveSIPAccount(_ context.Context, a sip.Account, entry audit.Entry, issue *sip.Token, consume string) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SaveSIPAccount"); err != nil {
		return err
	}
	key := a.AccountID + "/" + a.ID
	if held, ok := s.SIP[key]; !ok || held.Version != a.Version-1 {
		return fault.New(fault.Conflict, "the client account changed")
	}
	if consume != "" {
		if _, ok := s.Tokens[consume]; !ok {
			return fault.New(fault.Conflict, "the token was used")
		}
		delete(s.Tokens, consume)
	}
	if issue != nil {
		s.Tokens[issue.Hash] = *issue
	}
	s.SIP[key] = a
	s.Wrote(entry)
	return nil
}

// DeleteSIPAccount implements sip.Store.
func (s *Store) DeleteSIPAccount(_ context.Context, a sip.Account, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("DeleteSIPAccount"); err != nil {
		return err
	}
	key := a.AccountID + "/" + a.ID
	if held, ok := s.SIP[key]; !ok || held.Version != a.Version {
		return fault.New(fault.Conflict, "the client account changed")
	}
	delete(s.SIP, key)
	s.Wrote(entry)
	return nil
}

// Token implements sip.Store.
func (s *Store) Token(_ context.Context, hash string) (sip.Token, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Token"); err != nil {
		return sip.Token{}, err
	}
	t, ok := s.Tokens[hash]
	if !ok {
		return t, fault.New(fault.NotFound, "no such token")
	}
	return t, nil
}

// Bindings implements sip.Store; the fake keeps none.
func (s *Store) Bindings(context.Context, string) ([]sip.Binding, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return nil, s.Failed("Bindings")
}
