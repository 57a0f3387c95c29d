package account

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/password"
)

// StaffRequest is a new member of an account's staff: an administrator of the account,
// or, in the provider's own account, a porting operator.
type StaffRequest struct {
	AdminRequest
	Role Role
}

// StaffRoles are the roles a staff member of acct may be given.
func StaffRoles(acct Account) []Role {
	if acct.ID == ProviderRootID {
		return []Role{ProviderAdmin, Operator}
	}
	return []Role{AdminRole(acct.Kind)}
}

// AddStaff adds a staff member to an account, signing in with its email; without a
// password one is generated and emailed once, as for an account's first administrator.
// Administrators of the account or above may; only provider administrators add
// operators. With a key, a retry answers with the member the first request added.
func (s *Service) AddStaff(ctx context.Context, actor Actor, accountID string, req StaffRequest, key string) (Member, error) {
	acct, err := s.authorize(ctx, actor, accountID, write)
	if err != nil {
		return Member{}, err
	}
	var f fault.Fields
	checkAdmin(&f, "", &req.AdminRequest)
	if !slices.Contains(StaffRoles(acct), req.Role) {
		f.Add("role", fmt.Sprintf("must be one of %v in this account", StaffRoles(acct)))
	}
	if err := f.Err(); err != nil {
		return Member{}, err
	}
	if req.Role == Operator && actor.Role != ProviderAdmin {
		return Member{}, fault.New(fault.Forbidden, "only provider administrators add porting operators")
	}
	fingerprint := req
	fingerprint.Password = "" // compared against the stored hash on replay instead
	k := idempotency.NewKey("staff", actor.AccountID, key, []any{accountID, fingerprint})
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Member, error) {
		m, err := s.Store.Member(ctx, accountID, id)
		if err == nil && req.Password != "" && !password.Matches(m.PasswordHash, req.Password) {
			return Member{}, idempotency.ErrOtherRequest
		}
		return m, err
	}, func() (Member, error) {
		hash, generated, err := password.Protect(s.Random, req.Password)
		if err != nil {
			return Member{}, err
		}
		now := s.Now().UTC()
		email := strings.ToLower(strings.TrimSpace(req.Email))
		m := Member{ID: s.NewID("usr-"), AccountID: acct.ID, Username: email, FirstName: strings.TrimSpace(req.FirstName),
			LastName: strings.TrimSpace(req.LastName), Email: email, Phone: req.Phone, Role: req.Role, PasswordHash: hash, CreatedAt: now, Version: 1}
		if err := s.Store.CreateMember(ctx, acct, m, audit.New(now, actor.UserID, audit.User, audit.Create, m.ID, nil, m), k.Record(m.ID, now)); err != nil {
			if fault.Is(err, fault.Conflict) {
				return Member{}, &fault.Error{Code: fault.Conflict, Message: "the email is in use",
					Fields: []fault.FieldReason{{Field: "email", Reason: "is in use by another user or contact; it is the login name"}}}
			}
			return Member{}, err
		}
		s.welcome(ctx, acct, m, generated)
		return m, nil
	})
}
