package user

import (
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

func TestCheckAddress(t *testing.T) {
	good := account.Address{Name: "Kenton Electronics AB", Street: "Storgatan 1", PostalCode: "111 22", City: "Stockholm", Country: "SE"}
	cases := []struct {
		name  string
		edit  func(*account.Address)
		field string
	}{
		{"valid", func(*account.Address) {}, ""},
		{"UK postcode", func(a *account.Address) { a.PostalCode, a.Country = "SW1A 1AA", "GB" }, ""},
		{"missing name", func(a *account.Address) { a.Name = " " }, "invoiceAddress.name"},
		{"missing street", func(a *account.Address) { a.Street = "" }, "invoiceAddress.street"},
		{"postal code with symbols", func(a *account.Address) { a.PostalCode = "111#22" }, "invoiceAddress.postalCode"},
		{"postal code too long", func(a *account.Address) { a.PostalCode = "12345678901" }, "invoiceAddress.postalCode"},
		{"missing city", func(a *account.Address) { a.City = "" }, "invoiceAddress.city"},
		{"country name", func(a *account.Address) { a.Country = "Sweden" }, "invoiceAddress.country"},
		{"lower-case country", func(a *account.Address) { a.Country = "se" }, "invoiceAddress.country"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := good
			c.edit(&a)
			var f fault.Fields
			checkAddress(&f, "invoiceAddress", a)
			err := f.Err()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			fe, ok := err.(*fault.Error)
			if !ok || len(fe.Fields) != 1 || fe.Fields[0].Field != c.field {
				t.Fatalf("want %s refused, got %v", c.field, err)
			}
		})
	}
}

// TestActivationDatesAreInTheAccountsZone: 23:30 UTC on the 1st is already the 2nd in
// Stockholm, so "today" there is the 2nd.
func TestActivationDatesAreInTheAccountsZone(t *testing.T) {
	sthlm, _ := time.LoadLocation("Europe/Stockholm")
	now := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)
	cases := []struct {
		date string
		ok   bool
	}{
		{"2026-12-02", true},  // today in Stockholm
		{"2026-12-01", false}, // yesterday there, though still today in UTC
		{"2027-01-15", true},
		{"2026-13-01", false},
		{"1 Dec 2026", false},
	}
	for _, c := range cases {
		var f fault.Fields
		at := activationInstant(&f, "activationDate", c.date, sthlm, now)
		if (f.Err() == nil) != c.ok {
			t.Errorf("%s: %v", c.date, f.Err())
		}
		if c.ok && !at.Equal(time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, sthlm)) {
			t.Errorf("%s: activates at %v, not midnight in Stockholm", c.date, at)
		}
	}
}
