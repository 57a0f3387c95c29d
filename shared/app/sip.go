package app

import (
	"time"

	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/sip"
)

func sipFunctions() map[string]Wiring {
	return map[string]Wiring{
		"CreateSipAccountFunction":     CreateSipAccountFunction,
		"ListSipAccountsFunction":      ListSipAccountsFunction,
		"GetSipAccountFunction":        GetSipAccountFunction,
		"UpdateSipAccountFunction":     UpdateSipAccountFunction,
		"DeleteSipAccountFunction":     DeleteSipAccountFunction,
		"SendInstallationSmsFunction":  SendInstallationSmsFunction,
		"SendActivationSmsFunction":    SendActivationSmsFunction,
		"DisableSipAccountFunction":    DisableSipAccountFunction,
		"EnableSipAccountFunction":     EnableSipAccountFunction,
		"RevokeSipKeysFunction":        RevokeSipKeysFunction,
		"InstallSipClientFunction":     InstallSipClientFunction,
		"ShowSipActivationFunction":    ShowSipActivationFunction,
		"ConfirmSipActivationFunction": ConfirmSipActivationFunction,
		"RegisteredClientsFunction":    RegisteredClientsFunction,
		"RegistrarEventsFunction":      RegistrarEventsFunction,
		"ReportRegistrationsFunction":  ReportRegistrationsFunction,
	}
}

// sipAPI is the API of the softphone routes on the table; the SMS and install routes add
// what they send.
func (d *Deps) sipAPI() *httpapi.API {
	return &httpapi.API{SIP: &sip.Service{Store: d.store().forSIP(), Log: d.Log, Now: time.Now, NewID: ident.New}}
}

// smsAPI is the API of the routes that text a softphone link.
func (d *Deps) smsAPI() *httpapi.API {
	api := d.sipAPI()
	api.SIP.SMS = d.texter()
	api.SIP.BaseURL = d.Env("PUBLIC_API_URL")
	return api
}

// CreateSipAccountFunction answers POST /v1/accounts/{accountId}/sip-accounts.
func CreateSipAccountFunction(d *Deps) any {
	api := d.sipAPI()
	return d.route(api, api.CreateSIPAccount)
}

// ListSipAccountsFunction answers GET /v1/accounts/{accountId}/sip-accounts.
func ListSipAccountsFunction(d *Deps) any {
	api := d.sipAPI()
	return d.route(api, api.ListSIPAccounts)
}

// GetSipAccountFunction answers GET .../sip-accounts/{sipId}.
func GetSipAccountFunction(d *Deps) any { api := d.sipAPI(); return d.route(api, api.GetSIPAccount) }

// UpdateSipAccountFunction answers PATCH .../sip-accounts/{sipId}.
func UpdateSipAccountFunction(d *Deps) any {
	api := d.sipAPI()
	return d.route(api, api.UpdateSIPAccount)
}

// DeleteSipAccountFunction answers DELETE .../sip-accounts/{sipId}.
func DeleteSipAccountFunction(d *Deps) any {
	api := d.sipAPI()
	return d.route(api, api.DeleteSIPAccount)
}

// SendInstallationSmsFunction answers POST .../sip-accounts/{sipId}/installation-sms.
func SendInstallationSmsFunction(d *Deps) any {
	api := d.smsAPI()
	return d.route(api, api.SendInstallationSMS)
}

// SendActivationSmsFunction answers POST .../sip-accounts/{sipId}/activation-sms.
func SendActivationSmsFunction(d *Deps) any {
	api := d.smsAPI()
	return d.route(api, api.SendActivationSMS)
}

// DisableSipAccountFunction answers POST .../sip-accounts/{sipId}/disable.
func DisableSipAccountFunction(d *Deps) any {
	api := d.sipAPI()
	api.SIP.Events = d.events()
	return d.route(api, api.DisableSIPAccount)
}

// EnableSipAccountFunction answers POST .../sip-accounts/{sipId}/enable.
func EnableSipAccountFunction(d *Deps) any {
	api := d.sipAPI()
	return d.route(api, api.EnableSIPAccount)
}

// RevokeSipKeysFunction answers POST .../sip-accounts/{sipId}/revoke-keys.
func RevokeSipKeysFunction(d *Deps) any { api := d.sipAPI(); return d.route(api, api.RevokeSIPKeys) }

// InstallSipClientFunction answers the installation link a softphone opens.
func InstallSipClientFunction(d *Deps) any {
	api := d.sipAPI()
	api.SIP.Proxy = d.Env("SIP_PROXY")
	return d.Public(api, api.InstallSIPClient)
}

// ShowSipActivationFunction answers the activation page the SMS opens.
func ShowSipActivationFunction(d *Deps) any {
	api := d.sipAPI()
	return d.Public(api, api.ShowSIPActivation)
}

// ConfirmSipActivationFunction answers the activation page's confirmation.
func ConfirmSipActivationFunction(d *Deps) any {
	api := d.sipAPI()
	api.SIP.Events = d.events()
	return d.Public(api, api.ConfirmSIPActivation)
}

// RegisteredClientsFunction answers GET .../sip-accounts/{sipId}/registrations.
func RegisteredClientsFunction(d *Deps) any {
	api := d.sipAPI()
	return d.route(api, api.RegisteredClients)
}

// ReportRegistrationsFunction answers POST /v1/registrar-events: the registrar's API key
// reports registrations over HTTPS, the same events the queue carries.
func ReportRegistrationsFunction(d *Deps) any {
	api := &httpapi.API{Registrar: &sip.Registrar{Store: d.store().forRegistrar(), Now: time.Now}}
	return d.machineRoute(api, api.ReportRegistrations)
}

// RegistrarEventsFunction records the registrar's REGISTER events.
func RegistrarEventsFunction(d *Deps) any {
	d.Registrar = &sip.Registrar{Store: d.store().forRegistrar(), Now: time.Now}
	return queue.Consumer(d.Log, d.Registrar.Record)
}
