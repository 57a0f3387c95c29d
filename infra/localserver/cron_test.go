package localserver

import "testing"

func TestCronSpec(t *testing.T) {
	cases := map[string]string{
		"cron(0 2 * * ? *)":    "0 2 * * ?",
		"cron(30 1 ? * 2-6 *)": "30 1 ? * MON-FRI",
		"rate(5 minutes)":      "@every 5m",
		"rate(1 hour)":         "@every 1h",
		"rate(2 days)":         "@every 48h",
	}
	for in, want := range cases {
		got, err := cronSpec(in)
		if err != nil || got != want {
			t.Errorf("cronSpec(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"at(2026-01-01T00:00:00)", "cron(0 2 * *)", "rate(five minutes)", "rate(5 weeks)"} {
		if _, err := cronSpec(bad); err == nil {
			t.Errorf("cronSpec(%q): want an error", bad)
		}
	}
}
