package httpapi

import (
	"net"
	"net/http"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/fault"
)

// Authorizer context keys: what the Lambda authorizer hands each protected route.
const (
	ContextUser    = "sub"
	ContextAccount = "acc"
	ContextRole    = "role"
	// ContextUnavailable marks a request whose token could not be checked because the
	// store did not answer; it carries no identity.
	ContextUnavailable = "unavailable"
)

// actor returns who calls, from the authorizer's context. Routes behind the authorizer
// always have one; its absence means the route was reached without it, which is refused.
func actor(r *http.Request) (account.Actor, error) {
	c := apigw.Authorizer(r.Context())
	if c[ContextUnavailable] == "true" {
		return account.Actor{}, fault.New(fault.Unavailable, "your sign-in could not be checked just now; try again")
	}
	user, _ := c[ContextUser].(string)
	acct, _ := c[ContextAccount].(string)
	role, _ := c[ContextRole].(string)
	if user == "" || acct == "" || role == "" {
		return account.Actor{}, fault.New(fault.Unauthorized, "sign in and send Authorization: Bearer <token>")
	}
	return account.Actor{UserID: user, AccountID: acct, Role: account.Role(role)}, nil
}

// sourceAddress is the caller's IP address: API Gateway's sourceIp, or the local
// server's peer without its port (each connection has another).
func sourceAddress(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

type loginBody struct {
	Domain   string `json:"domain"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// Login answers POST /v1/auth/login with a token.
func (a *API) Login(w http.ResponseWriter, r *http.Request) {
	var body loginBody
	if err := decode(w, r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	tok, err := a.Auth.Login(r.Context(), sourceAddress(r), body.Domain, body.Username, body.Password)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tok)
}

type resetBody struct {
	Domain   string `json:"domain"`
	Username string `json:"username"`
}

// RequestPasswordReset answers POST /v1/auth/password-reset with 202, whoever asks.
func (a *API) RequestPasswordReset(w http.ResponseWriter, r *http.Request) {
	var body resetBody
	if err := decode(w, r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	if err := a.Auth.RequestReset(r.Context(), body.Domain, body.Username); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "if the user exists and has an email address, a reset link is on its way"})
}

type confirmBody struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// ConfirmPasswordReset answers POST /v1/auth/password-reset/confirm with 204.
func (a *API) ConfirmPasswordReset(w http.ResponseWriter, r *http.Request) {
	var body confirmBody
	if err := decode(w, r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	if err := a.Auth.ConfirmReset(r.Context(), body.Token, body.Password); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// actCreate is act for a create that honours Idempotency-Key: call gets the caller's
// key ("" when none was sent) and returns what it made with its Location ("" when it has
// no route of its own); the answer is 201.
func actCreate[B any](w http.ResponseWriter, r *http.Request, call func(who account.Actor, body B, key string) (made any, location string, err error)) {
	act(w, r, http.StatusCreated, func(who account.Actor, body B) (any, error) {
		key, err := idempotencyKey(r)
		if err != nil {
			return nil, err
		}
		made, location, err := call(who, body, key)
		if err == nil && location != "" {
			w.Header().Set("Location", location)
		}
		return made, err
	})
}

// noBody is the body type of routes that take none.
type noBody struct{}

// act is the shape of most protected handlers: the caller, the JSON body (unless B is
// noBody), one service call, and its result written with status (204 writes none).
func act[B any](w http.ResponseWriter, r *http.Request, status int, call func(who account.Actor, body B) (any, error)) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	var body B
	if _, none := any(body).(noBody); !none {
		if err := decode(w, r, &body); err != nil {
			writeError(w, r, err)
			return
		}
	}
	v, err := call(who, body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, v)
}
