// Package accounttest is an in-memory store of accounts and their users for the unit
// tests of the services that keep records under accounts: it checks versions and
// uniqueness of login emails as the table does, and its Fail field makes any method
// answer an error. Domain fakes (contacttest, …) build on it. Storage itself is tested
// against the real engine.
package accounttest

import (
	"context"
	"slices"
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
func (s *Store) DeleteUser(_ context.Context, _ account.Account, m account.Member, entry audit.Entry, keeper *account.Member) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("DeleteUser"); err != nil {
		return err
	}
	key := m.AccountID + "/" + m.ID
	if held, ok := s.Users[key]; !ok || held.Version != m.Version || !s.unchanged(keeper) {
		return fault.New(fault.Conflict, "the user changed")
	}
	delete(s.Users, key)
	s.Wrote(entry)
	return nil
}

// SaveUser writes m as SaveMember does, while keeper (when set) is as read.
func (s *Store) SaveUser(_ context.Context, m account.Member, entry audit.Entry, keeper *account.Member) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SaveUser"); err != nil {
		return err
	}
	if !s.unchanged(keeper) {
		return fault.New(fault.Conflict, "the administrator the change relies on changed")
	}
	if err := s.Replace(m); err != nil {
		return err
	}
	s.Wrote(entry)
	return nil
}

// unchanged reports whether keeper, when set, is stored at the version read. The caller
// holds Mu.
func (s *Store) unchanged(keeper *account.Member) bool {
	if keeper == nil {
		return true
	}
	held, ok := s.Users[keeper.AccountID+"/"+keeper.ID]
	return ok && held.Version == keeper.Version
}

var _ account.Store = (*Store)(nil)

// Children implements account.Store: every child of the account.
func (s *Store) Children(_ context.Context, parentID string, f account.Filter, _ string, limit int) ([]account.Account, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []account.Account
	for _, a := range s.Accounts {
		if a.ParentID == parentID && f.Matches(account.NodeOf(a)) && len(out) < limit {
			out = append(out, a)
		}
	}
	return out, "", nil
}

// Descendants implements account.Store: every account below rootID that f matches, in
// tree order, in one page.
func (s *Store) Descendants(_ context.Context, rootID string, f account.Filter, _ string, limit int) ([]account.Node, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []account.Node
	for _, a := range s.Accounts {
		if i := slices.Index(a.Path, rootID); i >= 0 && i < len(a.Path)-1 && f.Matches(account.NodeOf(a)) {
			out = append(out, account.NodeOf(a))
		}
	}
	slices.SortFunc(out, func(a, b account.Node) int { return slices.Compare(a.Path, b.Path) })
	return out[:min(limit, len(out))], "", nil
}

// take moves n out of the parent's available trunks and users (n negative returns them);
// Conflict when the parent does not have them. The caller holds Mu.
func (s *Store) take(parentID string, n account.Limits) error {
	p, ok := s.Accounts[parentID]
	if !ok {
		return nil // the provider's root has no parent to take from
	}
	left := p.Available.Minus(n)
	if left.InboundTrunks < 0 || left.OutboundTrunks < 0 || left.TwowayTrunks < 0 || left.Users < 0 {
		return fault.New(fault.Conflict, "the parent lacks the trunks")
	}
	p.Available, p.Version = left, p.Version+1
	s.Accounts[parentID] = p
	return nil
}

// CreateAccount implements account.Store.
func (s *Store) CreateAccount(_ context.Context, acct account.Account, admin *account.Member, entries []audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("CreateAccount"); err != nil {
		return err
	}
	if admin != nil && s.EmailTaken(admin.Email, admin.ID) {
		return fault.New(fault.Conflict, "the email is taken")
	}
	if err := s.take(acct.ParentID, acct.Limits); err != nil {
		return err
	}
	s.Accounts[acct.ID] = acct
	if admin != nil {
		s.Users[acct.ID+"/"+admin.ID] = *admin
	}
	s.Keep(idem)
	s.Wrote(entries...)
	return nil
}

// UpdateAccount implements account.Store.
func (s *Store) UpdateAccount(_ context.Context, acct account.Account, extra account.Limits, entry audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("UpdateAccount"); err != nil {
		return err
	}
	if held, ok := s.Accounts[acct.ID]; !ok || held.Version != acct.Version-1 {
		return fault.New(fault.Conflict, "the account changed")
	}
	if err := s.take(acct.ParentID, extra); err != nil {
		return err
	}
	s.Accounts[acct.ID] = acct
	s.Keep(idem)
	s.Wrote(entry)
	return nil
}

// DeleteAccount implements account.Store.
func (s *Store) DeleteAccount(_ context.Context, acct account.Account, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if held, ok := s.Accounts[acct.ID]; !ok || held.Version != acct.Version {
		return fault.New(fault.Conflict, "the account changed")
	}
	if err := s.take(acct.ParentID, account.Limits{}.Minus(acct.Limits)); err != nil {
		return err
	}
	delete(s.Accounts, acct.ID)
	s.Wrote(entry)
	return nil
}

// AuditLog implements account.Store: the entries about the account itself, newest
// first, filtered by entity and time.
func (s *Store) AuditLog(_ context.Context, accountID string, f account.AuditFilter, _ string, limit int) ([]audit.Entry, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []audit.Entry
	for i := len(s.Audit) - 1; i >= 0 && len(out) < limit; i-- {
		e := s.Audit[i]
		if e.EntityID == accountID && (f.Entity == "" || string(e.Entity) == f.Entity) &&
			(f.From.IsZero() || !e.At.Before(f.From)) && (f.To.IsZero() || e.At.Before(f.To)) {
			out = append(out, e)
		}
	}
	return out, "", nil
}

// Dependents implements account.Store; the fake keeps no other records.
func (s *Store) Dependents(context.Context, string) ([]string, error) { return nil, nil }
