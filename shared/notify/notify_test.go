package notify

import (
	"strings"
	"testing"
)

func TestRenderEveryTemplate(t *testing.T) {
	m := NewMailer(nil, "no-reply@example.com")
	outcome := struct {
		ContactName, TenantName, Domain, UserName, PersonnelID, Realm, PortalURL, RegistrationID, Reason string
		SmartQueues                                                                                      bool
	}{"Kim", "KentonElectronics", "kenton-electronics.com", "keAdmin", "prpkeAdmin", "abc.sip.example", "https://portal", "r1", "it broke", true}
	welcome := struct{ FirstName, AccountName, Realm, Username, Password, PortalURL string }{
		"Kim", "KentonElectronics", "abc.sip.example", "kim@kenton.se", "", "https://portal"}
	reset := struct {
		Username, Link string
		Minutes        int
	}{"kim@kenton.se", "https://portal/reset-password?token=r1", 30}
	sms := struct {
		DisplayName, Brand, Link string
		Hours                    int
	}{"KentonElectronics phone", "Kenton", "https://api/v1/sip/install/r1", 24}
	userWelcome := struct{ FirstName, AccountName, Domain, Username, Email, Password, PortalURL, ActivationDate string }{
		"Kim", "KentonElectronics", "kenton.example", "kim", "kim@kenton.example", "", "https://portal", "2026-12-01"}
	desk := struct{ ID, AccountID, Number, ProposedAt, Problem string }{"r1", "acc-1", "+46701234567", "2026-12-03T09:00:00+01:00", ""}
	step := struct{ ID, Number, Status, Reason, Comment, ConfirmedAt string }{"r1", "+46701234567", "rejected", "wrong owner", "", ""}
	contactMail := struct{ Name, AccountName, Domain, Username, Password, PortalURL string }{
		"Kim", "KentonElectronics", "kenton.example", "kim@kenton.example", "r1-generated", "https://portal"}
	code := struct {
		Name, AccountName, Brand, Code string
		Minutes                        int
	}{"Kim", "KentonElectronics", "Kenton", "123456", 15}
	data := map[string]any{"contact-welcome": contactMail, "contact-password": contactMail, "contact-code": code, "sms-contact-code": code,
		"porting-step": step, "porting-new": desk, "user-welcome": userWelcome, "registration-completed": outcome, "registration-failed": outcome, "account-admin-welcome": welcome,
		"password-reset": reset, "sip-installation": sms, "sip-activation": sms}
	for name := range m.byName {
		subject, body, err := m.Render(name, data[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		isSMS := strings.HasPrefix(name, "sip-") || strings.HasPrefix(name, "sms-")
		if (subject == "") != isSMS || !strings.Contains(body, "r1") && !strings.Contains(body, "KentonElectronics") {
			t.Errorf("%s: subject %q or body lacks the tenant or reference", name, subject)
		}
	}
	if len(m.byName) != len(data) {
		t.Fatalf("%d templates parsed, %d tested", len(m.byName), len(data))
	}
	if _, _, err := m.Render("registration-completed", struct{}{}); err == nil {
		t.Error("missing data: want an error")
	}
	if _, _, err := m.Render("nope", outcome); err == nil {
		t.Error("unknown template: want an error")
	}
}
