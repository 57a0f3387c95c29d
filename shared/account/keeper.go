package account

import (
	"context"

	"github.com/provisio/provisio/shared/fault"
)

// Administers reports whether m administers its account: an administrator who may sign in.
func (m Member) Administers() bool { return m.Role.Admin() && m.MaySignIn() }

// MemberLister lists an account's users.
type MemberLister interface {
	// Members returns every user of an account.
	Members(ctx context.Context, accountID string) ([]Member, error)
}

// Keeper returns, when a change takes the administration of its account away from m
// (next no longer administers it, or m is deleted: nil next), another user who
// administers the account. The store writes the change only while that user is as read,
// so two such changes at once cannot leave the account without one. Conflict when there
// is none: nobody removes, demotes or disables the last administrator of an account.
func Keeper(ctx context.Context, r MemberLister, m Member, next *Member) (*Member, error) {
	if !m.Administers() || (next != nil && next.Administers()) {
		return nil, nil
	}
	members, err := r.Members(ctx, m.AccountID)
	if err != nil {
		return nil, err
	}
	for _, other := range members {
		if other.ID != m.ID && other.Administers() {
			return &other, nil
		}
	}
	return nil, fault.New(fault.Conflict, "%s is the last administrator of the account; make another user an administrator first", m.Username)
}
