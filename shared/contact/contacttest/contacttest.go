// Package contacttest is an in-memory contact.Store for the contact service's unit tests,
// on accounttest's store of accounts and users.
package contacttest

import (
	"context"
	"strings"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/text"
)

// Store is an in-memory contact.Store.
type Store struct{ *accounttest.Store }

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store { return &Store{accounttest.New(accounts...)} }

var _ contact.Store = (*Store)(nil)

// Contacts implements contact.Store: one page of every contact of the account.
func (s *Store) Contacts(_ context.Context, accountID, query, _ string, limit int) ([]account.Member, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Contacts"); err != nil {
		return nil, "", err
	}
	var out []account.Member
	for _, m := range s.Users {
		if m.AccountID == accountID && m.Contact != nil && strings.Contains(text.SearchKey(m.SearchTerms()...), " "+text.SearchQuery(query)) && len(out) < limit {
			out = append(out, m)
		}
	}
	return out, "", nil
}

// SaveContact implements contact.Store: after replaces before (version-checked), a new
// login email must be free, and changed, when set, replaces its account (version-checked).
func (s *Store) SaveContact(_ context.Context, _ account.Account, before, after account.Member, entries []audit.Entry, changed *account.Account) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SaveContact"); err != nil {
		return err
	}
	if after.Email != before.Email && s.EmailTaken(after.Email, after.ID) {
		return fault.New(fault.Conflict, "the email is taken")
	}
	if changed != nil {
		if held := s.Accounts[changed.ID]; held.Version != changed.Version-1 {
			return fault.New(fault.Conflict, "the account changed")
		}
	}
	if err := s.Replace(after); err != nil {
		return err
	}
	if changed != nil {
		s.Accounts[changed.ID] = *changed
	}
	s.Wrote(entries...)
	return nil
}
