// Package ses sends notify's emails through SES v2.
package ses

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/provisio/provisio/shared/notify"
)

type sender struct{ client *sesv2.Client }

// New returns notify.EmailSender on cfg.
func New(cfg aws.Config) notify.EmailSender { return sender{client: sesv2.NewFromConfig(cfg)} }

// SendEmail sends one plain-text UTF-8 email as simple content.
func (s sender) SendEmail(ctx context.Context, from, to, subject, body string) (string, error) {
	out, err := s.client.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: &from,
		Destination:      &types.Destination{ToAddresses: []string{to}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(subject), Charset: aws.String("UTF-8")},
			Body:    &types.Body{Text: &types.Content{Data: aws.String(body), Charset: aws.String("UTF-8")}},
		}},
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
}
