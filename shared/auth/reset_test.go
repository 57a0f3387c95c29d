package auth

import (
	"context"
	"testing"

	"github.com/provisio/provisio/shared/fault"
)

// queuedResets records the reset requests a service queues.
type queuedResets struct{ names []string }

func (q *queuedResets) EnqueueReset(_ context.Context, domain, username string) error {
	q.names = append(q.names, username+"@"+domain)
	return nil
}

func TestAResetRequestOnlyQueuesWhateverTheName(t *testing.T) {
	q := &queuedResets{}
	// No store: a request that looked the name up would panic here.
	svc := &Service{Resets: q}
	for _, name := range []string{"kim", "nobody"} {
		if err := svc.RequestReset(context.Background(), " Example.COM ", name); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if len(q.names) != 2 || q.names[0] != "kim@example.com" || q.names[1] != "nobody@example.com" {
		t.Fatalf("queued %v", q.names)
	}
	if err := svc.RequestReset(context.Background(), "", "kim"); !fault.Is(err, fault.Invalid) || len(q.names) != 2 {
		t.Fatalf("a request without a domain answered %v and queued %v", err, q.names)
	}
}
