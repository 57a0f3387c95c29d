// Package notifytest has fakes of the email and SMS senders the domain services take:
// each keeps what it was asked to send, and Err, when set, is every send's answer.
package notifytest

import (
	"context"
	"reflect"
	"strconv"

	"github.com/provisio/provisio/shared/notify/message"
)

// Sent is one message a fake was asked to send.
type Sent struct {
	To, Sender string // Sender is an SMS's sender ID
	Name       message.Name
	Data       any
}

// Field is the message data's field name, as text (a link, a code).
func (s Sent) Field(name string) string {
	v := reflect.Indirect(reflect.ValueOf(s.Data))
	if v.Kind() != reflect.Struct {
		return ""
	}
	f := v.FieldByName(name)
	if !f.IsValid() {
		return ""
	}
	return f.String()
}

// Mailer is a fake email sender.
type Mailer struct {
	Sent []Sent
	Err  error
}

// Send implements the domains' Mailer.
func (m *Mailer) Send(_ context.Context, to string, name message.Name, data any) (string, error) {
	if m.Err != nil {
		return "", m.Err
	}
	m.Sent = append(m.Sent, Sent{To: to, Name: name, Data: data})
	return "email-" + strconv.Itoa(len(m.Sent)), nil
}

// SMS is a fake SMS sender.
type SMS struct {
	Sent []Sent
	Err  error
}

// Send implements the domains' SMS.
func (s *SMS) Send(_ context.Context, to, sender string, name message.Name, data any) (string, error) {
	if s.Err != nil {
		return "", s.Err
	}
	s.Sent = append(s.Sent, Sent{To: to, Sender: sender, Name: name, Data: data})
	return "sms-" + strconv.Itoa(len(s.Sent)), nil
}
