// Package engine starts the local AWS engine: moto server from the project's virtual
// environment (.venv, pinned in infra/requirements.txt), on loopback, behind a small proxy
// that isolates DynamoDB transactions as AWS does. When
// AWS_ENDPOINT_URL is set the caller brings its own engine (LocalStack, ministack, a
// shared moto) or real AWS, and nothing is started.
package engine

import (
	"context"
	"errors"
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

// Engine is a running moto server behind its loopback proxy.
type Engine struct {
	URL   string
	cmd   *exec.Cmd
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

// Start runs moto server on addr ("127.0.0.1:0" picks a free port) and waits until it
// answers. root is the project directory holding .venv.
func Start(ctx context.Context, root, addr string) (*Engine, error) {
	bin := filepath.Join(root, ".venv", "bin", "moto_server")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("moto server is not installed at %s: run `make venv` (make run and make test do it)", bin)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if port == "0" {
		if port, err = freePort(host); err != nil {
			return nil, err
		}
	}
	url := "http://" + net.JoinHostPort(host, port)
	if answers(url) {
		return nil, fmt.Errorf("something already listens on %s: stop it, or set AWS_ENDPOINT_URL=%s to use it", url, url)
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, err
	}
	motoPort, err := freePort(host)
	if err != nil {
		listener.Close()
		return nil, err
	}
	cmd := exec.Command(bin, "-H", host, "-p", motoPort)
	cmd.Stdout, cmd.Stderr = nil, nil // moto logs every request; ours are the logs that matter
	if err := cmd.Start(); err != nil {
		listener.Close()
		return nil, err
	}
	motoURL := "http://" + net.JoinHostPort(host, motoPort)
	e := &Engine{URL: url, cmd: cmd, proxy: &http.Server{Handler: serializeDynamoDB(motoURL), ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = e.proxy.Serve(listener) }() // ends with Stop
	deadline := time.Now().Add(60 * time.Second)
	for !answers(motoURL) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			e.Stop()
			return nil, errors.New("moto server did not start within 60s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return e, nil
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
	_ = e.proxy.Close() // already closed is fine
	if e.cmd.Process != nil {
		_ = e.cmd.Process.Kill() // already gone is fine
		_ = e.cmd.Wait()
	}
}

func answers(url string) bool {
	c := http.Client{Timeout: time.Second}
	res, err := c.Get(url + "/moto-api/")
	if err != nil {
		return false
	}
	res.Body.Close()
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
