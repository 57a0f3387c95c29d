package idempotency

import (
	"context"
	"errors"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// Records reads the record of a key in a scope: NotFound when the key is new or expired.
type Records interface {
	Idempotency(ctx context.Context, scope, key string) (Record, error)
}

// Key is the Idempotency-Key of one create, with the scope of its caller and the
// fingerprint of its request. An empty Value means the caller sent no key.
type Key struct {
	Scope       string
	Value       string
	Fingerprint string
}

// NewKey scopes a caller's key to one kind of create by one account, so that the same
// key from another caller, or for another route, is another key.
func NewKey(kind, callerAccountID, value string, request any) Key {
	return Key{Scope: kind + ":" + callerAccountID, Value: value, Fingerprint: Fingerprint(request)}
}

// Record returns the record a create writes in its transaction for what it makes, or nil
// when the caller sent no key.
func (k Key) Record(resourceID string, now time.Time) *Record {
	if k.Value == "" {
		return nil
	}
	return &Record{Scope: k.Scope, Key: k.Value, Fingerprint: k.Fingerprint, ResourceID: resourceID, ExpiresAt: now.Add(TTL)}
}

// Pause and tries bound how long a create that lost to a concurrent request with the
// same key waits for that request's result: about a second, so that retries racing each
// other answer promptly.
const (
	pause = 200 * time.Millisecond
	tries = 5
)

// Once runs create at most once per key. A retry is answered by load from the ID that
// the first request recorded; the key with another request is Invalid. create must
// write k.Record in the same transaction as what it makes, so that a concurrent request
// with the same key fails with Conflict: Once then answers with the first request's
// result as soon as it is stored, or passes the conflict on (409 with Retry-After when
// the first is still being written).
func Once[T any](ctx context.Context, records Records, k Key, load func(ctx context.Context, resourceID string) (T, error), create func() (T, error)) (T, error) {
	if k.Value == "" {
		return create()
	}
	if first, found, err := replay(ctx, records, k, load); found || err != nil {
		return first, err
	}
	made, err := create()
	if !fault.Is(err, fault.Conflict) {
		return made, err
	}
	return awaitFirst(ctx, records, k, load, err)
}

// awaitFirst answers a create refused with Conflict. A concurrent request with the same
// key makes a transaction fail either because its record is stored (it is then found at
// once) or because it is still being written (the conflict then carries Retry-After, and
// the record appears within moments). Any other conflict, such as a name in use, is the
// create's own answer.
func awaitFirst[T any](ctx context.Context, records Records, k Key, load func(context.Context, string) (T, error), lost error) (T, error) {
	var zero T
	var refusal *fault.Error
	stillWriting := errors.As(lost, &refusal) && refusal.RetryAfter > 0
	for i := range tries {
		first, found, err := replay(ctx, records, k, load)
		if found || err != nil {
			return first, err
		}
		if !stillWriting || i == tries-1 {
			break
		}
		select {
		case <-ctx.Done():
			return zero, fault.Wrap(fault.Unavailable, ctx.Err(), "the request was cancelled")
		case <-time.After(pause):
		}
	}
	if stillWriting {
		return zero, &fault.Error{Code: fault.Conflict, Message: "another request is in progress on the same records (this key's first, or a concurrent one): try again shortly",
			Err: lost, RetryAfter: time.Second}
	}
	return zero, lost
}

// replay loads what the first request with the key made; found is false when the key is
// new. A record whose resource has since been deleted answers Gone rather than creating
// it again, which the caller did not ask for twice.
func replay[T any](ctx context.Context, records Records, k Key, load func(context.Context, string) (T, error)) (first T, found bool, err error) {
	rec, err := records.Idempotency(ctx, k.Scope, k.Value)
	if fault.Is(err, fault.NotFound) {
		return first, false, nil
	}
	if err != nil {
		return first, false, err
	}
	if rec.Fingerprint != k.Fingerprint {
		return first, true, ErrOtherRequest
	}
	first, err = load(ctx, rec.ResourceID)
	if fault.Is(err, fault.NotFound) {
		return first, true, &fault.Error{Code: fault.Conflict, Message: "what the first request with this Idempotency-Key created no longer exists; use a new key to create it again", Err: err}
	}
	return first, true, err
}
