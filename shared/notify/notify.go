// Package notify sends Provisio's messages: email through SES v2 and SMS through SNS.
// Message texts are template files under templates/, rendered in Go (render.go) because
// stored SES templates are not available on every engine.
package notify

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/registration"
)

//go:embed templates/*.tmpl
var files embed.FS

// Message is a sent SMS or email, as the local outbox shows it.
type Message struct {
	Channel   string    `json:"channel"` // "sms" or "email"
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	SentAt    time.Time `json:"sentAt"`
	MessageID string    `json:"messageId"`
}

// Mailer renders templates and sends them with SES.
type Mailer struct {
	*Templates
	Client *sesv2.Client
	From   string
	Now    func() time.Time
	// Sent, when set, sees every message after SES accepted it (the local outbox).
	Sent func(Message)
}

var _ registration.Mailer = (*Mailer)(nil)

// NewMailer returns a mailer sending from from.
func NewMailer(client *sesv2.Client, from string) *Mailer {
	return &Mailer{Templates: NewTemplates(), Client: client, From: from, Now: time.Now}
}

// Templates are the message texts, shared by email and SMS.
type Templates struct {
	byName map[string]message
}

// NewTemplates parses each file on its own: every file defines "subject" and "body"
// (render.go reads them). The files ship inside the binary, so a parse error is a build
// defect and panics.
func NewTemplates() *Templates {
	paths, _ := fs.Glob(files, "templates/*.tmpl")
	out := make(map[string]message, len(paths))
	for _, p := range paths {
		name := strings.TrimSuffix(path.Base(p), ".tmpl")
		src, err := fs.ReadFile(files, p)
		if err != nil {
			panic(err)
		}
		if out[name], err = parseMessage(name, string(src)); err != nil {
			panic(err)
		}
	}
	return &Templates{byName: out}
}

// Render returns the subject and body of template name filled with data.
func (m *Templates) Render(name string, data any) (subject, body string, err error) {
	msg, ok := m.byName[name]
	if !ok {
		return "", "", fmt.Errorf("no message template %q", name)
	}
	var s, b strings.Builder
	if err := render(&s, msg["subject"], reflect.ValueOf(data)); err != nil {
		return "", "", fmt.Errorf("template %s: %w", name, err)
	}
	if err := render(&b, msg["body"], reflect.ValueOf(data)); err != nil {
		return "", "", fmt.Errorf("template %s: %w", name, err)
	}
	return s.String(), b.String(), nil
}

// Send implements registration.Mailer.
func (m *Mailer) Send(ctx context.Context, to, name string, data any) (string, error) {
	subject, body, err := m.Render(name, data)
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not render the email")
	}
	out, err := m.Client.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: &m.From,
		Destination:      &types.Destination{ToAddresses: []string{to}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(subject), Charset: aws.String("UTF-8")},
			Body:    &types.Body{Text: &types.Content{Data: aws.String(body), Charset: aws.String("UTF-8")}},
		}},
	})
	if err != nil {
		return "", fault.Wrap(fault.Unavailable, err, "the email service is unavailable")
	}
	id := aws.ToString(out.MessageId)
	if m.Sent != nil {
		m.Sent(Message{Channel: "email", To: to, Subject: subject, Body: body, SentAt: m.Now().UTC(), MessageID: id})
	}
	return id, nil
}
