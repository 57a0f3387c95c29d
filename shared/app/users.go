package app

import (
	"time"

	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/user"
)

func userFunctions() map[string]Wiring {
	return map[string]Wiring{
		"CreateUserFunction":            CreateUserFunction,
		"ListUsersFunction":             ListUsersFunction,
		"GetUserFunction":               GetUserFunction,
		"UpdateUserFunction":            UpdateUserFunction,
		"DeleteUserFunction":            DeleteUserFunction,
		"DisableUserFunction":           DisableUserFunction,
		"EnableUserFunction":            EnableUserFunction,
		"SetUserRoleFunction":           SetUserRoleFunction,
		"ListSubscriptionsFunction":     ListSubscriptionsFunction,
		"GetSubscriptionFunction":       GetSubscriptionFunction,
		"UpdateSubscriptionFunction":    UpdateSubscriptionFunction,
		"ActivateSubscriptionFunction":  ActivateSubscriptionFunction,
		"TerminateSubscriptionFunction": TerminateSubscriptionFunction,
		"SendUserPasswordResetFunction": SendUserPasswordResetFunction,
	}
}

// userService is the user service on the table; the wizard's save adds mail and jobs.
func (d *Deps) userService() *user.Service {
	if d.Users == nil {
		d.Users = &user.Service{Store: d.store().forUsers(), Log: d.Log, Now: time.Now, NewID: ident.New}
	}
	return d.Users
}

// usersAPI is the API of the user routes that only read and write the table.
func (d *Deps) usersAPI() *httpapi.API { return &httpapi.API{Users: d.userService()} }

// CreateUserFunction answers POST /v1/accounts/{accountId}/users (the wizard's save): it
// mails the user and queues the porting of a ported subscription.
func CreateUserFunction(d *Deps) any {
	users := d.userService()
	users.Mailer = d.mailer()
	users.PortalURL = d.Env("PORTAL_URL")
	users.Jobs = d.queue("PORTING_QUEUE_URL")
	api := &httpapi.API{Users: users}
	return d.route(api, api.CreateUser)
}

// ListUsersFunction answers GET /v1/accounts/{accountId}/users.
func ListUsersFunction(d *Deps) any {
	api := d.usersAPI()
	return d.route(api, api.ListUsers)
}

// GetUserFunction answers GET /v1/accounts/{accountId}/users/{userId}.
func GetUserFunction(d *Deps) any { api := d.usersAPI(); return d.route(api, api.GetUser) }

// UpdateUserFunction answers PATCH /v1/accounts/{accountId}/users/{userId}.
func UpdateUserFunction(d *Deps) any { api := d.usersAPI(); return d.route(api, api.UpdateUser) }

// DisableUserFunction answers POST /v1/accounts/{accountId}/users/{userId}/disable.
func DisableUserFunction(d *Deps) any { api := d.usersAPI(); return d.route(api, api.DisableUser) }

// EnableUserFunction answers POST /v1/accounts/{accountId}/users/{userId}/enable.
func EnableUserFunction(d *Deps) any { api := d.usersAPI(); return d.route(api, api.EnableUser) }

// ListSubscriptionsFunction answers GET /v1/accounts/{accountId}/subscriptions.
func ListSubscriptionsFunction(d *Deps) any {
	api := d.usersAPI()
	return d.route(api, api.ListSubscriptions)
}

// GetSubscriptionFunction answers GET /v1/accounts/{accountId}/subscriptions/{subscriptionId}.
func GetSubscriptionFunction(d *Deps) any {
	api := d.usersAPI()
	return d.route(api, api.GetSubscription)
}

// UpdateSubscriptionFunction answers PATCH /v1/accounts/{accountId}/subscriptions/{subscriptionId}.
func UpdateSubscriptionFunction(d *Deps) any {
	api := d.usersAPI()
	return d.route(api, api.UpdateSubscription)
}

// ActivateSubscriptionFunction answers POST …/subscriptions/{subscriptionId}/activate.
func ActivateSubscriptionFunction(d *Deps) any {
	api := d.usersAPI()
	return d.route(api, api.ActivateSubscription)
}

// TerminateSubscriptionFunction answers POST …/subscriptions/{subscriptionId}/terminate.
func TerminateSubscriptionFunction(d *Deps) any {
	api := d.usersAPI()
	return d.route(api, api.TerminateSubscription)
}

// SetUserRoleFunction answers PUT /v1/accounts/{accountId}/users/{userId}/role.
func SetUserRoleFunction(d *Deps) any { api := d.usersAPI(); return d.route(api, api.SetUserRole) }

// DeleteUserFunction answers DELETE /v1/accounts/{accountId}/users/{userId}.
func DeleteUserFunction(d *Deps) any { api := d.usersAPI(); return d.route(api, api.DeleteUser) }

// SendUserPasswordResetFunction answers POST .../users/{userId}/password-reset: staff
// mail a user a reset link.
func SendUserPasswordResetFunction(d *Deps) any {
	api := d.usersAPI()
	api.Users.Resets = d.resetMailer()
	return d.route(api, api.SendUserPasswordReset)
}
