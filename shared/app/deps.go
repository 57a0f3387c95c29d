package app

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/config"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/function"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/notify"
	"github.com/provisio/provisio/shared/portalsite"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/user"
)

// Deps builds, on a function.Base, the parts a function's wiring asks for, each once per
// cold start and only when asked: a function that never sends email constructs no SES
// client, links none of its operations, and needs no SENDER_EMAIL. Each part reads its own
// environment variables; a missing one is recorded, and Err reports them all once wiring
// is done.
//
// The exported fields are what the wiring built, so the local server and its tests can
// inspect or adjust the very objects the handler uses.
type Deps struct {
	*function.Base
	// Clients are the AWS clients, DynamoDB's aside, that the function's main links.
	Clients Clients
	// Sent, when set, sees every email and SMS after it was accepted (the local outbox).
	Sent func(notify.Message)

	// Table is the function's DynamoDB table client, which every store shares.
	Table         *dynamo.Table
	Mailer        *notify.Mailer
	Texter        *notify.Texter
	Registrations *registration.Service
	Accounts      *account.Service
	Users         *user.Service
	Auth          *auth.Service
	// Authenticator checks the bearer tokens of a protected function (nil: public).
	Authenticator *auth.Authenticator
	Registrar     *sip.Registrar
	Desk          *porting.Desk
	Calls         *calls.Service

	aws       func() (aws.Config, error)
	awsCfg    *aws.Config
	templates *notify.Templates
	queues    queue.Transport
	signer    auth.SignerSource
	stores    *stores
}

// Clients build the AWS clients other than DynamoDB's. A function's main passes those its
// wiring uses (from notify/ses, notify/sns, queue/sqs, files, secrets and
// portalsite/awshost), so a function
// that never mails does not even import SES's package: its package init, schemas and
// endpoint tables included. A wiring that asks for a client its main did not pass fails the
// cold start, naming it.
type Clients struct {
	Email   func(aws.Config) notify.EmailSender
	SMS     func(aws.Config) notify.SMSSender
	Queues  func(aws.Config) queue.Transport
	Files   func(cfg aws.Config, bucket string) porting.Files
	Secrets func(cfg aws.Config, secretARN string) auth.SignerSource
	Portal  func(cfg aws.Config, bucket, distributionID string) portalsite.Host
}

// noClient records that the wiring asked for a client the function's main did not pass.
func (d *Deps) noClient(name string) {
	d.Problem("its main passes no " + name + " client (app.Clients." + name + ")")
}

// NewDeps returns the parts of a function whose environment getenv reads, with the
// clients its main links. loadAWS is called once, when the first AWS client is built; nil
// means the deployed default (config.Lambda), which only functions that build a client link.
func NewDeps(loadAWS func() (aws.Config, error), getenv func(string) string, clients Clients, log *slog.Logger) *Deps {
	return &Deps{Base: function.New(getenv, log), Clients: clients, aws: loadAWS}
}

// Wire builds the handler with wire and keeps it in d.Handler; the error names every
// variable the wiring found missing or malformed.
func (d *Deps) Wire(wire Wiring) (any, error) {
	d.Handler = wire(d)
	return d.Handler, d.Err()
}

// staleAfter is how long a queued job may wait before a sweep queues it again.
func (d *Deps) staleAfter() time.Duration {
	v, err := time.ParseDuration(d.Env("STALE_AFTER"))
	if err != nil || v <= 0 {
		d.Problem("STALE_AFTER must be a positive duration such as 10m")
	}
	return v
}

func (d *Deps) awsConfig() aws.Config {
	if d.awsCfg == nil {
		load := d.aws
		if load == nil {
			load = func() (aws.Config, error) { return config.Lambda(), nil }
		}
		cfg, err := load()
		if err != nil {
			d.Problem("AWS configuration: " + err.Error())
		}
		d.awsCfg = &cfg
	}
	return *d.awsCfg
}

func (d *Deps) table() *dynamo.Table {
	if d.Table == nil {
		d.Table = dynamo.NewTable(dynamodb.NewFromConfig(d.awsConfig()), d.Env("TABLE_NAME"))
	}
	return d.Table
}

// store returns the aggregate stores over the function's table.
func (d *Deps) store() *stores {
	if d.stores == nil {
		d.stores = newStores(d.table())
	}
	return d.stores
}

func (d *Deps) messageTemplates() *notify.Templates {
	if d.templates == nil {
		d.templates = notify.NewTemplates()
	}
	return d.templates
}

func (d *Deps) mailer() *notify.Mailer {
	if d.Mailer == nil {
		var sender notify.EmailSender
		if d.Clients.Email == nil {
			d.noClient("Email")
		} else {
			sender = d.Clients.Email(d.awsConfig())
		}
		d.Mailer = &notify.Mailer{Templates: d.messageTemplates(), Client: sender,
			From: d.Env("SENDER_EMAIL"), Now: time.Now, Sent: d.Sent}
	}
	return d.Mailer
}

func (d *Deps) texter() *notify.Texter {
	if d.Texter == nil {
		var sender notify.SMSSender
		if d.Clients.SMS == nil {
			d.noClient("SMS")
		} else {
			sender = d.Clients.SMS(d.awsConfig())
		}
		d.Texter = &notify.Texter{Client: sender, Templates: d.messageTemplates(), Now: time.Now, Sent: d.Sent}
	}
	return d.Texter
}

// queue returns a sender to the queue whose URL is in variable.
func (d *Deps) queue(variable string) *queue.Sender {
	if d.queues == nil {
		if d.Clients.Queues == nil {
			d.noClient("Queues")
		} else {
			d.queues = d.Clients.Queues(d.awsConfig())
		}
	}
	return &queue.Sender{Client: d.queues, QueueURL: d.Env(variable)}
}

// tokenSigner is the sign-in function's signing key: no other function holds it.
func (d *Deps) tokenSigner() auth.SignerSource {
	if d.signer == nil {
		if d.Clients.Secrets == nil {
			d.noClient("Secrets")
		} else {
			d.signer = d.Clients.Secrets(d.awsConfig(), d.Env("TOKEN_SECRET_ARN"))
		}
	}
	return d.signer
}

func (d *Deps) bucket(variable string) porting.Files {
	if d.Clients.Files == nil {
		d.noClient("Files")
		return nil
	}
	return d.Clients.Files(d.awsConfig(), d.Env(variable))
}

// route wraps a protected handler of api as a Lambda handler behind API Gateway: logged,
// its bearer token verified in process (httpapi.Authenticated, with the published public
// keys and the caller's user, both read from the store and cached), and the route's
// permission checked against the caller's account (httpapi.RoutePermissions). A route
// is protected unless its wiring says public.
func (d *Deps) route(api *httpapi.API, h http.HandlerFunc) any {
	d.Authenticator = &auth.Authenticator{Keys: d.store().keys, Members: d.store().users, APIKeys: d.store().apiKeys, Now: time.Now,
		CacheTTL: auth.DefaultCacheTTL}
	api.Tokens = d.Authenticator
	api.Log = d.Log
	api.Permissions = d.store().accounts
	d.API = api
	return apigw.Adapt(httpapi.Observe(d.Log, api.Authenticated(api.Permitted(h))))
}

// machineRoute is route for the machines' routes: the function also records when an API
// key was last used (its policy grants the write).
func (d *Deps) machineRoute(api *httpapi.API, h http.HandlerFunc) any {
	handler := d.route(api, h)
	d.Authenticator.KeyUse = d.store().apiKeys
	return handler
}
