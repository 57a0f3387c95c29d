// Package message names the email and SMS messages Provisio sends: each is the template
// file shared/notify/templates/<name>.tmpl. It is a package of its own, importing
// nothing, so the domain packages that send messages and shared/notify that renders them
// share the names without importing each other; notify's tests check that every name has
// its file and every file its name.
package message

// Name is a message's template.
type Name string

// Every message.
const (
	AccountAdminWelcome   Name = "account-admin-welcome"
	ContactCode           Name = "contact-code"
	ContactPassword       Name = "contact-password"
	ContactWelcome        Name = "contact-welcome"
	LowBalance            Name = "low-balance"
	PasswordReset         Name = "password-reset"
	PortingComment        Name = "porting-comment"
	PortingNew            Name = "porting-new"
	PortingStep           Name = "porting-step"
	RegistrationCompleted Name = "registration-completed"
	RegistrationFailed    Name = "registration-failed"
	UserWelcome           Name = "user-welcome"
	// SMS, which have no subject.
	SIPActivation   Name = "sip-activation"
	SIPInstallation Name = "sip-installation"
	SMSContactCode  Name = "sms-contact-code"
)

// All is every message, for the test that each has its template.
var All = []Name{AccountAdminWelcome, ContactCode, ContactPassword, ContactWelcome, LowBalance, PasswordReset, PortingComment, PortingNew, PortingStep,
	RegistrationCompleted, RegistrationFailed, UserWelcome, SIPActivation, SIPInstallation, SMSContactCode}

// IsSMS reports whether the message is sent by SMS.
func (n Name) IsSMS() bool {
	switch n {
	case SIPActivation, SIPInstallation, SMSContactCode:
		return true
	}
	return false
}
