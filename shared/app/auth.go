package app

import (
	"time"

	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/queue"
)

func authFunctions() map[string]Wiring {
	return map[string]Wiring{
		"LoginFunction":                LoginFunction,
		"PasswordResetFunction":        PasswordResetFunction,
		"PasswordResetMailerFunction":  PasswordResetMailerFunction,
		"PasswordResetConfirmFunction": PasswordResetConfirmFunction,
	}
}

// authService is the sign-in service with what every step shares; each function adds
// what its own step uses.
func (d *Deps) authService() *auth.Service {
	if d.Auth == nil {
		d.Auth = &auth.Service{Log: d.Log, Now: time.Now, NewID: ident.New}
	}
	return d.Auth
}

// resetMailer is the sign-in service that mails password-reset links.
func (d *Deps) resetMailer() *auth.Service {
	svc := d.authService()
	svc.Store = d.store().forAuth()
	svc.Mailer = d.mailer()
	svc.PortalURL = d.Env("PORTAL_URL")
	return svc
}

// LoginFunction answers POST /v1/auth/login with a signed token.
func LoginFunction(d *Deps) any {
	svc := d.authService()
	svc.Store = d.store().forAuth()
	svc.Signer = d.tokenSigner()
	api := &httpapi.API{Auth: svc}
	return d.Public(api, api.Login)
}

// PasswordResetFunction answers POST /v1/auth/password-reset: it only queues the request,
// so a known name and an unknown one take the same time.
func PasswordResetFunction(d *Deps) any {
	svc := d.authService()
	svc.Resets = d.queue("PASSWORD_RESET_QUEUE_URL")
	api := &httpapi.API{Auth: svc}
	return d.Public(api, api.RequestPasswordReset)
}

// PasswordResetMailerFunction mails the reset links of queued requests.
func PasswordResetMailerFunction(d *Deps) any {
	return queue.Consumer(d.Log, queue.ResetJobs(d.resetMailer().ProcessReset))
}

// PasswordResetConfirmFunction answers POST /v1/auth/password-reset/confirm.
func PasswordResetConfirmFunction(d *Deps) any {
	svc := d.authService()
	svc.Store = d.store().forAuth()
	api := &httpapi.API{Auth: svc}
	return d.Public(api, api.ConfirmPasswordReset)
}
