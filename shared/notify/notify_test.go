package notify

import (
	"strings"
	"testing"
)

func TestRenderEveryTemplate(t *testing.T) {
	m := NewMailer(nil, "no-reply@example.com")
	data := struct {
		ContactName, TenantName, Domain, UserName, PersonnelID, Realm, PortalURL, RegistrationID, Reason string
	}{"Kim", "KentonElectronics", "kenton-electronics.com", "keAdmin", "prpkeAdmin", "abc.sip.example", "https://portal", "r1", "it broke"}
	for name := range m.templates {
		subject, body, err := m.Render(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(subject, "KentonElectronics") || !strings.Contains(body, "r1") {
			t.Errorf("%s: subject %q or body lacks the tenant or reference", name, subject)
		}
	}
	if len(m.templates) < 2 {
		t.Fatalf("only %d templates parsed", len(m.templates))
	}
	if _, _, err := m.Render("registration-completed", struct{}{}); err == nil {
		t.Error("missing data: want an error")
	}
	if _, _, err := m.Render("nope", data); err == nil {
		t.Error("unknown template: want an error")
	}
}
