package notify

import (
	"context"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/notify/message"
)

// Texter renders templates and sends them as SMS.
type Texter struct {
	Client    SMSSender
	Templates *Templates // the same files as email; SMS use only "body"
	Now       func() time.Time
	// Sent, when set, sees every SMS after SNS accepted it (the local outbox).
	Sent func(Message)
}

// Send renders text template name with data and sends it to the E.164 number to, with
// sender as the SMS sender ID, as a transactional message. It returns the message ID.
func (t *Texter) Send(ctx context.Context, to, sender string, name message.Name, data any) (string, error) {
	_, body, err := t.Templates.Render(name, data)
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not render the SMS")
	}
	id, err := t.Client.SendSMS(ctx, to, sender, body)
	if err != nil {
		return "", fault.Wrap(fault.Unavailable, err, "the SMS service is unavailable")
	}
	if t.Sent != nil {
		t.Sent(Message{Channel: "sms", To: to, Body: body, SentAt: t.Now().UTC(), MessageID: id})
	}
	return id, nil
}
