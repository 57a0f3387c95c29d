// Package sqs is queue.Transport on Amazon SQS.
package sqs

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/provisio/provisio/shared/queue"
)

type transport struct{ client *sqs.Client }

// New returns the transport on cfg.
func New(cfg aws.Config) queue.Transport { return transport{client: sqs.NewFromConfig(cfg)} }

func (t transport) SendMessage(ctx context.Context, queueURL, body string) error {
	_, err := t.client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &queueURL, MessageBody: &body})
	return err
}

func (t transport) SendMessageDelayed(ctx context.Context, queueURL, body string, delay time.Duration) error {
	_, err := t.client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &queueURL, MessageBody: &body,
		DelaySeconds: int32(min(delay, 15*time.Minute).Seconds())})
	return err
}

func (t transport) CountMessages(ctx context.Context, queueURL string) error {
	_, err := t.client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: &queueURL,
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessages}})
	return err
}
