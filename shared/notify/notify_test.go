package notify

import (
	"reflect"
	"strings"
	"testing"
	"text/template"

	"github.com/provisio/provisio/shared/notify/message"
)

func TestRenderEveryTemplate(t *testing.T) {
	m := NewTemplates()
	data := sampleData()
	for name := range m.byName {
		subject, body, err := m.Render(name, data[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if (subject == "") != name.IsSMS() || !strings.Contains(body, "r1") && !strings.Contains(body, "KentonElectronics") {
			t.Errorf("%s: subject %q or body lacks the tenant or reference", name, subject)
		}
	}
	if len(m.byName) != len(data) {
		t.Fatalf("%d templates parsed, %d tested", len(m.byName), len(data))
	}
	// Every name the code sends has its file, and every file a name.
	for _, name := range message.All {
		if _, ok := m.byName[name]; !ok {
			t.Errorf("message.%s has no templates/%s.tmpl", name, name)
		}
	}
	if len(message.All) != len(m.byName) {
		t.Errorf("%d template files, %d names in package message", len(m.byName), len(message.All))
	}
	if _, _, err := m.Render("registration-completed", struct{}{}); err == nil {
		t.Error("missing data: want an error")
	}
	if _, _, err := m.Render("nope", data["registration-completed"]); err == nil {
		t.Error("unknown template: want an error")
	}
}

// sampleData is a realistic data value for every message file.
func sampleData() map[message.Name]any {
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
	comment := struct{ ID, AccountID, Number, Status, By, Comment string }{"r1", "acc-1", "+46701234567", "pending", "usr-1", "see the new consent"}
	step := struct{ ID, Number, Status, Reason, Comment, ConfirmedAt string }{"r1", "+46701234567", "rejected", "wrong owner", "", ""}
	contactMail := struct{ Name, AccountName, Domain, Username, Password, PortalURL string }{
		"Kim", "KentonElectronics", "kenton.example", "kim@kenton.example", "r1-generated", "https://portal"}
	code := struct {
		Name, AccountName, Brand, Code string
		Minutes                        int
	}{"Kim", "KentonElectronics", "Kenton", "123456", 15}
	low := struct{ Account, Balance, Threshold string }{"KentonElectronics", "-12.50", "100.00"}
	return map[message.Name]any{"low-balance": low, "contact-welcome": contactMail, "contact-password": contactMail, "contact-code": code, "sms-contact-code": code,
		"porting-step": step, "porting-new": desk, "porting-comment": comment, "user-welcome": userWelcome, "registration-completed": outcome, "registration-failed": outcome, "account-admin-welcome": welcome,
		"password-reset": reset, "sip-installation": sms, "sip-activation": sms}
}

// variants are data filled three ways: as given, every field set (strings to their own
// name, numbers to 7, flags true), and every field zero, so each branch of each file runs.
func variants(data any) []any {
	v := reflect.ValueOf(data)
	full, zero := reflect.New(v.Type()).Elem(), reflect.New(v.Type()).Elem()
	for i := range v.NumField() {
		switch f := full.Field(i); f.Kind() {
		case reflect.String:
			f.SetString(v.Type().Field(i).Name)
		case reflect.Int:
			f.SetInt(7)
		case reflect.Bool:
			f.SetBool(true)
		}
	}
	out := []any{data, full.Interface(), zero.Interface()}
	if f := full.FieldByName("Status"); f.IsValid() {
		f.SetString("rejected")
		out = append(out, full.Interface())
	}
	return out
}

// TestRendersAsTextTemplateDoes holds render.go to text/template's output for every file
// and every branch.
func TestRendersAsTextTemplateDoes(t *testing.T) {
	m := NewTemplates()
	for name, data := range sampleData() {
		ref := template.Must(template.New(string(name)).Option("missingkey=error").ParseFS(files, "templates/"+string(name)+".tmpl"))
		for _, d := range variants(data) {
			var wantSubject, wantBody strings.Builder
			if ref.Lookup("subject") != nil {
				if err := ref.ExecuteTemplate(&wantSubject, "subject", d); err != nil {
					t.Fatal(err)
				}
			}
			if err := ref.ExecuteTemplate(&wantBody, "body", d); err != nil {
				t.Fatal(err)
			}
			subject, body, err := m.Render(name, d)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if subject != wantSubject.String() || body != wantBody.String() {
				t.Errorf("%s with %+v:\ngot  %q / %q\nwant %q / %q", name, d, subject, body, wantSubject.String(), wantBody.String())
			}
		}
	}
}
