package registration

import (
	"slices"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

var allStatuses = []Status{Requested, Scheduled, Queued, Provisioning, Completed, Failed}

// TestStateMachine checks every state against every target (docs/registration.md).
func TestStateMachine(t *testing.T) {
	allowed := map[Status][]Status{
		Requested:    {Scheduled, Queued, Failed},
		Scheduled:    {Queued, Failed},
		Queued:       {Provisioning, Failed},
		Provisioning: {Completed, Failed},
	}
	at := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			r := Registration{Status: from, History: []Event{{Status: from}}}
			moved, err := r.Move(to, at, "because")
			want := slices.Contains(allowed[from], to)
			if want != (err == nil) {
				t.Errorf("%s -> %s: err %v, want allowed=%v", from, to, err, want)
				continue
			}
			if err != nil {
				if !fault.Is(err, fault.Conflict) || moved.Status != from {
					t.Errorf("%s -> %s: refused move must be a Conflict and change nothing", from, to)
				}
				continue
			}
			last := moved.History[len(moved.History)-1]
			if moved.Status != to || last != (Event{Status: to, At: at, Reason: "because"}) || len(r.History) != 1 {
				t.Errorf("%s -> %s: got %+v", from, to, moved)
			}
		}
		if Final(from) != (len(allowed[from]) == 0) {
			t.Errorf("Final(%s) wrong", from)
		}
	}
}

func TestFailureReason(t *testing.T) {
	r := Registration{Status: Provisioning}
	failed, _ := r.Move(Failed, time.Now(), "template withdrawn")
	if failed.FailureReason() != "template withdrawn" || r.FailureReason() != "" {
		t.Fatal("wrong failure reason")
	}
}
