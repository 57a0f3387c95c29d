package app

import (
	"context"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/provisio/provisio/portal"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/portalsite"
	"github.com/provisio/provisio/shared/registration"
)

func platformFunctions() map[string]Wiring {
	return map[string]Wiring{
		"ReadinessFunction":     ReadinessFunction,
		"DispatcherFunction":    DispatcherFunction,
		"PublishPortalFunction": PublishPortalFunction,
	}
}

// ReadinessFunction answers GET /v1/ready by touching the table and every queue.
func ReadinessFunction(d *Deps) any {
	api := &httpapi.API{Probes: map[string]httpapi.Probe{"table": d.table().Ping}}
	for name, variable := range map[string]string{"provisioningQueue": "PROVISIONING_QUEUE_URL", "portingQueue": "PORTING_QUEUE_URL",
		"callRecordsQueue": "CALL_RECORDS_QUEUE_URL", "passwordResetQueue": "PASSWORD_RESET_QUEUE_URL"} {
		api.Probes[name] = d.queue(variable).Ping
	}
	return d.Public(api, api.Ready)
}

// DispatchEvent is the input the schedules give the dispatcher (template.yaml).
type DispatchEvent struct {
	Task registration.Task `json:"task"`
}

// ScheduleHandler is the handler of a scheduled function.
type ScheduleHandler func(context.Context, DispatchEvent) (any, error)

// ActivateUsersTask activates users and subscriptions whose activation date has come, and
// frees the numbers whose aging after a termination is over.
const ActivateUsersTask registration.Task = "activate-users"

// BillLateCallsTask makes the adjustment invoices of calls that reached invoiced rows.
const BillLateCallsTask registration.Task = "bill-late-calls"

// DispatcherFunction runs the scheduled tasks: queueing registrations whose window has
// come, queueing again jobs that were lost, activating users and billing late calls.
func DispatcherFunction(d *Deps) any {
	regs := d.registrationService()
	regs.Jobs = d.queue("PROVISIONING_QUEUE_URL")
	regs.StaleAfter = d.staleAfter()
	events := d.events()
	regs.Events = events
	desk := d.desk()
	desk.Store = d.store().forPorting()
	desk.Jobs = d.queue("PORTING_QUEUE_URL")
	desk.StaleAfter = regs.StaleAfter
	users := d.userService()
	bills := d.billingService()
	bills.Events = regs.Events
	log := d.Log
	return ScheduleHandler(func(ctx context.Context, ev DispatchEvent) (any, error) {
		switch ev.Task {
		case BillLateCallsTask:
			done, err := bills.BillLateCalls(ctx)
			log.InfoContext(ctx, "dispatch", "task", ev.Task, "adjustments", done.Invoices, "deferred", done.Deferred)
			return done, err
		case ActivateUsersTask:
			done, err := users.ActivateDue(ctx)
			log.InfoContext(ctx, "dispatch", "task", ev.Task, "activated", done.Users, "subscriptionsActivated", done.Subscriptions,
				"numbersReleased", done.NumbersReleased)
			return done, err
		}
		rep, err := regs.Dispatch(ctx, ev.Task)
		if err != nil {
			return rep, err
		}
		// Every sweep also queues again porting requests whose first job was lost, and
		// publishes the webhook events SQS refused when they happened.
		ports, err := desk.Requeue(ctx)
		republished, eventsErr := events.Republish(ctx)
		log.InfoContext(ctx, "dispatch", "task", ev.Task, "queued", rep.Queued, "requeued", rep.Requeued, "failed", rep.Failed, "portingRequeued", ports,
			"eventsRepublished", republished)
		if eventsErr != nil {
			log.WarnContext(ctx, "parked webhook events wait for the next sweep", "error", eventsErr)
		}
		return map[string]int{"queued": rep.Queued, "requeued": rep.Requeued, "failed": rep.Failed, "portingRequeued": ports,
			"eventsRepublished": republished}, err
	})
}

// PublishPortalFunction is the custom resource PortalFiles of template.yaml: on each
// deploy that changes the portal it puts the files built into it on the portal's bucket
// and has CloudFront drop what it cached; when the stack goes, it empties the bucket.
func PublishPortalFunction(d *Deps) any {
	if d.Clients.Portal == nil {
		d.noClient("Portal")
		return nil
	}
	p := &portalsite.Publisher{Host: d.Clients.Portal(d.awsConfig(), d.Env("PORTAL_BUCKET"), d.Env("PORTAL_DISTRIBUTION_ID")),
		Files: portal.Files, Log: d.Log}
	return cfn.LambdaWrap(p.Handle)
}
