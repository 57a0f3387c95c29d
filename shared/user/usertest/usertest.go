// Package usertest is an in-memory user.Store for the wizard's unit tests, on
// numberingtest's store of accounts, ranges and claimed numbers: users with their
// subscriptions and porting requests, each number claimed once and each login email
// held once, as the table's guards keep them.
package usertest

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/numbering/numberingtest"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/user"
)

// Store is an in-memory user.Store.
type Store struct {
	*numberingtest.Store
	Subs     map[string]user.Subscription // by ID
	Portings map[string]porting.Request   // by ID
	// Aging holds terminated subscriptions' numbers (still claimed) until they are free.
	Aging map[string]time.Time
}

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store {
	return &Store{Store: numberingtest.New(accounts...), Subs: map[string]user.Subscription{}, Portings: map[string]porting.Request{}}
}

var _ user.Store = (*Store)(nil)

// CreateUser implements user.Store: Conflict when a number or the login email is taken.
func (s *Store) CreateUser(_ context.Context, _ account.Account, m account.Member, sub *user.Subscription, port *porting.Request, entries []audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("CreateUser"); err != nil {
		return err
	}
	numbers := user.Numbers(m, sub)
	if port != nil {
		numbers = append(numbers, port.Number)
	}
	for _, n := range numbers {
		if s.Claimed[n] {
			return fault.New(fault.Conflict, "the number %s is in use", n)
		}
	}
	if s.EmailTaken(m.Email, m.ID) {
		return fault.New(fault.Conflict, "the email is taken")
	}
	for _, n := range numbers {
		s.Claimed[n] = true
	}
	s.Users[m.AccountID+"/"+m.ID] = m
	if sub != nil {
		s.Subs[sub.ID] = *sub
	}
	if port != nil {
		s.Portings[port.ID] = *port
	}
	s.Keep(idem)
	s.Wrote(entries...)
	return nil
}

// SearchUsers implements user.Store: every user of the account f matches, in ID order,
// in one page.
func (s *Store) SearchUsers(_ context.Context, accountID string, f user.Filter, _ string, limit int) ([]account.Member, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []account.Member
	for _, m := range s.Users {
		if m.AccountID == accountID && f.Matches(m) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b account.Member) int { return strings.Compare(a.ID, b.ID) })
	return out[:min(limit, len(out))], "", nil
}

// UpdateUser implements user.Store: Conflict when a number the user did not hold is
// claimed by another user.
func (s *Store) UpdateUser(_ context.Context, _ account.Account, before, after account.Member, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	for _, other := range s.Users {
		if other.ID == after.ID {
			continue
		}
		for _, n := range user.Numbers(after, nil) {
			if slices.Contains(user.Numbers(other, nil), n) {
				return fault.New(fault.Conflict, "%s is in use", n)
			}
		}
	}
	if err := s.Replace(after); err != nil {
		return err
	}
	s.Wrote(entry)
	return nil
}

// SubscriptionPage implements user.Store: one page, in ID order.
func (s *Store) SubscriptionPage(ctx context.Context, accountID, userID, _ string, limit int) ([]user.Subscription, string, error) {
	subs, _ := s.Subscriptions(ctx, accountID)
	var out []user.Subscription
	for _, sub := range subs {
		if userID == "" || sub.UserID == userID {
			out = append(out, sub)
		}
	}
	slices.SortFunc(out, func(a, b user.Subscription) int { return strings.Compare(a.ID, b.ID) })
	return out[:min(limit, len(out))], "", nil
}

// Subscriptions implements user.Store.
func (s *Store) Subscriptions(_ context.Context, accountID string) ([]user.Subscription, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []user.Subscription
	for _, sub := range s.Subs {
		if sub.AccountID == accountID {
			out = append(out, sub)
		}
	}
	return out, nil
}

// Porting implements user.Store.
func (s *Store) Porting(_ context.Context, id string) (porting.Request, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p, ok := s.Portings[id]
	if !ok {
		return p, fault.New(fault.NotFound, "no such porting request")
	}
	return p, nil
}

// LoginsTaken implements user.Store.
func (s *Store) LoginsTaken(_ context.Context, acct account.Account, m account.Member) (username, email bool, err error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	for _, o := range s.Users {
		if o.ID == m.ID {
			continue
		}
		username = username || (o.AccountID == acct.ID && m.Username != "" && (o.Username == m.Username || o.Email == m.Username))
		email = email || o.Email == m.Email
	}
	return username, email, nil
}

// PendingActivations implements user.Store.
func (s *Store) PendingActivations(_ context.Context, cutoff time.Time) ([]account.Member, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []account.Member
	for _, m := range s.Users {
		if m.Inactive && m.ActivatesAt.Before(cutoff) {
			out = append(out, m)
		}
	}
	return out, nil
}

// Subscription implements user.Store.
func (s *Store) Subscription(_ context.Context, accountID, id string) (user.Subscription, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	sub, ok := s.Subs[id]
	if !ok || sub.AccountID != accountID {
		return sub, fault.New(fault.NotFound, "no such subscription")
	}
	return sub, nil
}

// SaveSubscription implements user.Store: Conflict unless the stored version is before's;
// a termination's number ages in Aging until its NumberFreeAt.
func (s *Store) SaveSubscription(_ context.Context, before, after user.Subscription, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SaveSubscription"); err != nil {
		return err
	}
	if s.Subs[after.ID].Version != before.Version {
		return fault.New(fault.Conflict, "the subscription changed")
	}
	s.Subs[after.ID] = after
	if after.Status == user.Terminated && before.Status != user.Terminated && after.Number != "" {
		if s.Aging == nil {
			s.Aging = map[string]time.Time{}
		}
		s.Aging[after.Number] = after.NumberFreeAt
	}
	s.Wrote(entry)
	return nil
}

// PendingSubscriptions implements user.Store.
func (s *Store) PendingSubscriptions(_ context.Context, cutoff time.Time) ([]user.Subscription, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []user.Subscription
	for _, sub := range s.Subs {
		if sub.Status == user.Ordered && !sub.ActivatesAt.IsZero() && sub.ActivatesAt.Before(cutoff) {
			out = append(out, sub)
		}
	}
	return out, nil
}

// ReleaseAgedNumbers implements user.Store: the numbers whose aging ended are unclaimed.
func (s *Store) ReleaseAgedNumbers(_ context.Context, cutoff time.Time) (int, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	n := 0
	for number, free := range s.Aging {
		if free.Before(cutoff) {
			delete(s.Aging, number)
			delete(s.Claimed, number)
			n++
		}
	}
	return n, nil
}
