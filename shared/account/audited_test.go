package account

import (
	"testing"
	"time"

	"github.com/provisio/provisio/shared/audit"
)

// An audit entry shows of an account or a user what their views show: a change to what
// only the system keeps (a session epoch, a code's hash, the contact email) is no
// difference at all, and a change to what readers see is one.
func TestAuditEntriesShowOnlyWhatTheViewsShow(t *testing.T) {
	sent := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	m := Member{ID: "usr-1", AccountID: "acc-1", Username: "kim", PersonnelID: "prp1", SessionEpoch: 1,
		Contact: &Contact{Name: "Kim", Pending: map[Channel]PendingCode{EmailChannel: {CodeHash: "h1", SentTo: "kim@example.com", SentAt: sent, MessageID: "m1"}}}}
	hidden := m
	hidden.SessionEpoch, hidden.PersonnelID, hidden.ActivatesAt = 2, "prp2", sent
	hidden.Contact = &Contact{Name: "Kim", Pending: map[Channel]PendingCode{EmailChannel: {CodeHash: "h2", SentTo: "kim@example.com", SentAt: sent, MessageID: "m1"}}}
	if d := audit.New(sent, "usr-0", audit.User, audit.Update, m.ID, m, hidden).Diff; len(d) != 0 {
		t.Errorf("a user's system fields show in its audit diff: %v", d)
	}
	shown := m
	shown.FirstName = "Kim"
	if d := audit.New(sent, "usr-0", audit.User, audit.Update, m.ID, m, shown).Diff; len(d) != 1 || d["firstName"].After != "Kim" {
		t.Errorf("a user's first name: %v", d)
	}

	a := Account{ID: "acc-1", Name: "Kenton", Features: []string{"sms"}, ContactEmail: "kim@example.com"}
	b := a
	b.Features, b.ContactEmail = nil, "lee@example.com"
	if d := audit.New(sent, "usr-0", audit.Account, audit.Update, a.ID, a, b).Diff; len(d) != 0 {
		t.Errorf("an account's fields outside its view show in its audit diff: %v", d)
	}
	b.Name = "Kenton AB"
	if d := audit.New(sent, "usr-0", audit.Account, audit.Update, a.ID, a, b).Diff; len(d) != 1 || d["name"].After != "Kenton AB" {
		t.Errorf("an account's name: %v", d)
	}
	var none *Member
	if d := audit.New(sent, "usr-0", audit.User, audit.Delete, m.ID, m, none).Diff; d["username"].Before != "kim" || d["username"].After != nil {
		t.Errorf("a delete, with a nil user after: %v", d)
	}
}
