package sip

import (
	"slices"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

var allStatuses = []Status{Created, InstallationSMSSent, Installed, ActivationSMSSent, Activated}

// TestStateMachine applies every action in every status (docs/sip.md).
func TestStateMachine(t *testing.T) {
	type outcome struct {
		to      Status
		enabled bool
	}
	// want[status][action]: the result, for the allowed moves only.
	want := map[Status]map[Action]outcome{
		Created:             {SendInstallationSMS: {InstallationSMSSent, false}},
		InstallationSMSSent: {SendInstallationSMS: {InstallationSMSSent, false}, Install: {Installed, false}, RevokeKeys: {Created, false}},
		Installed:           {SendActivationSMS: {ActivationSMSSent, false}, RevokeKeys: {Created, false}},
		ActivationSMSSent:   {SendActivationSMS: {ActivationSMSSent, false}, Activate: {Activated, true}, RevokeKeys: {Created, false}},
		Activated:           {Disable: {Activated, false}, Enable: {Activated, true}, RevokeKeys: {Created, false}},
	}
	then := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	now := then.Add(time.Hour)
	for _, st := range allStatuses {
		for _, action := range Actions {
			a := Account{LastStatus: st, LastStatusDate: then, Enabled: st == Activated, KeyVersion: 1, InstallTokenHash: "i", ActivateTokenHash: "a"}
			got, err := a.Apply(action, now)
			w, ok := want[st][action]
			if !ok {
				if !fault.Is(err, fault.Conflict) || got.LastStatus != st {
					t.Errorf("%s + %s: want a 409 that changes nothing, got %v", st, action, err)
				}
				continue
			}
			if err != nil || got.LastStatus != w.to || got.Enabled != w.enabled {
				t.Errorf("%s + %s: got %s enabled=%v (%v), want %s enabled=%v", st, action, got.LastStatus, got.Enabled, err, w.to, w.enabled)
			}
			moved := action != Disable && action != Enable
			if moved != got.LastStatusDate.Equal(now) {
				t.Errorf("%s + %s: lastStatusDate %v", st, action, got.LastStatusDate)
			}
			if action == RevokeKeys && (got.KeyVersion != 2 || got.InstallTokenHash != "" || got.ActivateTokenHash != "") {
				t.Errorf("revoke keys must move the key version on and forget the links: %+v", got)
			}
		}
		if !slices.Equal(Allowed(st), allowed[st]) {
			t.Errorf("Allowed(%s) is not the table", st)
		}
	}
}
