package httpapi

import (
	"context"
	"net"
	"net/http"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
)

// Authenticator verifies a request's bearer token (auth.Authenticator).
type Authenticator interface {
	Authenticate(ctx context.Context, header string) (account.Actor, error)
}

// Authenticated wraps a protected route's handler: the request goes on only with a
// verified token, its caller in the context (auth.CallerFrom). A missing or bad token
// is 401 (writeError adds the RFC 6750 challenge); a store that does not answer is 503.
func (a *API) Authenticated(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.Tokens == nil {
			writeError(w, r, fault.New(fault.Internal, "this function is not wired to check tokens"))
			return
		}
		who, err := a.Tokens.Authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			if fault.Is(err, fault.Unauthorized) {
				// The reason is for the logs; the caller learns only that the token failed.
				logger(r.Context()).InfoContext(r.Context(), "token refused", "reason", err.Error())
			}
			writeError(w, r, err)
			return
		}
		h(w, r.WithContext(auth.WithCaller(r.Context(), who)))
	}
}

// actor returns who calls, from the context Authenticated filled. Its absence means the
// route was wired without Authenticated, which fails closed.
func actor(r *http.Request) (account.Actor, error) {
	if who, ok := auth.CallerFrom(r.Context()); ok {
		return who, nil
	}
	return account.Actor{}, auth.ErrNoToken
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
	if a, ok := v.(answer); ok {
		status = a.answer(w.Header(), status)
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, v)
}

// answer is a result that sets its own headers (an ETag) or status (a dry run's 200
// instead of a create's 201): given act's status, it returns the one to send.
type answer interface {
	answer(h http.Header, status int) int
}
