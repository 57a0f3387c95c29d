// Package sns sends notify's SMS through SNS.
package sns

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/provisio/provisio/shared/notify"
)

type sender struct{ client *sns.Client }

// New returns notify.SMSSender on cfg.
func New(cfg aws.Config) notify.SMSSender { return sender{client: sns.NewFromConfig(cfg)} }

// SendSMS publishes one transactional SMS with senderID as its sender.
func (s sender) SendSMS(ctx context.Context, to, senderID, body string) (string, error) {
	out, err := s.client.Publish(ctx, &sns.PublishInput{PhoneNumber: &to, Message: &body,
		MessageAttributes: map[string]types.MessageAttributeValue{
			"AWS.SNS.SMS.SenderID": {DataType: aws.String("String"), StringValue: &senderID},
			"AWS.SNS.SMS.SMSType":  {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
		}})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
}
