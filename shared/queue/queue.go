// Package queue is Provisio's SQS adapter: a sender for jobs and the consumer adapter
// that turns an SQS batch into per-message calls with partial batch failures.
package queue

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/registration"
)

// Job is the body of a provisioning message. It carries only the ID: the record in the
// table is the truth, so a stale or duplicated message can do no harm.
type Job struct {
	RegistrationID string `json:"registrationId"`
}

// Sender puts jobs on one queue.
type Sender struct {
	Client   *sqs.Client
	QueueURL string
}

var _ registration.Jobs = (*Sender)(nil)

// Enqueue implements registration.Jobs.
func (s *Sender) Enqueue(ctx context.Context, registrationID string) error {
	body, _ := json.Marshal(Job{RegistrationID: registrationID}) // a string field: cannot fail
	_, err := s.Client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &s.QueueURL, MessageBody: aws.String(string(body))})
	if err != nil {
		return fault.Wrap(fault.Unavailable, err, "the provisioning queue is unavailable")
	}
	return nil
}

// Handler is an SQS-triggered Lambda handler that reports partial batch failures.
type Handler func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)

// Consumer returns a Handler that runs process for the registration of each message.
// A message whose process fails is reported back for retry (and, after the queue's
// maxReceiveCount, the dead-letter queue); one that cannot be decoded is dropped with an
// error log, since retrying it cannot help.
func Consumer(log *slog.Logger, process func(ctx context.Context, registrationID string) error) Handler {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		for _, msg := range ev.Records {
			var job Job
			if err := json.Unmarshal([]byte(msg.Body), &job); err != nil || job.RegistrationID == "" {
				log.ErrorContext(ctx, "undecodable job dropped", "messageId", msg.MessageId)
				continue
			}
			if err := process(ctx, job.RegistrationID); err != nil {
				log.WarnContext(ctx, "job failed; it will be retried", "messageId", msg.MessageId,
					"registration", job.RegistrationID, "receiveCount", msg.Attributes["ApproximateReceiveCount"], "error", err)
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
			}
		}
		return resp, nil
	}
}
