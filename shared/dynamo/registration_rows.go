package dynamo

import (
	"time"

	"github.com/provisio/provisio/shared/registration"
)

// registrationRow is how a registration.Registration is stored.
type registrationRow struct {
	ID           string                 `json:"id"`
	TemplateID   string                 `json:"templateId"`
	OwnerID      string                 `json:"ownerId,omitempty"`
	Schedule     string                 `json:"schedule"`
	Tenant       tenantRow              `json:"tenant"`
	Contact      registrantRow          `json:"contact"`
	Status       string                 `json:"status"`
	History      []registrationEventRow `json:"history"`
	AccountID    string                 `json:"accountId,omitempty"`
	Realm        string                 `json:"realm,omitempty"`
	Notification *notificationRow       `json:"notification,omitempty"`
	CreatedAt    time.Time              `json:"createdAt"`
	UpdatedAt    time.Time              `json:"updatedAt"`
	Version      int                    `json:"version"`
}

func toRegistrationRow(v registration.Registration) registrationRow {
	return registrationRow{
		ID:           v.ID,
		TemplateID:   v.TemplateID,
		OwnerID:      v.OwnerID,
		Schedule:     string(v.Schedule),
		Tenant:       toTenantRow(v.Tenant),
		Contact:      toRegistrantRow(v.Contact),
		Status:       string(v.Status),
		History:      each(v.History, toRegistrationEventRow),
		AccountID:    v.AccountID,
		Realm:        v.Realm,
		Notification: ptr(v.Notification, toNotificationRow),
		CreatedAt:    v.CreatedAt,
		UpdatedAt:    v.UpdatedAt,
		Version:      v.Version,
	}
}

func (r registrationRow) domain() registration.Registration {
	return registration.Registration{
		ID:           r.ID,
		TemplateID:   r.TemplateID,
		OwnerID:      r.OwnerID,
		Schedule:     registration.Schedule(r.Schedule),
		Tenant:       r.Tenant.domain(),
		Contact:      r.Contact.domain(),
		Status:       registration.Status(r.Status),
		History:      each(r.History, registrationEventRow.domain),
		AccountID:    r.AccountID,
		Realm:        r.Realm,
		Notification: ptr(r.Notification, notificationRow.domain),
		CreatedAt:    r.CreatedAt,
		UpdatedAt:    r.UpdatedAt,
		Version:      r.Version,
	}
}

// tenantRow is how a registration.Tenant is stored.
type tenantRow struct {
	Name          string `json:"name"`
	ShortName     string `json:"shortName"`
	UPNSuffix     string `json:"upnSuffix"`
	AdminUserName string `json:"adminUserName"`
	ANI           string `json:"ani"`
}

func toTenantRow(v registration.Tenant) tenantRow {
	return tenantRow{
		Name:          v.Name,
		ShortName:     v.ShortName,
		UPNSuffix:     v.UPNSuffix,
		AdminUserName: v.AdminUserName,
		ANI:           v.ANI,
	}
}

func (r tenantRow) domain() registration.Tenant {
	return registration.Tenant{
		Name:          r.Name,
		ShortName:     r.ShortName,
		UPNSuffix:     r.UPNSuffix,
		AdminUserName: r.AdminUserName,
		ANI:           r.ANI,
	}
}

// registrantRow is how a registration.Contact is stored.
type registrantRow struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

func toRegistrantRow(v registration.Contact) registrantRow {
	return registrantRow{
		Name:  v.Name,
		Email: v.Email,
		Phone: v.Phone,
	}
}

func (r registrantRow) domain() registration.Contact {
	return registration.Contact{
		Name:  r.Name,
		Email: r.Email,
		Phone: r.Phone,
	}
}

// registrationEventRow is how a registration.Event is stored.
type registrationEventRow struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

func toRegistrationEventRow(v registration.Event) registrationEventRow {
	return registrationEventRow{
		Status: string(v.Status),
		At:     v.At,
		Reason: v.Reason,
	}
}

func (r registrationEventRow) domain() registration.Event {
	return registration.Event{
		Status: registration.Status(r.Status),
		At:     r.At,
		Reason: r.Reason,
	}
}

// notificationRow is how a registration.Notification is stored.
type notificationRow struct {
	Kind      string    `json:"kind"`
	MessageID string    `json:"messageId"`
	SentAt    time.Time `json:"sentAt"`
}

func toNotificationRow(v registration.Notification) notificationRow {
	return notificationRow{
		Kind:      v.Kind,
		MessageID: v.MessageID,
		SentAt:    v.SentAt,
	}
}

func (r notificationRow) domain() registration.Notification {
	return registration.Notification{
		Kind:      r.Kind,
		MessageID: r.MessageID,
		SentAt:    r.SentAt,
	}
}
