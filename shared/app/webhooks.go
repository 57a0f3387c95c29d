package app

import (
	"time"

	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/webhook"
)

func webhookFunctions() map[string]Wiring {
	return map[string]Wiring{
		"CreateWebhookFunction":     CreateWebhookFunction,
		"ListWebhooksFunction":      ListWebhooksFunction,
		"UpdateWebhookFunction":     UpdateWebhookFunction,
		"DeleteWebhookFunction":     DeleteWebhookFunction,
		"RollWebhookSecretFunction": RollWebhookSecretFunction,
		"WebhookDeliveriesFunction": WebhookDeliveriesFunction,
		"RedeliverWebhookFunction":  RedeliverWebhookFunction,
		"WebhookEventsFunction":     WebhookEventsFunction,
		"DeliverWebhookFunction":    DeliverWebhookFunction,
	}
}

// events publishes the function's webhook events on the events queue, and parks in the
// table those SQS does not take, for the dispatcher's sweep.
func (d *Deps) events() *queue.Events {
	return &queue.Events{Sender: d.queue("WEBHOOK_EVENTS_QUEUE_URL"), Parking: d.store().webhooks, Log: d.Log, Now: time.Now, NewID: ident.New}
}

// deliveries is the delivery queue.
func (d *Deps) deliveries() *queue.Deliveries {
	q := d.queue("WEBHOOK_DELIVERIES_QUEUE_URL")
	return &queue.Deliveries{Client: q.Client, QueueURL: q.QueueURL}
}

// webhookGuard keeps deliveries on the public internet; the local server alone lets
// them reach its loopback receivers (WEBHOOK_ALLOW_PRIVATE, "false" in template.yaml).
func (d *Deps) webhookGuard() *webhook.Guard {
	return &webhook.Guard{AllowPrivate: d.Env("WEBHOOK_ALLOW_PRIVATE") == "true"}
}

// webhooksAPI is the API of the endpoint routes.
func (d *Deps) webhooksAPI() *httpapi.API {
	return &httpapi.API{Webhooks: &webhook.Service{Store: d.store().forWebhooks(), Guard: d.webhookGuard(), Now: time.Now, NewID: ident.New}}
}

// CreateWebhookFunction answers POST /v1/accounts/{accountId}/webhooks.
func CreateWebhookFunction(d *Deps) any {
	api := d.webhooksAPI()
	return d.route(api, api.CreateWebhook)
}

// ListWebhooksFunction answers GET /v1/accounts/{accountId}/webhooks.
func ListWebhooksFunction(d *Deps) any { api := d.webhooksAPI(); return d.route(api, api.ListWebhooks) }

// UpdateWebhookFunction answers PATCH /v1/accounts/{accountId}/webhooks/{webhookId}.
func UpdateWebhookFunction(d *Deps) any {
	api := d.webhooksAPI()
	return d.route(api, api.UpdateWebhook)
}

// DeleteWebhookFunction answers DELETE /v1/accounts/{accountId}/webhooks/{webhookId}.
func DeleteWebhookFunction(d *Deps) any {
	api := d.webhooksAPI()
	return d.route(api, api.DeleteWebhook)
}

// RollWebhookSecretFunction answers POST …/webhooks/{webhookId}/roll-secret.
func RollWebhookSecretFunction(d *Deps) any {
	api := d.webhooksAPI()
	return d.route(api, api.RollWebhookSecret)
}

// WebhookDeliveriesFunction answers GET …/webhooks/{webhookId}/deliveries.
func WebhookDeliveriesFunction(d *Deps) any {
	api := d.webhooksAPI()
	return d.route(api, api.WebhookDeliveries)
}

// RedeliverWebhookFunction answers POST …/deliveries/{deliveryId}/redeliver.
func RedeliverWebhookFunction(d *Deps) any {
	api := d.webhooksAPI()
	api.Webhooks.Queue = d.deliveries()
	return d.route(api, api.RedeliverWebhook)
}

// WebhookEventsFunction fans the published events out into deliveries.
func WebhookEventsFunction(d *Deps) any {
	f := &webhook.Fanout{Store: d.store().forWebhooks(), Queue: d.deliveries(), Log: d.Log, Now: time.Now}
	return queue.Consumer(d.Log, queue.WebhookEvents(f.Handle))
}

// DeliverWebhookFunction makes the deliveries' attempts.
func DeliverWebhookFunction(d *Deps) any {
	base, err := time.ParseDuration(d.Env("WEBHOOK_RETRY_BASE"))
	if err != nil || base <= 0 {
		base = 30 * time.Second
	}
	q := d.deliveries()
	q.DeadLetterURL = d.Env("WEBHOOK_DEAD_LETTER_QUEUE_URL")
	del := &webhook.Deliverer{Store: d.store().forWebhooks(), Queue: q, Client: webhook.NewClient(d.webhookGuard()), Log: d.Log,
		Now: time.Now, RetryBase: base, MaxAttempts: webhook.MaxAttempts}
	return queue.Consumer(d.Log, queue.WebhookDeliveries(del.Deliver))
}
