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
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/config"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/files"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/notify"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/user"
)

// App is the wired application.
type App struct {
	Log           *slog.Logger
	API           *httpapi.API
	Registrations *registration.Service
	Accounts      *account.Service
	Auth          *auth.Service
	Authorizer    *auth.Authorizer
	SIP           *sip.Service
	Registrar     *sip.Registrar
	Desk          *porting.Desk
	Calls         *calls.Service
	Mailer        *notify.Mailer
	Texter        *notify.Texter
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
	sqsClient := sqs.NewFromConfig(awsCfg)
	regs := &registration.Service{
		Catalog: cat, Store: store, Mailer: mailer, Log: log, Now: time.Now,
		Jobs:        &queue.Sender{Client: sqsClient, QueueURL: cfg.ProvisioningQueueURL},
		NewID:       func() string { return ident.New("reg-") },
		RealmSuffix: cfg.RealmSuffix, PortalURL: cfg.PortalURL, Currency: cfg.Currency, StaleAfter: cfg.StaleAfter,
	}
	accounts := &account.Service{Store: store, Mailer: mailer, Log: log, Now: time.Now, NewID: ident.New,
		RealmSuffix: cfg.RealmSuffix, PortalURL: cfg.PortalURL, Currency: cfg.Currency}
	keys := secretKeys(secretsmanager.NewFromConfig(awsCfg), cfg.TokenSecretARN)
	authn := &auth.Service{Keys: keys, Store: store, Mailer: mailer, Log: log, Now: time.Now, NewID: ident.New, PortalURL: cfg.PortalURL,
		Resets: &queue.Sender{Client: sqsClient, QueueURL: cfg.ResetQueueURL}}
	texter := &notify.Texter{Client: sns.NewFromConfig(awsCfg), Templates: mailer, Now: time.Now}
	callSvc := &calls.Service{Store: store, Log: log, Now: time.Now, Queue: &queue.Sender{Client: sqsClient, QueueURL: cfg.CallRecordsQueueURL}}
	probes := map[string]httpapi.Probe{"table": store.Ping}
	for name, url := range map[string]string{"provisioningQueue": cfg.ProvisioningQueueURL, "portingQueue": cfg.PortingQueueURL, "callRecordsQueue": cfg.CallRecordsQueueURL,
		"passwordResetQueue": cfg.ResetQueueURL} {
		probes[name] = (&queue.Sender{Client: sqsClient, QueueURL: url}).Ping
	}
	sipSvc := &sip.Service{Store: store, SMS: texter, Log: log, Now: time.Now, NewID: ident.New, BaseURL: cfg.PublicAPIURL, Proxy: cfg.SIPProxy}
	return &App{
		Log: log, Registrations: regs, Accounts: accounts, Auth: authn, Mailer: mailer, Texter: texter, Store: store,
		SIP: sipSvc, Calls: callSvc, Registrar: &sip.Registrar{Store: store, Now: time.Now},
		Authorizer: &auth.Authorizer{Keys: keys, Members: store, Now: time.Now, CacheTTL: auth.DefaultCacheTTL},
		API: &httpapi.API{Catalog: cat, Registrations: regs, Accounts: accounts, Auth: authn, SIP: sipSvc, Log: log, Calls: callSvc, Probes: probes,
			Contacts: &contact.Service{Store: store, Mailer: mailer, SMS: texter, Log: log, Now: time.Now, NewID: ident.New, PortalURL: cfg.PortalURL},
			Billing:  &billing.Service{Store: store, Now: time.Now},
			Numbers:  &numbering.Service{Store: store, Now: time.Now},
			Users: &user.Service{Store: store, Mailer: mailer, Log: log, Now: time.Now, NewID: ident.New, PortalURL: cfg.PortalURL,
				Jobs: &queue.Sender{Client: sqsClient, QueueURL: cfg.PortingQueueURL}},
			Porting: &porting.Service{Store: store, Accounts: store, Uploads: files.New(awsCfg, cfg.PortingBucket), Mailer: mailer,
				Log: log, Now: time.Now, NewID: ident.New}},
		Desk: &porting.Desk{Store: store, Mailer: mailer, Log: log, Now: time.Now, DeskEmail: cfg.PortingDeskEmail,
			Jobs: &queue.Sender{Client: sqsClient, QueueURL: cfg.PortingQueueURL}, StaleAfter: cfg.StaleAfter},
	}, nil
}

// DispatchEvent is the input the schedules give the dispatcher (template.yaml).
type DispatchEvent struct {
	Task registration.Task `json:"task"`
}

// ScheduleHandler is the handler of a scheduled function.
type ScheduleHandler func(context.Context, DispatchEvent) (any, error)

// ActivateUsersTask activates users whose activation date has come.
const ActivateUsersTask registration.Task = "activate-users"

// dispatch runs a dispatcher task and reports what it did.
func (a *App) dispatch(ctx context.Context, ev DispatchEvent) (any, error) {
	if ev.Task == ActivateUsersTask {
		n, err := a.API.Users.ActivateDue(ctx)
		a.Log.InfoContext(ctx, "dispatch", "task", ev.Task, "activated", n)
		return map[string]int{"activated": n}, err
	}
	rep, err := a.Registrations.Dispatch(ctx, ev.Task)
	if err != nil {
		return rep, err
	}
	// Every sweep also queues again porting requests whose first job was lost.
	ports, err := a.Desk.Requeue(ctx)
	a.Log.InfoContext(ctx, "dispatch", "task", ev.Task, "queued", rep.Queued, "requeued", rep.Requeued, "failed", rep.Failed, "portingRequeued", ports)
	return map[string]int{"queued": rep.Queued, "requeued": rep.Requeued, "failed": rep.Failed, "portingRequeued": ports}, err
}

// deadRegistrarEvent drops an event the registrar-events queue gave up on. Registrations
// are refreshed by the next REGISTER, so nothing is lost for long; the log line (and the
// DLQ's CloudWatch metrics) tell operators the registrar and Provisio disagree.
func (a *App) deadRegistrarEvent(ctx context.Context, body string) error {
	a.Log.ErrorContext(ctx, "registrar event dead-lettered and dropped", "bytes", len(body))
	return nil
}

// AuthorizerHandler is the handler of the HTTP API's Lambda authorizer (payload 2.0,
// simple responses).
type AuthorizerHandler func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error)

// authorize answers API Gateway: allowed with the caller in the context, or not. A
// refusal is logged with its reason (never the token); the caller learns nothing more.
func (a *App) authorize(ctx context.Context, req events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
	header := req.Headers["authorization"]
	if header == "" && len(req.IdentitySource) > 0 {
		header = req.IdentitySource[0]
	}
	who, err := a.Authorizer.Authorize(ctx, header)
	if fault.Is(err, fault.Unavailable) {
		// An authorizer error is a bare 500 from API Gateway. The request goes on with no
		// identity, only the mark, so its function answers a 503 problem (httpapi.actor).
		a.Log.WarnContext(ctx, "the authorizer cannot reach the store", "route", req.RouteKey, "error", err)
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: map[string]any{httpapi.ContextUnavailable: "true"}}, nil
	}
	if err != nil {
		if !fault.Is(err, fault.Unauthorized) {
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, err
		}
		a.Log.InfoContext(ctx, "request refused by the authorizer", "route", req.RouteKey, "reason", err.Error())
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: false}, nil
	}
	return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: map[string]any{
		httpapi.ContextUser: who.UserID, httpapi.ContextAccount: who.AccountID, httpapi.ContextRole: string(who.Role),
	}}, nil
}

// Function returns the Lambda handler of the template function with logical ID name: an
// apigw.Handler, a queue.Handler, a ScheduleHandler or an AuthorizerHandler.
func (a *App) Function(name string) (any, bool) {
	route := func(h http.HandlerFunc) apigw.Handler { return apigw.Adapt(httpapi.Observe(a.Log, a.API.Permitted(h))) }
	switch name {
	case "HealthFunction":
		return route(a.API.Health), true
	case "ReadinessFunction":
		return route(a.API.Ready), true
	case "ListTemplatesFunction":
		return route(a.API.ListTemplates), true
	case "SubmitRegistrationFunction":
		return route(a.API.SubmitRegistration), true
	case "GetRegistrationFunction":
		return route(a.API.GetRegistration), true
	case "LoginFunction":
		return route(a.API.Login), true
	case "PasswordResetFunction":
		return route(a.API.RequestPasswordReset), true
	case "PasswordResetMailerFunction":
		return queue.Consumer(a.Log, queue.ResetJobs(a.Auth.ProcessReset)), true
	case "PasswordResetConfirmFunction":
		return route(a.API.ConfirmPasswordReset), true
	case "CreateAccountFunction":
		return route(a.API.CreateAccount), true
	case "ListAccountsFunction":
		return route(a.API.ListAccounts), true
	case "GetAccountFunction":
		return route(a.API.GetAccount), true
	case "UpdateAccountFunction":
		return route(a.API.UpdateAccount), true
	case "DeleteAccountFunction":
		return route(a.API.DeleteAccount), true
	case "CreateUserFunction":
		return route(a.API.CreateUser), true
	case "ListUsersFunction":
		return route(a.API.ListUsers), true
	case "GetUserFunction":
		return route(a.API.GetUser), true
	case "UpdateUserFunction":
		return route(a.API.UpdateUser), true
	case "DeleteUserFunction":
		return route(a.API.DeleteUser), true
	case "SendUserPasswordResetFunction":
		return route(a.API.SendUserPasswordReset), true
	case "AddNumberRangeFunction":
		return route(a.API.AddNumberRange), true
	case "ReleaseNumberRangeFunction":
		return route(a.API.ReleaseNumberRange), true
	case "ListNumberRangesFunction":
		return route(a.API.ListNumberRanges), true
	case "AvailableNumbersFunction":
		return route(a.API.AvailableNumbers), true
	case "AssignNumberBlockFunction":
		return route(a.API.AssignNumberBlock), true
	case "ListNumberBlocksFunction":
		return route(a.API.ListNumberBlocks), true
	case "CreateSipAccountFunction":
		return route(a.API.CreateSIPAccount), true
	case "ListSipAccountsFunction":
		return route(a.API.ListSIPAccounts), true
	case "GetSipAccountFunction":
		return route(a.API.GetSIPAccount), true
	case "UpdateSipAccountFunction":
		return route(a.API.UpdateSIPAccount), true
	case "DeleteSipAccountFunction":
		return route(a.API.DeleteSIPAccount), true
	case "SendInstallationSmsFunction":
		return route(a.API.SendInstallationSMS), true
	case "SendActivationSmsFunction":
		return route(a.API.SendActivationSMS), true
	case "DisableSipAccountFunction":
		return route(a.API.DisableSIPAccount), true
	case "EnableSipAccountFunction":
		return route(a.API.EnableSIPAccount), true
	case "RevokeSipKeysFunction":
		return route(a.API.RevokeSIPKeys), true
	case "InstallSipClientFunction":
		return route(a.API.InstallSIPClient), true
	case "ShowSipActivationFunction":
		return route(a.API.ShowSIPActivation), true
	case "ConfirmSipActivationFunction":
		return route(a.API.ConfirmSIPActivation), true
	case "RegisteredClientsFunction":
		return route(a.API.RegisteredClients), true
	case "GetPortingFunction":
		return route(a.API.GetPorting), true
	case "ListPortingsFunction":
		return route(a.API.ListPortings), true
	case "MovePortingFunction":
		return route(a.API.MovePorting), true
	case "UploadPortingDocumentFunction":
		return route(a.API.UploadPortingDocument), true
	case "PortingFunction":
		return queue.Consumer(a.Log, queue.PortingJobs(a.Desk.Prepare)), true
	case "PortingDLQFunction":
		return queue.Consumer(a.Log, queue.PortingJobs(a.Desk.GiveUp)), true
	case "RegistrarEventsFunction":
		return queue.Consumer(a.Log, a.Registrar.Record), true
	case "RegistrarEventsDLQFunction":
		return queue.Consumer(a.Log, a.deadRegistrarEvent), true
	case "AddCreditFunction":
		return route(a.API.AddCredit), true
	case "MeFunction":
		return route(a.API.Me), true
	case "AccountAuditLogFunction":
		return route(a.API.AccountAuditLog), true
	case "CreateContactFunction":
		return route(a.API.CreateContact), true
	case "ListContactsFunction":
		return route(a.API.ListContacts), true
	case "GetContactFunction":
		return route(a.API.GetContact), true
	case "UpdateContactFunction":
		return route(a.API.UpdateContact), true
	case "DeleteContactFunction":
		return route(a.API.DeleteContact), true
	case "SetContactPasswordFunction":
		return route(a.API.SetContactPassword), true
	case "VerifyContactEmailFunction":
		return route(a.API.VerifyContactEmail), true
	case "VerifyContactMobileFunction":
		return route(a.API.VerifyContactMobile), true
	case "ConfirmContactFunction":
		return route(a.API.ConfirmContact), true
	case "IngestCallRecordsFunction":
		return route(a.API.IngestCallRecords), true
	case "CallSummariesFunction":
		return route(a.API.CallSummaries), true
	case "CreateInvoiceFunction":
		return route(a.API.CreateInvoice), true
	case "ListInvoicesFunction":
		return route(a.API.ListInvoices), true
	case "GetInvoiceFunction":
		return route(a.API.GetInvoice), true
	case "CallRecordsFunction":
		return queue.Consumer(a.Log, queue.CallRecordsJobs(a.Calls.StoreChunk)), true
	case "AuthorizerFunction":
		return AuthorizerHandler(a.authorize), true
	case "ProvisionerFunction":
		return queue.Consumer(a.Log, queue.Jobs(a.Registrations.Provision)), true
	case "ProvisioningDLQFunction":
		return queue.Consumer(a.Log, queue.Jobs(a.Registrations.GiveUp)), true
	case "DispatcherFunction":
		return ScheduleHandler(a.dispatch), true
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

// ProviderTrunks is the root account's trunk pool of each kind: the platform's capacity
// that resellers and tenants are given trunks from.
const ProviderTrunks = 10000

// ProviderUsers is the root account's user pool, which resellers and tenants are given
// their user caps from.
const ProviderUsers = 1_000_000

// BootstrapProvider creates the provider's root account, whose permissions are every
// feature and permission the service templates offer, and its first provider_admin
// (see account.Service.Bootstrap).
func (a *App) BootstrapProvider(ctx context.Context, adminEmail string) (account.Created, string, error) {
	return BootstrapProvider(ctx, a.Accounts, a.API.Catalog, adminEmail)
}

// BootstrapProvider is App.BootstrapProvider for tools that wire only the accounts.
func BootstrapProvider(ctx context.Context, accounts *account.Service, cat *catalog.Catalog, adminEmail string) (account.Created, string, error) {
	var perms []string
	for _, t := range cat.All() {
		perms = append(perms, t.Features...)
		perms = append(perms, t.DefaultPermissions...)
	}
	slices.Sort(perms)
	return accounts.Bootstrap(ctx, account.RootRequest{
		Name: "Provider", Timezone: "Europe/Stockholm", AdminEmail: adminEmail, Permissions: slices.Compact(perms),
		Limits: account.Limits{InboundTrunks: ProviderTrunks, OutboundTrunks: ProviderTrunks, TwowayTrunks: ProviderTrunks, Users: ProviderUsers},
	})
}
