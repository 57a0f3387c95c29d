// Package engine starts a local AWS engine on loopback from the project's virtual
// environments: moto server by default (.venv, behind a small proxy that isolates DynamoDB
// transactions as AWS does), ministack, or LocalStack with ministack (pinned in
// infra/requirements*.txt). When AWS_ENDPOINT_URL is set the caller brings its own engine
// or real AWS, and nothing is started.
package engine

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/provisio/provisio/shared/config"
)

// DefaultAddr is where `make run` puts the engine: LocalStack's port.
const DefaultAddr = "127.0.0.1:4566"

// Kind names a local engine; PROVISIO_ENGINE (the Makefile's ENGINE) chooses one.
type Kind string

// The engines Provisio runs on without Docker (docs/local.md has what each does
// differently from AWS).
const (
	// Moto is moto server from .venv, behind a proxy that isolates DynamoDB transactions.
	Moto Kind = "moto"
	// Ministack is ministack from .venv-ministack, for every service.
	Ministack Kind = "ministack"
	// LocalStack is localstack-core from .venv-localstack (Python 3.13) for SQS, SNS, S3,
	// Secrets Manager and the scheduler, with DynamoDB, SES v2 and CloudFront on ministack: LocalStack's
	// DynamoDB downloads a Java runtime at run time, and its community edition emulates
	// neither SES v2 nor CloudFront.
	LocalStack Kind = "localstack"
)

// KindVariable chooses the engine; empty means Moto.
const KindVariable = "PROVISIO_ENGINE"

// Engine is a running local engine: one or two processes, and moto's proxy.
type Engine struct {
	// Env points the SDK at the engine: AWS_ENDPOINT_URL, and AWS_ENDPOINT_URL_<SERVICE>
	// for services that run on another engine.
	Env   map[string]string
	procs []*exec.Cmd
	proxy *http.Server
}

// LocalDefaults sets what the SDK needs to talk to a local engine without waiting on the
// instance metadata endpoint: dummy credentials and a region, unless already set.
func LocalDefaults() {
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
		// moto answers one DynamoDB request at a time (docs/local.md): under load a call
		// waits its turn far longer than on AWS.
		config.CallTimeoutVariable: "30s",
	} {
		if os.Getenv(k) == "" {
			os.Setenv(k, v)
		}
	}
}

// Start runs the engine of kind on addr ("127.0.0.1:0" picks a free port) and waits until
// it answers. root is the project directory holding the virtual environments.
func Start(ctx context.Context, root, addr string, kind Kind) (*Engine, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if port == "0" {
		if port, err = freePort(host); err != nil {
			return nil, err
		}
	}
	if listening(net.JoinHostPort(host, port)) {
		url := "http://" + net.JoinHostPort(host, port)
		return nil, fmt.Errorf("something already listens on %s: stop it, or set AWS_ENDPOINT_URL=%s to use it", url, url)
	}
	e := &Engine{Env: map[string]string{}}
	switch kind {
	case Moto, "":
		err = e.startMoto(ctx, root, host, port)
	case Ministack:
		var url string
		url, err = e.startMinistack(ctx, root, host, port)
		e.Env["AWS_ENDPOINT_URL"] = url
	case LocalStack:
		err = e.startLocalStack(ctx, root, host, port)
	default:
		return nil, fmt.Errorf("unknown engine %q: use moto, ministack or localstack", kind)
	}
	if err != nil {
		e.Stop()
		return nil, err
	}
	return e, nil
}

// startMoto runs moto on a free port behind the transaction-isolating proxy on port.
func (e *Engine) startMoto(ctx context.Context, root, host, port string) error {
	bin, err := installed(root, ".venv", "moto_server", "make venv")
	if err != nil {
		return err
	}
	motoPort, err := freePort(host)
	if err != nil {
		return err
	}
	motoURL := "http://" + net.JoinHostPort(host, motoPort)
	if err := e.launch(ctx, exec.Command(bin, "-H", host, "-p", motoPort), motoURL+"/moto-api/", time.Minute); err != nil {
		return err
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	e.proxy = &http.Server{Handler: serializeDynamoDB(motoURL), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.proxy.Serve(listener) }() // ends with Stop
	e.Env["AWS_ENDPOINT_URL"] = "http://" + net.JoinHostPort(host, port)
	return nil
}

// startMinistack runs ministack on port and returns its URL.
func (e *Engine) startMinistack(ctx context.Context, root, host, port string) (string, error) {
	bin, err := installed(root, ".venv-ministack", "ministack", "make test ENGINE=ministack")
	if err != nil {
		return "", err
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "GATEWAY_PORT="+port, "BIND_HOST="+host)
	url := "http://" + net.JoinHostPort(host, port)
	return url, e.launch(ctx, cmd, url+"/_ministack/health", time.Minute)
}

// startLocalStack runs LocalStack on port and ministack, for DynamoDB, SES v2 and CloudFront, on a
// free one.
func (e *Engine) startLocalStack(ctx context.Context, root, host, port string) error {
	python, err := installed(root, ".venv-localstack", "python", "make test ENGINE=localstack")
	if err != nil {
		return err
	}
	msPort, err := freePort(host)
	if err != nil {
		return err
	}
	ms, err := e.startMinistack(ctx, root, host, msPort)
	if err != nil {
		return err
	}
	cmd := exec.Command(python, "-m", "localstack.runtime.main")
	cmd.Env = append(os.Environ(), "GATEWAY_SERVER=hypercorn", "GATEWAY_LISTEN="+net.JoinHostPort(host, port),
		"SERVICES=sqs,sns,s3,secretsmanager,scheduler",
		"SKIP_INFRA_DOWNLOADS=1", "DISABLE_EVENTS=1")
	url := "http://" + net.JoinHostPort(host, port)
	if err := e.launch(ctx, cmd, url+"/_localstack/health", 3*time.Minute); err != nil {
		return err
	}
	e.Env["AWS_ENDPOINT_URL"] = url
	e.Env["AWS_ENDPOINT_URL_DYNAMODB"] = ms
	e.Env["AWS_ENDPOINT_URL_SESV2"] = ms
	e.Env["AWS_ENDPOINT_URL_CLOUDFRONT"] = ms
	return nil
}

// installed returns the path of an engine's program, or says how to install it.
func installed(root, venv, program, install string) (string, error) {
	bin := filepath.Join(root, venv, "bin", program)
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("%s is not installed at %s: run `%s`", program, bin, install)
	}
	return bin, nil
}

// launch starts cmd and waits until health answers 200. The engines log every request;
// Provisio's own logs are the ones that matter, so theirs are dropped.
func (e *Engine) launch(ctx context.Context, cmd *exec.Cmd, health string, within time.Duration) error {
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	e.procs = append(e.procs, cmd)
	deadline := time.Now().Add(within)
	for !healthy(health) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s did not answer %s within %s", filepath.Base(cmd.Path), health, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

// serializeDynamoDB proxies to moto, letting one DynamoDB request through at a time.
// moto runs a transaction against the live table and, when it fails, restores a copy of
// the whole table taken before it started, which silently undoes any write another
// request made meanwhile. DynamoDB isolates transactions; serializing them here makes the
// local engine do the same. Other services (SQS long polls in particular) pass freely.
func serializeDynamoDB(motoURL string) http.Handler {
	target, _ := neturl.Parse(motoURL) // built above from host and port
	proxy := httputil.NewSingleHostReverseProxy(target)
	// Clients cancelling long polls on shutdown are normal; the status tells the rest.
	proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) }
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_") {
			mu.Lock()
			defer mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	})
}

// Stop ends the engine; its state is gone with it.
func (e *Engine) Stop() {
	if e.proxy != nil {
		_ = e.proxy.Close() // already closed is fine
	}
	for _, cmd := range e.procs {
		if cmd.Process != nil {
			_ = cmd.Process.Kill() // already gone is fine
			_ = cmd.Wait()
		}
	}
}

func healthy(url string) bool {
	c := http.Client{Timeout: time.Second}
	res, err := c.Get(url)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func listening(addr string) bool {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

func freePort(host string) (string, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}
