// Package callstest has fakes of the call-record service's dependencies for its unit
// tests: an in-memory Store (records kept once by ID, summary rows as given) on
// accounttest's accounts, and a queue that keeps the chunks it is sent.
package callstest

import (
	"context"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
)

// Store is an in-memory calls.Store.
type Store struct {
	*accounttest.Store
	// Read, when set, is what Accounts answers: the accounts as batches stored at the
	// same time read them, before each other's calls.
	Read    map[string]account.Account
	Records map[string]calls.Record
	// RowsOf are the summary rows of each account, by row ID.
	RowsOf map[string]map[string]calls.Row
}

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store {
	return &Store{Store: accounttest.New(accounts...), Records: map[string]calls.Record{}, RowsOf: map[string]map[string]calls.Row{}}
}

var _ calls.Store = (*Store)(nil)

// Accounts implements calls.Store.
func (s *Store) Accounts(_ context.Context, ids []string) (map[string]account.Account, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	read := s.Store.Accounts
	if s.Read != nil {
		read = s.Read
	}
	out := map[string]account.Account{}
	for _, id := range ids {
		if a, ok := read[id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

// FreshAccount implements calls.Store: the account as it is now.
func (s *Store) FreshAccount(_ context.Context, id string) (account.Account, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	a, ok := s.Store.Accounts[id]
	if !ok {
		return account.Account{}, fault.New(fault.NotFound, "no such account")
	}
	return a, nil
}

// Ingest implements calls.Store: it keeps each record once and returns the IDs it had.
func (s *Store) Ingest(_ context.Context, recs []calls.Record) ([]string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("Ingest"); err != nil {
		return nil, err
	}
	var dups []string
	for _, r := range recs {
		if _, ok := s.Records[r.ID]; ok {
			dups = append(dups, r.ID)
			continue
		}
		s.Records[r.ID] = r
		if a, ok := s.Store.Accounts[r.AccountID]; ok && !r.InProgress {
			a.Credit.SpentMinor += r.CostMinor
			s.Store.Accounts[r.AccountID] = a
		}
	}
	s.Wrote()
	return dups, nil
}

// MarkLowBalance implements calls.Store: Conflict unless the account's last crossing is
// still prev.
func (s *Store) MarkLowBalance(_ context.Context, accountID string, prev, at time.Time) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("MarkLowBalance"); err != nil {
		return err
	}
	a, ok := s.Store.Accounts[accountID]
	if !ok || !a.LowBalanceSince.Equal(prev) {
		return fault.New(fault.Conflict, "the crossing was recorded")
	}
	a.LowBalanceSince = at
	s.Store.Accounts[accountID] = a
	s.Wrote()
	return nil
}

// Rows implements calls.Store: the account's rows whose IDs lie from first to last.
func (s *Store) Rows(_ context.Context, accountID, first, last string) ([]calls.Row, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []calls.Row
	for id, r := range s.RowsOf[accountID] {
		if id >= first && id <= last {
			out = append(out, r)
		}
	}
	return out, nil
}

// ChannelsInUse implements calls.Store: the account's records in progress.
func (s *Store) ChannelsInUse(_ context.Context, accountID string, _ time.Time) (int, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	n := 0
	for _, r := range s.Records {
		if r.AccountID == accountID && r.InProgress {
			n++
		}
	}
	return n, nil
}

// Queue keeps the chunks it is sent; Err, when set, is every send's answer.
type Queue struct {
	Chunks [][]calls.Record
	Err    error
}

// EnqueueCallRecords implements calls.Queue.
func (q *Queue) EnqueueCallRecords(_ context.Context, recs []calls.Record) error {
	if q.Err != nil {
		return q.Err
	}
	q.Chunks = append(q.Chunks, recs)
	return nil
}
