package calls

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// Period is a summary's granularity. Live rows are hours, so today's traffic shows while
// the day is still going.
type Period string

// Periods, as the API names them.
const (
	Live    Period = "live"
	Daily   Period = "daily"
	Monthly Period = "monthly"
)

// Periods lists every period, in display order.
var Periods = []Period{Live, Daily, Monthly}

// RowID names the summary row of period that holds t (UTC): "hour-2026-11-24T13",
// "day-2026-11-24", "month-2026-11". IDs of one period sort in time order.
func RowID(p Period, t time.Time) string {
	t = t.UTC()
	switch p {
	case Live:
		return "hour-" + t.Format("2006-01-02T15")
	case Daily:
		return "day-" + t.Format("2006-01-02")
	}
	return "month-" + t.Format("2006-01")
}

// ParseRowID returns the period and start of a summary row ID; ok is false for
// anything else.
func ParseRowID(id string) (Period, time.Time, bool) {
	for _, f := range []struct {
		p      Period
		prefix string
		layout string
	}{{Live, "hour-", "2006-01-02T15"}, {Daily, "day-", "2006-01-02"}, {Monthly, "month-", "2006-01"}} {
		if len(id) > len(f.prefix) && id[:len(f.prefix)] == f.prefix {
			t, err := time.Parse(f.layout, id[len(f.prefix):])
			return f.p, t, err == nil && RowID(f.p, t) == id
		}
	}
	return "", time.Time{}, false
}

// End returns when the row of period p starting at start ends (exclusive).
func End(p Period, start time.Time) time.Time {
	switch p {
	case Live:
		return start.Add(time.Hour)
	case Daily:
		return start.AddDate(0, 0, 1)
	}
	return start.AddDate(0, 1, 0)
}

// Totals are the running sums of a row. Answered calls are those with a duration.
type Totals struct {
	Calls     int64 `json:"calls"`
	Answered  int64 `json:"answered"`
	Seconds   int64 `json:"seconds"`
	CostMinor int64 `json:"costMinor"`
}

// add returns t plus o.
func (t Totals) add(o Totals) Totals {
	return Totals{Calls: t.Calls + o.Calls, Answered: t.Answered + o.Answered, Seconds: t.Seconds + o.Seconds, CostMinor: t.CostMinor + o.CostMinor}
}

// Minutes is the talk time in minutes, to two decimals.
func (t Totals) Minutes() float64 { return round2(float64(t.Seconds) / 60) }

// AverageSeconds is the average duration of the row's answered calls (the ACD), to two
// decimals; 0 without answered calls.
func (t Totals) AverageSeconds() float64 {
	if t.Answered == 0 {
		return 0
	}
	return round2(float64(t.Seconds) / float64(t.Answered))
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Row is one summary row of an account.
type Row struct {
	ID        string    `json:"id"`
	AccountID string    `json:"accountId"`
	Period    Period    `json:"period"`
	Start     time.Time `json:"start"`
	Totals
	InvoiceID string `json:"invoiceId,omitempty"`
}

// Delta is what a set of records adds to one row.
type Delta struct {
	AccountID string
	Period    Period
	Start     time.Time
	RowID     string
	Totals
}

// Deltas groups finished records into what they add to each hourly, daily and monthly
// row, in a stable order (records in progress add nothing).
func Deltas(recs []Record) []Delta {
	byKey := map[string]*Delta{}
	var keys []string
	for _, r := range recs {
		if r.InProgress {
			continue
		}
		add := Totals{Calls: 1, Seconds: int64(r.DurationSeconds), CostMinor: r.CostMinor}
		if r.DurationSeconds > 0 {
			add.Answered = 1
		}
		for _, p := range Periods {
			id := RowID(p, r.Start)
			k := r.AccountID + "/" + id
			d, ok := byKey[k]
			if !ok {
				_, start, _ := ParseRowID(id)
				d = &Delta{AccountID: r.AccountID, Period: p, Start: start, RowID: id}
				byKey[k] = d
				keys = append(keys, k)
			}
			d.Totals = d.Totals.add(add)
		}
	}
	sort.Strings(keys)
	out := make([]Delta, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	return out
}

// Summary is the rows of one period over a span, with their combined figures. The
// combined average is the average of the rows' averages, as the customer's summary grid shows it (CM-9)
// ("not a true average"), and is named so.
type Summary struct {
	Period   Period    `json:"period"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Currency string    `json:"currency"`
	Rows     []Row     `json:"rows"`
	Totals   Combined  `json:"totals"`
	ReadAt   time.Time `json:"readAt"`
}

// Combined sums the rows and averages their averages.
type Combined struct {
	Totals
	Minutes                  float64 `json:"minutes"`
	AverageOfAveragesSeconds float64 `json:"averageOfAveragesSeconds"`
}

// Combine sums rows and averages their averages.
func Combine(rows []Row) Combined {
	var c Combined
	var averages float64
	for _, r := range rows {
		c.Totals = c.Totals.add(r.Totals)
		averages += r.AverageSeconds()
	}
	c.Minutes = c.Totals.Minutes()
	if len(rows) > 0 {
		c.AverageOfAveragesSeconds = round2(averages / float64(len(rows)))
	}
	return c
}

// Span is the first and last row IDs a period's query covers, from and to being UTC
// dates (YYYY-MM-DD, inclusive); empty ones default to the last day (live), 31 days
// (daily) or 12 months (monthly) up to now.
func Span(p Period, from, to string, now time.Time) (first, last, fromDay, toDay string, err error) {
	now = now.UTC()
	end, start := now, now
	if to != "" {
		if end, err = time.Parse(time.DateOnly, to); err != nil {
			return "", "", "", "", badSpan("to", "must be a date such as 2026-11-24")
		}
	}
	switch {
	case from != "":
		if start, err = time.Parse(time.DateOnly, from); err != nil {
			return "", "", "", "", badSpan("from", "must be a date such as 2026-11-01")
		}
	case p == Daily:
		start = end.AddDate(0, 0, -30)
	case p == Monthly:
		start = time.Date(end.Year(), end.Month()-11, 1, 0, 0, 0, 0, time.UTC)
	default:
		start = end
	}
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	if start.After(end) {
		return "", "", "", "", badSpan("from", "must not be after to")
	}
	limit := map[Period]time.Duration{Live: 31 * 24 * time.Hour, Daily: 366 * 24 * time.Hour, Monthly: 10 * 366 * 24 * time.Hour}[p]
	if end.Sub(start) > limit {
		return "", "", "", "", badSpan("from", fmt.Sprintf("the span is too long for %s rows (at most %d days)", p, int(limit.Hours()/24)))
	}
	lastInstant := time.Date(end.Year(), end.Month(), end.Day(), 23, 0, 0, 0, time.UTC)
	return RowID(p, start), RowID(p, lastInstant), start.Format(time.DateOnly), end.Format(time.DateOnly), nil
}

func badSpan(field, reason string) error {
	return &fault.Error{Code: fault.Invalid, Message: "the span is not valid", Fields: []fault.FieldReason{{Field: field, Reason: reason}}}
}
