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
	serve(w, r, http.StatusOK, func(body loginBody) (any, error) {
		tok, err := a.Auth.Login(r.Context(), sourceAddress(r), body.Domain, body.Username, body.Password)
		return tokenView(tok), err
	})
}

// tokenView is a signed-in user's token: never stored by a cache on the way.
type tokenView auth.Token

func (tokenView) answer(h http.Header, status int) int {
	h.Set("Cache-Control", "no-store")
	return status
}

type resetBody struct {
	Domain   string `json:"domain"`
	Username string `json:"username"`
}

// RequestPasswordReset answers POST /v1/auth/password-reset with 202, whoever asks.
func (a *API) RequestPasswordReset(w http.ResponseWriter, r *http.Request) {
	serve(w, r, http.StatusAccepted, func(body resetBody) (any, error) {
		err := a.Auth.RequestReset(r.Context(), body.Domain, body.Username)
		return map[string]string{"status": "if the user exists and has an email address, a reset link is on its way"}, err
	})
}

type confirmBody struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// ConfirmPasswordReset answers POST /v1/auth/password-reset/confirm with 204.
func (a *API) ConfirmPasswordReset(w http.ResponseWriter, r *http.Request) {
	serve(w, r, http.StatusNoContent, func(body confirmBody) (any, error) {
		return nil, a.Auth.ConfirmReset(r.Context(), body.Token, body.Password)
	})
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

// act is serve for a protected route: the caller first, from the verified token.
func act[B any](w http.ResponseWriter, r *http.Request, status int, call func(who account.Actor, body B) (any, error)) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	serve(w, r, status, func(body B) (any, error) { return call(who, body) })
}

// serve is the one shape of the JSON handlers: the JSON body (unless B is noBody), one
// service call, and its result written with status (204 writes none). A result that is
// an answer sets its own headers or status; an error is its problem.
func serve[B any](w http.ResponseWriter, r *http.Request, status int, call func(body B) (any, error)) {
	var body B
	if _, none := any(body).(noBody); !none {
		if err := decode(w, r, &body); err != nil {
			writeError(w, r, err)
			return
		}
	}
	v, err := call(body)
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
