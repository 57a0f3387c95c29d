// Package localserver runs Provisio on a laptop the way AWS runs it: it reads
// template.yaml, serves every HttpApi route by turning requests into API Gateway v2
// events for the function's own Lambda handler, polls every SQS event source into its
// consumer with partial batch failures, runs schedules on their cron (or on demand), and
// keeps an outbox of every SMS and email sent.
package localserver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provisio/provisio/infra/bootstrap"
	"github.com/provisio/provisio/infra/iamcheck"
	"github.com/provisio/provisio/infra/samtemplate"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/files"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/notify"
	"github.com/provisio/provisio/shared/notify/ses"
	"github.com/provisio/provisio/shared/notify/sns"
	"github.com/provisio/provisio/shared/portalsite/awshost"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/queue/sqs"
	"github.com/provisio/provisio/shared/secrets"
)

// Options configure a server.
type Options struct {
	AWS          aws.Config
	TemplatePath string
	// Prefix is put before every resource name (tests use one each).
	Prefix string
	// Parameters override the template's parameter defaults.
	Parameters map[string]string
	Log        *slog.Logger
	// RetryAfter is the visibility timeout the pollers ask for, so a failed job is
	// retried after it instead of the queue's production timeout. Default 5s.
	RetryAfter time.Duration
	// Adjust, when set, may change what each function's wiring built before it serves
	// (tests use it to inject failures, such as an unreachable queue).
	Adjust func(function string, d *app.Deps)
	// Python has aws-sam-translator, which expands the template's policies for the IAM
	// check (docs/local.md). Default: .venv/bin/python beside the template.
	Python string
	// PortalDir, when set, is the web portal's folder, served at / as CloudFront serves
	// it from its bucket (docs/portal.md).
	PortalDir string
}

// AllClients are every AWS client a function may use: the local server serves them all
// in one process. (Each function's main passes only its own.)
var AllClients = app.Clients{Email: ses.New, SMS: sns.New, Queues: sqs.New, Files: files.Files, Secrets: secrets.Signer, Portal: awshost.New}

// Server is the local stand-in for API Gateway, Lambda's SQS pollers and the scheduler.
type Server struct {
	opts      Options
	stack     *bootstrap.Stack
	policies  map[string]iamcheck.Policy
	functions map[string]*app.Deps
	routes    []route
	consumers []consumer
	schedules map[string]schedule
	// customResources are the functions CloudFormation calls at deploy time: nothing
	// triggers them locally, and tests call them as CloudFormation would.
	customResources map[string]cfn.CustomResourceLambdaFunction
	outbox          outbox
	received        received
}

type route struct {
	key      string // "POST /v1/registrations"
	function string
	handler  apigw.Handler
}

type consumer struct {
	function, event, queueURL, queueArn string
	batch                               int
	handler                             queue.Handler
}

type schedule struct {
	function, expression, timezone string
	input                          json.RawMessage
	handler                        app.ScheduleHandler
}

// New creates the template's resources and wires every function.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.RetryAfter == 0 {
		opts.RetryAfter = 5 * time.Second
	}
	tpl, err := samtemplate.Load(opts.TemplatePath)
	if err != nil {
		return nil, err
	}
	stack, err := bootstrap.Create(ctx, opts.AWS, tpl, opts.Prefix, opts.Parameters)
	if err != nil {
		return nil, fmt.Errorf("creating resources: %w", err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		return nil, err
	}
	if opts.Python == "" {
		opts.Python = filepath.Join(filepath.Dir(opts.TemplatePath), ".venv", "bin", "python")
	}
	expanded, err := iamcheck.Expand(ctx, opts.Python, opts.TemplatePath)
	if err != nil {
		return nil, err
	}
	policies, err := iamcheck.Resolve(expanded, stack)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, stack: stack, policies: policies, functions: map[string]*app.Deps{}, schedules: map[string]schedule{},
		customResources: map[string]cfn.CustomResourceLambdaFunction{}}
	for _, name := range sortedKeys(fns) {
		if err := s.wire(name, fns[name], tpl); err != nil {
			return nil, fmt.Errorf("function %s: %w", name, err)
		}
	}
	return s, nil
}

func (s *Server) wire(name string, f samtemplate.Function, tpl *samtemplate.Template) error {
	env, err := tpl.Env(f, s.stack)
	if err != nil {
		return err
	}
	// Locally, webhooks go to receivers on this machine (which a deployed stack refuses)
	// and are retried within seconds (docs/local.md).
	env["WEBHOOK_ALLOW_PRIVATE"] = "true"
	if _, ok := env["WEBHOOK_RETRY_BASE"]; ok {
		env["WEBHOOK_RETRY_BASE"] = "1s"
	}
	wire, ok := app.All()[name]
	if !ok {
		return fmt.Errorf("shared/app has no wiring for it")
	}
	// Each function calls AWS with only what its resource grants, as its role would.
	awsCfg := s.opts.AWS.Copy()
	awsCfg.APIOptions = append(awsCfg.APIOptions, iamcheck.Caller{Function: name, Policy: s.policies[name],
		Region: s.stack.Region, Account: s.stack.Account, Log: s.opts.Log}.Middleware)
	// It sees only its own environment, as on Lambda.
	d := app.NewDeps(func() (aws.Config, error) { return awsCfg, nil }, func(k string) string { return env[k] }, AllClients,
		s.opts.Log.With("function", name))
	d.Sent = s.outbox.record(s.opts.Log)
	h, err := d.Wire(wire)
	if err != nil {
		return err
	}
	if s.opts.Adjust != nil {
		s.opts.Adjust(name, d)
	}
	s.functions[name] = d
	if len(f.Events) == 0 {
		cr, ok := h.(cfn.CustomResourceLambdaFunction)
		if !ok {
			return fmt.Errorf("no event triggers it, and its handler %T is not a custom resource's", h)
		}
		s.customResources[name] = cr
	}
	for _, evName := range sortedKeys(f.Events) {
		ev := f.Events[evName]
		switch ev.Type {
		case "HttpApi":
			hh, ok := h.(apigw.Handler)
			if !ok {
				return fmt.Errorf("event %s is HttpApi but the handler is %T", evName, h)
			}
			s.routes = append(s.routes, route{key: strings.ToUpper(ev.Properties.Method) + " " + ev.Properties.Path, function: name, handler: hh})
		case "SQS":
			qh, ok := h.(queue.Handler)
			if !ok {
				return fmt.Errorf("event %s is SQS but the handler is %T", evName, h)
			}
			arn, err := ev.Properties.Queue.Resolve(s.stack)
			if err != nil {
				return err
			}
			c := consumer{function: name, event: evName, queueArn: arn, batch: ev.Properties.BatchSize, handler: qh}
			if c.queueURL, err = s.queueURLOf(arn); err != nil {
				return err
			}
			s.consumers = append(s.consumers, c)
		case "ScheduleV2":
			sh, ok := h.(app.ScheduleHandler)
			if !ok {
				return fmt.Errorf("event %s is ScheduleV2 but the handler is %T", evName, h)
			}
			expr, err := ev.Properties.ScheduleExpression.Resolve(s.stack)
			if err != nil {
				return err
			}
			tz, err := ev.Properties.ScheduleExpressionTimezone.Resolve(s.stack)
			if err != nil {
				return err
			}
			s.schedules[evName] = schedule{function: name, expression: expr, timezone: tz, input: json.RawMessage(ev.Properties.Input), handler: sh}
		default:
			return fmt.Errorf("event %s: type %s is not served locally", evName, ev.Type)
		}
	}
	return nil
}

// queueURLOf finds the URL of the created queue with arn.
func (s *Server) queueURLOf(arn string) (string, error) {
	for _, atts := range s.stack.Attributes() {
		if atts["Arn"] == arn && atts["QueueUrl"] != "" {
			return atts["QueueUrl"], nil
		}
	}
	return "", fmt.Errorf("no local queue has ARN %s", arn)
}

// CustomResource returns the handler of a custom resource's function, to call as
// CloudFormation does on a deploy.
func (s *Server) CustomResource(name string) cfn.CustomResourceLambdaFunction {
	return s.customResources[name]
}

// Function returns what a function's wiring built (tests read its store).
func (s *Server) Function(name string) *app.Deps { return s.functions[name] }

// Routes are the route keys served, each with whether its function verifies a token.
func (s *Server) Routes() map[string]bool {
	out := map[string]bool{}
	for _, rt := range s.routes {
		out[rt.key] = s.functions[rt.function].Authenticator != nil
	}
	return out
}

// Stack returns the created resources.
func (s *Server) Stack() *bootstrap.Stack { return s.stack }

// Handler serves the template's routes and the local-only /_local routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.key, s.invoke(rt))
	}
	// API Gateway's answer for a route it does not have; everything else is the portal's.
	portal := s.portal()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if portal == nil || strings.HasPrefix(r.URL.Path, "/v1/") || strings.HasPrefix(r.URL.Path, "/_local/") {
			gatewayError(w, http.StatusNotFound)
			return
		}
		portal.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /_local/outbox", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.Outbox())
	})
	// A webhook receiver to point endpoints at (docs/local.md): it keeps what it gets.
	mux.HandleFunc("POST /_local/webhook-receiver", s.received.record)
	mux.HandleFunc("GET /_local/webhook-receiver", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.received.all())
	})
	mux.HandleFunc("POST /_local/schedules/{name}", func(w http.ResponseWriter, r *http.Request) {
		out, err := s.RunSchedule(r.Context(), r.PathValue("name"))
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		_ = json.NewEncoder(w).Encode(out)
	})
	return mux
}

// portal serves the portal's files, and its index page for any other path (the portal's
// own routes, as CloudFront's error page does); nil without a folder.
func (s *Server) portal() http.Handler {
	if s.opts.PortalDir == "" {
		return nil
	}
	root := os.DirFS(s.opts.PortalDir)
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			gatewayError(w, http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if st, err := fs.Stat(root, name); name == "" || err != nil || st.IsDir() {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, root, "index.html")
			return
		}
		files.ServeHTTP(w, r)
	})
}

// invoke is what API Gateway does for a route: build the v2 event, call the function.
func (s *Server) invoke(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := apigw.Event(r, rt.key, ident.New("local-"))
		if err != nil {
			http.Error(w, "could not read the request", http.StatusBadRequest)
			return
		}
		res, err := rt.handler(r.Context(), ev)
		if err != nil {
			s.opts.Log.Error("function failed", "function", rt.function, "error", err)
			gatewayError(w, http.StatusInternalServerError)
			return
		}
		apigw.Write(w, res)
	})
}

// gatewayError answers as API Gateway does when it stops a request itself.
func gatewayError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"message":%q}`, http.StatusText(status))
}

// RunSchedule runs the named schedule (its event name in template.yaml) now.
func (s *Server) RunSchedule(ctx context.Context, name string) (any, error) {
	sc, ok := s.schedules[name]
	if !ok {
		return nil, fmt.Errorf("no schedule %q; the template has %v", name, sortedKeys(s.schedules))
	}
	var ev app.DispatchEvent
	if len(sc.input) > 0 {
		if err := json.Unmarshal(sc.input, &ev); err != nil {
			return nil, fmt.Errorf("schedule %s input: %w", name, err)
		}
	}
	return sc.handler(ctx, ev)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ReceivedWebhook is a delivery the local webhook receiver got.
type ReceivedWebhook struct {
	At        time.Time       `json:"at"`
	EventType string          `json:"eventType"`
	Signature string          `json:"signature"`
	Body      json.RawMessage `json:"body"`
}

type received struct {
	mu  sync.Mutex
	got []ReceivedWebhook
}

func (rc *received) record(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || !json.Valid(body) {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.got = append(rc.got, ReceivedWebhook{At: time.Now().UTC(), EventType: r.Header.Get("Provisio-Event-Type"),
		Signature: r.Header.Get("Provisio-Signature"), Body: body})
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rc *received) all() []ReceivedWebhook {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]ReceivedWebhook{}, rc.got...)
}

// OutboxEntry is a sent message as GET /_local/outbox shows it (docs/local.md).
type OutboxEntry struct {
	Channel string    `json:"channel"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	SentAt  time.Time `json:"sentAt"`
}

type outbox struct {
	mu      sync.Mutex
	entries []OutboxEntry
}

func (o *outbox) record(log *slog.Logger) func(notify.Message) {
	return func(m notify.Message) {
		o.mu.Lock()
		o.entries = append(o.entries, OutboxEntry{Channel: m.Channel, To: m.To, Subject: m.Subject, Body: m.Body, SentAt: m.SentAt})
		o.mu.Unlock()
		log.Info("message sent (see GET /_local/outbox)", "channel", m.Channel, "to", m.To, "subject", m.Subject, "messageId", m.MessageID)
	}
}

// Outbox returns every message sent since start, newest last.
func (s *Server) Outbox() []OutboxEntry {
	s.outbox.mu.Lock()
	defer s.outbox.mu.Unlock()
	return append([]OutboxEntry{}, s.outbox.entries...)
}
