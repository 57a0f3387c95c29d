package dynamo

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
)

func invoiceSK(id string) string { return "INV#" + id }

// invoiceItem is an invoice under its account; gsi1 lists an account's invoices in the
// order they were made.
type invoiceItem struct {
	PK     string `json:"pk"`
	SK     string `json:"sk"`
	GSI1PK string `json:"gsi1pk"`
	GSI1SK string `json:"gsi1sk"`
	// SpanFrom and SpanTo are the time the invoice bills (billing.Invoice.Span), for the
	// list's period filter.
	SpanFrom string     `json:"spanFrom"`
	SpanTo   string     `json:"spanTo"`
	Version  int        `json:"version,omitempty"`
	Data     invoiceRow `json:"data"`
}

func toInvoiceItem(inv billing.Invoice) invoiceItem {
	from, to := inv.Span()
	return invoiceItem{PK: accountPK(inv.AccountID), SK: invoiceSK(inv.ID),
		GSI1PK: "INVOICES#" + inv.AccountID, GSI1SK: sortableTime(inv.CreatedAt) + "#" + inv.ID,
		SpanFrom: sortableTime(from), SpanTo: sortableTime(to), Version: inv.Version, Data: toInvoiceRow(inv)}
}

// invoiceStatusItem is an invoice's row in the billing system's lists across accounts: a
// copy of the invoice under gsi1 INVOICESTATUS#<status>, sorted by the account's path in
// the tree (so a subtree is a key prefix), then by when it was made. Its key never moves:
// every save of the invoice puts it, and the index moves it between partitions.
type invoiceStatusItem struct {
	PK       string     `json:"pk"`
	SK       string     `json:"sk"`
	GSI1PK   string     `json:"gsi1pk"`
	GSI1SK   string     `json:"gsi1sk"`
	SpanFrom string     `json:"spanFrom"`
	SpanTo   string     `json:"spanTo"`
	Data     invoiceRow `json:"data"`
}

func invoiceStatusPartition(s billing.Status) string { return "INVOICESTATUS#" + string(s) }

// treePrefix is the sort-key prefix of everything at or below the account at path.
func treePrefix(path []string) string { return strings.Join(path, "/") + "/" }

func toInvoiceStatusItem(inv billing.Invoice, path []string) invoiceStatusItem {
	it := toInvoiceItem(inv)
	return invoiceStatusItem{PK: it.PK, SK: "INVSTATUS#" + inv.ID, GSI1PK: invoiceStatusPartition(inv.Status),
		GSI1SK: treePrefix(path) + "#" + sortableTime(inv.CreatedAt) + "#" + inv.ID, SpanFrom: it.SpanFrom, SpanTo: it.SpanTo, Data: it.Data}
}

// invoiceStatusPut is the Put of an invoice's row in the billing system's lists.
func (t *Table) invoiceStatusPut(inv billing.Invoice, path []string) (types.TransactWriteItem, error) {
	item, err := marshal(toInvoiceStatusItem(inv, path))
	if err != nil {
		return types.TransactWriteItem{}, fault.Wrap(fault.Internal, err, "could not encode the invoice's listing")
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &t.Name, Item: item}}, nil
}

// invoicePuts are the Puts of a new invoice and its row in the billing system's lists.
func (t *Table) invoicePuts(inv billing.Invoice, path []string) ([]types.TransactWriteItem, error) {
	item, err := marshal(toInvoiceItem(inv))
	if err != nil {
		return nil, fault.Wrap(fault.Internal, err, "could not encode the invoice")
	}
	listed, err := t.invoiceStatusPut(inv, path)
	if err != nil {
		return nil, err
	}
	return []types.TransactWriteItem{t.putNew(item), listed}, nil
}

// SummaryRows implements billing.Store with BatchGetItem.
func (s *BillingStore) SummaryRows(ctx context.Context, accountID string, ids []string) ([]calls.Row, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, key(accountPK(accountID), summarySK(id)))
	}
	items, err := s.batchGet(ctx, keys, "")
	if err != nil {
		return nil, err
	}
	return decodeEach(items, summaryFrom)
}

// CreateInvoice implements billing.Store in one transaction: the invoice and its row in
// the billing system's lists; each row
// marked with it if not invoiced and unchanged since read; for a month, only if none of
// its days is invoiced; for days, their months counting them, only if the month itself
// is not invoiced; and the audit entry.
func (s *BillingStore) CreateInvoice(ctx context.Context, inv billing.Invoice, path []string, rows []calls.Row, entry audit.Entry, idem *idempotency.Record) error {
	items, err := s.invoicePuts(inv, path)
	if err != nil {
		return err
	}
	daysPerMonth := map[string]int64{}
	var months []string
	for _, r := range rows {
		cond := "attribute_exists(pk) AND attribute_not_exists(invoiceId) AND calls = :calls AND costMinor = :cost"
		if r.Period == calls.Monthly {
			cond += " AND (attribute_not_exists(invoicedDays) OR invoicedDays = :zero)"
		} else {
			month := calls.RowID(calls.Monthly, r.Start)
			if daysPerMonth[month] == 0 {
				months = append(months, month)
			}
			daysPerMonth[month]++
		}
		values := map[string]types.AttributeValue{
			":inv": &types.AttributeValueMemberS{Value: inv.ID}, ":calls": num(r.Calls), ":cost": num(r.CostMinor),
		}
		if r.Period == calls.Monthly {
			values[":zero"] = num(0)
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.Name, Key: key(accountPK(inv.AccountID), summarySK(r.ID)),
			UpdateExpression: aws.String("SET invoiceId = :inv"), ConditionExpression: aws.String(cond),
			ExpressionAttributeValues: values,
		}})
	}
	for _, month := range months {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.Name, Key: key(accountPK(inv.AccountID), summarySK(month)),
			UpdateExpression: aws.String("ADD invoicedDays :n"), ConditionExpression: aws.String("attribute_not_exists(invoiceId)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":n": num(daysPerMonth[month])},
		}})
	}
	audits, err := s.auditPuts(inv.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	if items, err = s.withIdempotency(append(items, audits...), idem); err != nil {
		return err
	}
	_, err = s.transact(ctx, items)
	return err
}

// Invoice implements billing.Store.
func (s *BillingStore) Invoice(ctx context.Context, accountID, id string) (billing.Invoice, error) {
	return get[invoiceRow](ctx, s.Table, accountPK(accountID), invoiceSK(id), "invoice")
}

// Invoices implements billing.Store.
// The period and the status are filters, so a page reads on until it is full (pageFiltered).
func (s *BillingStore) Invoices(ctx context.Context, accountID string, f billing.Filter, cursor string, limit int) ([]billing.Invoice, string, error) {
	in, err := s.gsiPage("INVOICES#"+accountID, cursor)
	if err != nil {
		return nil, "", err
	}
	where := periodFilter(f)
	switch f.Status {
	case "":
	case billing.Issued: // invoices stored before the hand-off have no status: issued
		where.where("(attribute_not_exists(#d.#status) OR #d.#status = :status)", map[string]any{":status": string(f.Status)},
			map[string]string{"#d": "data", "#status": "status"})
	default:
		where.dataIs("status", string(f.Status))
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[invoiceRow]("invoice"))
}

// periodFilter is the filter of the invoices billing any time of f's period.
func periodFilter(f billing.Filter) filter {
	var where filter
	if !f.From.IsZero() {
		where.where("spanTo > :from", map[string]any{":from": sortableTime(f.From)}, nil)
	}
	if !f.To.IsZero() {
		where.where("spanFrom <= :to", map[string]any{":to": sortableTime(f.To)}, nil)
	}
	return where
}

// SaveInvoice implements billing.Store in one transaction: the invoice, on the condition
// that its version is still prev (invoices stored before versions have none: prev 0),
// its row in the billing system's lists and the audit entry.
func (s *BillingStore) SaveInvoice(ctx context.Context, inv billing.Invoice, path []string, prev int, entry audit.Entry) error {
	item, err := marshal(toInvoiceItem(inv))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the invoice")
	}
	put := &types.Put{TableName: &s.Name, Item: item, ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(version)")}
	if prev > 0 {
		put.ConditionExpression = aws.String("version = :prev")
		put.ExpressionAttributeValues = map[string]types.AttributeValue{":prev": num(int64(prev))}
	}
	listed, err := s.invoiceStatusPut(inv, path)
	if err != nil {
		return err
	}
	audits, err := s.auditPuts(inv.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append([]types.TransactWriteItem{{Put: put}, listed}, audits...))
	return err
}

// ScopeInvoices implements billing.Store: one Query of the status's partition with the
// subtree as a key prefix; the period is a filter, so a page reads on until it is full.
func (s *BillingStore) ScopeInvoices(ctx context.Context, path []string, f billing.Filter, cursor string, limit int) ([]billing.Invoice, string, error) {
	pk := invoiceStatusPartition(f.Status)
	start, err := decodeCursor(cursor, "gsi1pk", pk)
	if err != nil {
		return nil, "", err
	}
	in := &dynamodb.QueryInput{TableName: &s.Name, IndexName: aws.String(gsi1), ExclusiveStartKey: start,
		KeyConditionExpression: aws.String("gsi1pk = :pk AND begins_with(gsi1sk, :tree)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":tree": &types.AttributeValueMemberS{Value: treePrefix(path)},
		}}
	where := periodFilter(f)
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[invoiceRow]("invoice"))
}

// lateItem is what call records added to an invoiced row after it was invoiced (a
// billing.Late): under the row's account, one per invoice and row, its totals at the
// top level so ingest can ADD to them; gsi1 LATE lists every one for the sweep.
type lateItem struct {
	PK        string       `json:"pk"`
	SK        string       `json:"sk"`
	GSI1PK    string       `json:"gsi1pk"`
	GSI1SK    string       `json:"gsi1sk"`
	AccountID string       `json:"accountId"`
	InvoiceID string       `json:"invoiceId"`
	RowID     string       `json:"rowId"`
	Period    calls.Period `json:"period"`
	Start     time.Time    `json:"start"`
	Calls     int64        `json:"calls"`
	Answered  int64        `json:"answered"`
	Seconds   int64        `json:"seconds"`
	CostMinor int64        `json:"costMinor"`
}

const latePartition = "LATE"

func lateSK(invoiceID, rowID string) string { return "LATE#" + invoiceID + "#" + rowID }

func (it lateItem) domain() billing.Late {
	return billing.Late{AccountID: it.AccountID, InvoiceID: it.InvoiceID, Row: calls.Row{ID: it.RowID, AccountID: it.AccountID,
		Period: it.Period, Start: it.Start, InvoiceID: it.InvoiceID,
		Totals: calls.Totals{Calls: it.Calls, Answered: it.Answered, Seconds: it.Seconds, CostMinor: it.CostMinor}}}
}

// lateAdd adds a delta that reached a row of invoiceID to the row's late charge.
func (t *Table) lateAdd(d calls.Delta, invoiceID string) types.TransactWriteItem {
	return types.TransactWriteItem{Update: t.deltaAdd(key(accountPK(d.AccountID), lateSK(invoiceID, d.RowID)), d,
		", gsi1pk = :late, gsi1sk = :order, invoiceId = :inv, rowId = :row", map[string]types.AttributeValue{
			":late":  &types.AttributeValueMemberS{Value: latePartition},
			":order": &types.AttributeValueMemberS{Value: d.AccountID + "#" + invoiceID + "#" + d.RowID},
			":inv":   &types.AttributeValueMemberS{Value: invoiceID}, ":row": &types.AttributeValueMemberS{Value: d.RowID},
		})}
}

// LateCharges implements billing.Store: gsi1 LATE, in account and invoice order.
func (s *BillingStore) LateCharges(ctx context.Context, limit int) ([]billing.Late, error) {
	items, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: &s.Name, IndexName: aws.String(gsi1), KeyConditionExpression: aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: latePartition}},
	}, limit)
	if err != nil {
		return nil, err
	}
	return decodeEach(items, func(raw map[string]types.AttributeValue) (billing.Late, error) {
		var it lateItem
		if err := unmarshal(raw, &it); err != nil {
			return billing.Late{}, fault.Wrap(fault.Internal, err, "could not decode a late charge")
		}
		return it.domain(), nil
	})
}

// CreateAdjustment implements billing.Store in one transaction: the invoice and its row
// in the billing system's lists, the late charges deleted on the condition that nothing
// was added to them since read, and the audit entry.
func (s *BillingStore) CreateAdjustment(ctx context.Context, inv billing.Invoice, path []string, lates []billing.Late, entry audit.Entry) error {
	items, err := s.invoicePuts(inv, path)
	if err != nil {
		return err
	}
	for _, l := range lates {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{
			TableName: &s.Name, Key: key(accountPK(l.AccountID), lateSK(l.InvoiceID, l.Row.ID)),
			ConditionExpression:       aws.String("calls = :calls AND costMinor = :cost"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":calls": num(l.Row.Calls), ":cost": num(l.Row.CostMinor)},
		}})
	}
	audits, err := s.auditPuts(inv.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}
