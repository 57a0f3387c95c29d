// Package notify sends Provisio's messages: email and SMS rendered from template files
// under templates/ (render.go), in Go because stored SES templates are not available on
// every engine. The senders are packages of their own (notify/ses, notify/sns) so a
// function that never mails links no SES code, and runs none of its package init.
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

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/notify/message"
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

// EmailSender sends one plain-text email and returns its message ID.
type EmailSender interface {
	SendEmail(ctx context.Context, from, to, subject, body string) (string, error)
}

// SMSSender sends one transactional SMS with a sender ID and returns its message ID.
type SMSSender interface {
	SendSMS(ctx context.Context, to, senderID, body string) (string, error)
}

// Mailer renders templates and sends them as email.
type Mailer struct {
	*Templates
	Client EmailSender
	From   string
	Now    func() time.Time
	// Sent, when set, sees every message after the sender accepted it (the local outbox).
	Sent func(Message)
}

var _ registration.Mailer = (*Mailer)(nil)

// Templates are the message texts, shared by email and SMS.
type Templates struct {
	byName map[message.Name]parsedFile
}

// NewTemplates parses each file on its own: every file defines "subject" and "body"
// (render.go reads them). The files ship inside the binary, so a parse error is a build
// defect and panics.
func NewTemplates() *Templates {
	paths, _ := fs.Glob(files, "templates/*.tmpl")
	out := make(map[message.Name]parsedFile, len(paths))
	for _, p := range paths {
		name := message.Name(strings.TrimSuffix(path.Base(p), ".tmpl"))
		src, err := fs.ReadFile(files, p)
		if err != nil {
			panic(err)
		}
		if out[name], err = parseMessage(string(name), string(src)); err != nil {
			panic(err)
		}
	}
	return &Templates{byName: out}
}

// Render returns the subject and body of template name filled with data.
func (m *Templates) Render(name message.Name, data any) (subject, body string, err error) {
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
func (m *Mailer) Send(ctx context.Context, to string, name message.Name, data any) (string, error) {
	subject, body, err := m.Render(name, data)
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not render the email")
	}
	id, err := m.Client.SendEmail(ctx, m.From, to, subject, body)
	if err != nil {
		return "", fault.Wrap(fault.Unavailable, err, "the email service is unavailable")
	}
	if m.Sent != nil {
		m.Sent(Message{Channel: "email", To: to, Subject: subject, Body: body, SentAt: m.Now().UTC(), MessageID: id})
	}
	return id, nil
}
