package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	Data     invoiceRow `json:"data"`
}

func toInvoiceItem(inv billing.Invoice) invoiceItem {
	from, to := inv.Span()
	return invoiceItem{PK: accountPK(inv.AccountID), SK: invoiceSK(inv.ID),
		GSI1PK: "INVOICES#" + inv.AccountID, GSI1SK: sortableTime(inv.CreatedAt) + "#" + inv.ID,
		SpanFrom: sortableTime(from), SpanTo: sortableTime(to), Data: toInvoiceRow(inv)}
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
	rows := make([]calls.Row, 0, len(items))
	for _, raw := range items {
		var it summaryItem
		if err := unmarshal(raw, &it); err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not decode a summary row")
		}
		rows = append(rows, it.row())
	}
	return rows, nil
}

// CreateInvoice implements billing.Store in one transaction: the invoice; each row
// marked with it if not invoiced and unchanged since read; for a month, only if none of
// its days is invoiced; for days, their months counting them, only if the month itself
// is not invoiced; and the audit entry.
func (s *BillingStore) CreateInvoice(ctx context.Context, inv billing.Invoice, rows []calls.Row, entry audit.Entry, idem *idempotency.Record) error {
	item, err := marshal(toInvoiceItem(inv))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the invoice")
	}
	items := []types.TransactWriteItem{s.putNew(item)}
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
// The period is a filter, so a page reads on until it is full (pageFiltered).
func (s *BillingStore) Invoices(ctx context.Context, accountID string, f billing.Filter, cursor string, limit int) ([]billing.Invoice, string, error) {
	in, err := s.gsiPage("INVOICES#"+accountID, cursor)
	if err != nil {
		return nil, "", err
	}
	var where filter
	if !f.From.IsZero() {
		where.where("spanTo > :from", map[string]any{":from": sortableTime(f.From)}, nil)
	}
	if !f.To.IsZero() {
		where.where("spanFrom <= :to", map[string]any{":to": sortableTime(f.To)}, nil)
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[invoiceRow]("invoice"))
}
