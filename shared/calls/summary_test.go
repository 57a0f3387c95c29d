package calls

import (
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRowIDIsUTC(t *testing.T) {
	cases := []struct {
		start string
		p     Period
		want  string
	}{
		// 00:30 in Stockholm on the 1st is still the 30th in UTC.
		{"2026-12-01T00:30:00+01:00", Daily, "day-2026-11-30"},
		{"2026-12-01T00:30:00+01:00", Monthly, "month-2026-11"},
		{"2026-12-01T00:30:00+01:00", Live, "hour-2026-11-30T23"},
		{"2026-11-30T23:59:59Z", Daily, "day-2026-11-30"},
		{"2026-12-01T00:00:00Z", Daily, "day-2026-12-01"},
		{"2026-12-31T23:59:59Z", Monthly, "month-2026-12"},
		{"2027-01-01T00:00:00Z", Monthly, "month-2027-01"},
		{"2026-03-29T01:30:00+00:00", Live, "hour-2026-03-29T01"}, // the night Europe moves its clocks
	}
	for _, c := range cases {
		if got := RowID(c.p, at(c.start)); got != c.want {
			t.Errorf("RowID(%s, %s) = %s, want %s", c.p, c.start, got, c.want)
		}
		p, start, ok := ParseRowID(c.want)
		if !ok || p != c.p || RowID(p, start) != c.want {
			t.Errorf("ParseRowID(%s) = %s %v %v", c.want, p, start, ok)
		}
		if end := End(p, start); !end.After(at(c.start)) || RowID(p, end) == c.want || RowID(p, end.Add(-time.Nanosecond)) != c.want {
			t.Errorf("End(%s) = %v: not the first instant after the row", c.want, end)
		}
	}
	for _, bad := range []string{"", "day-", "day-2026-13-01", "week-2026-01", "month-2026-1", "day-2026-11-30T01", "hour-2026-11-30"} {
		if _, _, ok := ParseRowID(bad); ok {
			t.Errorf("ParseRowID(%q) accepted", bad)
		}
	}
}

func TestDeltasGroupByRow(t *testing.T) {
	rec := func(id, start string, secs int, cost int64) Record {
		return Record{ID: id, AccountID: "acc-1", Start: at(start), DurationSeconds: secs, CostMinor: cost}
	}
	recs := []Record{
		rec("a", "2026-11-30T23:10:00Z", 60, 100),
		rec("b", "2026-11-30T23:50:00Z", 0, 0), // unanswered
		rec("c", "2026-12-01T00:10:00Z", 120, 250),
		{ID: "d", AccountID: "acc-1", Start: at("2026-12-01T00:20:00Z"), DurationSeconds: 30, InProgress: true},
	}
	got := map[string]Totals{}
	for _, d := range Deltas(recs) {
		got[d.RowID] = d.Totals
	}
	want := map[string]Totals{
		"hour-2026-11-30T23": {Calls: 2, Answered: 1, Seconds: 60, CostMinor: 100},
		"day-2026-11-30":     {Calls: 2, Answered: 1, Seconds: 60, CostMinor: 100},
		"month-2026-11":      {Calls: 2, Answered: 1, Seconds: 60, CostMinor: 100},
		"hour-2026-12-01T00": {Calls: 1, Answered: 1, Seconds: 120, CostMinor: 250},
		"day-2026-12-01":     {Calls: 1, Answered: 1, Seconds: 120, CostMinor: 250},
		"month-2026-12":      {Calls: 1, Answered: 1, Seconds: 120, CostMinor: 250},
	}
	if len(got) != len(want) {
		t.Fatalf("got rows %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: got %+v, want %+v", id, got[id], w)
		}
	}
}

func TestCombineAveragesTheAverages(t *testing.T) {
	rows := []Row{
		{ID: "day-2026-11-01", Totals: Totals{Calls: 1, Answered: 1, Seconds: 600, CostMinor: 100}},  // average 600
		{ID: "day-2026-11-02", Totals: Totals{Calls: 9, Answered: 9, Seconds: 900, CostMinor: 1000}}, // average 100
	}
	c := Combine(rows)
	if c.Calls != 10 || c.Seconds != 1500 || c.CostMinor != 1100 || c.Answered != 10 {
		t.Fatalf("sums: %+v", c.Totals)
	}
	// The true average would be 150 s; the summary grid shows the average of averages (CM-9).
	if c.AverageOfAveragesSeconds != 350 {
		t.Fatalf("average of averages = %v, want 350", c.AverageOfAveragesSeconds)
	}
	if c.Minutes != 25 {
		t.Fatalf("minutes = %v, want 25", c.Minutes)
	}
	if rows[0].AverageSeconds() != 600 || (Totals{}).AverageSeconds() != 0 {
		t.Fatal("row averages")
	}
	if (Totals{Calls: 4, Answered: 3, Seconds: 100}).AverageSeconds() != 33.33 || (Totals{Seconds: 50}).Minutes() != 0.83 {
		t.Fatal("rounding to two decimals")
	}
	if empty := Combine(nil); empty.AverageOfAveragesSeconds != 0 || empty.Calls != 0 {
		t.Fatalf("no rows: %+v", empty)
	}
}

func TestSpan(t *testing.T) {
	now := at("2026-11-24T10:00:00Z")
	cases := []struct {
		p              Period
		from, to       string
		first, last    string
		fromDay, toDay string
		err            bool
	}{
		{Live, "", "", "hour-2026-11-24T00", "hour-2026-11-24T23", "2026-11-24", "2026-11-24", false},
		{Daily, "", "", "day-2026-10-25", "day-2026-11-24", "2026-10-25", "2026-11-24", false},
		{Monthly, "", "", "month-2025-12", "month-2026-11", "2025-12-01", "2026-11-24", false},
		{Daily, "2026-11-01", "2026-11-30", "day-2026-11-01", "day-2026-11-30", "2026-11-01", "2026-11-30", false},
		{Monthly, "2026-01-15", "2026-03-02", "month-2026-01", "month-2026-03", "2026-01-15", "2026-03-02", false},
		{Daily, "2026-11-30", "2026-11-01", "", "", "", "", true},
		{Daily, "2025-01-01", "2026-11-01", "", "", "", "", true},
		{Daily, "yesterday", "", "", "", "", "", true},
		{Daily, "", "2026-02-30", "", "", "", "", true},
	}
	for _, c := range cases {
		first, last, fromDay, toDay, err := Span(c.p, c.from, c.to, now)
		if (err != nil) != c.err || first != c.first || last != c.last || fromDay != c.fromDay || toDay != c.toDay {
			t.Errorf("Span(%s, %q, %q) = %s %s %s %s %v", c.p, c.from, c.to, first, last, fromDay, toDay, err)
		}
	}
}

func TestRecordCheck(t *testing.T) {
	now := at("2026-11-24T10:00:00Z")
	good := Record{ID: "sw1-0001", AccountID: "acc-1", Start: at("2026-11-24T09:00:00Z"), DurationSeconds: 61,
		From: "+46812340001", To: "0701234567", Direction: Outbound, CostMinor: 125, Currency: "SEK"}
	if errs := good.Check(now); len(errs) != 0 {
		t.Fatalf("good record refused: %v", errs)
	}
	cases := map[string]func(r *Record){
		"id":              func(r *Record) { r.ID = "has space" },
		"accountId":       func(r *Record) { r.AccountID = " " },
		"start":           func(r *Record) { r.Start = now.Add(time.Hour) },
		"durationSeconds": func(r *Record) { r.DurationSeconds = -1 },
		"from":            func(r *Record) { r.From = "alice" },
		"to":              func(r *Record) { r.To = "" },
		"direction":       func(r *Record) { r.Direction = "sideways" },
		"costMinor":       func(r *Record) { r.CostMinor = -5 },
		"currency":        func(r *Record) { r.Currency = "sek" },
	}
	for field, breakIt := range cases {
		r := good
		breakIt(&r)
		errs := r.Check(now)
		if len(errs) != 1 || errs[0].Field != field {
			t.Errorf("%s: got %v", field, errs)
		}
	}
}

func TestDecodeReportsOneRecordsProblems(t *testing.T) {
	cases := map[string]string{
		`{"id": "a", "start": "2026-11-24T25:00:00Z"}`: "start",
		`{"id": "a", "durationSeconds": "long"}`:       "durationSeconds",
		`{"id": "a", "colour": "red"}`:                 "colour",
		`{"id": "a", "ID": "b"}`:                       "ID",
		`{"id": "a", "id": "b"}`:                       "id",
		`[1, 2]`:                                       "record",
	}
	for raw, field := range cases {
		_, errs := Decode([]byte(raw))
		if len(errs) != 1 || errs[0].Field != field {
			t.Errorf("%s: %v, want %s", raw, errs, field)
		}
	}
	r, errs := Decode([]byte(`{"id": "a", "start": "2026-11-24T09:00:00+01:00", "inProgress": true}`))
	if errs != nil || !r.Start.Equal(at("2026-11-24T08:00:00Z")) || !r.InProgress {
		t.Fatalf("good record: %+v %v", r, errs)
	}
}

// FuzzDecode feeds arbitrary bytes as one record: decoding and checking never panic, and
// a record either has reasons or passes every rule Check knows.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"id": "sw1-0001", "accountId": "acc-1", "start": "2026-11-24T08:00:00Z", "durationSeconds": 61, "from": "+46812340001", "to": "0701234567", "direction": "outbound", "costMinor": 125, "currency": "SEK"}`))
	f.Add([]byte(`{"id": "a", "start": "2026-11-24T25:00:00Z"}`))
	f.Add([]byte(`[]`))
	now := at("2026-11-24T10:00:00Z")
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, bad := Decode(raw)
		if bad != nil {
			return
		}
		if errs := r.Check(now); len(errs) == 0 && (r.ID == "" || r.Start.IsZero() || r.DurationSeconds < 0 || r.CostMinor < 0) {
			t.Fatalf("accepted a broken record: %+v", r)
		}
	})
}
