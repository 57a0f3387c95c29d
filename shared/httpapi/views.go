package httpapi

import (
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/user"
)

// The views below are the API's shapes of the domain's smaller values: what
// docs/openapi.yaml describes, kept here so that a domain type's fields and tags, which
// storage and audit differences do not follow either, never change a response.

// views converts a list, keeping an absent one absent.
func views[T, V any](in []T, view func(T) V) []V {
	if in == nil {
		return nil
	}
	out := make([]V, len(in))
	for i, v := range in {
		out[i] = view(v)
	}
	return out
}

type limitsView struct {
	InboundTrunks  int `json:"inboundTrunks"`
	OutboundTrunks int `json:"outboundTrunks"`
	TwowayTrunks   int `json:"twowayTrunks"`
	Users          int `json:"users"`
}

func toLimitsView(l account.Limits) limitsView {
	return limitsView{InboundTrunks: l.InboundTrunks, OutboundTrunks: l.OutboundTrunks, TwowayTrunks: l.TwowayTrunks, Users: l.Users}
}

// creditView is an account's credit: the balance, and what makes it up.
type creditView struct {
	BalanceMinor int64  `json:"balanceMinor"`
	AddedMinor   int64  `json:"addedMinor"`
	SpentMinor   int64  `json:"spentMinor"`
	Currency     string `json:"currency"`
	Bypass       bool   `json:"bypass"`
}

func toCreditView(c account.Credit) creditView {
	return creditView{BalanceMinor: c.BalanceMinor(), AddedMinor: c.AddedMinor, SpentMinor: c.SpentMinor, Currency: c.Currency, Bypass: c.Bypass}
}

type addressView struct {
	Name       string `json:"name"`
	Street     string `json:"street"`
	PostalCode string `json:"postalCode"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

func toAddressView(a account.Address) addressView {
	return addressView{Name: a.Name, Street: a.Street, PostalCode: a.PostalCode, City: a.City, Country: a.Country}
}

func toAddressViewOf(a *account.Address) *addressView {
	if a == nil {
		return nil
	}
	v := toAddressView(*a)
	return &v
}

type registrationEventView struct {
	Status registration.Status `json:"status"`
	At     time.Time           `json:"at"`
	Reason string              `json:"reason"`
}

func toRegistrationEventView(e registration.Event) registrationEventView {
	return registrationEventView{Status: e.Status, At: e.At, Reason: e.Reason}
}

type portingStepView struct {
	Status      porting.Status `json:"status"`
	At          time.Time      `json:"at"`
	By          string         `json:"by"`
	ByRole      string         `json:"byRole,omitempty"`
	Reason      string         `json:"reason,omitempty"`
	Comment     string         `json:"comment,omitempty"`
	Private     bool           `json:"private,omitempty"`
	CommentOnly bool           `json:"commentOnly,omitempty"`
}

func toPortingStepView(s porting.Step) portingStepView {
	return portingStepView{Status: s.Status, At: s.At, By: s.By, ByRole: s.ByRole, Reason: s.Reason, Comment: s.Comment, Private: s.Private,
		CommentOnly: s.CommentOnly}
}

type documentView struct {
	ID          string    `json:"id"`
	FileName    string    `json:"fileName"`
	ContentType string    `json:"contentType"`
	Key         string    `json:"key"`
	RequestedAt time.Time `json:"requestedAt"`
}

func toDocumentView(d porting.Document) documentView {
	return documentView{ID: d.ID, FileName: d.FileName, ContentType: d.ContentType, Key: d.Key, RequestedAt: d.RequestedAt}
}

type sentSMSView struct {
	Kind      sip.Action `json:"kind"`
	MessageID string     `json:"messageId"`
	SentAt    time.Time  `json:"sentAt"`
}

func toSentSMSView(s *sip.SentSMS) *sentSMSView {
	if s == nil {
		return nil
	}
	return &sentSMSView{Kind: s.Kind, MessageID: s.MessageID, SentAt: s.SentAt}
}

// subscriptionView is a mobile subscription: for a port-in, Number is the temporary number
// until the port completes.
type subscriptionView struct {
	ID                 string                  `json:"id"`
	AccountID          string                  `json:"accountId"`
	UserID             string                  `json:"userId"`
	Kind               user.SubscriptionKind   `json:"kind"`
	Number             string                  `json:"number"`
	PortingID          string                  `json:"portingId,omitempty"`
	Status             user.SubscriptionStatus `json:"status"`
	ActivationDate     string                  `json:"activationDate"`
	ActivatedAt        time.Time               `json:"activatedAt,omitzero"`
	SIMDeliveryAddress addressView             `json:"simDeliveryAddress"`
	SIM                *simDispatchView        `json:"sim,omitempty"`
	TerminatedAt       time.Time               `json:"terminatedAt,omitzero"`
	TerminationReason  string                  `json:"terminationReason,omitempty"`
	NumberFreeAt       time.Time               `json:"numberFreeAt,omitzero"`
	CreatedAt          time.Time               `json:"createdAt"`
	Version            int                     `json:"version"`
}

type simDispatchView struct {
	ICCID        string `json:"iccid"`
	DispatchedOn string `json:"dispatchedOn"`
}

func toSubscriptionView(s *user.Subscription) *subscriptionView {
	if s == nil {
		return nil
	}
	v := &subscriptionView{ID: s.ID, AccountID: s.AccountID, UserID: s.UserID, Kind: s.Kind, Number: s.Number, PortingID: s.PortingID,
		Status: s.Status, ActivationDate: s.ActivationDate, ActivatedAt: s.ActivatedAt, SIMDeliveryAddress: toAddressView(s.SIMDeliveryAddress),
		TerminatedAt: s.TerminatedAt, TerminationReason: s.TerminationReason, NumberFreeAt: s.NumberFreeAt, CreatedAt: s.CreatedAt, Version: s.Version}
	if s.SIM != nil {
		v.SIM = &simDispatchView{ICCID: s.SIM.ICCID, DispatchedOn: s.SIM.DispatchedOn}
	}
	return v
}

type auditEntryView struct {
	At       time.Time             `json:"at"`
	Actor    string                `json:"actor"`
	Action   string                `json:"action"`
	Entity   audit.Kind            `json:"entity"`
	EntityID string                `json:"entityId"`
	Diff     map[string]changeView `json:"diff"`
}

type changeView struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

func toAuditEntryView(e audit.Entry) auditEntryView {
	v := auditEntryView{At: e.At, Actor: e.Actor, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID}
	if e.Diff != nil {
		v.Diff = make(map[string]changeView, len(e.Diff))
		for field, c := range e.Diff {
			v.Diff[field] = changeView(c)
		}
	}
	return v
}

type rangeView struct {
	ID        string         `json:"id"`
	AccountID string         `json:"accountId"`
	Start     string         `json:"start"`
	End       string         `json:"end"`
	Kind      numbering.Kind `json:"kind"`
	Size      int            `json:"size"`
	CreatedAt time.Time      `json:"createdAt"`
}

func toRangeView(r numbering.Range) rangeView {
	return rangeView{ID: r.ID, AccountID: r.AccountID, Start: r.Start, End: r.End, Kind: r.Kind, Size: r.Size, CreatedAt: r.CreatedAt}
}

type blockView struct {
	AccountID      string    `json:"accountId"`
	First          string    `json:"first"`
	Last           string    `json:"last"`
	FirstExtension string    `json:"firstExtension"`
	LastExtension  string    `json:"lastExtension"`
	Size           int       `json:"size"`
	CreatedAt      time.Time `json:"createdAt"`
}

func toBlockView(b numbering.Block) blockView {
	return blockView{AccountID: b.AccountID, First: b.First, Last: b.Last, FirstExtension: b.FirstExtension, LastExtension: b.LastExtension,
		Size: b.Size, CreatedAt: b.CreatedAt}
}

type codeSentView struct {
	Channel   account.Channel `json:"channel"`
	SentTo    string          `json:"sentTo"`
	ExpiresAt time.Time       `json:"expiresAt"`
}

func toCodeSentView(s contact.Sent) codeSentView {
	return codeSentView{Channel: s.Channel, SentTo: s.SentTo, ExpiresAt: s.ExpiresAt}
}

type summaryView struct {
	Period   calls.Period     `json:"period"`
	From     string           `json:"from"`
	To       string           `json:"to"`
	Currency string           `json:"currency"`
	Rows     []summaryRowView `json:"rows"`
	Totals   combinedView     `json:"totals"`
	ReadAt   time.Time        `json:"readAt"`
}

// summaryRowView is a summary row with its minutes and average, as the CSV shows it.
type summaryRowView struct {
	ID             string       `json:"id"`
	AccountID      string       `json:"accountId"`
	Period         calls.Period `json:"period"`
	Start          time.Time    `json:"start"`
	Calls          int64        `json:"calls"`
	Answered       int64        `json:"answered"`
	Seconds        int64        `json:"seconds"`
	CostMinor      int64        `json:"costMinor"`
	InvoiceID      string       `json:"invoiceId,omitempty"`
	Minutes        float64      `json:"minutes"`
	AverageSeconds float64      `json:"averageSeconds"`
}

// combinedView is the rows' sums and the average of their averages, named so: it is not
// the average of the calls.
type combinedView struct {
	Calls                    int64   `json:"calls"`
	Answered                 int64   `json:"answered"`
	Seconds                  int64   `json:"seconds"`
	CostMinor                int64   `json:"costMinor"`
	Minutes                  float64 `json:"minutes"`
	AverageOfAveragesSeconds float64 `json:"averageOfAveragesSeconds"`
}

func toSummaryView(s calls.Summary) summaryView {
	return summaryView{Period: s.Period, From: s.From, To: s.To, Currency: s.Currency, ReadAt: s.ReadAt,
		Rows: views(s.Rows, func(r calls.Row) summaryRowView {
			return summaryRowView{ID: r.ID, AccountID: r.AccountID, Period: r.Period, Start: r.Start, Calls: r.Calls, Answered: r.Answered,
				Seconds: r.Seconds, CostMinor: r.CostMinor, InvoiceID: r.InvoiceID, Minutes: r.Minutes(), AverageSeconds: r.AverageSeconds()}
		}),
		Totals: combinedView{Calls: s.Totals.Calls, Answered: s.Totals.Answered, Seconds: s.Totals.Seconds, CostMinor: s.Totals.CostMinor,
			Minutes: s.Totals.Minutes, AverageOfAveragesSeconds: s.Totals.AverageOfAveragesSeconds}}
}

// reportView says what became of a batch of call records.
type reportView struct {
	Received   int            `json:"received"`
	Stored     int            `json:"stored"`
	Duplicates []string       `json:"duplicates"`
	Queued     int            `json:"queued"`
	Rejected   []rejectedView `json:"rejected"`
}

type rejectedView struct {
	Index  int                 `json:"index"`
	ID     string              `json:"id,omitempty"`
	Errors []fault.FieldReason `json:"errors"`
}

func toReportView(r calls.Report) reportView {
	return reportView{Received: r.Received, Stored: r.Stored, Duplicates: r.Duplicates, Queued: r.Queued,
		Rejected: views(r.Rejected, func(x calls.Rejected) rejectedView { return rejectedView{Index: x.Index, ID: x.ID, Errors: x.Errors} })}
}

// nodeView is an account as a row of the accounts tree shows it (GET /v1/accounts?subtree=true).
type nodeView struct {
	ID        string         `json:"id"`
	ParentID  string         `json:"parentId,omitempty"`
	Path      []string       `json:"path"`
	Name      string         `json:"name"`
	Realm     string         `json:"realm"`
	Kind      account.Kind   `json:"kind"`
	Status    account.Status `json:"status"`
	CreatedAt time.Time      `json:"createdAt"`
}

func toNodeView(n account.Node) nodeView {
	return nodeView{ID: n.ID, ParentID: n.ParentID, Path: n.Path, Name: n.Name, Realm: n.Realm, Kind: n.Kind, Status: n.Status, CreatedAt: n.CreatedAt}
}
