// Package siptest has a fake of the client-account service's store for its unit tests:
// it keeps what it is given in memory, checking versions and consuming tokens as the
// table does, and its Fail field makes any method answer an error. Storage itself is
// tested against the real engine; the senders' fakes are in notify/notifytest.
package siptest

import (
	"context"
	"sync"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/sip"
)

// Store is an in-memory sip.Store.
type Store struct {
	mu       sync.Mutex
	Accounts map[string]account.Account
	SIP      map[string]sip.Account // by account ID + "/" + SIP ID
	Tokens   map[string]sip.Token   // by hash
	Records  map[string]idempotency.Record
	// Audit is every entry written, in order.
	Audit []audit.Entry
	// Writes counts the writes (create, save, delete).
	Writes int
	// Fail, when it returns an error for a method's name, makes that call fail with it.
	Fail func(method string) error
}

// NewStore returns a store holding the customer accounts.
func NewStore(customers ...account.Account) *Store {
	s := &Store{Accounts: map[string]account.Account{}, SIP: map[string]sip.Account{}, Tokens: map[string]sip.Token{},
		Records: map[string]idempotency.Record{}}
	for _, c := range customers {
		s.Accounts[c.ID] = c
	}
	return s
}

var _ sip.Store = (*Store)(nil)

func (s *Store) fail(method string) error {
	if s.Fail == nil {
		return nil
	}
	return s.Fail(method)
}

// Idempotency implements idempotency.Records.
func (s *Store) Idempotency(_ context.Context, scope, key string) (idempotency.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("Idempotency"); err != nil {
		return idempotency.Record{}, err
	}
	r, ok := s.Records[scope+"/"+key]
	if !ok {
		return r, fault.New(fault.NotFound, "no record")
	}
	return r, nil
}

// Account implements sip.Store.
func (s *Store) Account(_ context.Context, id string) (account.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("Account"); err != nil {
		return account.Account{}, err
	}
	a, ok := s.Accounts[id]
	if !ok {
		return a, fault.New(fault.NotFound, "no such account")
	}
	return a, nil
}

// SIPAccount implements sip.Store.
func (s *Store) SIPAccount(_ context.Context, accountID, sipID string) (sip.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("SIPAccount"); err != nil {
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
	c, err := s.Account(ctx, accountID)
	return a, c, err
}

// SIPAccounts implements sip.Store: one page of everything, in status when given.
func (s *Store) SIPAccounts(_ context.Context, accountID string, status sip.Status, _ string, limit int) ([]sip.Account, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("SIPAccounts"); err != nil {
		return nil, "", err
	}
	var out []sip.Account
	for _, a := range s.SIP {
		if a.AccountID == accountID && (status == "" || a.LastStatus == status) && len(out) < limit {
			out = append(out, a)
		}
	}
	return out, "", nil
}

// CreateSIPAccount implements sip.Store: Conflict when a number is held already.
func (s *Store) CreateSIPAccount(_ context.Context, a sip.Account, entry audit.Entry, idem *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("CreateSIPAccount"); err != nil {
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
	if idem != nil {
		s.Records[idem.Scope+"/"+idem.Key] = *idem
	}
	s.Audit = append(s.Audit, entry)
	s.Writes++
	return nil
}

// SaveSIPAccount implements sip.Store: the stored copy must have version a.Version-1, and
// a consumed token must still be there.
func (s *Store) SaveSIPAccount(_ context.Context, a sip.Account, entry audit.Entry, issue *sip.Token, consume string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("SaveSIPAccount"); err != nil {
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
	s.Audit = append(s.Audit, entry)
	s.Writes++
	return nil
}

// DeleteSIPAccount implements sip.Store.
func (s *Store) DeleteSIPAccount(_ context.Context, a sip.Account, entry audit.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("DeleteSIPAccount"); err != nil {
		return err
	}
	key := a.AccountID + "/" + a.ID
	if held, ok := s.SIP[key]; !ok || held.Version != a.Version {
		return fault.New(fault.Conflict, "the client account changed")
	}
	delete(s.SIP, key)
	s.Audit = append(s.Audit, entry)
	s.Writes++
	return nil
}

// Token implements sip.Store.
func (s *Store) Token(_ context.Context, hash string) (sip.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("Token"); err != nil {
		return sip.Token{}, err
	}
	t, ok := s.Tokens[hash]
	if !ok {
		return t, fault.New(fault.NotFound, "no such token")
	}
	return t, nil
}

// Registrations implements sip.Store; the fake keeps none.
func (s *Store) Registrations(context.Context, string) ([]sip.Registration, error) {
	return nil, s.fail("Registrations")
}
