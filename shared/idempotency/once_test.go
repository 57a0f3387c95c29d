package idempotency

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// memory keeps records as a store would, with writes that a test can hold back.
type memory struct {
	mu      sync.Mutex
	records map[string]Record
	reads   int
}

func (m *memory) Idempotency(_ context.Context, scope, key string) (Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	r, ok := m.records[scope+"|"+key]
	if !ok {
		return Record{}, fault.New(fault.NotFound, "unknown key")
	}
	return r, nil
}

func (m *memory) put(r *Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, taken := m.records[r.Scope+"|"+r.Key]; taken {
		return fault.New(fault.Conflict, "exists")
	}
	m.records[r.Scope+"|"+r.Key] = *r
	return nil
}

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func TestOnceCreatesOnceAndReplaysTheFirst(t *testing.T) {
	m := &memory{records: map[string]Record{}}
	made := 0
	create := func(k Key) func() (string, error) {
		return func() (string, error) {
			made++
			id := "res-" + string(rune('0'+made))
			return id, m.put(k.Record(id, now))
		}
	}
	load := func(_ context.Context, id string) (string, error) { return "loaded " + id, nil }
	k := NewKey("thing", "acc-1", "key-1", map[string]string{"name": "A"})
	first, err := Once(context.Background(), m, k, load, create(k))
	if err != nil || first != "res-1" {
		t.Fatalf("first call: %q %v", first, err)
	}
	again, err := Once(context.Background(), m, k, load, create(k))
	if err != nil || again != "loaded res-1" || made != 1 {
		t.Fatalf("retry: %q %v, created %d times", again, err, made)
	}
	other := NewKey("thing", "acc-1", "key-1", map[string]string{"name": "B"})
	if _, err := Once(context.Background(), m, other, load, create(other)); !fault.Is(err, fault.Invalid) || made != 1 {
		t.Fatalf("the key with another body answered %v and created %d times", err, made)
	}
	elsewhere := NewKey("thing", "acc-2", "key-1", map[string]string{"name": "A"})
	if id, err := Once(context.Background(), m, elsewhere, load, create(elsewhere)); err != nil || id != "res-2" {
		t.Fatalf("another caller's same key: %q %v, want a create of its own", id, err)
	}
}

func TestOnceWithoutAKeyAlwaysCreates(t *testing.T) {
	m := &memory{records: map[string]Record{}}
	made := 0
	k := NewKey("thing", "acc-1", "", "body")
	for range 2 {
		if _, err := Once(context.Background(), m, k, nil, func() (int, error) { made++; return made, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if made != 2 || m.reads != 0 || k.Record("x", now) != nil {
		t.Fatalf("without a key: created %d times, read %d records", made, m.reads)
	}
}

func TestOnceAnswersALostRaceWithTheWinner(t *testing.T) {
	m := &memory{records: map[string]Record{}}
	k := NewKey("thing", "acc-1", "key-1", "body")
	load := func(_ context.Context, id string) (string, error) { return id, nil }
	// The winner's record lands while the loser is being refused for the same key.
	lost := func() (string, error) {
		_ = m.put(k.Record("winner", now))
		return "", &fault.Error{Code: fault.Conflict, Message: "held by another transaction", RetryAfter: time.Second}
	}
	got, err := Once(context.Background(), m, k, load, lost)
	if err != nil || got != "winner" {
		t.Fatalf("the loser answered %q %v, want the winner's result", got, err)
	}
}

func TestOnceKeepsTheCreatesOwnConflict(t *testing.T) {
	m := &memory{records: map[string]Record{}}
	k := NewKey("thing", "acc-1", "key-1", "body")
	taken := fault.New(fault.Conflict, "the name is in use")
	_, err := Once(context.Background(), m, k, nil, func() (string, error) { return "", taken })
	if err != taken {
		t.Fatalf("a name clash answered %v, want the create's own conflict", err)
	}
	if m.reads != 2 { // once before the create, once after: no polling for a clash that is not a race
		t.Fatalf("read the key %d times, want 2", m.reads)
	}
}

func TestOnceGivesUpOnAStuckTwinWithRetryAfter(t *testing.T) {
	m := &memory{records: map[string]Record{}}
	k := NewKey("thing", "acc-1", "key-1", "body")
	busy := &fault.Error{Code: fault.Conflict, Message: "held", RetryAfter: time.Second}
	_, err := Once(context.Background(), m, k, nil, func() (string, error) { return "", busy })
	var refusal *fault.Error
	if !fault.Is(err, fault.Conflict) || !errors.As(err, &refusal) || refusal.RetryAfter == 0 {
		t.Fatalf("a twin that never finished answered %v, want 409 with Retry-After", err)
	}
	if m.reads != 1+tries {
		t.Fatalf("read the key %d times, want %d", m.reads, 1+tries)
	}
}

func TestOnceSaysWhenTheFirstResultIsGone(t *testing.T) {
	m := &memory{records: map[string]Record{}}
	k := NewKey("thing", "acc-1", "key-1", "body")
	_ = m.put(k.Record("deleted", now))
	created := false
	gone := func(context.Context, string) (string, error) { return "", fault.New(fault.NotFound, "no such thing") }
	_, err := Once(context.Background(), m, k, gone, func() (string, error) { created = true; return "", nil })
	if !fault.Is(err, fault.Conflict) || created {
		t.Fatalf("a key whose resource was deleted answered %v (created again: %v), want 409", err, created)
	}
}
