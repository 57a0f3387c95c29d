package queue

import (
	"context"
	"testing"

	"github.com/provisio/provisio/shared/fault"
)

func TestJobAdaptersPassWholeJobsAndDropBrokenOnes(t *testing.T) {
	var got []string
	porting := PortingJobs(func(_ context.Context, accountID, portingID string) error {
		got = append(got, accountID+"/"+portingID)
		return nil
	})
	reset := ResetJobs(func(_ context.Context, domain, username string) error {
		got = append(got, username+"@"+domain)
		return nil
	})
	for _, c := range []struct {
		name    string
		consume func(context.Context, string) error
		body    string
		ok      bool
	}{
		{"porting job", porting, `{"accountId":"acc-1","portingId":"port-1"}`, true},
		{"porting job without its request", porting, `{"accountId":"acc-1"}`, false},
		{"not JSON", porting, `acc-1`, false},
		{"reset job", reset, `{"domain":"kenton.example","username":"kim"}`, true},
		{"reset job without a name", reset, `{"domain":"kenton.example"}`, false},
	} {
		err := c.consume(context.Background(), c.body)
		if c.ok && err != nil || !c.ok && !fault.Is(err, fault.Malformed) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if len(got) != 2 || got[0] != "acc-1/port-1" || got[1] != "kim@kenton.example" {
		t.Fatalf("processed %v", got)
	}
}
