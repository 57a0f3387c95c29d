// Package app wires Provisio together: from configuration and one AWS configuration it
// builds the adapters and services once per cold start, and names the Lambda handler of
// every function in template.yaml by its logical ID. Function mains and the local server
// both get their handlers here, so they cannot drift apart.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/config"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/notify"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/registration"
)

// App is the wired application.
type App struct {
	Log           *slog.Logger
	API           *httpapi.API
	Registrations *registration.Service
	Mailer        *notify.Mailer
	Store         *dynamo.Store
}

// New builds the application on awsCfg.
func New(awsCfg aws.Config, cfg config.Config, log *slog.Logger) (*App, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	store := dynamo.New(dynamodb.NewFromConfig(awsCfg), cfg.TableName)
	mailer := notify.NewMailer(sesv2.NewFromConfig(awsCfg), cfg.SenderEmail)
	regs := &registration.Service{
		Catalog: cat, Store: store, Mailer: mailer, Log: log, Now: time.Now,
		Jobs:        &queue.Sender{Client: sqs.NewFromConfig(awsCfg), QueueURL: cfg.ProvisioningQueueURL},
		NewID:       func() string { return ident.New("reg-") },
		RealmSuffix: cfg.RealmSuffix, PortalURL: cfg.PortalURL, StaleAfter: cfg.StaleAfter,
	}
	return &App{
		Log: log, Registrations: regs, Mailer: mailer, Store: store,
		API: &httpapi.API{Catalog: cat, Registrations: regs, Log: log},
	}, nil
}

// DispatchEvent is the input the schedules give the dispatcher (template.yaml).
type DispatchEvent struct {
	Task registration.Task `json:"task"`
}

// ScheduleHandler is the handler of a scheduled function.
type ScheduleHandler func(context.Context, DispatchEvent) (registration.DispatchReport, error)

// Function returns the Lambda handler of the template function with logical ID name: an
// apigw.Handler, a queue.Handler or a ScheduleHandler.
func (a *App) Function(name string) (any, bool) {
	route := func(h http.HandlerFunc) apigw.Handler { return apigw.Adapt(httpapi.Observe(a.Log, h)) }
	switch name {
	case "HealthFunction":
		return route(a.API.Health), true
	case "ListTemplatesFunction":
		return route(a.API.ListTemplates), true
	case "SubmitRegistrationFunction":
		return route(a.API.SubmitRegistration), true
	case "GetRegistrationFunction":
		return route(a.API.GetRegistration), true
	case "ProvisionerFunction":
		return queue.Consumer(a.Log, a.Registrations.Provision), true
	case "ProvisioningDLQFunction":
		return queue.Consumer(a.Log, a.Registrations.GiveUp), true
	case "DispatcherFunction":
		return ScheduleHandler(func(ctx context.Context, ev DispatchEvent) (registration.DispatchReport, error) {
			rep, err := a.Registrations.Dispatch(ctx, ev.Task)
			a.Log.InfoContext(ctx, "dispatch", "task", ev.Task, "queued", rep.Queued, "requeued", rep.Requeued, "failed", rep.Failed)
			return rep, err
		}), true
	}
	return nil, false
}

// NewLogger returns the JSON logger every function and the local server use.
func NewLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: level}))
}

// Start runs the named function as a Lambda. It is all a function's main does; a
// configuration error ends the cold start with a log line instead of a half-wired handler.
func Start(name string) {
	ctx := context.Background()
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		NewLogger(slog.LevelInfo).Error("cold start failed", "function", name, "error", err)
		os.Exit(1)
	}
	log := NewLogger(cfg.LogLevel).With("function", name)
	awsCfg, err := config.AWS(ctx)
	if err != nil {
		log.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	a, err := New(awsCfg, cfg, log)
	if err != nil {
		log.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	h, ok := a.Function(name)
	if !ok {
		log.Error("cold start failed: no such function")
		os.Exit(1)
	}
	lambda.Start(h)
}
