// Command provisio-local runs Provisio on a laptop without Docker.
//
//	provisio-local serve          the API on 127.0.0.1:3000 over the local engine (make run)
//	provisio-local exec -- CMD    runs CMD with a fresh engine on a free port (make test)
//
// Without AWS_ENDPOINT_URL both start the engine PROVISIO_ENGINE names (moto, the default;
// ministack; or localstack); with it they use that endpoint (a running engine, or real
// AWS) and start nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/provisio/provisio/infra/awsconfig"
	"github.com/provisio/provisio/infra/engine"
	"github.com/provisio/provisio/infra/localserver"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/function"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: provisio-local serve [flags] | exec -- command [args]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx, os.Args[2:])
	case "exec":
		err = execWithEngine(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "provisio-local:", err)
		os.Exit(1)
	}
}

// ensureEngine starts the engine PROVISIO_ENGINE names (moto by default) on addr, unless
// AWS_ENDPOINT_URL names an engine already. The returned stop is safe to call either way.
func ensureEngine(ctx context.Context, addr string) (func(), error) {
	engine.LocalDefaults()
	if os.Getenv("AWS_ENDPOINT_URL") != "" {
		return func() {}, nil
	}
	e, err := engine.Start(ctx, ".", addr, engine.Kind(os.Getenv(engine.KindVariable)))
	if err != nil {
		return nil, err
	}
	for k, v := range e.Env {
		os.Setenv(k, v)
	}
	return e.Stop, nil
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:3000", "where the API listens")
	tpl := fs.String("template", "template.yaml", "the SAM template to serve")
	prefix := fs.String("prefix", "provisio-local-", "prefix of every resource name")
	retry := fs.Duration("retry-after", 5*time.Second, "how soon a failed job is retried (SQS visibility timeout)")
	adminEmail := fs.String("admin-email", "admin@provisio.example", "sign-in name of the provider's first administrator")
	operatorEmail := fs.String("operator-email", "porting@provisio.example", "sign-in name of a porting operator made at start")
	switchKey := fs.String("switch-key", "Local switch", "name of the switch's API key for call records, made at start")
	publicURL := fs.String("public-api-url", "", "base URL of links in SMS (default: http://<addr>)")
	portalURL := fs.String("portal-url", "", "base URL of links in email (default: http://<addr>)")
	portalDir := fs.String("portal", "portal", "the web portal's folder, served at / (empty: none)")
	_ = fs.Parse(args)
	params := linkParameters(*addr, *publicURL, *portalURL)

	log := function.NewLogger(slog.LevelInfo)
	stopEngine, err := ensureEngine(ctx, engine.DefaultAddr)
	if err != nil {
		return err
	}
	defer stopEngine()
	log.Info("engine ready", "endpoint", os.Getenv("AWS_ENDPOINT_URL"))

	awsCfg, err := awsconfig.Load(ctx)
	if err != nil {
		return err
	}
	srv, err := localserver.New(ctx, localserver.Options{AWS: awsCfg, TemplatePath: *tpl, Prefix: *prefix, Log: log, RetryAfter: *retry, Parameters: params,
		PortalDir: *portalDir})
	if err != nil {
		return err
	}
	root, pw, err := srv.Function("CreateAccountFunction").BootstrapProvider(ctx, *adminEmail)
	switch {
	case fault.Is(err, fault.Conflict):
		log.Info("the provider account exists already; its administrator's password was shown when it was made")
	case err != nil:
		return err
	default:
		// Shown once, on the terminal, never in the logs (docs/auth.md).
		fmt.Fprintf(os.Stderr, "\nProvider administrator (shown once):\n  domain:   %s\n  username: %s\n  password: %s\n",
			root.Account.Realm, root.Admin.Username, pw)
		m, upw, err := srv.Function("CreateAccountFunction").Accounts.AddOperator(ctx, *operatorEmail)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "Porting operator (shown once):\n  domain:   %s\n  username: %s\n  password: %s\n", root.Account.Realm, m.Username, upw)
		key, err := app.ProvisionAPIKey(ctx, srv.Function("CreateApiKeyFunction").Table, root.Account.ID, apikey.SwitchJob, *switchKey)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "Switch API key (shown once; send as Authorization: Bearer <key>):\n  %s\n", key.Secret)
		fmt.Fprintln(os.Stderr)
	}
	if err := srv.RunCron(ctx); err != nil {
		log.Warn("some schedules run only on demand", "error", err)
	}
	go srv.Poll(ctx)

	httpSrv := &http.Server{Addr: *addr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = httpSrv.Shutdown(shutdown) // best effort on the way out
	}()
	log.Info("Provisio is serving", "url", "http://"+*addr, "outbox", "http://"+*addr+"/_local/outbox")
	if err := httpSrv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func execWithEngine(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return errors.New("exec needs a command")
	}
	stopEngine, err := ensureEngine(ctx, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer stopEngine()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

// linkParameters are the template parameters that links in SMS and email are built from.
// They must reach this server unless told otherwise: the template's defaults name port
// 3000, which is wrong as soon as -addr says another.
func linkParameters(addr, publicURL, portalURL string) map[string]string {
	params := map[string]string{"PublicApiUrl": publicURL, "PortalUrl": portalURL}
	for name, v := range params {
		if v == "" {
			params[name] = "http://" + addr
		}
	}
	return params
}
