package sip

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

// Binding is a client currently registered with the registrar: one device of one client
// account, until its registration expires. (A tenant's self-registration is another
// thing: package registration.)
type Binding struct {
	AccountID    string    `json:"accountId"`
	SIPID        string    `json:"sipId"`
	Contact      string    `json:"contact"`
	UserAgent    string    `json:"userAgent,omitempty"`
	RegisteredAt time.Time `json:"registeredAt"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

// RegistrarEvent is what the registrar reports on the registrar-events queue
// (docs/sip.md): a REGISTER with its expiry, or an un-REGISTER.
type RegistrarEvent struct {
	Event     string    `json:"event"` // "register" or "unregister"
	Realm     string    `json:"realm"`
	Username  string    `json:"username"`
	Contact   string    `json:"contact"`
	UserAgent string    `json:"userAgent"`
	Expires   int       `json:"expires"` // seconds from At
	At        time.Time `json:"at"`
}

// MaxRegistration caps a registration's lifetime, whatever the registrar reports.
const MaxRegistration = 24 * time.Hour

// RegistrarStore is what recording registrations needs.
type RegistrarStore interface {
	account.Reader
	// AccountIDByRealm finds the account a realm belongs to; NotFound when none.
	AccountIDByRealm(ctx context.Context, realm string) (string, error)
	// SIPAccount returns a client account of a customer account; NotFound otherwise.
	SIPAccount(ctx context.Context, accountID, sipID string) (Account, error)
	// SaveBinding stores (or refreshes) a binding until it expires.
	SaveBinding(ctx context.Context, b Binding) error
	// DeleteBinding removes a binding.
	DeleteBinding(ctx context.Context, b Binding) error
	// Bindings returns an account's stored bindings.
	Bindings(ctx context.Context, accountID string) ([]Binding, error)
}

// Registrar keeps the registered-clients view up to date from the registrar's events.
type Registrar struct {
	Store RegistrarStore
	Now   func() time.Time
}

// Record applies one event from the queue, whose senders IAM trusts with every account.
// Events that can never apply (malformed, unknown realm or client) are Invalid, so the
// consumer drops them instead of retrying.
func (r *Registrar) Record(ctx context.Context, body string) error {
	var ev RegistrarEvent
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return fault.New(fault.Invalid, "the registrar event is not valid JSON of the documented shape")
	}
	return r.apply(ctx, ev, "")
}

// MaxEvents is how many events one report over HTTP may carry.
const MaxEvents = 100

// Outcome is what became of one event of a report: recorded, or rejected with the reason.
type Outcome struct {
	Index  int    `json:"index"`
	Status string `json:"status"` // "recorded" or "rejected"
	Reason string `json:"reason,omitempty"`
}

// Report applies a registrar key's events, each on its own: events of accounts outside
// the key's subtree are rejected as unknown realms. Only a registrar's key may report.
func (r *Registrar) Report(ctx context.Context, actor account.Actor, events []RegistrarEvent) ([]Outcome, error) {
	if actor.Role != account.Registrar {
		return nil, fault.New(fault.Forbidden, "only the registrar's API key may report registrations")
	}
	if len(events) == 0 || len(events) > MaxEvents {
		return nil, &fault.Error{Code: fault.Invalid, Message: "the batch size is out of range",
			Fields: []fault.FieldReason{{Field: "events", Reason: "must hold 1 to 100 events"}}}
	}
	out := make([]Outcome, len(events))
	for i, ev := range events {
		out[i] = Outcome{Index: i, Status: "recorded"}
		err := r.apply(ctx, ev, actor.AccountID)
		var bad *fault.Error
		switch {
		case fault.Is(err, fault.Invalid) && errors.As(err, &bad):
			out[i].Status, out[i].Reason = "rejected", bad.Message
		case err != nil: // the store failed: the registrar sends the batch again
			return nil, err
		}
	}
	return out, nil
}

// apply records one event of an account within scope ("" for any account).
func (r *Registrar) apply(ctx context.Context, ev RegistrarEvent, scope string) error {
	if ev.Realm == "" || ev.Username == "" || ev.Contact == "" || ev.At.IsZero() || (ev.Event != "register" && ev.Event != "unregister") {
		return fault.New(fault.Invalid, "the registrar event lacks event, realm, username, contact or at")
	}
	accountID, err := r.Store.AccountIDByRealm(ctx, strings.ToLower(ev.Realm))
	if err == nil && scope != "" {
		var acct account.Account
		if acct, err = r.Store.Account(ctx, accountID); err == nil && !acct.Within(scope) {
			err = fault.New(fault.NotFound, "outside the key's subtree")
		}
	}
	if fault.Is(err, fault.NotFound) {
		return fault.New(fault.Invalid, "no account has realm %s", ev.Realm)
	}
	if err != nil {
		return err
	}
	if _, err := r.Store.SIPAccount(ctx, accountID, ev.Username); fault.Is(err, fault.NotFound) {
		return fault.New(fault.Invalid, "no client account %s in realm %s", ev.Username, ev.Realm)
	} else if err != nil {
		return err
	}
	reg := Binding{AccountID: accountID, SIPID: ev.Username, Contact: ev.Contact, UserAgent: ev.UserAgent, RegisteredAt: ev.At.UTC(),
		ExpiresAt: ev.At.UTC().Add(min(time.Duration(ev.Expires)*time.Second, MaxRegistration))}
	if ev.Event == "unregister" || ev.Expires <= 0 {
		return r.Store.DeleteBinding(ctx, reg)
	}
	return r.Store.SaveBinding(ctx, reg)
}

// RegisteredClients lists the clients of an account registered now.
func (s *Service) RegisteredClients(ctx context.Context, actor account.Actor, accountID string) ([]Binding, error) {
	if _, err := s.customer(ctx, actor, accountID, false); err != nil {
		return nil, err
	}
	all, err := s.Store.Bindings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	current := all[:0]
	for _, r := range all {
		if now.Before(r.ExpiresAt) {
			current = append(current, r)
		}
	}
	return current, nil
}
