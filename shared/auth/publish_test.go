package auth

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// keyTable is the table's token keys item as the sign-in function writes it; the other
// Store methods are not called. conflicts makes that many saves lose a race first.
type keyTable struct {
	Store
	set       KeySet
	saves     int
	conflicts int
}

func (k *keyTable) TokenKeys(context.Context) (KeySet, error) { return k.set, nil }

func (k *keyTable) SaveTokenKeys(_ context.Context, ks KeySet) error {
	if k.conflicts > 0 {
		k.conflicts--
		k.set.Version++ // another instance wrote meanwhile
		return fault.New(fault.Conflict, "the record changed")
	}
	if ks.Version != k.set.Version+1 {
		return fault.New(fault.Conflict, "the record changed")
	}
	k.set = ks
	k.saves++
	return nil
}

func TestTheSignInFunctionPublishesItsKeyBeforeItSigns(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	old, current := signerAt(t, seed+"-old", now), signerAt(t, seed, now)
	table := &keyTable{set: KeySet{Current: old.Public, RotatedAt: now.Add(-time.Hour), Version: 4}, conflicts: 1}
	svc := &Service{Store: table, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Signer: func(context.Context) (*Signer, error) { return current, nil }}
	for range 3 {
		got, err := svc.signer(context.Background())
		if err != nil || got != current {
			t.Fatalf("signer: %v, %v", got, err)
		}
	}
	if table.saves != 1 || table.set.Current.ID != current.Public.ID || table.set.Previous.ID != old.Public.ID {
		t.Fatalf("after three sign-ins: %d saves, keys %+v", table.saves, table.set)
	}
}
