package calls

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

// Store keeps records and summary rows.
type Store interface {
	account.Reader
	// Accounts returns the accounts of ids that exist, by ID.
	Accounts(ctx context.Context, ids []string) (map[string]account.Account, error)
	// FreshAccount reads an account after every write that has completed, the caller's
	// own included (a strongly consistent read).
	FreshAccount(ctx context.Context, id string) (account.Account, error)
	// Ingest stores records (at most InlineBatch) and adds the finished ones to their
	// rows, each record once: it returns the IDs it had already.
	Ingest(ctx context.Context, recs []Record) (duplicates []string, err error)
	// Rows returns an account's rows of one period from first to last (row IDs).
	Rows(ctx context.Context, accountID, first, last string) ([]Row, error)
	// ChannelsInUse counts an account's live records not yet finished or expired at now.
	ChannelsInUse(ctx context.Context, accountID string, now time.Time) (int, error)
	// MarkLowBalance records at as the account's low-balance crossing, if its last one
	// is still prev (zero: none); Conflict otherwise, when another batch recorded it.
	MarkLowBalance(ctx context.Context, accountID string, prev, at time.Time) error
}

// Queue takes chunks of validated records to store later.
type Queue interface {
	// EnqueueCallRecords sends one chunk (at most InlineBatch records).
	EnqueueCallRecords(ctx context.Context, recs []Record) error
}

// Service ingests records and answers summaries.
type Service struct {
	Store Store
	Queue Queue
	Log   *slog.Logger
	Now   func() time.Time
	// Alerts hears of the accounts whose balance the stored records took below their
	// threshold; nil hears nothing.
	Alerts Alerter
}

// Rejected is a record refused with its reasons.
type Rejected struct {
	Index  int                 `json:"index"`
	ID     string              `json:"id,omitempty"`
	Errors []fault.FieldReason `json:"errors"`
}

// Report says what became of a batch: stored now, already there, queued to be stored,
// or rejected.
type Report struct {
	Received   int        `json:"received"`
	Stored     int        `json:"stored"`
	Duplicates []string   `json:"duplicates"`
	Queued     int        `json:"queued"`
	Rejected   []Rejected `json:"rejected"`
}

// Ingest checks a batch from the switch record by record and keeps the valid ones: up to
// InlineBatch at once, more through the queue. Only the switch's credential may send
// records. If every record is invalid, the error lists them all.
func (s *Service) Ingest(ctx context.Context, actor account.Actor, raws []json.RawMessage) (Report, error) {
	if actor.Role != account.Switch {
		return Report{}, fault.New(fault.Forbidden, "only the switch's credential may send call records")
	}
	if len(raws) == 0 || len(raws) > MaxBatch {
		return Report{}, &fault.Error{Code: fault.Invalid, Message: "the batch size is out of range",
			Fields: []fault.FieldReason{{Field: "records", Reason: fmt.Sprintf("must hold 1 to %d records", MaxBatch)}}}
	}
	valid, rejected, accts, err := s.sortOut(ctx, actor, raws)
	if err != nil {
		return Report{}, err
	}
	if len(valid) == 0 {
		var all []fault.FieldReason
		for _, rej := range rejected {
			for _, e := range rej.Errors {
				all = append(all, fault.FieldReason{Field: fmt.Sprintf("records[%d].%s", rej.Index, e.Field), Reason: e.Reason})
			}
		}
		return Report{}, &fault.Error{Code: fault.Invalid, Message: "no record in the batch is valid", Fields: all}
	}
	rep := Report{Received: len(raws), Duplicates: []string{}, Rejected: rejected}
	if len(valid) <= InlineBatch {
		dups, err := s.store(ctx, valid, accts)
		if err != nil {
			return Report{}, err
		}
		rep.Stored, rep.Duplicates = len(valid)-len(dups), append(rep.Duplicates, dups...)
		return rep, nil
	}
	for start := 0; start < len(valid); start += InlineBatch {
		chunk := valid[start:min(start+InlineBatch, len(valid))]
		if err := s.Queue.EnqueueCallRecords(ctx, chunk); err != nil {
			// The chunks sent so far will be stored; when the switch resends the batch,
			// their records are stored only once.
			return Report{}, err
		}
		rep.Queued += len(chunk)
	}
	return rep, nil
}

// sortOut decodes and checks each record on its own, against the batch's other records
// and against its account, which must lie in the actor's subtree (the key's scope), and
// splits the batch into the valid records and the rejected; it returns the accounts it
// read.
func (s *Service) sortOut(ctx context.Context, actor account.Actor, raws []json.RawMessage) ([]Record, []Rejected, map[string]account.Account, error) {
	now := s.Now().UTC()
	seen := map[string]bool{}
	var accountIDs []string
	recs := make([]Record, len(raws))
	reasons := make([][]fault.FieldReason, len(raws))
	for i, raw := range raws {
		r, bad := Decode(raw)
		if reasons[i] = bad; bad == nil {
			reasons[i] = r.Check(now)
		}
		if seen[r.ID] && len(reasons[i]) == 0 {
			reasons[i] = []fault.FieldReason{{Field: "id", Reason: "appears twice in this batch"}}
		}
		seen[r.ID], recs[i] = true, r
		if len(reasons[i]) == 0 {
			accountIDs = append(accountIDs, r.AccountID)
		}
	}
	accts, err := s.Store.Accounts(ctx, accountIDs)
	if err != nil {
		return nil, nil, nil, err
	}
	var valid []Record
	rejected := []Rejected{}
	for i, r := range recs {
		if len(reasons[i]) == 0 {
			a, ok := accts[r.AccountID]
			switch {
			case !ok || !a.Within(actor.AccountID): // outside the key's scope it does not exist
				reasons[i] = []fault.FieldReason{{Field: "accountId", Reason: "is not an account"}}
			case a.Credit.Currency != "" && a.Credit.Currency != r.Currency:
				reasons[i] = []fault.FieldReason{{Field: "currency", Reason: "must be the account's currency, " + a.Credit.Currency}}
			}
		}
		if len(reasons[i]) > 0 {
			rejected = append(rejected, Rejected{Index: i, ID: r.ID, Errors: reasons[i]})
		} else {
			valid = append(valid, r)
		}
	}
	return valid, rejected, accts, nil
}

// StoreChunk is the queue consumer's step: a chunk the request validated, stored once.
func (s *Service) StoreChunk(ctx context.Context, recs []Record) error {
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.AccountID)
	}
	accts, err := s.Store.Accounts(ctx, ids)
	if err != nil {
		return err
	}
	dups, err := s.store(ctx, recs, accts)
	if err == nil && len(dups) > 0 {
		s.Log.InfoContext(ctx, "call records already stored", "duplicates", len(dups), "records", len(recs))
	}
	return err
}

// store stores valid records of accts (as read before) and raises the low-balance
// alerts the stored ones call for; it returns the IDs stored before.
func (s *Service) store(ctx context.Context, recs []Record, accts map[string]account.Account) ([]string, error) {
	dups, err := s.Store.Ingest(ctx, recs)
	if err != nil {
		return nil, err
	}
	cost := map[string]int64{}
	for _, r := range recs {
		if !r.InProgress && !slices.Contains(dups, r.ID) {
			cost[r.AccountID] += r.CostMinor
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cost)) {
		s.alertLowBalance(ctx, accts[id], cost[id])
	}
	return dups, nil
}

// alertLowBalance alerts once per crossing: when calls that cost cost took a's balance
// (as read before they were stored) below its threshold, and the balance was above it
// since the last alert. Batches stored at the same time each read the balance before the
// others' calls, so a batch that leaves it above reads it again: the last of them to be
// stored sees the crossing they made together. The crossing is recorded first, on the
// condition that it is still as read, so those batches alert once. A failure is logged:
// the calls are stored.
func (s *Service) alertLowBalance(ctx context.Context, a account.Account, cost int64) {
	threshold := a.LowBalanceThreshold
	before := a.Credit.BalanceMinor()
	armed := a.LowBalanceSince.IsZero() || before >= threshold
	if threshold <= 0 || cost <= 0 || !armed {
		return
	}
	after := before - cost
	if after >= threshold {
		now, err := s.Store.FreshAccount(ctx, a.ID)
		if err != nil {
			s.Log.WarnContext(ctx, "low balance not checked", "account", a.ID, "error", err)
			return
		}
		if after = now.Credit.BalanceMinor(); after >= threshold {
			return
		}
	}
	if err := s.Store.MarkLowBalance(ctx, a.ID, a.LowBalanceSince, s.Now().UTC()); err != nil {
		if !fault.Is(err, fault.Conflict) {
			s.Log.WarnContext(ctx, "low balance not recorded", "account", a.ID, "error", err)
		}
		return
	}
	if s.Alerts != nil {
		s.Alerts.LowBalance(ctx, a, after)
	}
}

// Summaries returns an account's rows of a period between from and to (UTC dates).
func (s *Service) Summaries(ctx context.Context, actor account.Actor, accountID string, p Period, from, to string) (Summary, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, false)
	if err != nil {
		return Summary{}, err
	}
	if p == "" {
		p = Daily
	}
	if p != Live && p != Daily && p != Monthly {
		return Summary{}, &fault.Error{Code: fault.Invalid, Message: "unknown period",
			Fields: []fault.FieldReason{{Field: "period", Reason: "must be live, daily or monthly"}}}
	}
	now := s.Now().UTC()
	first, last, fromDay, toDay, err := Span(p, from, to, now)
	if err != nil {
		return Summary{}, err
	}
	rows, err := s.Store.Rows(ctx, acct.ID, first, last)
	if err != nil {
		return Summary{}, err
	}
	return Summary{Period: p, From: fromDay, To: toDay, Currency: acct.Credit.Currency, Rows: rows, Totals: Combine(rows), ReadAt: now}, nil
}

// ChannelsInUse counts the calls in progress of an account; callers have checked the
// actor may read it.
func (s *Service) ChannelsInUse(ctx context.Context, accountID string) (int, error) {
	return s.Store.ChannelsInUse(ctx, accountID, s.Now().UTC())
}
