package app

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
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
		"AuthorizerFunction":           AuthorizerFunction,
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
	svc.Store = d.store()
	svc.Mailer = d.mailer()
	svc.PortalURL = d.env("PORTAL_URL")
	return svc
}

// LoginFunction answers POST /v1/auth/login with a signed token.
func LoginFunction(d *Deps) any {
	svc := d.authService()
	svc.Store = d.store()
	svc.Keys = d.tokenKeys()
	api := &httpapi.API{Auth: svc}
	return d.route(api, api.Login)
}

// PasswordResetFunction answers POST /v1/auth/password-reset: it only queues the request,
// so a known name and an unknown one take the same time.
func PasswordResetFunction(d *Deps) any {
	svc := d.authService()
	svc.Resets = d.queue("PASSWORD_RESET_QUEUE_URL")
	api := &httpapi.API{Auth: svc}
	return d.route(api, api.RequestPasswordReset)
}

// PasswordResetMailerFunction mails the reset links of queued requests.
func PasswordResetMailerFunction(d *Deps) any {
	return queue.Consumer(d.Log, queue.ResetJobs(d.resetMailer().ProcessReset))
}

// PasswordResetConfirmFunction answers POST /v1/auth/password-reset/confirm.
func PasswordResetConfirmFunction(d *Deps) any {
	svc := d.authService()
	svc.Store = d.store()
	api := &httpapi.API{Auth: svc}
	return d.route(api, api.ConfirmPasswordReset)
}

// AuthorizerHandler is the handler of the HTTP API's Lambda authorizer (payload 2.0,
// simple responses).
type AuthorizerHandler func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error)

// AuthorizerFunction is the HTTP API's Lambda authorizer.
func AuthorizerFunction(d *Deps) any {
	d.Authorizer = &auth.Authorizer{Keys: d.tokenKeys(), Members: d.store(), Now: time.Now, CacheTTL: auth.DefaultCacheTTL}
	return AuthorizerHandler(d.authorize)
}

// authorize answers API Gateway: allowed with the caller in the context, or not. A
// refusal is logged with its reason (never the token); the caller learns nothing more.
func (d *Deps) authorize(ctx context.Context, req events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
	header := req.Headers["authorization"]
	if header == "" && len(req.IdentitySource) > 0 {
		header = req.IdentitySource[0]
	}
	who, err := d.Authorizer.Authorize(ctx, header)
	if fault.Is(err, fault.Unavailable) {
		// An authorizer error is a bare 500 from API Gateway. The request goes on with no
		// identity, only the mark, so its function answers a 503 problem (httpapi.actor).
		d.Log.WarnContext(ctx, "the authorizer cannot reach the store", "route", req.RouteKey, "error", err)
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: map[string]any{httpapi.ContextUnavailable: "true"}}, nil
	}
	if err != nil {
		if !fault.Is(err, fault.Unauthorized) {
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, err
		}
		d.Log.InfoContext(ctx, "request refused by the authorizer", "route", req.RouteKey, "reason", err.Error())
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: false}, nil
	}
	return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: map[string]any{
		httpapi.ContextUser: who.UserID, httpapi.ContextAccount: who.AccountID, httpapi.ContextRole: string(who.Role),
	}}, nil
}
