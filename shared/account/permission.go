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
// The caller's account is read once per request: Permitting keeps it in the context for
// the checks that come later in the same request (the wizard's, by its body).
func Permit(ctx context.Context, r Reader, actor Actor, need ...Permission) error {
	_, err := Permitting(ctx, r, actor, need...)
	return err
}

type callerAccountKey struct{}

// Permitting is Permit that returns ctx carrying the caller's account, so a later Permit
// in the same request reads nothing.
func Permitting(ctx context.Context, r Reader, actor Actor, need ...Permission) (context.Context, error) {
	if len(need) == 0 {
		return ctx, nil
	}
	own, ok := ctx.Value(callerAccountKey{}).(Account)
	if !ok || own.ID != actor.AccountID {
		var err error
		if own, err = r.Account(ctx, actor.AccountID); err != nil {
			if fault.Is(err, fault.NotFound) { // the caller's account is gone: so is their right
				return ctx, fault.New(fault.Forbidden, "your account no longer exists")
			}
			return ctx, err
		}
		ctx = context.WithValue(ctx, callerAccountKey{}, own)
	}
	for _, p := range need {
		if !own.Has(p) {
			return ctx, fault.New(fault.Forbidden, "your account's permissions do not include %s; ask your provider or reseller", p)
		}
	}
	return ctx, nil
}
