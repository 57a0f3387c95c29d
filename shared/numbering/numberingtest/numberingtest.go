// Package numberingtest is an in-memory numbering.Store for the number services' unit
// tests, on accounttest's store of accounts: ranges, the child ranges listed under each
// parent with the list's version, internal blocks, and the numbers some holder claims.
package numberingtest

import (
	"context"
	"slices"
	"strings"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/numbering"
)

// Store is an in-memory numbering.Store.
type Store struct {
	*accounttest.Store
	RangesOf map[string][]numbering.Range // by account
	BlocksOf map[string][]numbering.Block // by account
	// ChildVersion is the version of each parent's list of child ranges.
	ChildVersion map[string]int
	// Claimed are the numbers some user, subscription or client account holds.
	Claimed map[string]bool
}

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store {
	return &Store{Store: accounttest.New(accounts...), RangesOf: map[string][]numbering.Range{}, BlocksOf: map[string][]numbering.Block{},
		ChildVersion: map[string]int{}, Claimed: map[string]bool{}}
}

var _ numbering.Store = (*Store)(nil)

// Ranges implements numbering.Store.
func (s *Store) Ranges(_ context.Context, accountID string) ([]numbering.Range, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Ranges"); err != nil {
		return nil, err
	}
	return slices.Clone(s.RangesOf[accountID]), nil
}

// ChildRanges implements numbering.Store.
func (s *Store) ChildRanges(_ context.Context, parentID string) ([]numbering.Range, int, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []numbering.Range
	for id, rs := range s.RangesOf {
		if a, ok := s.Accounts[id]; ok && a.ParentID == parentID {
			out = append(out, rs...)
		}
	}
	return out, s.ChildVersion[parentID], nil
}

// AddRange implements numbering.Store.
func (s *Store) AddRange(_ context.Context, r numbering.Range, parentID string, childVersion int, entry audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("AddRange"); err != nil {
		return err
	}
	if parentID != "" {
		if s.ChildVersion[parentID] != childVersion {
			return fault.New(fault.Conflict, "the parent's child ranges changed")
		}
		s.ChildVersion[parentID]++
	}
	rs := append(s.RangesOf[r.AccountID], r)
	slices.SortFunc(rs, func(a, b numbering.Range) int { return strings.Compare(a.Start, b.Start) })
	s.RangesOf[r.AccountID] = rs
	s.Keep(idem)
	s.Wrote(entry)
	return nil
}

// DeleteRange implements numbering.Store.
func (s *Store) DeleteRange(_ context.Context, r numbering.Range, _ string, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	rs := s.RangesOf[r.AccountID]
	i := slices.IndexFunc(rs, func(o numbering.Range) bool { return o.ID == r.ID })
	if i < 0 {
		return fault.New(fault.NotFound, "no such range")
	}
	s.RangesOf[r.AccountID] = slices.Delete(rs, i, i+1)
	s.Wrote(entry)
	return nil
}

// Blocks implements numbering.Store.
func (s *Store) Blocks(_ context.Context, accountID string) ([]numbering.Block, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return slices.Clone(s.BlocksOf[accountID]), nil
}

// AddBlock implements numbering.Store: Conflict when a block starts at the same number.
func (s *Store) AddBlock(_ context.Context, b numbering.Block, entry audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	for _, bs := range s.BlocksOf {
		if slices.ContainsFunc(bs, func(o numbering.Block) bool { return o.First == b.First }) {
			return fault.New(fault.Conflict, "the block is taken")
		}
	}
	s.BlocksOf[b.AccountID] = append(s.BlocksOf[b.AccountID], b)
	s.Keep(idem)
	s.Wrote(entry)
	return nil
}

// InUse implements numbering.Store.
func (s *Store) InUse(_ context.Context, numbers []string) (map[string]bool, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	out := map[string]bool{}
	for _, n := range numbers {
		if s.Claimed[n] {
			out[n] = true
		}
	}
	return out, nil
}
