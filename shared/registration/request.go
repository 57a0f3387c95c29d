package registration

import (
	"net/mail"
	"strings"

	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/phone"
	"github.com/provisio/provisio/shared/text"
)

// Request is a registration as the form submits it. Password confirmation is the form's
// job: only one password arrives here.
type Request struct {
	TemplateID string
	Schedule   Schedule
	Tenant     TenantRequest
	Contact    Contact

	// numbers holds what Normalize learnt parsing the two telephone numbers, so that
	// Validate does not parse them again (each parse costs over a hundred allocations).
	numbers *numberReasons
}

// numberReasons are why the ANI and the contact's phone are not valid numbers ("" when
// they are).
type numberReasons struct{ ani, phone string }

// TenantRequest is the Tenant tab of the form.
type TenantRequest struct {
	Name, ShortName, UPNSuffix, AdminUserName, Password, ANI string
}

// userName reports whether s is a user name: a letter first, then letters and digits,
// with single dots or hyphens joining parts.
func userName(s string) bool {
	if s == "" || !strings.Contains(text.Uppercase+text.Lowercase, s[:1]) || !text.Of(s, text.Alphanumeric+".-", 1, len(s)) {
		return false
	}
	return !strings.Contains(s, "..") && !strings.Contains(s, "--") && !strings.Contains(s, ".-") && !strings.Contains(s, "-.") &&
		!strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "-")
}

// dnsLabel reports whether s is one DNS label: 1 to 63 lower-case letters, digits and
// inner hyphens.
func dnsLabel(s string) bool {
	return text.Of(s, text.Lowercase+text.Digits+"-", 1, 63) && s[0] != '-' && s[len(s)-1] != '-'
}

// topLabel reports whether l can end a domain: 2 to 63 letters.
func topLabel(l string) bool { return text.Of(l, "abcdefghijklmnopqrstuvwxyz", 2, 63) }

// Field length limits, documented in docs/registration.md.
const (
	maxNameLen      = 64
	maxShortNameLen = 16
	maxUserNameLen  = 32
	maxContactLen   = 100
)

// Normalize returns req with values put in canonical form (trimmed, domain and email
// lower-cased, numbers in E.164 where they parse), so uniqueness and replays compare alike.
func (req Request) Normalize() Request {
	t := &req.Tenant
	t.Name = strings.TrimSpace(t.Name)
	t.ShortName = strings.TrimSpace(t.ShortName)
	t.UPNSuffix = strings.ToLower(strings.TrimSpace(t.UPNSuffix))
	t.AdminUserName = strings.TrimSpace(t.AdminUserName)
	reasons := &numberReasons{}
	if n, reason := phone.E164(t.ANI); reason == "" {
		t.ANI = n
	} else {
		reasons.ani = reason
	}
	c := &req.Contact
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	if n, reason := phone.E164(c.Phone); reason == "" {
		c.Phone = n
	} else {
		reasons.phone = reason
	}
	req.numbers = reasons
	return req
}

// Validate checks a normalized request against the rules of TR-2 to TR-7 and the catalog. It
// returns an Invalid error listing every broken field; the password never appears in it.
func (req Request) Validate(cat *catalog.Catalog) error {
	var f fault.Fields
	if req.TemplateID == "" {
		f.Add("templateId", "is required")
	} else if _, ok := cat.Find(req.TemplateID); !ok {
		f.Add("templateId", "is not an offered service template (see GET /v1/templates)")
	}
	if req.Schedule != Now && req.Schedule != OffPeak {
		f.Add("schedule", `must be "now" or "off-peak"`)
	}
	t := req.Tenant
	checkName(&f, "tenant.name", t.Name, maxNameLen)
	checkName(&f, "tenant.shortName", t.ShortName, maxShortNameLen)
	if reason := domainReason(t.UPNSuffix); reason != "" {
		f.Add("tenant.upnSuffix", reason)
	}
	switch {
	case t.AdminUserName == "":
		f.Add("tenant.adminUserName", "is required")
	case len(t.AdminUserName) > maxUserNameLen:
		f.Add("tenant.adminUserName", "must be at most 32 characters")
	case !userName(t.AdminUserName):
		f.Add("tenant.adminUserName", "must start with a letter and hold only letters, digits, and single dots or hyphens between them")
	}
	if t.Password == "" {
		f.Add("tenant.password", "is required")
	} else if reason := password.Check(t.Password, t.AdminUserName, t.Name, t.ShortName); reason != "" {
		f.Add("tenant.password", reason)
	}
	numbers := req.numbers
	if numbers == nil { // not normalized: parse here
		numbers = &numberReasons{}
		_, numbers.ani = phone.E164(t.ANI)
		_, numbers.phone = phone.E164(req.Contact.Phone)
	}
	if numbers.ani != "" {
		f.Add("tenant.ani", numbers.ani)
	}
	c := req.Contact
	switch {
	case c.Name == "":
		f.Add("contact.name", "is required")
	case len(c.Name) > maxContactLen:
		f.Add("contact.name", "must be at most 100 characters")
	}
	if reason := emailReason(c.Email); reason != "" {
		f.Add("contact.email", reason)
	}
	if numbers.phone != "" {
		f.Add("contact.phone", numbers.phone)
	}
	return f.Err()
}

func checkName(f *fault.Fields, field, v string, max int) {
	switch {
	case v == "":
		f.Add(field, "is required")
	case len(v) > max:
		f.Add(field, "is too long")
	case !text.Of(v, text.Alphanumeric, 1, max): // TR-2: no spaces, underscores or special characters
		f.Add(field, "must hold only letters and digits: no spaces, underscores or special characters")
	}
}

func domainReason(d string) string {
	if d == "" {
		return "is required"
	}
	if len(d) > 253 {
		return "is longer than a domain may be"
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "must be a domain such as kenton-electronics.com"
	}
	for _, l := range labels {
		if !dnsLabel(l) {
			return "must be a domain such as kenton-electronics.com"
		}
	}
	if !topLabel(labels[len(labels)-1]) {
		return "must end with a top-level domain of letters"
	}
	return ""
}

func emailReason(e string) string {
	if e == "" {
		return "is required"
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" {
		return "must be a plain email address such as it@kenton-electronics.com"
	}
	at := strings.LastIndexByte(e, '@')
	if domainReason(e[at+1:]) != "" {
		return "must end with a valid domain"
	}
	return ""
}
