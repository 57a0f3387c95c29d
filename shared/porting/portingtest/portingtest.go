// Package portingtest has fakes of the porting service's and desk's dependencies for
// their unit tests: an in-memory Store of requests (versions checked as the table does),
// a job queue that keeps what it is given, and an upload presigner. Accounts and their
// users come from accounttest, the mailer from notify/notifytest.
package portingtest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/porting"
)

// Store is an in-memory porting.Store; its idempotency records and audit entries are
// the embedded accounttest store's.
type Store struct {
	*accounttest.Store
	mu       sync.Mutex
	Requests map[string]porting.Request
}

// New returns a store holding requests, its records kept in records.
func New(records *accounttest.Store, requests ...porting.Request) *Store {
	s := &Store{Store: records, Requests: map[string]porting.Request{}}
	for _, r := range requests {
		s.Requests[r.ID] = r
	}
	return s
}

var _ porting.Store = (*Store)(nil)

// Porting implements porting.Store.
func (s *Store) Porting(_ context.Context, id string) (porting.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.Requests[id]
	if !ok {
		return r, fault.New(fault.NotFound, "no such porting request")
	}
	return r, nil
}

// Portings implements porting.Store: every request of the account in status.
func (s *Store) Portings(_ context.Context, accountID string, status porting.Status, _ string, limit int) ([]porting.Request, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []porting.Request
	for _, r := range s.Requests {
		if r.AccountID == accountID && (status == "" || r.Status == status) && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, "", nil
}

// SavePorting implements porting.Store.
func (s *Store) SavePorting(_ context.Context, r porting.Request, entry audit.Entry, idem *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if held, ok := s.Requests[r.ID]; !ok || held.Version != r.Version-1 {
		return fault.New(fault.Conflict, "the porting request changed")
	}
	s.Requests[r.ID] = r
	s.Store.Mu.Lock()
	s.Keep(idem)
	s.Wrote(entry)
	s.Store.Mu.Unlock()
	return nil
}

// Desk implements porting.Store: the requests f picks, sorted as the desk sorts them, in
// one page.
func (s *Store) Desk(_ context.Context, f porting.DeskFilter, _ string, limit int) ([]porting.Request, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []porting.Request
	for _, r := range s.Requests {
		due := r.Due()
		if (f.Status == "" && r.Status.Final()) || (f.Status != "" && r.Status != f.Status) || (f.AccountID != "" && r.AccountID != f.AccountID) ||
			(!f.From.IsZero() && due.Before(f.From)) || (!f.To.IsZero() && due.After(f.To)) {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b porting.Request) int {
		if f.Status.Final() {
			a, b = b, a
		}
		return a.Due().Compare(b.Due())
	})
	return out[:min(limit, len(out))], "", nil
}

// RecordAudit implements porting.Store.
func (s *Store) RecordAudit(_ context.Context, _ string, entry audit.Entry) error {
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	s.Wrote(entry)
	return nil
}

// Unprepared implements porting.Store.
func (s *Store) Unprepared(_ context.Context, cutoff time.Time) ([]porting.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []porting.Job
	for _, r := range s.Requests {
		if r.Status == porting.Submitted && r.PreparedAt.IsZero() && r.CreatedAt.Before(cutoff) {
			out = append(out, porting.Job{AccountID: r.AccountID, PortingID: r.ID})
		}
	}
	return out, nil
}

// Jobs keeps the porting jobs queued; Err, when set, is every enqueue's answer.
type Jobs struct {
	Queued []porting.Job
	Err    error
}

// EnqueuePorting implements porting.Jobs.
func (j *Jobs) EnqueuePorting(_ context.Context, accountID, portingID string) error {
	if j.Err != nil {
		return j.Err
	}
	j.Queued = append(j.Queued, porting.Job{AccountID: accountID, PortingID: portingID})
	return nil
}

// Files presigns with fake URLs naming the key; Uploaded holds the keys a test says were
// uploaded, with their sizes.
type Files struct {
	Uploaded map[string]int64
}

// UploadURL implements porting.Files.
func (*Files) UploadURL(_ context.Context, key, contentType string, ttl time.Duration) (string, error) {
	return "https://uploads.example/" + key + "?type=" + contentType + "&ttl=" + ttl.String(), nil
}

// DownloadURL implements porting.Files.
func (*Files) DownloadURL(_ context.Context, key string, ttl time.Duration) (string, error) {
	return "https://downloads.example/" + key + "?ttl=" + ttl.String(), nil
}

// Stat implements porting.Files.
func (f *Files) Stat(_ context.Context, key string) (int64, time.Time, error) {
	size, ok := f.Uploaded[key]
	if !ok {
		return 0, time.Time{}, fault.New(fault.NotFound, "the document has not been uploaded")
	}
	return size, time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), nil
}
