package porting

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// complete is a losing carrier's details as scheduling needs them.
var complete = LosingCarrier{Name: "Telia", AccountNumber: "1234567", PIN: "4321", SigneeName: "Kim Larsson", SignedOn: "2026-11-20"}

func TestStateMachine(t *testing.T) {
	allowed := map[Status][]Status{
		Submitted: {Pending, Rejected, Canceled},
		Pending:   {Scheduled, Rejected, Canceled},
		Scheduled: {Completed, Rejected, Canceled},
		Rejected:  {Submitted, Canceled},
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, from := range all {
		for _, to := range all {
			r := Request{Status: from, LosingCarrier: complete}
			m := Move{To: to, By: "usr-op", Reason: "number owner differs", ConfirmedAt: now.Add(48 * time.Hour)}
			got, err := r.Apply(m, now)
			want := slices.Contains(allowed[from], to)
			if want != (err == nil) {
				t.Errorf("%s -> %s: %v, want allowed=%v", from, to, err, want)
				continue
			}
			if err != nil {
				if !fault.Is(err, fault.Conflict) || got.Status != from {
					t.Errorf("%s -> %s: want a 409 that changes nothing", from, to)
				}
				continue
			}
			step := got.Timeline[len(got.Timeline)-1]
			if got.Status != to || step.By != "usr-op" || !step.At.Equal(now) {
				t.Errorf("%s -> %s: %+v", from, to, got)
			}
		}
	}
}

func TestMovesNeedTheirFields(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if _, err := (Request{Status: Submitted}).Apply(Move{To: Rejected}, now); !fault.Is(err, fault.Invalid) {
		t.Fatalf("rejecting without a reason: %v", err)
	}
	if _, err := (Request{Status: Pending, LosingCarrier: complete}).Apply(Move{To: Scheduled, ConfirmedAt: now.Add(-time.Hour)}, now); !fault.Is(err, fault.Invalid) {
		t.Fatalf("scheduling in the past: %v", err)
	}
	partial := complete
	partial.PIN, partial.SigneeName = "", ""
	_, err := (Request{Status: Pending, LosingCarrier: partial}).Apply(Move{To: Scheduled, ConfirmedAt: now.Add(24 * time.Hour)}, now)
	if !fault.Is(err, fault.Conflict) || !strings.Contains(err.Error(), "losingCarrier.pin or billingNumber, losingCarrier.signeeName") {
		t.Fatalf("scheduling without the losing carrier's PIN and signee: %v", err)
	}
	partial.BillingNumber, partial.SigneeName = "08-123 456", "Kim Larsson" // a billing number stands in for the PIN
	got, err := (Request{Status: Pending, LosingCarrier: partial}).Apply(Move{To: Scheduled, ConfirmedAt: now.Add(24 * time.Hour)}, now)
	if err != nil || !got.ConfirmedAt.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("scheduling: %+v %v", got, err)
	}
}

func TestCheckProposal(t *testing.T) {
	sthlm, _ := time.LoadLocation("Europe/Stockholm")
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) // a Tuesday
	cases := map[string]struct {
		at time.Time
		ok bool
	}{
		"Thursday 09:00 local":     {time.Date(2026, 12, 3, 9, 0, 0, 0, sthlm), true},
		"Thursday 16:59 local":     {time.Date(2026, 12, 3, 16, 59, 0, 0, sthlm), true},
		"Thursday 17:00 local":     {time.Date(2026, 12, 3, 17, 0, 0, 0, sthlm), false},
		"Thursday 07:30 local":     {time.Date(2026, 12, 3, 7, 30, 0, 0, sthlm), false},
		"Saturday":                 {time.Date(2026, 12, 5, 10, 0, 0, 0, sthlm), false},
		"in the past":              {time.Date(2026, 11, 23, 10, 0, 0, 0, sthlm), false},
		"08:00 UTC is 09:00 local": {time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC), true},
		"16:30 UTC is 17:30 local": {time.Date(2026, 12, 3, 16, 30, 0, 0, time.UTC), false},
	}
	for name, c := range cases {
		if got := CheckProposal(c.at, sthlm, now); (got == "") != c.ok {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func TestLosingCarrierChecks(t *testing.T) {
	var f fault.Fields
	LosingCarrier{Name: strings.Repeat("x", 101), SignedOn: "2026-12-02"}.Check(&f, "losingCarrier.", "2026-12-01")
	LosingCarrier{SignedOn: "1 Dec"}.Check(&f, "p.", "2026-12-01")
	LosingCarrier{PIN: "12\x00"}.Check(&f, "q.", "2026-12-01")
	var got []string
	for _, r := range f.List() {
		got = append(got, r.Field)
	}
	if want := "losingCarrier.name losingCarrier.signedOn p.signedOn q.pin"; strings.Join(got, " ") != want {
		t.Fatalf("fields %v, want %s", got, want)
	}
	var ok fault.Fields
	complete.Normalized().Check(&ok, "", "2026-12-01")
	if ok.Err() != nil || len(complete.Missing()) != 0 {
		t.Fatalf("complete details: %v %v", ok.Err(), complete.Missing())
	}
	if n := (LosingCarrier{Name: "  Telia "}).Normalized(); n.Name != "Telia" {
		t.Fatalf("normalized %q", n.Name)
	}
}
