package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	full := map[string]string{"TABLE_NAME": "t", "PROVISIONING_QUEUE_URL": "q", "SENDER_EMAIL": "s@x.io",
		"PORTAL_URL": "http://p", "REALM_SUFFIX": "sip.x.io", "STALE_AFTER": "2m",
		"TOKEN_SECRET_ARN": "arn:secret", "CURRENCY": "SEK",
		"PUBLIC_API_URL": "http://api", "SIP_PROXY": "sip.example:5061",
		"PORTING_QUEUE_URL": "q2", "CALL_RECORDS_QUEUE_URL": "q3", "PASSWORD_RESET_QUEUE_URL": "q4", "PORTING_DESK_EMAIL": "desk@x.io", "PORTING_BUCKET": "b"}
	c, err := FromEnv(env(full))
	if err != nil {
		t.Fatal(err)
	}
	if c.StaleAfter != 2*time.Minute || c.TableName != "t" {
		t.Fatalf("got %+v", c)
	}
	_, err = FromEnv(env(map[string]string{"STALE_AFTER": "soon"}))
	if err == nil || !strings.Contains(err.Error(), "TABLE_NAME") || !strings.Contains(err.Error(), "STALE_AFTER") {
		t.Fatalf("want every problem named, got %v", err)
	}
}
