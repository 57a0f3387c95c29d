package numbering

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
)

// Store keeps ranges and blocks, and knows which numbers are in use.
type Store interface {
	account.Reader
	// Ranges returns an account's ranges, in start order.
	Ranges(ctx context.Context, accountID string) ([]Range, error)
	// ChildRanges returns the ranges of an account's children (each naming its account),
	// and the version of that list, which AddRange checks.
	ChildRanges(ctx context.Context, parentID string) ([]Range, int, error)
	// AddRange writes a range with its audit entry and, for an account with a parent,
	// adds it to the parent's list of child ranges, whose version must still be
	// childVersion; Conflict when one starts there or the list changed meanwhile.
	AddRange(ctx context.Context, r Range, parentID string, childVersion int, entry audit.Entry, idem *idempotency.Record) error
	// DeleteRange removes a range (and its listing under the parent) with its audit
	// entry; NotFound when it is gone already.
	DeleteRange(ctx context.Context, r Range, parentID string, entry audit.Entry) error
	// Blocks returns an account's internal number blocks, in order.
	Blocks(ctx context.Context, accountID string) ([]Block, error)
	// AddBlock writes a block with its audit entry and, with idem, the idempotency
	// record; Conflict when its first number is in a block already (a concurrent
	// assignment won) or the key is in use.
	AddBlock(ctx context.Context, b Block, entry audit.Entry, idem *idempotency.Record) error
	idempotency.Records
	// InUse returns which of numbers are claimed by a user, alias, subscription or client.
	InUse(ctx context.Context, numbers []string) (map[string]bool, error)
}

// Service manages an account's numbers.
type Service struct {
	Store Store
	Now   func() time.Time
}

// AddRange adds range parameters to an account. Numbers flow down the tree as trunks
// do: the provider adds ranges from its stock; any other account's range lies inside
// one of its parent's ranges and overlaps no range of the parent's other children, so
// a number belongs to exactly one account (and is claimed once, platform-wide). Ranges
// of one account never overlap. A refusal is 409 naming only ranges the caller may see.
func (s *Service) AddRange(ctx context.Context, actor account.Actor, accountID, start, end string, kind Kind, key string) (Range, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return Range{}, err
	}
	k := idempotency.NewKey("range", actor.AccountID, key, []string{accountID, start, end, string(kind)})
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Range, error) { return s.rangeOf(ctx, accountID, id) },
		func() (Range, error) { return s.addRange(ctx, actor, acct, start, end, kind, k) })
}

func (s *Service) addRange(ctx context.Context, actor account.Actor, acct account.Account, start, end string, kind Kind, k idempotency.Key) (Range, error) {
	accountID := acct.ID
	now := s.Now().UTC()
	r, err := NewRange(accountID, start, end, kind, now)
	if err != nil {
		return Range{}, err
	}
	existing, err := s.Store.Ranges(ctx, accountID)
	if err != nil {
		return Range{}, err
	}
	for _, o := range existing {
		if r.Overlaps(o) {
			return Range{}, rangeConflict("the range overlaps the account's range %s–%s", o.Start, o.End)
		}
	}
	version := 0
	if acct.ParentID != "" {
		if version, err = s.checkInParent(ctx, actor, acct, r); err != nil {
			return Range{}, err
		}
	}
	err = s.Store.AddRange(ctx, r, acct.ParentID, version, audit.New(now, actor.UserID, audit.NumberRange, audit.Create, r.ID, nil, r), k.Record(r.ID, now))
	if fault.Is(err, fault.Conflict) {
		return Range{}, rangeConflict("another range was added under the same parent at the same moment: ask again")
	}
	return r, err
}

// rangeOf returns the account's range with an ID.
func (s *Service) rangeOf(ctx context.Context, accountID, id string) (Range, error) {
	ranges, err := s.Store.Ranges(ctx, accountID)
	if err != nil {
		return Range{}, err
	}
	if i := slices.IndexFunc(ranges, func(r Range) bool { return r.ID == id }); i >= 0 {
		return ranges[i], nil
	}
	return Range{}, fault.New(fault.NotFound, "no such number range")
}

func rangeConflict(format string, args ...any) error {
	return &fault.Error{Code: fault.Conflict, Message: "the range is not free", Fields: []fault.FieldReason{{Field: "start", Reason: fmt.Sprintf(format, args...)}}}
}

// checkInParent checks r lies in one of the parent's ranges and overlaps none of its
// other children's, and returns the version of the children's list it read. The parent's
// and siblings' ranges are named only to callers whose own subtree holds the parent.
func (s *Service) checkInParent(ctx context.Context, actor account.Actor, acct account.Account, r Range) (int, error) {
	parentRanges, err := s.Store.Ranges(ctx, acct.ParentID)
	if err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(parentRanges, r.Within) {
		return 0, rangeConflict("must lie inside one range of the parent account: ask the parent's administrators for numbers")
	}
	siblings, version, err := s.Store.ChildRanges(ctx, acct.ParentID)
	if err != nil {
		return 0, err
	}
	seesParent := slices.Contains(acct.Path[:len(acct.Path)-1], actor.AccountID)
	for _, o := range siblings {
		if o.AccountID != acct.ID && r.Overlaps(o) {
			if seesParent {
				return 0, rangeConflict("overlaps %s–%s of account %s", o.Start, o.End, o.AccountID)
			}
			return 0, rangeConflict("overlaps numbers the parent account has given to another account")
		}
	}
	return version, nil
}

// ReleaseRange removes a range nothing uses: no number of it is claimed, in a block or
// given to a child account (409 saying which). A claim made at the very moment of the
// release can outlive it; the claim then stands, unlisted, until its holder goes.
func (s *Service) ReleaseRange(ctx context.Context, actor account.Actor, accountID, rangeID string) error {
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return err
	}
	r, err := s.rangeOf(ctx, accountID, rangeID)
	if err != nil {
		return err
	}
	given, _, err := s.Store.ChildRanges(ctx, accountID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(given, r.Overlaps) {
		return fault.New(fault.Conflict, "numbers of the range are given to a child account: its range goes first")
	}
	blocks, err := s.Store.Blocks(ctx, accountID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(blocks, func(b Block) bool { return r.Overlaps(Range{Start: b.First, End: b.Last}) }) {
		return fault.New(fault.Conflict, "an internal number block holds numbers of the range")
	}
	used := 0
	for start := 0; start < r.Size; start += 100 {
		batch := make([]string, 0, 100)
		for n := start; n < min(start+100, r.Size); n++ {
			batch = append(batch, r.At(n))
		}
		inUse, err := s.Store.InUse(ctx, batch)
		if err != nil {
			return err
		}
		used += len(inUse)
	}
	if used > 0 {
		return fault.New(fault.Conflict, "%d numbers of the range are in use by users, subscriptions or client accounts", used)
	}
	return s.Store.DeleteRange(ctx, r, acct.ParentID, audit.New(s.Now().UTC(), actor.UserID, audit.NumberRange, audit.Delete, r.ID, r, nil))
}

// Ranges lists an account's ranges.
func (s *Service) Ranges(ctx context.Context, actor account.Actor, accountID string) ([]Range, error) {
	if _, err := account.Load(ctx, s.Store, actor, accountID, false); err != nil {
		return nil, err
	}
	return s.Store.Ranges(ctx, accountID)
}

// Number is a number the wizard may offer.
type Number struct {
	Number string `json:"number"`
	Kind   Kind   `json:"kind"`
}

// MaxScan bounds how many numbers one page may look at, so an account whose ranges are
// nearly all in use cannot make one request read thousands of guards.
const MaxScan = 1000

// badCursor refuses a cursor this list did not make.
var badCursor = &fault.Error{Code: fault.Invalid, Message: "the cursor is not valid here",
	Fields: []fault.FieldReason{{Field: "cursor", Reason: "use the cursor of the previous page, unchanged"}}}

// Available returns a page of free numbers from an account's ranges, in order, after
// the number the opaque cursor holds (the last number of the previous page). kind
// filters when set.
func (s *Service) Available(ctx context.Context, actor account.Actor, accountID string, kind Kind, opaque string, limit int) ([]Number, string, error) {
	if _, err := account.Load(ctx, s.Store, actor, accountID, false); err != nil {
		return nil, "", err
	}
	raw, err := base64.RawURLEncoding.DecodeString(opaque)
	if err != nil {
		return nil, "", badCursor
	}
	cursor := string(raw)
	if limit <= 0 || limit > account.MaxPage {
		limit = 20
	}
	ranges, err := s.Store.Ranges(ctx, accountID)
	if err != nil {
		return nil, "", err
	}
	given, _, err := s.Store.ChildRanges(ctx, accountID) // the children's numbers are theirs
	if err != nil {
		return nil, "", err
	}
	var candidates []Number
	started := cursor == ""
	for _, r := range ranges {
		if kind != "" && r.Kind != kind {
			continue
		}
		from := 0
		if !started {
			if i, ok := r.Index(cursor); ok {
				from, started = i+1, true
			} else if len(cursor) == len(r.Start) && cursor < r.Start && strings.HasPrefix(cursor, "+") {
				started = true
			} else {
				continue
			}
		}
		for i := from; i < r.Size && len(candidates) < MaxScan; i++ {
			if n := r.At(i); !Holds(given, n) {
				candidates = append(candidates, Number{Number: n, Kind: r.Kind})
			}
		}
	}
	if !started {
		return nil, "", badCursor
	}
	var free []Number
	for chunk := range slices.Chunk(candidates, 100) {
		nums := make([]string, len(chunk))
		for i, c := range chunk {
			nums[i] = c.Number
		}
		used, err := s.Store.InUse(ctx, nums)
		if err != nil {
			return nil, "", err
		}
		for _, c := range chunk {
			if !used[c.Number] {
				free = append(free, c)
				if len(free) == limit {
					return free, base64.RawURLEncoding.EncodeToString([]byte(c.Number)), nil
				}
			}
		}
	}
	next := ""
	if len(candidates) == MaxScan { // more may lie beyond what this page looked at
		next = base64.RawURLEncoding.EncodeToString([]byte(candidates[len(candidates)-1].Number))
	}
	return free, next, nil
}

// AssignBlock assigns the account's next internal number block. With a key, a retry
// answers with the block the first request assigned instead of assigning another.
func (s *Service) AssignBlock(ctx context.Context, actor account.Actor, accountID, key string) (Block, error) {
	if _, err := account.Load(ctx, s.Store, actor, accountID, true); err != nil {
		return Block{}, err
	}
	k := idempotency.NewKey("block", actor.AccountID, key, accountID)
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, first string) (Block, error) { return s.block(ctx, accountID, first) },
		func() (Block, error) { return s.assignBlock(ctx, actor, accountID, k) })
}

func (s *Service) assignBlock(ctx context.Context, actor account.Actor, accountID string, k idempotency.Key) (Block, error) {
	ranges, err := s.Store.Ranges(ctx, accountID)
	if err != nil {
		return Block{}, err
	}
	blocks, err := s.Store.Blocks(ctx, accountID)
	if err != nil {
		return Block{}, err
	}
	given, _, err := s.Store.ChildRanges(ctx, accountID)
	if err != nil {
		return Block{}, err
	}
	for _, g := range given { // the children's numbers are theirs: no block of the account's takes them
		blocks = append(blocks, Block{First: g.Start, Last: g.End})
	}
	now := s.Now().UTC()
	b, err := NextBlock(ranges, blocks, now)
	if err != nil {
		return Block{}, err
	}
	err = s.Store.AddBlock(ctx, b, audit.New(now, actor.UserID, audit.NumberBlock, audit.Create, b.First, nil, b), k.Record(b.First, now))
	if fault.Is(err, fault.Conflict) {
		return Block{}, &fault.Error{Code: fault.Conflict, Message: "another block was assigned at the same moment: ask again", RetryAfter: time.Second, Err: err}
	}
	return b, err
}

// block returns the account's block that starts at first.
func (s *Service) block(ctx context.Context, accountID, first string) (Block, error) {
	blocks, err := s.Store.Blocks(ctx, accountID)
	if err != nil {
		return Block{}, err
	}
	for _, b := range blocks {
		if b.First == first {
			return b, nil
		}
	}
	return Block{}, fault.New(fault.NotFound, "no block starts at %s", first)
}

// Blocks lists an account's internal number blocks.
func (s *Service) Blocks(ctx context.Context, actor account.Actor, accountID string) ([]Block, error) {
	if _, err := account.Load(ctx, s.Store, actor, accountID, false); err != nil {
		return nil, err
	}
	return s.Store.Blocks(ctx, accountID)
}

// Kinds parses a kind filter; "" means any.
func Kinds(v string) (Kind, error) {
	switch k := Kind(strings.ToLower(v)); k {
	case "", Fixed, Mobile:
		return k, nil
	}
	return "", &fault.Error{Code: fault.Invalid, Message: "unknown kind", Fields: []fault.FieldReason{{Field: "kind", Reason: `must be "fixed" or "mobile"`}}}
}
