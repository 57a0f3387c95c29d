package notify

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/provisio/provisio/shared/fault"
)

// Texter renders templates and sends them as SMS with SNS.
type Texter struct {
	Client    *sns.Client
	Templates *Templates // the same files as email; SMS use only "body"
	Now       func() time.Time
	// Sent, when set, sees every SMS after SNS accepted it (the local outbox).
	Sent func(Message)
}

// Send renders text template name with data and sends it to the E.164 number to, with
// sender as the SMS sender ID, as a transactional message. It returns SNS's message ID.
func (t *Texter) Send(ctx context.Context, to, sender, name string, data any) (string, error) {
	_, body, err := t.Templates.Render(name, data)
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not render the SMS")
	}
	out, err := t.Client.Publish(ctx, &sns.PublishInput{PhoneNumber: &to, Message: &body,
		MessageAttributes: map[string]types.MessageAttributeValue{
			"AWS.SNS.SMS.SenderID": {DataType: aws.String("String"), StringValue: &sender},
			"AWS.SNS.SMS.SMSType":  {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
		}})
	if err != nil {
		return "", fault.Wrap(fault.Unavailable, err, "the SMS service is unavailable")
	}
	id := aws.ToString(out.MessageId)
	if t.Sent != nil {
		t.Sent(Message{Channel: "sms", To: to, Body: body, SentAt: t.Now().UTC(), MessageID: id})
	}
	return id, nil
}
