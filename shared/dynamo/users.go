package dynamo

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/user"
)

func subscriptionSK(id string) string { return "SUB#" + id }

type subscriptionItem struct {
	PK   string          `json:"pk"`
	SK   string          `json:"sk"`
	Data subscriptionRow `json:"data"`
}

func toSubscriptionItem(sub user.Subscription) subscriptionItem {
	return subscriptionItem{PK: accountPK(sub.AccountID), SK: subscriptionSK(sub.ID), Data: toSubscriptionRow(sub)}
}

func userOwner(m account.Member) string { return accountPK(m.AccountID) + "#" + memberSK(m.ID) }

// CreateUser implements user.Store: one transaction for the user, its sign-in lookups
// and email guard, every number claim, the subscription and the audit entries.
func (s *UserStore) CreateUser(ctx context.Context, acct account.Account, m account.Member, sub *user.Subscription, port *porting.Request, entries []audit.Entry, idem *idempotency.Record) error {
	items, err := s.memberPuts(acct, m)
	if err != nil {
		return err
	}
	var rows []any
	for _, n := range user.Numbers(m, sub) {
		rows = append(rows, guard{PK: guardPK(guardNumber, n), SK: guardSK, Owner: userOwner(m)})
	}
	if sub != nil {
		rows = append(rows, toSubscriptionItem(*sub))
	}
	if port != nil {
		rows = append(rows, toPortingItem(*port), toDeskItem(*port), guard{PK: guardPK(guardNumber, port.Number), SK: guardSK, Owner: portingOwner(*port)},
			unpreparedItem{PK: unpreparedPK, SK: unpreparedSK(*port), AccountID: port.AccountID, PortingID: port.ID})
	}
	more, err := s.putsNew(rows)
	if err != nil {
		return err
	}
	audits, err := s.auditPuts(acct.ID, entries)
	if err != nil {
		return err
	}
	// What each write claims, to name the field whose claim a concurrent request won.
	claims := []string{"user"}
	for range loginDomains(acct) {
		for _, name := range loginNames(m) {
			if name == m.Email {
				claims = append(claims, "email")
			} else {
				claims = append(claims, "username")
			}
		}
	}
	if m.Email != "" {
		claims = append(claims, "email")
	}
	for range user.Numbers(m, sub) {
		claims = append(claims, "numbers")
	}
	items = append(append(items, more...), audits...)
	usersAt := len(items)
	items = append(items, s.moveTrunks(acct.ID, account.Limits{Users: 1}))
	if items, err = s.withIdempotency(items, idem); err != nil {
		return err
	}
	failed, err := s.transact(ctx, items)
	if len(failed) == 0 {
		return err
	}
	var f fault.Fields
	for _, i := range failed {
		switch {
		case i == usersAt:
			f.Add("users", "the account has no users left under its limit")
		case i < len(claims) && claims[i] == "username":
			f.Add("username", "is taken in this account")
		case i < len(claims) && claims[i] == "email":
			f.Add("email", "is in use by another user or contact")
		case i < len(claims) && claims[i] == "numbers":
			f.Add("numbers", "a number is in use by another user, alias, subscription or client account")
		default:
			f.Add("user", "was written by a concurrent request")
		}
	}
	return f.Conflict("some values are in use (a concurrent request took them)", err)
}

// LoginsTaken implements user.Store with one BatchGetItem: whether m's user name, or its
// email, is a sign-in name of acct already, and whether the email is claimed anywhere.
func (s *UserStore) LoginsTaken(ctx context.Context, acct account.Account, m account.Member) (username, email bool, err error) {
	var keys []map[string]types.AttributeValue
	for _, d := range loginDomains(acct) {
		for _, name := range loginNames(m) {
			keys = append(keys, key(loginPK(d, name), loginSK))
		}
	}
	if m.Email != "" {
		keys = append(keys, key(guardPK(guardEmail, lower(m.Email)), guardSK))
	}
	items, err := s.batchGet(ctx, keys, "pk")
	if err != nil {
		return false, false, err
	}
	for _, it := range items {
		pk, _ := it["pk"].(*types.AttributeValueMemberS)
		switch {
		case pk == nil:
		case m.Email != "" && (pk.Value == guardPK(guardEmail, lower(m.Email)) || strings.HasSuffix(pk.Value, "#"+lower(m.Email))):
			email = true
		default:
			username = true
		}
	}
	return username, email, nil
}

// Subscriptions implements user.Store.
func (s *UserStore) Subscriptions(ctx context.Context, accountID string) ([]user.Subscription, error) {
	subs, err := s.queryPrefix(ctx, accountPK(accountID), "SUB#")
	if err != nil {
		return nil, err
	}
	return decodeAll[subscriptionRow](subs, "subscription")
}

// SubscriptionPage implements user.Store: one Query of the account's subscriptions, the
// user a filter (pageFiltered).
func (s *UserStore) SubscriptionPage(ctx context.Context, accountID, userID, cursor string, limit int) ([]user.Subscription, string, error) {
	in, err := s.prefixPage(accountPK(accountID), "SUB#", cursor)
	if err != nil {
		return nil, "", err
	}
	var where filter
	if userID != "" {
		where.dataIs("userId", userID)
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[subscriptionRow]("subscription"))
}

// DeleteUser implements user.Store.
func (s *UserStore) DeleteUser(ctx context.Context, acct account.Account, m account.Member, entry audit.Entry, keeper *account.Member) error {
	del := func(pk, sk string) types.TransactWriteItem {
		return types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(pk, sk)}}
	}
	items := []types.TransactWriteItem{{Delete: &types.Delete{TableName: &s.Name, Key: key(accountPK(acct.ID), memberSK(m.ID)),
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.Itoa(m.Version)}}}}}
	for _, d := range loginDomains(acct) {
		for _, name := range loginNames(m) {
			items = append(items, del(loginPK(d, name), loginSK))
		}
	}
	if m.Email != "" {
		items = append(items, s.guardDelete(guardEmail, lower(m.Email), userOwner(m)))
	}
	var sub *user.Subscription
	decoded, err := s.Subscriptions(ctx, acct.ID)
	if err != nil {
		return err
	}
	for _, sb := range decoded {
		if sb.UserID == m.ID {
			sub = &sb
			items = append(items, del(accountPK(acct.ID), subscriptionSK(sb.ID)))
			if sb.PortingID != "" { // a port under way ends with its user
				p, err := (&PortingStore{s.Table}).Porting(ctx, sb.PortingID)
				if err != nil {
					return err
				}
				items = append(items, del(portingPK(p.ID), portingSK), del(portingPK(p.ID), deskSK), s.guardDelete(guardNumber, p.Number, portingOwner(p)))
			}
		}
	}
	for _, n := range user.Numbers(m, sub) {
		items = append(items, s.guardDelete(guardNumber, n, userOwner(m)))
	}
	items = append(items, s.moveTrunks(acct.ID, account.Limits{Users: -1}))
	items = append(items, s.unchanged(keeper)...)
	audits, err := s.auditPuts(acct.ID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// PendingActivations implements user.Store.
func (s *UserStore) PendingActivations(ctx context.Context, cutoff time.Time) ([]account.Member, error) {
	out, err := s.Client.Query(ctx, &dynamodb.QueryInput{
		TableName: &s.Name, IndexName: aws.String(gsi1), Limit: aws.Int32(500),
		KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk < :cutoff"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "ACTIVATION"}, ":cutoff": &types.AttributeValueMemberS{Value: sortableTime(cutoff)},
		},
	})
	if err != nil {
		return nil, storeError(err)
	}
	return members(out.Items)
}

// SearchUsers implements user.Store: the account's users in one Query of its partition, the
// filter picking within it, so a page reads on until it is full (pageFiltered).
func (s *UserStore) SearchUsers(ctx context.Context, accountID string, f user.Filter, cursor string, limit int) ([]account.Member, string, error) {
	in, err := s.prefixPage(accountPK(accountID), "USER#", cursor)
	if err != nil {
		return nil, "", err
	}
	var where filter
	where.search(f.Query)
	if f.Role != "" {
		where.dataIs("role", string(f.Role))
	}
	role := map[string]string{"#d": "data", "#role": "role"} // both reserved words
	switch f.Type {
	case user.Basic:
		where.where("#d.#role = :basic", map[string]any{":basic": string(account.BasicUser)}, role)
	case user.Full:
		where.where("#d.#role <> :basic", map[string]any{":basic": string(account.BasicUser)}, role)
	}
	if f.Active != nil {
		// Active users have no inactive attribute (or, written by hand, a false one).
		cond := "(attribute_not_exists(#d.inactive) OR #d.inactive <> :inactive)"
		if !*f.Active {
			cond = "#d.inactive = :inactive"
		}
		where.where(cond, map[string]any{":inactive": true}, map[string]string{"#d": "data"})
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, memberFrom)
}

// UpdateUser implements user.Store: the user (version-checked) with the claims that
// moved: a released number's claim deleted (if still the user's), a new one's put (if
// free), and, when the email or the user name changed, the sign-in lookups and the
// email guard moved the same way.
func (s *UserStore) UpdateUser(ctx context.Context, acct account.Account, before, after account.Member, entry audit.Entry) error {
	owner := userOwner(after)
	var with []types.TransactWriteItem
	var claims []any
	gone, added := moved(user.Numbers(before, nil), user.Numbers(after, nil))
	for _, n := range gone {
		with = append(with, s.guardDelete(guardNumber, n, owner))
	}
	for _, n := range added {
		claims = append(claims, guard{PK: guardPK(guardNumber, n), SK: guardSK, Owner: owner})
	}
	goneNames, addedNames := moved(loginNames(before), loginNames(after))
	for _, d := range loginDomains(acct) {
		for _, name := range goneNames {
			with = append(with, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(loginPK(d, name), loginSK)}})
		}
		for _, name := range addedNames {
			claims = append(claims, loginItem{PK: loginPK(d, name), SK: loginSK, AccountID: acct.ID, UserID: after.ID})
		}
	}
	if !strings.EqualFold(before.Email, after.Email) {
		if before.Email != "" {
			with = append(with, s.guardDelete(guardEmail, lower(before.Email), owner))
		}
		claims = append(claims, guard{PK: guardPK(guardEmail, lower(after.Email)), SK: guardSK, Owner: owner})
	}
	puts, err := s.putsNew(claims)
	if err != nil {
		return err
	}
	return s.writeMember(ctx, after, entry, append(with, puts...)...)
}

// moved returns what is in before and not in after, and what is in after and not in before.
func moved(before, after []string) (gone, added []string) {
	for _, v := range before {
		if !slices.Contains(after, v) {
			gone = append(gone, v)
		}
	}
	for _, v := range after {
		if !slices.Contains(before, v) {
			added = append(added, v)
		}
	}
	return gone, added
}
