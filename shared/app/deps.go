package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/config"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/files"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/notify"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/user"
)

// Deps builds the parts a function's wiring asks for, each once per cold start and only
// when asked: a function that never sends email constructs no SES client, links none of
// its operations, and needs no SENDER_EMAIL. Each part reads its own environment
// variables; a missing one is recorded, and Err reports them all once wiring is done.
//
// The exported fields are what the wiring built, so the local server and its tests can
// inspect or adjust the very objects the handler uses.
type Deps struct {
	Log *slog.Logger
	// Sent, when set, sees every email and SMS after it was accepted (the local outbox).
	Sent func(notify.Message)

	Handler       any // the function's Lambda handler
	Store         *dynamo.Store
	Mailer        *notify.Mailer
	Texter        *notify.Texter
	API           *httpapi.API
	Registrations *registration.Service
	Accounts      *account.Service
	Users         *user.Service
	Auth          *auth.Service
	Authorizer    *auth.Authorizer
	Registrar     *sip.Registrar
	Desk          *porting.Desk
	Calls         *calls.Service

	aws         func() (aws.Config, error)
	awsCfg      *aws.Config
	permissions account.Reader
	getenv      func(string) string
	problems    []string
	catalog     *catalog.Catalog
	templates   *notify.Templates
	sqs         *sqs.Client
	keys        auth.KeySource
}

// NewDeps returns the parts of a function whose environment getenv reads. loadAWS is
// called once, when the first AWS client is built; nil means the deployed default
// (config.AWS), which only functions that build a client link.
func NewDeps(loadAWS func() (aws.Config, error), getenv func(string) string, log *slog.Logger) *Deps {
	return &Deps{Log: log, aws: loadAWS, getenv: getenv}
}

// Wire builds the handler with wire and keeps it in d.Handler; the error names every
// variable the wiring found missing or malformed.
func (d *Deps) Wire(wire Wiring) (any, error) {
	d.Handler = wire(d)
	return d.Handler, d.Err()
}

// Err names every variable that was missing or malformed while wiring, and any part that
// could not be built.
func (d *Deps) Err() error {
	if len(d.problems) == 0 {
		return nil
	}
	return errors.New("configuration: " + strings.Join(d.problems, "; "))
}

// env returns a required variable.
func (d *Deps) env(name string) string {
	v := d.getenv(name)
	if v == "" {
		d.problems = append(d.problems, name+" is not set")
	}
	return v
}

// staleAfter is how long a queued job may wait before a sweep queues it again.
func (d *Deps) staleAfter() time.Duration {
	v, err := time.ParseDuration(d.env("STALE_AFTER"))
	if err != nil || v <= 0 {
		d.problems = append(d.problems, "STALE_AFTER must be a positive duration such as 10m")
	}
	return v
}

func (d *Deps) awsConfig() aws.Config {
	if d.awsCfg == nil {
		load := d.aws
		if load == nil {
			load = func() (aws.Config, error) { return config.AWS(context.Background()) }
		}
		cfg, err := load()
		if err != nil {
			d.problems = append(d.problems, "AWS configuration: "+err.Error())
		}
		d.awsCfg = &cfg
	}
	return *d.awsCfg
}

func (d *Deps) store() *dynamo.Store {
	if d.Store == nil {
		d.Store = dynamo.New(dynamodb.NewFromConfig(d.awsConfig()), d.env("TABLE_NAME"))
		d.permissions = d.Store
	}
	return d.Store
}

func (d *Deps) catalogue() *catalog.Catalog {
	if d.catalog == nil {
		cat, err := catalog.Load()
		if err != nil {
			d.problems = append(d.problems, err.Error())
		}
		d.catalog = cat
	}
	return d.catalog
}

func (d *Deps) messageTemplates() *notify.Templates {
	if d.templates == nil {
		d.templates = notify.NewTemplates()
	}
	return d.templates
}

func (d *Deps) mailer() *notify.Mailer {
	if d.Mailer == nil {
		d.Mailer = &notify.Mailer{Templates: d.messageTemplates(), Client: sesv2.NewFromConfig(d.awsConfig()),
			From: d.env("SENDER_EMAIL"), Now: time.Now, Sent: d.Sent}
	}
	return d.Mailer
}

func (d *Deps) texter() *notify.Texter {
	if d.Texter == nil {
		d.Texter = &notify.Texter{Client: sns.NewFromConfig(d.awsConfig()), Templates: d.messageTemplates(), Now: time.Now, Sent: d.Sent}
	}
	return d.Texter
}

// queue returns a sender to the queue whose URL is in variable.
func (d *Deps) queue(variable string) *queue.Sender {
	if d.sqs == nil {
		d.sqs = sqs.NewFromConfig(d.awsConfig())
	}
	return &queue.Sender{Client: d.sqs, QueueURL: d.env(variable)}
}

func (d *Deps) tokenKeys() auth.KeySource {
	if d.keys == nil {
		d.keys = secretKeys(secretsmanager.NewFromConfig(d.awsConfig()), d.env("TOKEN_SECRET_ARN"))
	}
	return d.keys
}

func (d *Deps) bucket(variable string) *files.Bucket {
	return files.New(d.awsConfig(), d.env(variable))
}

// route wraps a handler of api as a Lambda handler behind API Gateway: logged, with the
// route's permission checked against the caller's account (httpapi.RoutePermissions) in
// the store the wiring built; a route that needs one and has none fails closed.
func (d *Deps) route(api *httpapi.API, h http.HandlerFunc) any {
	api.Log = d.Log
	api.Permissions = d.permissions
	d.API = api
	return apigw.Adapt(httpapi.Observe(d.Log, api.Permitted(h)))
}
