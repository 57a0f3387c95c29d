package app

import (
	"time"

	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
)

func contactFunctions() map[string]Wiring {
	return map[string]Wiring{
		"CreateContactFunction":       CreateContactFunction,
		"ListContactsFunction":        ListContactsFunction,
		"GetContactFunction":          GetContactFunction,
		"UpdateContactFunction":       UpdateContactFunction,
		"DeleteContactFunction":       DeleteContactFunction,
		"SetContactPasswordFunction":  SetContactPasswordFunction,
		"VerifyContactEmailFunction":  VerifyContactEmailFunction,
		"VerifyContactMobileFunction": VerifyContactMobileFunction,
		"ConfirmContactFunction":      ConfirmContactFunction,
	}
}

// contactsAPI is the API of the contact routes on the table.
func (d *Deps) contactsAPI() *httpapi.API {
	return &httpapi.API{Contacts: &contact.Service{Store: d.store().forContacts(), Log: d.Log, Now: time.Now, NewID: ident.New}}
}

// welcomingContactsAPI is the API of the contact routes that mail sign-in details.
func (d *Deps) welcomingContactsAPI() *httpapi.API {
	api := d.contactsAPI()
	api.Contacts.Mailer = d.mailer()
	api.Contacts.PortalURL = d.Env("PORTAL_URL")
	return api
}

// CreateContactFunction answers POST /v1/accounts/{accountId}/contacts.
func CreateContactFunction(d *Deps) any {
	api := d.welcomingContactsAPI()
	return d.route(api, api.CreateContact)
}

// ListContactsFunction answers GET /v1/accounts/{accountId}/contacts.
func ListContactsFunction(d *Deps) any { api := d.contactsAPI(); return d.route(api, api.ListContacts) }

// GetContactFunction answers GET .../contacts/{contactId}.
func GetContactFunction(d *Deps) any { api := d.contactsAPI(); return d.route(api, api.GetContact) }

// UpdateContactFunction answers PATCH .../contacts/{contactId}.
func UpdateContactFunction(d *Deps) any {
	api := d.contactsAPI()
	return d.route(api, api.UpdateContact)
}

// DeleteContactFunction answers DELETE .../contacts/{contactId}.
func DeleteContactFunction(d *Deps) any {
	api := d.contactsAPI()
	return d.route(api, api.DeleteContact)
}

// SetContactPasswordFunction answers POST .../contacts/{contactId}/password.
func SetContactPasswordFunction(d *Deps) any {
	api := d.welcomingContactsAPI()
	return d.route(api, api.SetContactPassword)
}

// VerifyContactEmailFunction answers POST .../contacts/{contactId}/email-verification.
func VerifyContactEmailFunction(d *Deps) any {
	api := d.contactsAPI()
	api.Contacts.Mailer = d.mailer()
	return d.route(api, api.VerifyContactEmail)
}

// VerifyContactMobileFunction answers POST .../contacts/{contactId}/mobile-verification.
func VerifyContactMobileFunction(d *Deps) any {
	api := d.contactsAPI()
	api.Contacts.SMS = d.texter()
	return d.route(api, api.VerifyContactMobile)
}

// ConfirmContactFunction answers POST .../contacts/{contactId}/confirmations.
func ConfirmContactFunction(d *Deps) any {
	api := d.contactsAPI()
	return d.route(api, api.ConfirmContact)
}
