package account

import (
	"context"
	"slices"

	"github.com/provisio/provisio/shared/fault"
)

// Permission names a kind of work an account's people may do (the Accounts Manager's step 7: the
// parent chooses "which items your customer can access"). Templates and parents grant
// them; docs/accounts.md has the table of routes each one opens.
type Permission string

// The permissions Provisio enforces. Others a template grants (voicemail.manage,
// queues.manage, reports.view) belong to features of the switch, not to this API.
const (
	UsersManage         Permission = "users.manage"
	NumbersView         Permission = "numbers.view"
	NumbersManage       Permission = "numbers.manage"
	SubscriptionsManage Permission = "subscriptions.manage"
	PortingRequest      Permission = "porting.request"
	SIPManage           Permission = "sip.manage"
)

// Has reports whether the account was granted p; managing numbers includes viewing them.
func (a Account) Has(p Permission) bool {
	return slices.Contains(a.Permissions, string(p)) || (p == NumbersView && slices.Contains(a.Permissions, string(NumbersManage)))
}

// Permit checks that the actor's own account holds every permission in need. The
// caller's account is what its parent restricted, so the check is on it, whichever
// account (its own or a descendant) the caller acts on: a parent's staff may do for a
// customer what the customer may not do itself, and nothing their own account may not.
// It comes before the target is read, so a refusal says nothing about the target.
func Permit(ctx context.Context, r Reader, actor Actor, need ...Permission) error {
	if len(need) == 0 {
		return nil
	}
	own, err := r.Account(ctx, actor.AccountID)
	if err != nil {
		if fault.Is(err, fault.NotFound) { // the caller's account is gone: so is their right
			return fault.New(fault.Forbidden, "your account no longer exists")
		}
		return err
	}
	for _, p := range need {
		if !own.Has(p) {
			return fault.New(fault.Forbidden, "your account's permissions do not include %s; ask your provider or reseller", p)
		}
	}
	return nil
}
