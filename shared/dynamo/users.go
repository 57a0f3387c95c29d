package dynamo

import (
	"context"
	"errors"
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

// guardICCID claims a SIM card's ICCID for the subscription it was dispatched for.
const guardICCID = "iccid"

// subscriptionItem is a mobile subscription, under its account's partition. While it is
// ordered it is in gsi1 under SUBACTIVATION, sorted by its activation time, so the
// dispatcher finds the subscriptions due with one Query.
type subscriptionItem struct {
	PK      string          `json:"pk"`
	SK      string          `json:"sk"`
	GSI1PK  string          `json:"gsi1pk,omitempty"`
	GSI1SK  string          `json:"gsi1sk,omitempty"`
	Version int             `json:"version"`
	Data    subscriptionRow `json:"data"`
}

const subActivationPK = "SUBACTIVATION"

func toSubscriptionItem(sub user.Subscription) subscriptionItem {
	it := subscriptionItem{PK: accountPK(sub.AccountID), SK: subscriptionSK(sub.ID), Version: sub.Version, Data: toSubscriptionRow(sub)}
	if sub.Status == user.Ordered && !sub.ActivatesAt.IsZero() {
		it.GSI1PK, it.GSI1SK = subActivationPK, sortableTime(sub.ActivatesAt)+"#"+sub.AccountID+"#"+sub.ID
	}
	return it
}

// agingItem is the claim of a terminated subscription's number while it ages: it keeps
// the number taken, and gsi1 under AGING, sorted by when the aging ends, lets the
// dispatcher free it then with one Query and a conditional delete.
type agingItem struct {
	PK     string `json:"pk"`
	SK     string `json:"sk"`
	Owner  string `json:"owner"`
	GSI1PK string `json:"gsi1pk"`
	GSI1SK string `json:"gsi1sk"`
}

const agingPK = "AGING"

func agingOwner(sub user.Subscription) string { return "AGING#" + subscriptionSK(sub.ID) }

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

// Subscription implements user.Store.
func (s *UserStore) Subscription(ctx context.Context, accountID, id string) (user.Subscription, error) {
	return get[subscriptionRow](ctx, s.Table, accountPK(accountID), subscriptionSK(id), "subscription")
}

// SaveSubscription implements user.Store: the subscription (version-checked) and its audit
// entry; on termination, the number's claim passes from the user to the aging list, on
// the condition that the user still holds it.
func (s *UserStore) SaveSubscription(ctx context.Context, before, after user.Subscription, entry audit.Entry) error {
	item, err := marshal(toSubscriptionItem(after))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the subscription")
	}
	items := []types.TransactWriteItem{s.putVersioned(item, after.Version)}
	if after.SIM != nil && before.SIM == nil { // one SIM card serves one subscription, for good
		claim, err := s.guardPut(guardICCID, after.SIM.ICCID, accountPK(after.AccountID)+"#"+subscriptionSK(after.ID))
		if err != nil {
			return fault.Wrap(fault.Internal, err, "could not encode the SIM's claim")
		}
		items = append(items, claim)
	}
	if after.Status == user.Terminated && before.Status != user.Terminated && after.Number != "" {
		claim, err := marshal(agingItem{PK: guardPK(guardNumber, after.Number), SK: guardSK, Owner: agingOwner(after),
			GSI1PK: agingPK, GSI1SK: sortableTime(after.NumberFreeAt) + "#" + after.Number})
		if err != nil {
			return fault.Wrap(fault.Internal, err, "could not encode the number's aging claim")
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.Name, Item: claim, ConditionExpression: aws.String("#o = :user"),
			ExpressionAttributeNames:  map[string]string{"#o": "owner"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":user": &types.AttributeValueMemberS{Value: accountPK(after.AccountID) + "#" + memberSK(after.UserID)}}}})
	}
	audits, err := s.auditPuts(after.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	failed, err := s.transact(ctx, append(items, audits...))
	switch {
	case len(failed) == 0:
		return err
	case failed[0] == 1 && after.SIM != nil && before.SIM == nil:
		var f fault.Fields
		f.Add("sim.iccid", "is the SIM of another subscription")
		return f.Conflict("the SIM is in use", err)
	}
	return fault.New(fault.Conflict, "the subscription changed since it was read; read it again")
}

// PendingSubscriptions implements user.Store.
func (s *UserStore) PendingSubscriptions(ctx context.Context, cutoff time.Time) ([]user.Subscription, error) {
	out, err := s.Client.Query(ctx, s.dueBefore(subActivationPK, cutoff))
	if err != nil {
		return nil, storeError(err)
	}
	return decodeAll[subscriptionRow](out.Items, "subscription")
}

// ReleaseAgedNumbers implements user.Store: one Query of the aging claims that are due,
// then a delete of each, on the condition that it still ages (a number claimed again
// meanwhile is not freed).
func (s *UserStore) ReleaseAgedNumbers(ctx context.Context, cutoff time.Time) (int, error) {
	out, err := s.Client.Query(ctx, s.dueBefore(agingPK, cutoff))
	if err != nil {
		return 0, storeError(err)
	}
	freed := 0
	for _, raw := range out.Items {
		var it agingItem
		if err := unmarshal(raw, &it); err != nil {
			return freed, fault.Wrap(fault.Internal, err, "could not decode an aging number")
		}
		_, err := s.Client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Name, Key: key(it.PK, it.SK),
			ConditionExpression:       aws.String("#o = :owner"),
			ExpressionAttributeNames:  map[string]string{"#o": "owner"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":owner": &types.AttributeValueMemberS{Value: it.Owner}}})
		var gone *types.ConditionalCheckFailedException
		switch {
		case errors.As(err, &gone): // freed by an earlier run
		case err != nil:
			return freed, storeError(err)
		default:
			freed++
		}
	}
	return freed, nil
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
	out, err := s.Client.Query(ctx, s.dueBefore("ACTIVATION", cutoff))
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

// dueBefore is the Query of up to 500 items of a gsi1 partition sorted by time whose
// time is before cutoff: the work the dispatcher's sweeps find due.
func (t *Table) dueBefore(pk string, cutoff time.Time) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName: &t.Name, IndexName: aws.String(gsi1), Limit: aws.Int32(500),
		KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk < :cutoff"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":cutoff": &types.AttributeValueMemberS{Value: sortableTime(cutoff)},
		},
	}
}
