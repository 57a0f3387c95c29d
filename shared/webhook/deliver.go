package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// The headers of a delivery.
const (
	SignatureHeader = "Provisio-Signature"
	EventIDHeader   = "Provisio-Event-Id"
	EventHeader     = "Provisio-Event-Type"
	DeliveryHeader  = "Provisio-Delivery-Id"
)

// Sign returns the signature header of body sent at t: "t=<unix seconds>" and a
// "v1=<hex HMAC-SHA256 of "<t>.<body>">" per secret, as Stripe signs its webhooks. The
// receiver recomputes it with its secret and refuses a stale t (docs/webhooks.md).
func Sign(secrets []string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	parts := []string{"t=" + ts}
	for _, s := range secrets {
		mac := hmac.New(sha256.New, []byte(s))
		mac.Write([]byte(ts + "."))
		mac.Write(body)
		parts = append(parts, "v1="+hex.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(parts, ",")
}

// Deliverer makes the attempts of deliveries: the delivery queue's consumer.
type Deliverer struct {
	Store  Store
	Queue  Queue
	Client *http.Client
	Log    *slog.Logger
	Now    func() time.Time
	// RetryBase is the wait before the second attempt; it doubles for each next one, up
	// to MaxRetryWait. MaxAttempts attempts make a round.
	RetryBase   time.Duration
	MaxAttempts int
}

// MaxAttempts is how many attempts a round of a delivery makes: with waits from 30 s
// doubling to 15 minutes, the last comes about an hour and a half after the first.
const MaxAttempts = 8

// MaxRetryWait is the longest wait between attempts: the longest delay SQS allows.
const MaxRetryWait = 15 * time.Minute

// Timeout bounds one attempt; a receiver that needs longer should answer first and work
// after.
const Timeout = 10 * time.Second

// backoff is the wait before attempt n (2 or more) of a round.
func (d *Deliverer) backoff(n int) time.Duration {
	wait := d.RetryBase
	for i := 2; i < n && wait < MaxRetryWait; i++ {
		wait *= 2
	}
	return min(wait, MaxRetryWait)
}

// Deliver makes the attempt job asks for. A store or queue failure is returned, for the
// queue to try the message again; a receiver's failure is recorded and retried after a
// backoff, and the last attempt of a round that fails ends on the dead-letter queue.
func (d *Deliverer) Deliver(ctx context.Context, job DeliveryJob) error {
	del, err := d.Store.Delivery(ctx, job.AccountID, job.EndpointID, job.DeliveryID)
	if fault.Is(err, fault.NotFound) {
		d.Log.WarnContext(ctx, "webhook delivery gone", "delivery", job.DeliveryID)
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case del.Status != Pending || job.Attempt < len(del.Attempts):
		return nil // done, or a message sent twice
	case job.Attempt == len(del.Attempts):
		// This attempt was made, but queueing the next one failed: queue it now.
		return d.next(ctx, job, del)
	case job.Attempt > len(del.Attempts)+1:
		return fault.New(fault.Malformed, "attempt %d of a delivery with %d", job.Attempt, len(del.Attempts))
	}
	e, err := d.Store.Endpoint(ctx, job.AccountID, job.EndpointID)
	switch {
	case fault.Is(err, fault.NotFound):
		return d.give(ctx, del, "the endpoint was deleted")
	case err != nil:
		return err
	case !e.Enabled:
		return d.give(ctx, del, "the endpoint is disabled")
	}
	attempt := d.post(ctx, e, del)
	del.Attempts, del.UpdatedAt = append(del.Attempts, attempt), attempt.At
	switch {
	case attempt.Error == "" && attempt.StatusCode/100 == 2:
		del.Status = Succeeded
	case job.Attempt-del.RoundStart >= d.MaxAttempts:
		del.Status = Failed
	}
	if err := d.Store.SaveDelivery(ctx, del); err != nil {
		return err
	}
	return d.next(ctx, job, del)
}

// give fails a delivery whose endpoint its owner deleted or disabled: nothing is wrong
// that an operator should hear of, so it does not go to the dead-letter queue.
func (d *Deliverer) give(ctx context.Context, del Delivery, why string) error {
	now := d.Now().UTC()
	del.Attempts, del.Status, del.UpdatedAt = append(del.Attempts, Attempt{At: now, Error: why}), Failed, now
	return d.Store.SaveDelivery(ctx, del)
}

// next queues what follows attempt job of del: another attempt, or the dead-letter
// queue after a round's last.
func (d *Deliverer) next(ctx context.Context, job DeliveryJob, del Delivery) error {
	switch del.Status {
	case Pending:
		job.Attempt++
		return d.Queue.EnqueueDelivery(ctx, job, d.backoff(job.Attempt-del.RoundStart))
	case Failed:
		d.Log.WarnContext(ctx, "webhook delivery failed its last attempt", "delivery", del.ID, "endpoint", del.EndpointID, "attempts", len(del.Attempts))
		return d.Queue.DeadLetter(ctx, job)
	}
	return nil
}

// post sends the delivery's body to the endpoint once.
func (d *Deliverer) post(ctx context.Context, e Endpoint, del Delivery) Attempt {
	start := d.Now().UTC()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(del.Body))
	if err != nil {
		return Attempt{At: start, Error: "the URL cannot be requested"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Provisio-Webhooks/1")
	req.Header.Set(EventIDHeader, del.EventID)
	req.Header.Set(EventHeader, string(del.Type))
	req.Header.Set(DeliveryHeader, del.ID)
	req.Header.Set(SignatureHeader, Sign(e.Secrets(start), start, del.Body))
	res, err := d.Client.Do(req)
	latency := d.Now().Sub(start).Milliseconds()
	if err != nil {
		return Attempt{At: start, LatencyMs: latency, Error: attemptError(err)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	a := Attempt{At: start, StatusCode: res.StatusCode, LatencyMs: latency}
	if res.StatusCode/100 != 2 {
		a.Error = fmt.Sprintf("the endpoint answered %d", res.StatusCode)
	}
	return a
}

// attemptError says why a request got no answer, without the URL's query (which may
// carry a receiver's token).
func attemptError(err error) string {
	switch {
	case strings.Contains(err.Error(), errPrivate.Error()):
		return "the endpoint's address is not public: refused"
	case strings.Contains(err.Error(), "deadline exceeded") || strings.Contains(err.Error(), "Timeout"):
		return fmt.Sprintf("no answer within %s", Timeout)
	case strings.Contains(err.Error(), "certificate"):
		return "the endpoint's TLS certificate was refused"
	}
	return "the endpoint could not be reached"
}

// NewClient is the delivery client: through the guard's dialer, no redirects followed
// (a redirect could lead anywhere), and no proxy from the environment.
func NewClient(g *Guard) *http.Client {
	return &http.Client{
		Transport: &http.Transport{DialContext: g.Dialer().DialContext, TLSHandshakeTimeout: 5 * time.Second, MaxIdleConns: 10,
			IdleConnTimeout: 30 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
