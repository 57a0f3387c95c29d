package localserver

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/robfig/cron/v3"
)

// Poll runs every SQS event source until ctx ends, as Lambda's pollers do: receive a
// batch, call the consumer, delete what it did not report as failed. Failed messages come
// back after RetryAfter and, past the queue's maxReceiveCount, go to its DLQ.
func (s *Server) Poll(ctx context.Context) {
	client := sqs.NewFromConfig(s.opts.AWS)
	var wg sync.WaitGroup
	for _, c := range s.consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := s.pollOnce(ctx, client, c); err != nil && ctx.Err() == nil {
					s.opts.Log.Warn("poll failed", "function", c.function, "error", err)
					sleep(ctx, time.Second)
				}
			}
		}()
	}
	wg.Wait()
}

func (s *Server) pollOnce(ctx context.Context, client *sqs.Client, c consumer) (int, error) {
	batch := c.batch
	if batch <= 0 || batch > 10 {
		batch = 10
	}
	out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: &c.queueURL, MaxNumberOfMessages: int32(batch), WaitTimeSeconds: 1,
		VisibilityTimeout:           int32(s.opts.RetryAfter / time.Second),
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
	})
	if err != nil || len(out.Messages) == 0 {
		return 0, err
	}
	ev := events.SQSEvent{}
	for _, m := range out.Messages {
		ev.Records = append(ev.Records, events.SQSMessage{
			MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body),
			Attributes: m.Attributes, EventSource: "aws:sqs", EventSourceARN: c.queueArn, AWSRegion: s.stack.Region,
		})
	}
	res, err := c.handler(ctx, ev)
	if err != nil {
		return 0, fmt.Errorf("consumer %s: %w", c.function, err) // the whole batch comes back
	}
	failed := map[string]bool{}
	for _, f := range res.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	var done []types.DeleteMessageBatchRequestEntry
	for _, m := range out.Messages {
		if !failed[aws.ToString(m.MessageId)] {
			done = append(done, types.DeleteMessageBatchRequestEntry{Id: m.MessageId, ReceiptHandle: m.ReceiptHandle})
		}
	}
	if len(done) > 0 {
		if _, err := client.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &c.queueURL, Entries: done}); err != nil {
			return 0, err
		}
	}
	return len(out.Messages), nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// RunCron runs every schedule on its expression until ctx ends. EventBridge Scheduler's
// cron(min hour day-of-month month day-of-week year) and rate(n unit) are translated for
// robfig/cron; expressions it cannot express are reported at start.
func (s *Server) RunCron(ctx context.Context) error {
	var errs []error
	crons := map[string]*cron.Cron{}
	for _, name := range sortedKeys(s.schedules) {
		sc := s.schedules[name]
		spec, err := cronSpec(sc.expression)
		if err != nil {
			errs = append(errs, fmt.Errorf("schedule %s: %w", name, err))
			continue
		}
		loc := time.UTC
		if sc.timezone != "" {
			if loc, err = time.LoadLocation(sc.timezone); err != nil {
				errs = append(errs, fmt.Errorf("schedule %s: %w", name, err))
				continue
			}
		}
		c, ok := crons[loc.String()]
		if !ok {
			c = cron.New(cron.WithLocation(loc))
			crons[loc.String()] = c
		}
		if _, err := c.AddFunc(spec, func() {
			if _, err := s.RunSchedule(ctx, name); err != nil {
				s.opts.Log.Error("schedule failed", "schedule", name, "error", err)
			}
		}); err != nil {
			errs = append(errs, fmt.Errorf("schedule %s: %w", name, err))
		}
	}
	for _, c := range crons {
		c.Start()
		go func() {
			<-ctx.Done()
			c.Stop()
		}()
	}
	return errors.Join(errs...)
}

// cronSpec turns an EventBridge expression into a robfig/cron spec.
func cronSpec(expr string) (string, error) {
	switch {
	case strings.HasPrefix(expr, "rate(") && strings.HasSuffix(expr, ")"):
		var n int
		var unit string
		if _, err := fmt.Sscanf(strings.TrimSuffix(strings.TrimPrefix(expr, "rate("), ")"), "%d %s", &n, &unit); err != nil || n <= 0 {
			return "", fmt.Errorf("cannot read %s", expr)
		}
		units := map[string]string{"minute": "m", "minutes": "m", "hour": "h", "hours": "h", "day": "h", "days": "h"}
		u, ok := units[unit]
		if !ok {
			return "", fmt.Errorf("unknown rate unit in %s", expr)
		}
		if strings.HasPrefix(unit, "day") {
			n *= 24
		}
		return fmt.Sprintf("@every %d%s", n, u), nil
	case strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")"):
		f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
		if len(f) != 6 {
			return "", fmt.Errorf("%s: want six fields", expr)
		}
		dow := f[4]
		for i, name := range []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"} {
			// EventBridge numbers days 1-7 from Sunday; robfig 0-6.
			dow = strings.ReplaceAll(dow, fmt.Sprint(i+1), name)
		}
		return strings.Join([]string{f[0], f[1], f[2], f[3], dow}, " "), nil
	}
	return "", fmt.Errorf("unknown schedule expression %q", expr)
}
