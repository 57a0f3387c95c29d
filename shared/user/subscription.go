package user

import (
	"context"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/checkdigit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/text"
)

// SubscriptionStatus is where a mobile subscription is in its life (docs/numbers-and-users.md).
type SubscriptionStatus string

// Subscription states: ordered until its activation date (or an administrator's
// "activate now"), then active, and terminated for good.
const (
	Ordered    SubscriptionStatus = "ordered"
	Active     SubscriptionStatus = "active"
	Terminated SubscriptionStatus = "terminated"
)

// NumberAging is how long a terminated subscription's number stays held before it is
// free in its range again, so that calls and messages meant for the old subscriber do
// not reach the next one at once.
const NumberAging = 90 * 24 * time.Hour

// Subscription is a mobile subscription tied to one user.
type Subscription struct {
	ID        string           `json:"id"`
	AccountID string           `json:"accountId"`
	UserID    string           `json:"userId"`
	Kind      SubscriptionKind `json:"kind"`
	// Number is the subscription's mobile number: a port-in's temporary number until the
	// port completes, the ported number after.
	Number             string             `json:"number"`
	PortingID          string             `json:"portingId,omitempty"`
	Status             SubscriptionStatus `json:"status"`
	ActivationDate     string             `json:"activationDate"`
	ActivatedAt        time.Time          `json:"activatedAt,omitzero"`
	SIMDeliveryAddress account.Address    `json:"simDeliveryAddress"`
	// SIM is the card sent to the subscriber, once it is dispatched.
	SIM *SIMDispatch `json:"sim,omitempty"`
	// TerminatedAt and Reason say when and why it ended; its number is held until
	// NumberFreeAt (NumberAging later).
	TerminatedAt      time.Time `json:"terminatedAt,omitzero"`
	TerminationReason string    `json:"terminationReason,omitempty"`
	NumberFreeAt      time.Time `json:"numberFreeAt,omitzero"`
	CreatedAt         time.Time `json:"createdAt"`
	Version           int       `json:"version"`
	// ActivatesAt is the activation date's midnight in the account's time zone: the
	// dispatcher's sweep activates the subscription then.
	ActivatesAt time.Time `json:"-"`
}

// SIMDispatch records the SIM card sent for a subscription.
type SIMDispatch struct {
	// ICCID is the card's number: 19 or 20 digits starting 89, ending in a Luhn check digit.
	ICCID        string `json:"iccid"`
	DispatchedOn string `json:"dispatchedOn"` // a date in the account's time zone
}

// SubscriptionPatch changes a subscription before its SIM leaves: the delivery address, or
// the dispatch itself. Absent fields stay as they are.
type SubscriptionPatch struct {
	Version            int
	SIMDeliveryAddress *account.Address
	SIM                *SIMDispatch
}

// SubscriptionDetail is a subscription with its port-in request, when it has one.
type SubscriptionDetail struct {
	Subscription Subscription
	Porting      *porting.Request
}

// subscription reads one subscription of an account the actor may act on; changes need
// the account's subscriptions.manage permission.
func (s *Service) subscription(ctx context.Context, actor account.Actor, accountID, id string, writes bool) (account.Account, Subscription, error) {
	if writes {
		if err := account.Permit(ctx, s.Store, actor, account.SubscriptionsManage); err != nil {
			return account.Account{}, Subscription{}, err
		}
	}
	acct, err := account.Load(ctx, s.Store, actor, accountID, writes)
	if err != nil {
		return acct, Subscription{}, err
	}
	sub, err := s.Store.Subscription(ctx, accountID, id)
	return acct, sub, err
}

// GetSubscription returns a subscription with its porting request, for those who may read
// the account.
func (s *Service) GetSubscription(ctx context.Context, actor account.Actor, accountID, id string) (SubscriptionDetail, error) {
	_, sub, err := s.subscription(ctx, actor, accountID, id, false)
	if err != nil {
		return SubscriptionDetail{}, err
	}
	d := SubscriptionDetail{Subscription: sub}
	if sub.PortingID != "" {
		p, err := s.Store.Porting(ctx, sub.PortingID)
		if err != nil {
			return SubscriptionDetail{}, err
		}
		d.Porting = &p
	}
	return d, nil
}

// ActivateSubscription activates an ordered subscription now, whatever its activation
// date said; today becomes its activation date.
func (s *Service) ActivateSubscription(ctx context.Context, actor account.Actor, accountID, id string) (Subscription, error) {
	acct, sub, err := s.subscription(ctx, actor, accountID, id, true)
	if err != nil {
		return Subscription{}, err
	}
	if sub.Status != Ordered {
		return Subscription{}, fault.New(fault.Conflict, "the subscription is %s; only an ordered one is activated", sub.Status)
	}
	now := s.Now().UTC()
	next := activated(sub, now)
	next.ActivationDate = now.In(acct.Location()).Format(dateLayout)
	return next, s.Store.SaveSubscription(ctx, sub, next, audit.New(now, actor.UserID, audit.Subscription, audit.Activate, id, sub, next))
}

// activated is sub active from now.
func activated(sub Subscription, now time.Time) Subscription {
	next := sub
	next.Status, next.ActivatedAt, next.ActivatesAt, next.Version = Active, now, time.Time{}, sub.Version+1
	return next
}

// PatchSubscription changes the SIM delivery address, or records the SIM's dispatch, while
// the SIM has not left; a terminated subscription changes no more.
func (s *Service) PatchSubscription(ctx context.Context, actor account.Actor, accountID, id string, p SubscriptionPatch) (Subscription, error) {
	acct, sub, err := s.subscription(ctx, actor, accountID, id, true)
	if err != nil {
		return Subscription{}, err
	}
	var f fault.Fields
	if p.Version <= 0 {
		f.Add("version", "is required: send the version you read (or an If-Match header)")
	}
	next := sub
	if p.SIMDeliveryAddress != nil {
		checkAddress(&f, "simDeliveryAddress", *p.SIMDeliveryAddress)
		next.SIMDeliveryAddress = *p.SIMDeliveryAddress
	}
	if p.SIM != nil {
		next.SIM = checkDispatch(&f, *p.SIM, acct.Location(), s.Now())
	}
	if err := f.Err(); err != nil {
		return Subscription{}, err
	}
	switch {
	case p.Version != sub.Version:
		return Subscription{}, fault.New(fault.Conflict, "the subscription changed since you read it (version %d, you sent %d)", sub.Version, p.Version)
	case sub.Status == Terminated:
		return Subscription{}, fault.New(fault.Conflict, "the subscription is terminated")
	case sub.SIM != nil && (p.SIM != nil || p.SIMDeliveryAddress != nil):
		return Subscription{}, fault.New(fault.Conflict, "the SIM %s was dispatched on %s; its delivery and dispatch are history", sub.SIM.ICCID, sub.SIM.DispatchedOn)
	}
	next.Version = sub.Version + 1
	return next, s.Store.SaveSubscription(ctx, sub, next, audit.New(s.Now().UTC(), actor.UserID, audit.Subscription, audit.Update, id, sub, next))
}

// checkDispatch validates a SIM dispatch: a well-formed ICCID, sent today or before.
func checkDispatch(f *fault.Fields, d SIMDispatch, loc *time.Location, now time.Time) *SIMDispatch {
	iccid := strings.ReplaceAll(d.ICCID, " ", "")
	if !text.Of(iccid, text.Digits, 19, 20) || !strings.HasPrefix(iccid, "89") || !checkdigit.Luhn(iccid) {
		f.Add("sim.iccid", "must be the SIM's ICCID: 19 or 20 digits starting 89, ending in its Luhn check digit")
	}
	on, err := time.ParseInLocation(dateLayout, d.DispatchedOn, loc)
	if err != nil {
		f.Add("sim.dispatchedOn", "must be a date such as 2026-12-01")
	} else if on.After(now.In(loc)) {
		f.Add("sim.dispatchedOn", "must not be in the future (dates are in the account's time zone, "+loc.String()+")")
	}
	return &SIMDispatch{ICCID: iccid, DispatchedOn: d.DispatchedOn}
}

// TerminateSubscription ends a subscription for good, saying why. Its number stays held for
// NumberAging, then is free in its range again. A port-in whose request is still open is
// not terminated: cancel the port first.
func (s *Service) TerminateSubscription(ctx context.Context, actor account.Actor, accountID, id, reason string) (Subscription, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 || !text.Visible(reason) {
		return Subscription{}, &fault.Error{Code: fault.Invalid, Message: "some fields are invalid",
			Fields: []fault.FieldReason{{Field: "reason", Reason: "is required: at most 500 characters, none of them control, invisible or direction-changing"}}}
	}
	_, sub, err := s.subscription(ctx, actor, accountID, id, true)
	if err != nil {
		return Subscription{}, err
	}
	if sub.Status == Terminated {
		return Subscription{}, fault.New(fault.Conflict, "the subscription is terminated already")
	}
	if sub.PortingID != "" {
		p, err := s.Store.Porting(ctx, sub.PortingID)
		if err != nil {
			return Subscription{}, err
		}
		if !p.Status.Final() {
			return Subscription{}, fault.New(fault.Conflict, "its porting request %s is %s; cancel the port first", p.ID, p.Status)
		}
	}
	now := s.Now().UTC()
	next := sub
	next.Status, next.TerminatedAt, next.TerminationReason, next.ActivatesAt, next.Version = Terminated, now, reason, time.Time{}, sub.Version+1
	if sub.Number != "" {
		next.NumberFreeAt = now.Add(NumberAging)
	}
	return next, s.Store.SaveSubscription(ctx, sub, next, audit.New(now, actor.UserID, audit.Subscription, audit.Verb(Terminated), id, sub, next))
}

// activateDueSubscriptions activates every ordered subscription whose activation date has
// come, and returns how many.
func (s *Service) activateDueSubscriptions(ctx context.Context, now time.Time) (int, error) {
	due, err := s.Store.PendingSubscriptions(ctx, now.Add(time.Second))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sub := range due {
		next := activated(sub, now)
		if err := s.Store.SaveSubscription(ctx, sub, next, audit.New(now, "system:dispatcher", audit.Subscription, audit.Activate, sub.ID, sub, next)); err != nil {
			s.Log.WarnContext(ctx, "subscription not activated; the next run retries", "subscription", sub.ID, "error", err)
			continue
		}
		n++
	}
	return n, nil
}
