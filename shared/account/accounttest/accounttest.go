// Package accounttest is an in-memory store of accounts and their users for the unit
// tests of the services that keep records under accounts: it checks versions and
// uniqueness of login emails as the table does, and its Fail field makes any method
// answer an error. Domain fakes (contacttest, …) build on it. Storage itself is tested
// against the real engine.
package accounttest

import (
	"context"
	"sync"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
)

// Store keeps accounts, users and idempotency records.
type Store struct {
	Mu       sync.Mutex
	Accounts map[string]account.Account
	Users    map[string]account.Member // by account ID + "/" + user ID
	Records  map[string]idempotency.Record
	// Audit is every entry written, in order; Writes counts the writes.
	Audit  []audit.Entry
	Writes int
	// Fail, when it returns an error for a method's name, makes that call fail with it.
	Fail func(method string) error
}

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store {
	s := &Store{Accounts: map[string]account.Account{}, Users: map[string]account.Member{}, Records: map[string]idempotency.Record{}}
	for _, a := range accounts {
		s.Accounts[a.ID] = a
	}
	return s
}

// Failed is the error Fail gives method, if any. The caller holds Mu.
func (s *Store) Failed(method string) error {
	if s.Fail == nil {
		return nil
	}
	return s.Fail(method)
}

// Wrote records a write and its audit entries. The caller holds Mu.
func (s *Store) Wrote(entries ...audit.Entry) {
	s.Audit = append(s.Audit, entries...)
	s.Writes++
}

// Keep stores an idempotency record, when there is one. The caller holds Mu.
func (s *Store) Keep(idem *idempotency.Record) {
	if idem != nil {
		s.Records[idem.Scope+"/"+idem.Key] = *idem
	}
}

// Idempotency implements idempotency.Records.
func (s *Store) Idempotency(_ context.Context, scope, key string) (idempotency.Record, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Idempotency"); err != nil {
		return idempotency.Record{}, err
	}
	r, ok := s.Records[scope+"/"+key]
	if !ok {
		return r, fault.New(fault.NotFound, "no record")
	}
	return r, nil
}

// Account implements account.Reader.
func (s *Store) Account(_ context.Context, id string) (account.Account, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Account"); err != nil {
		return account.Account{}, err
	}
	a, ok := s.Accounts[id]
	if !ok {
		return a, fault.New(fault.NotFound, "no such account")
	}
	return a, nil
}

// Member returns a user of an account; NotFound when there is none.
func (s *Store) Member(_ context.Context, accountID, userID string) (account.Member, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Member"); err != nil {
		return account.Member{}, err
	}
	m, ok := s.Users[accountID+"/"+userID]
	if !ok {
		return m, fault.New(fault.NotFound, "no such user")
	}
	return m, nil
}

// Members returns the users of an account.
func (s *Store) Members(_ context.Context, accountID string) ([]account.Member, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Members"); err != nil {
		return nil, err
	}
	var out []account.Member
	for _, m := range s.Users {
		if m.AccountID == accountID {
			out = append(out, m)
		}
	}
	return out, nil
}

// EmailTaken reports whether another user than id signs in with email. The caller holds Mu.
func (s *Store) EmailTaken(email, id string) bool {
	for _, m := range s.Users {
		if m.Email == email && m.ID != id {
			return true
		}
	}
	return false
}

// CreateMember adds a user; Conflict when its login email is taken.
func (s *Store) CreateMember(_ context.Context, _ account.Account, m account.Member, entry audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("CreateMember"); err != nil {
		return err
	}
	if s.EmailTaken(m.Email, m.ID) {
		return fault.New(fault.Conflict, "the email is taken")
	}
	s.Users[m.AccountID+"/"+m.ID] = m
	s.Keep(idem)
	s.Wrote(entry)
	return nil
}

// SaveMember writes m when the stored copy has version m.Version-1.
func (s *Store) SaveMember(_ context.Context, m account.Member, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SaveMember"); err != nil {
		return err
	}
	if err := s.Replace(m); err != nil {
		return err
	}
	s.Wrote(entry)
	return nil
}

// Replace writes m over a stored copy of version m.Version-1; Conflict otherwise. The
// caller holds Mu.
func (s *Store) Replace(m account.Member) error {
	key := m.AccountID + "/" + m.ID
	if held, ok := s.Users[key]; !ok || held.Version != m.Version-1 {
		return fault.New(fault.Conflict, "the user changed")
	}
	s.Users[key] = m
	return nil
}

// DeleteUser removes a user of the version read.
func (s *Store) DeleteUser(_ context.Context, _ account.Account, m account.Member, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("DeleteUser"); err != nil {
		return err
	}
	key := m.AccountID + "/" + m.ID
	if held, ok := s.Users[key]; !ok || held.Version != m.Version {
		return fault.New(fault.Conflict, "the user changed")
	}
	delete(s.Users, key)
	s.Wrote(entry)
	return nil
}
