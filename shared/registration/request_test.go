package registration

import (
	"strings"
	"testing"

	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/fault"
)

func validRequest() Request {
	return Request{
		TemplateID: "business-pro", Schedule: Now,
		Tenant: TenantRequest{Name: "KentonElectronics", ShortName: "ke", UPNSuffix: "kenton-electronics.com",
			AdminUserName: "keAdmin", Password: "Correct-Horse-42", ANI: "+46812345678"},
		Contact: Contact{Name: "Kim Kenton", Email: "it@kenton-electronics.com", Phone: "+46701234567"},
	}
}

func TestValidate(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(*Request)
		field string // "" means valid
	}{
		{"the requirement's example (TR-2)", func(*Request) {}, ""},
		{"off-peak", func(r *Request) { r.Schedule = OffPeak }, ""},
		{"dotted admin name", func(r *Request) { r.Tenant.AdminUserName = "ke.admin" }, ""},
		{"subdomain suffix", func(r *Request) { r.Tenant.UPNSuffix = "tel.kenton-electronics.co.uk" }, ""},
		{"ANI with spaces normalises", func(r *Request) { r.Tenant.ANI = "+46 8 123 456 78" }, ""},
		{"no template", func(r *Request) { r.TemplateID = "" }, "templateId"},
		{"unknown template", func(r *Request) { r.TemplateID = "gold" }, "templateId"},
		{"unknown schedule", func(r *Request) { r.Schedule = "later" }, "schedule"},
		{"name with space", func(r *Request) { r.Tenant.Name = "Kenton Electronics" }, "tenant.name"},
		{"name with underscore", func(r *Request) { r.Tenant.Name = "Kenton_Electronics" }, "tenant.name"},
		{"name with hyphen", func(r *Request) { r.Tenant.Name = "Kenton-Electronics" }, "tenant.name"},
		{"name with accent", func(r *Request) { r.Tenant.Name = "Könton" }, "tenant.name"},
		{"name too long", func(r *Request) { r.Tenant.Name = strings.Repeat("a", 65) }, "tenant.name"},
		{"missing name", func(r *Request) { r.Tenant.Name = "" }, "tenant.name"},
		{"short name with dot", func(r *Request) { r.Tenant.ShortName = "k.e" }, "tenant.shortName"},
		{"short name too long", func(r *Request) { r.Tenant.ShortName = strings.Repeat("k", 17) }, "tenant.shortName"},
		{"suffix single label", func(r *Request) { r.Tenant.UPNSuffix = "kenton" }, "tenant.upnSuffix"},
		{"suffix with leading hyphen", func(r *Request) { r.Tenant.UPNSuffix = "-kenton.com" }, "tenant.upnSuffix"},
		{"suffix numeric tld", func(r *Request) { r.Tenant.UPNSuffix = "kenton.123" }, "tenant.upnSuffix"},
		{"suffix with empty label", func(r *Request) { r.Tenant.UPNSuffix = "kenton..com" }, "tenant.upnSuffix"},
		{"suffix with at", func(r *Request) { r.Tenant.UPNSuffix = "it@kenton.com" }, "tenant.upnSuffix"},
		{"admin name starting with digit", func(r *Request) { r.Tenant.AdminUserName = "1admin" }, "tenant.adminUserName"},
		{"admin name with space", func(r *Request) { r.Tenant.AdminUserName = "ke admin" }, "tenant.adminUserName"},
		{"admin name with trailing dot", func(r *Request) { r.Tenant.AdminUserName = "keadmin." }, "tenant.adminUserName"},
		{"missing password", func(r *Request) { r.Tenant.Password = "" }, "tenant.password"},
		{"short password", func(r *Request) { r.Tenant.Password = "Ab1!" }, "tenant.password"},
		{"password holding the user name", func(r *Request) { r.Tenant.Password = "keAdmin-Secret-1" }, "tenant.password"},
		{"national ANI", func(r *Request) { r.Tenant.ANI = "08-12345678" }, "tenant.ani"},
		{"impossible ANI", func(r *Request) { r.Tenant.ANI = "+46123" }, "tenant.ani"},
		{"missing contact name", func(r *Request) { r.Contact.Name = "" }, "contact.name"},
		{"email with display name", func(r *Request) { r.Contact.Email = "Kim <it@kenton.com>" }, "contact.email"},
		{"email without domain dot", func(r *Request) { r.Contact.Email = "it@kenton" }, "contact.email"},
		{"missing email", func(r *Request) { r.Contact.Email = "" }, "contact.email"},
		{"contact phone national", func(r *Request) { r.Contact.Phone = "0701234567" }, "contact.phone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := validRequest()
			c.edit(&req)
			err := req.Normalize().Validate(cat)
			if c.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var fe *fault.Error
			if !fault.Is(err, fault.Invalid) || !asFault(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != c.field {
				t.Fatalf("want exactly field %s invalid, got %v", c.field, err)
			}
			if strings.Contains(err.Error(), req.Tenant.Password) && req.Tenant.Password != "" {
				t.Fatal("the error echoes the password")
			}
		})
	}
}

func asFault(err error, fe **fault.Error) bool {
	e, ok := err.(*fault.Error)
	*fe = e
	return ok
}

func TestNormalize(t *testing.T) {
	req := validRequest()
	req.Tenant.UPNSuffix, req.Contact.Email, req.Tenant.ANI = " Kenton-Electronics.COM ", "IT@Kenton.com", "+46 8 123 456 78"
	n := req.Normalize()
	if n.Tenant.UPNSuffix != "kenton-electronics.com" || n.Contact.Email != "it@kenton.com" || n.Tenant.ANI != "+46812345678" {
		t.Fatalf("got %+v", n)
	}
}

func TestFingerprintIgnoresPasswordOnly(t *testing.T) {
	a, b := validRequest(), validRequest()
	b.Tenant.Password = "Other-Horse-99"
	if fingerprintOf(a) != fingerprintOf(b) {
		t.Fatal("the fingerprint depends on the password")
	}
	b.Schedule = OffPeak
	if fingerprintOf(a) == fingerprintOf(b) {
		t.Fatal("the fingerprint ignores the schedule")
	}
}

func TestValidateParsesNumbersItselfWhenNotNormalized(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	req := validRequest()
	req.Tenant.ANI, req.Contact.Phone = "0812345678", "+46 70 123 45 67"
	var fe *fault.Error
	if err := req.Validate(cat); !asFault(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != "tenant.ani" {
		t.Fatalf("a national ANI, not normalized: %v", err)
	}
	if err := req.Normalize().Validate(cat); !asFault(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != "tenant.ani" {
		t.Fatalf("a national ANI, normalized: %v", err)
	}
}
