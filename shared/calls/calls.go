// Package calls takes the switch's call detail records and keeps per-account summaries
// of them (docs/requirements.md, CM-8): hourly rows ("live"), daily and monthly rows in UTC,
// each the running totals of its period, updated as records arrive so a summary query
// reads only its rows, never the records.
package calls

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/money"
	"github.com/provisio/provisio/shared/strictjson"
	"github.com/provisio/provisio/shared/text"
)

// Batch limits (docs/calls.md).
const (
	// MaxBatch is the most records one request may carry.
	MaxBatch = 2000
	// InlineBatch is the most records stored within the request; larger batches go
	// through the call-records queue in chunks of this size.
	InlineBatch = 100
	// MaxDuration is the longest call a record may describe.
	MaxDuration = 24 * 60 * 60
	// LiveFor is how long a record of a call in progress counts as a channel in use
	// unless the switch sends it again or finishes it.
	LiveFor = 4 * time.Hour
	// ClockSkew is how far in the future a call may start, for the switch's clock.
	ClockSkew = 5 * time.Minute
	// MaxAge is the oldest call a record may describe.
	MaxAge = 400 * 24 * time.Hour
)

// Direction is which way a call went.
type Direction string

// Directions.
const (
	Inbound  Direction = "inbound"
	Outbound Direction = "outbound"
)

// Record is one call detail record from the switch. A record with InProgress set is a
// live record of a call still going on: it counts as a channel in use, not in the
// summaries, until the final record with the same ID replaces it.
type Record struct {
	ID              string    `json:"id"`
	AccountID       string    `json:"accountId"`
	Start           time.Time `json:"start"`
	DurationSeconds int       `json:"durationSeconds"`
	From            string    `json:"from"`
	To              string    `json:"to"`
	Direction       Direction `json:"direction"`
	CostMinor       int64     `json:"costMinor"`
	Currency        string    `json:"currency"`
	InProgress      bool      `json:"inProgress,omitempty"`
}

// recordID reports whether id can name a call record: 1 to 128 letters, digits and ._:@-.
func recordID(id string) bool {
	return text.Of(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-", 1, 128)
}

// dialled reports whether n is what a switch dials: an optional + and 1 to 32 of 0-9*#.
func dialled(n string) bool { return text.Of(strings.TrimPrefix(n, "+"), "0123456789*#", 1, 32) }

// Check returns what is wrong with a record on its own, at now: its account and
// currency are checked against the store by the service.
func (r Record) Check(now time.Time) []fault.FieldReason {
	var f fault.Fields
	if !recordID(r.ID) {
		f.Add("id", "is required: 1 to 128 letters, digits or . _ : @ -")
	}
	if strings.TrimSpace(r.AccountID) == "" {
		f.Add("accountId", "is required")
	}
	switch {
	case r.Start.IsZero():
		f.Add("start", "is required: an RFC 3339 time")
	case r.Start.After(now.Add(ClockSkew)):
		f.Add("start", "is in the future")
	case r.Start.Before(now.Add(-MaxAge)):
		f.Add("start", "is more than 400 days ago")
	}
	if r.DurationSeconds < 0 || r.DurationSeconds > MaxDuration {
		f.Add("durationSeconds", "must be from 0 to 86400")
	}
	for _, n := range []struct{ field, v string }{{"from", r.From}, {"to", r.To}} {
		if !dialled(n.v) {
			f.Add(n.field, "must be a dialled number: up to 32 digits, * or #, optionally after a +")
		}
	}
	if r.Direction != Inbound && r.Direction != Outbound {
		f.Add("direction", `must be "inbound" or "outbound"`)
	}
	if r.CostMinor < 0 || r.CostMinor > money.MaxCallCost {
		f.Add("costMinor", fmt.Sprintf("must be a whole number of minor units from 0 to %d", money.MaxCallCost))
	}
	if !money.KnownCurrency(r.Currency) {
		f.Add("currency", "must be an ISO 4217 code such as SEK")
	}
	return f.List()
}

// wireRecord is a record as the switch sends it, before its start is parsed, so that one
// bad field is that record's problem and not the batch's.
type wireRecord struct {
	Record
	Start string `json:"start"`
}

// Decode reads one record of a batch. A record that does not parse is reported the way
// an invalid one is, by field where the decoder can tell.
func Decode(raw json.RawMessage) (Record, []fault.FieldReason) {
	var w wireRecord
	if err := strictjson.Decode(raw, &w); err != nil {
		var bad *strictjson.Error
		if errors.As(err, &bad) && bad.Field != "" {
			return Record{}, []fault.FieldReason{{Field: strings.TrimPrefix(bad.Field, "Record."), Reason: bad.Reason}}
		}
		return Record{}, []fault.FieldReason{{Field: "record", Reason: "must be a JSON object with the documented fields only"}}
	}
	r := w.Record
	if w.Start != "" {
		t, err := time.Parse(time.RFC3339, w.Start)
		if err != nil {
			return r, []fault.FieldReason{{Field: "start", Reason: "must be an RFC 3339 time such as 2026-11-24T08:00:00Z"}}
		}
		r.Start = t
	}
	return r, nil
}
