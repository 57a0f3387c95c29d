package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
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
	"github.com/provisio/provisio/shared/text"
)

const (
	accountSK  = "ACC"
	loginSK    = "LOGIN"
	guardEmail = "email"
)

func accountPK(id string) string { return "ACC#" + id }

// accountItem is an account row; gsi1 lists an account's children.
type accountItem struct {
	PK      string `json:"pk"`
	SK      string `json:"sk"`
	GSI1PK  string `json:"gsi1pk,omitempty"`
	GSI1SK  string `json:"gsi1sk,omitempty"`
	Version int    `json:"version"`
	// SearchKey is the account's text.SearchKey: its name and realm.
	SearchKey string `json:"searchKey"`
	// SpentMinor is what the account's calls have cost (account.Credit.SpentMinor): only
	// ingest adds to it. LowBalanceSince is when the low-balance alert last fired (RFC
	// 3339). A change of the account (accountUpdate) leaves both as they are.
	SpentMinor      int64      `json:"spentMinor,omitempty"`
	LowBalanceSince string     `json:"lowBalanceSince,omitempty"`
	Data            accountRow `json:"data"`
}

// ingestOwned are the account item's attributes that only ingest writes.
var ingestOwned = []string{"spentMinor", "lowBalanceSince"}

// accountFrom decodes an account item: its data, and what its calls have spent.
func accountFrom(raw map[string]types.AttributeValue) (account.Account, error) {
	var it accountItem
	if err := unmarshal(raw, &it); err != nil {
		return account.Account{}, fault.Wrap(fault.Internal, err, "could not decode the account")
	}
	a := it.Data.domain()
	a.Credit.SpentMinor = it.SpentMinor
	if it.LowBalanceSince != "" {
		a.LowBalanceSince, _ = time.Parse(time.RFC3339Nano, it.LowBalanceSince)
	}
	return a, nil
}

// accountUpdate writes a changed account whose stored version is a.Version-1: every
// attribute of its item but those ingest owns, which an UpdateItem leaves in place where
// a Put would write back what was read.
func (t *Table) accountUpdate(a account.Account) (types.TransactWriteItem, error) {
	item, err := marshal(toAccountItem(a))
	if err != nil {
		return types.TransactWriteItem{}, fault.Wrap(fault.Internal, err, "could not encode the account")
	}
	names := map[string]string{}
	values := map[string]types.AttributeValue{":prev": num(int64(a.Version - 1))}
	var sets []string
	for _, name := range slices.Sorted(maps.Keys(item)) {
		if name == "pk" || name == "sk" || slices.Contains(ingestOwned, name) {
			continue
		}
		n := strconv.Itoa(len(sets))
		names["#a"+n], values[":a"+n] = name, item[name]
		sets = append(sets, "#a"+n+" = :a"+n)
	}
	return types.TransactWriteItem{Update: &types.Update{TableName: &t.Name, Key: key(accountPK(a.ID), accountSK),
		UpdateExpression: aws.String("SET " + strings.Join(sets, ", ")), ConditionExpression: aws.String("version = :prev"),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values}}, nil
}

func toAccountItem(a account.Account) accountItem {
	it := accountItem{PK: accountPK(a.ID), SK: accountSK, Version: a.Version, SearchKey: text.SearchKey(account.NodeOf(a).SearchTerms()...),
		Data: toAccountRow(a)}
	if a.ParentID != "" {
		it.GSI1PK, it.GSI1SK = "CHILDREN#"+a.ParentID, "ACC#"+a.ID
	}
	return it
}

// memberItem is a user of an account, under the account's partition. While the user
// waits for its activation date it is in gsi1 under ACTIVATION, sorted by that time, so
// the dispatcher finds the users due with one Query; a contact (never inactive) is in
// gsi1 under CONTACTS#<account>, so its account's contacts page exactly.
//
// The password hash is an attribute of the item, beside the member's data: the member's
// JSON form leaves it out. Items written before hold it in data (memberFrom reads both).
type memberItem struct {
	PK           string `json:"pk"`
	SK           string `json:"sk"`
	GSI1PK       string `json:"gsi1pk,omitempty"`
	GSI1SK       string `json:"gsi1sk,omitempty"`
	Version      int    `json:"version"`
	PasswordHash string `json:"passwordHash,omitempty"`
	// Search is the user's text.SearchKey of its SearchTerms.
	Search string    `json:"searchKey"`
	Data   memberRow `json:"data"`
}

func toMemberItem(m account.Member) memberItem {
	it := memberItem{PK: accountPK(m.AccountID), SK: memberSK(m.ID), Version: m.Version, PasswordHash: m.PasswordHash,
		Search: text.SearchKey(m.SearchTerms()...), Data: toMemberRow(m)}
	switch {
	case m.Inactive && !m.ActivatesAt.IsZero():
		it.GSI1PK, it.GSI1SK = "ACTIVATION", sortableTime(m.ActivatesAt)+"#"+m.AccountID+"#"+m.ID
	case m.Contact != nil:
		it.GSI1PK, it.GSI1SK = contactsPK(m.AccountID), m.ID
	}
	return it
}

// loginNames are the names a user signs in with: the user name and, when it differs,
// the email address (UW-6: the email is a login name too).
func loginNames(m account.Member) []string {
	if m.Email != "" && !strings.EqualFold(m.Email, m.Username) {
		return []string{m.Username, m.Email}
	}
	return []string{m.Username}
}

func memberSK(id string) string { return "USER#" + id }

// loginItem finds a user from what they type at sign-in: domain (or realm) and user name.
type loginItem struct {
	PK        string `json:"pk"`
	SK        string `json:"sk"`
	AccountID string `json:"accountId"`
	UserID    string `json:"userId"`
}

func loginPK(domain, username string) string { return "LOGIN#" + lower(domain) + "#" + lower(username) }

// loginDomains are the names an account's users sign in with: its domain and its realm.
func loginDomains(a account.Account) []string {
	if a.Domain != "" {
		return []string{a.Domain, a.Realm}
	}
	return []string{a.Realm}
}

// memberPuts returns the writes that add a user: the row, its sign-in lookups and, when
// it has an email, the platform-wide email guard. Each is refused if it exists.
func (t *Table) memberPuts(acct account.Account, m account.Member) ([]types.TransactWriteItem, error) {
	rows := []any{toMemberItem(m)}
	for _, d := range loginDomains(acct) {
		for _, name := range loginNames(m) {
			rows = append(rows, loginItem{PK: loginPK(d, name), SK: loginSK, AccountID: acct.ID, UserID: m.ID})
		}
	}
	if m.Email != "" {
		rows = append(rows, guard{PK: guardPK(guardEmail, lower(m.Email)), SK: guardSK, Owner: accountPK(acct.ID) + "#" + memberSK(m.ID)})
	}
	return t.putsNew(rows)
}

func (t *Table) putsNew(rows []any) ([]types.TransactWriteItem, error) {
	items := make([]types.TransactWriteItem, 0, len(rows))
	for _, row := range rows {
		item, err := marshal(row)
		if err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not encode a record")
		}
		items = append(items, t.putNew(item))
	}
	return items, nil
}

// newAccountPuts returns the writes of a new account with its first user: the rows, the
// realm guard and the user's lookups, each refused if it exists.
func (t *Table) newAccountPuts(acct account.Account, admin *account.Member) ([]types.TransactWriteItem, error) {
	items, err := t.putsNew([]any{toAccountItem(acct), guard{PK: guardPK(guardRealm, acct.Realm), SK: guardSK, Owner: accountPK(acct.ID)}})
	// A realm is a sign-in domain: it must not be any account's UPN suffix either.
	items = append(items, t.guardAbsent(guardDomain, acct.Realm))
	if err != nil {
		return nil, err
	}
	tree, err := t.treePuts(acct)
	if items = append(items, tree...); err != nil || admin == nil {
		return items, err
	}
	more, err := t.memberPuts(acct, *admin)
	return append(items, more...), err
}

// moveTrunks takes n trunks and users (negative: gives them back) from an account's
// available ones, refusing to go below zero, and bumps its version so a concurrent full
// write of that account (a PATCH) cannot put back a stale count.
func (t *Table) moveTrunks(accountID string, n account.Limits) types.TransactWriteItem {
	num := func(v int) types.AttributeValue { return &types.AttributeValueMemberN{Value: strconv.Itoa(v)} }
	return types.TransactWriteItem{Update: &types.Update{
		TableName: &t.Name, Key: key(accountPK(accountID), accountSK),
		UpdateExpression: aws.String("SET #d.#av.#in = #d.#av.#in - :in, #d.#av.#out = #d.#av.#out - :out, " +
			"#d.#av.#two = #d.#av.#two - :two, #d.#av.#users = #d.#av.#users - :users, version = version + :one, #d.version = #d.version + :one"),
		ConditionExpression: aws.String("#d.#av.#in >= :in AND #d.#av.#out >= :out AND #d.#av.#two >= :two AND #d.#av.#users >= :users"),
		ExpressionAttributeNames: map[string]string{"#d": "data", "#av": "available",
			"#in": "inboundTrunks", "#out": "outboundTrunks", "#two": "twowayTrunks", "#users": "users"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":in": num(n.InboundTrunks), ":out": num(n.OutboundTrunks), ":two": num(n.TwowayTrunks), ":users": num(n.Users), ":one": num(1),
		},
	}}
}

// auditPuts writes entries under one account's partition.
func (t *Table) auditPuts(accountID string, entries []audit.Entry) ([]types.TransactWriteItem, error) {
	items := make([]types.TransactWriteItem, 0, len(entries))
	for i, e := range entries {
		it, err := t.auditPut(accountPK(accountID), e, i)
		if err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not encode the audit entry")
		}
		items = append(items, it)
	}
	return items, nil
}

// Account implements account.Store.
func (s *AccountStore) Account(ctx context.Context, id string) (account.Account, error) {
	return getItem(ctx, s.Table, accountPK(id), accountSK, "account", accountFrom)
}

// CreateAccount implements account.Store. The root (no parent) takes trunks from nobody.
func (s *AccountStore) CreateAccount(ctx context.Context, acct account.Account, admin *account.Member, entries []audit.Entry, idem *idempotency.Record) error {
	items, err := s.newAccountPuts(acct, admin)
	if err != nil {
		return err
	}
	if items, err = s.withIdempotency(items, idem); err != nil {
		return err
	}
	if acct.ParentID != "" {
		items = append(items, s.moveTrunks(acct.ParentID, acct.Limits))
	}
	audits, err := s.auditPuts(acct.ID, entries)
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// UpdateAccount implements account.Store.
func (s *AccountStore) UpdateAccount(ctx context.Context, acct account.Account, extra account.Limits, entry audit.Entry, idem *idempotency.Record) error {
	update, err := s.accountUpdate(acct)
	if err != nil {
		return err
	}
	tree, err := s.treePuts(acct)
	if err != nil {
		return err
	}
	items := append([]types.TransactWriteItem{update}, tree...)
	if extra != (account.Limits{}) && acct.ParentID != "" {
		items = append(items, s.moveTrunks(acct.ParentID, extra))
	}
	audits, err := s.auditPuts(acct.ID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	if items, err = s.withIdempotency(append(items, audits...), idem); err != nil {
		return err
	}
	_, err = s.transact(ctx, items)
	return err
}

// DeleteAccount implements account.Store. The audit entry goes to the parent's log, which
// outlives the account.
func (s *AccountStore) DeleteAccount(ctx context.Context, acct account.Account, entry audit.Entry) error {
	back := account.Limits{}.Minus(acct.Limits)
	items := []types.TransactWriteItem{
		{Delete: &types.Delete{TableName: &s.Name, Key: key(accountPK(acct.ID), accountSK), ConditionExpression: aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.Itoa(acct.Version)}}}},
		s.guardDelete(guardRealm, acct.Realm, accountPK(acct.ID)),
		s.moveTrunks(acct.ParentID, back),
	}
	for pk, sk := range treeKeys(acct) {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(pk, sk)}})
	}
	audits, err := s.auditPuts(acct.ParentID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// Members implements account.Store.
func (s *UserStore) Members(ctx context.Context, accountID string) ([]account.Member, error) {
	items, err := s.queryPrefix(ctx, accountPK(accountID), "USER#")
	if err != nil {
		return nil, err
	}
	return members(items)
}

// memberFrom decodes a member item: its data, and its password hash from the item's
// attribute, or from the data of an item written before the hash moved out of it.
func memberFrom(raw map[string]types.AttributeValue) (account.Member, error) {
	var it memberItem
	if err := unmarshal(raw, &it); err != nil {
		return account.Member{}, fault.Wrap(fault.Internal, err, "could not decode a user")
	}
	m := it.Data.domain()
	if m.PasswordHash = it.PasswordHash; m.PasswordHash == "" {
		m.PasswordHash = legacyData(raw, "passwordHash")
	}
	return m, nil
}

// members decodes member items.
func members(items []map[string]types.AttributeValue) ([]account.Member, error) {
	return decodeEach(items, memberFrom)
}

// decodeAll decodes the "data" of each item as its row R.
func decodeAll[R row[T], T any](items []map[string]types.AttributeValue, what string) ([]T, error) {
	out := make([]T, 0, len(items))
	for _, raw := range items {
		var it struct {
			Data R `json:"data"`
		}
		if err := unmarshal(raw, &it); err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not decode a "+what)
		}
		out = append(out, it.Data.domain())
	}
	return out, nil
}

// Dependents implements account.Store with one small Query per kind of record.
func (s *AccountStore) Dependents(ctx context.Context, accountID string) ([]string, error) {
	var held []string
	for _, kind := range []struct{ name, index, pk, prefix string }{
		{"client accounts", "", accountPK(accountID), "SIP#"},
		{"number ranges", "", accountPK(accountID), "RANGE#"},
		{"subscriptions", "", accountPK(accountID), "SUB#"},
		{"porting requests", gsi1, "PORTS#" + accountID, ""},
		// Call summaries and invoices are billing history: suspend such an account instead.
		{"call summaries", "", accountPK(accountID), "SUM#"},
		{"invoices", "", accountPK(accountID), "INV#"},
	} {
		in := &dynamodb.QueryInput{TableName: &s.Name, Limit: aws.Int32(1), Select: types.SelectCount,
			KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :prefix)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: kind.pk}, ":prefix": &types.AttributeValueMemberS{Value: kind.prefix}},
		}
		if kind.index != "" {
			in.IndexName, in.KeyConditionExpression = aws.String(kind.index), aws.String("gsi1pk = :pk")
			delete(in.ExpressionAttributeValues, ":prefix")
		}
		out, err := s.Client.Query(ctx, in)
		if err != nil {
			return nil, storeError(err)
		}
		if out.Count > 0 {
			held = append(held, kind.name)
		}
	}
	return held, nil
}

// Children implements account.Store.
// The search and the status are a filter, so a page reads on until it is full
// (pageFiltered).
func (s *AccountStore) Children(ctx context.Context, parentID string, f account.Filter, cursor string, limit int) ([]account.Account, string, error) {
	in, err := s.gsiPage("CHILDREN#"+parentID, cursor)
	if err != nil {
		return nil, "", err
	}
	accountFilter(f).apply(in)
	return pageFiltered(ctx, s.Table, in, limit, accountFrom)
}

// accountFilter is f as a filter on an account or tree item: searchKey and data.status.
func accountFilter(f account.Filter) *filter {
	var where filter
	where.search(f.Query)
	if f.Status != "" {
		where.dataIs("status", string(f.Status))
	}
	return &where
}

// treeItem is an account's row in the tree of each of its ancestors: under the
// ancestor's partition, sorted by the path from it (TREE#child/grandchild/…), so one
// Query reads a whole subtree in tree order. It carries what a tree row shows, which
// only a create, a change or a delete of the account moves; each of those writes every
// one of its tree rows in the same transaction.
type treeItem struct {
	PK        string  `json:"pk"`
	SK        string  `json:"sk"`
	SearchKey string  `json:"searchKey"`
	Data      nodeRow `json:"data"`
}

const treeSK = "TREE#"

// treeKeys are the keys of a's tree rows: one under each of its ancestors.
func treeKeys(a account.Account) map[string]string {
	keys := map[string]string{}
	for i, ancestor := range a.Path[:max(len(a.Path)-1, 0)] {
		keys[accountPK(ancestor)] = treeSK + strings.Join(a.Path[i+1:], "/")
	}
	return keys
}

// treePuts are the writes of a's tree rows.
func (t *Table) treePuts(a account.Account) ([]types.TransactWriteItem, error) {
	n := account.NodeOf(a)
	var items []types.TransactWriteItem
	for pk, sk := range treeKeys(a) {
		item, err := marshal(treeItem{PK: pk, SK: sk, SearchKey: text.SearchKey(n.SearchTerms()...), Data: toNodeRow(n)})
		if err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not encode the account's tree row")
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &t.Name, Item: item}})
	}
	return items, nil
}

// Descendants implements account.Store: one Query of the root's tree rows; the search
// and the status are a filter (pageFiltered).
func (s *AccountStore) Descendants(ctx context.Context, rootID string, f account.Filter, cursor string, limit int) ([]account.Node, string, error) {
	in, err := s.prefixPage(accountPK(rootID), treeSK, cursor)
	if err != nil {
		return nil, "", err
	}
	accountFilter(f).apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[nodeRow]("tree row"))
}

// prefixPage is the Query of the items of one partition whose sort key starts with
// prefix, from cursor, for pageFiltered; the cursor must be one made for that partition.
func (t *Table) prefixPage(pk, prefix, cursor string) (*dynamodb.QueryInput, error) {
	start, err := decodeCursor(cursor, "pk", pk)
	if err != nil {
		return nil, err
	}
	return &dynamodb.QueryInput{TableName: &t.Name, ExclusiveStartKey: start,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":prefix": &types.AttributeValueMemberS{Value: prefix},
		},
	}, nil
}

// gsiPage is the Query of one gsi1 partition from cursor, for pageFiltered; the cursor
// must be one made for that partition.
func (t *Table) gsiPage(pk, cursor string) (*dynamodb.QueryInput, error) {
	start, err := decodeCursor(cursor, "gsi1pk", pk)
	if err != nil {
		return nil, err
	}
	return &dynamodb.QueryInput{TableName: &t.Name, IndexName: aws.String(gsi1), ExclusiveStartKey: start,
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	}, nil
}

// AuditLog implements account.Store.
// The time span is a key condition (entries sort by time); the entity is a filter, so
// reading one page may take several Queries (pageFiltered).
func (s *AccountStore) AuditLog(ctx context.Context, accountID string, f account.AuditFilter, cursor string, limit int) ([]audit.Entry, string, error) {
	pk := accountPK(accountID)
	start, err := decodeCursor(cursor, "pk", pk)
	if err != nil {
		return nil, "", err
	}
	from, to := spanKeys("AUDIT#", f.From, f.To)
	in := &dynamodb.QueryInput{
		TableName: &s.Name, ExclusiveStartKey: start, ScanIndexForward: aws.Bool(false),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":from": &types.AttributeValueMemberS{Value: from},
			":to": &types.AttributeValueMemberS{Value: to},
		},
	}
	if f.Entity != "" {
		in.FilterExpression = aws.String("entity = :entity")
		in.ExpressionAttributeValues[":entity"] = &types.AttributeValueMemberS{Value: f.Entity}
	}
	return pageFiltered(ctx, s.Table, in, limit, func(raw map[string]types.AttributeValue) (audit.Entry, error) {
		var it auditItem
		if err := unmarshal(raw, &it); err != nil {
			return audit.Entry{}, fault.Wrap(fault.Internal, err, "could not decode an audit entry")
		}
		return it.domain(), nil
	})
}

// pageFiltered reads a page of a Query whose filter may skip items: it reads on until the
// page has limit items or the partition ends, and the cursor is the last item returned,
// never a key past items skipped, so no page is empty while its cursor says there is more.
func pageFiltered[T any](ctx context.Context, t *Table, in *dynamodb.QueryInput, limit int, decode func(map[string]types.AttributeValue) (T, error)) ([]T, string, error) {
	out := make([]T, 0, limit)
	for {
		in.Limit = aws.Int32(int32(max(limit-len(out), 25))) // a filter may skip many: read ahead
		page, err := t.Client.Query(ctx, in)
		if err != nil {
			return nil, "", storeError(err)
		}
		for _, raw := range page.Items {
			v, err := decode(raw)
			if err != nil {
				return nil, "", err
			}
			out = append(out, v)
			if len(out) == limit {
				if len(page.LastEvaluatedKey) == 0 && raw["sk"] == page.Items[len(page.Items)-1]["sk"] {
					return out, "", nil // the partition's last item
				}
				last := map[string]types.AttributeValue{"pk": raw["pk"], "sk": raw["sk"]}
				if in.IndexName != nil { // an index's cursor holds its keys as well as the table's
					last["gsi1pk"], last["gsi1sk"] = raw["gsi1pk"], raw["gsi1sk"]
				}
				return out, encodeCursor(last), nil
			}
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, "", nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// encodeCursor turns DynamoDB's last evaluated key (string attributes only, as all our
// keys are) into an opaque cursor; "" when there is no next page.
func encodeCursor(last map[string]types.AttributeValue) string {
	if len(last) == 0 {
		return ""
	}
	plain := map[string]string{}
	for k, v := range last {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			plain[k] = s.Value
		}
	}
	raw, _ := json.Marshal(plain) // strings only: cannot fail
	return base64.RawURLEncoding.EncodeToString(raw)
}

// decodeCursor reads a cursor back, refusing one that was not made for this partition,
// so a forged cursor cannot start a page in someone else's records.
func decodeCursor(cursor, partitionAttr, partition string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	bad := &fault.Error{Code: fault.Invalid, Message: "the cursor is not valid here", Fields: []fault.FieldReason{{Field: "cursor", Reason: "use the cursor of the previous page, unchanged"}}}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	var plain map[string]string
	if json.Unmarshal(raw, &plain) != nil || plain[partitionAttr] != partition {
		return nil, bad
	}
	out := map[string]types.AttributeValue{}
	for k, v := range plain {
		out[k] = &types.AttributeValueMemberS{Value: v}
	}
	return out, nil
}
