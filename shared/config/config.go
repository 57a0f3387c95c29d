// Package config turns a function's environment into settings and one AWS configuration.
// The variables are declared once, in template.yaml's Globals; the local server resolves
// the same declarations for its in-process functions.
package config

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Config is what every function needs to know about its environment.
type Config struct {
	TableName            string
	ProvisioningQueueURL string
	SenderEmail          string
	PortalURL            string
	RealmSuffix          string
	TokenSecretARN       string // Secrets Manager secret whose value seeds the token signing key
	Currency             string // ISO 4217 code of new accounts' credit
	PublicAPIURL         string // where links sent by SMS point
	PortingQueueURL      string
	CallRecordsQueueURL  string // chunks of large call-record batches
	ResetQueueURL        string // password-reset requests, handled off the request path
	PortingDeskEmail     string // where porting operators read new work
	PortingBucket        string // porting documents
	SIPProxy             string // the SIP proxy softphones register with
	StaleAfter           time.Duration
	LogLevel             slog.Level
}

// FromEnv reads the settings; it names every missing or malformed variable at once.
func FromEnv(getenv func(string) string) (Config, error) {
	var problems []string
	need := func(name string) string {
		v := getenv(name)
		if v == "" {
			problems = append(problems, name+" is not set")
		}
		return v
	}
	c := Config{
		TableName:            need("TABLE_NAME"),
		ProvisioningQueueURL: need("PROVISIONING_QUEUE_URL"),
		SenderEmail:          need("SENDER_EMAIL"),
		PortalURL:            need("PORTAL_URL"),
		RealmSuffix:          need("REALM_SUFFIX"),
		TokenSecretARN:       need("TOKEN_SECRET_ARN"),
		Currency:             need("CURRENCY"),
		PublicAPIURL:         need("PUBLIC_API_URL"),
		PortingQueueURL:      need("PORTING_QUEUE_URL"),
		CallRecordsQueueURL:  need("CALL_RECORDS_QUEUE_URL"),
		ResetQueueURL:        need("PASSWORD_RESET_QUEUE_URL"),
		PortingDeskEmail:     need("PORTING_DESK_EMAIL"),
		PortingBucket:        need("PORTING_BUCKET"),
		SIPProxy:             need("SIP_PROXY"),
		StaleAfter:           10 * time.Minute,
	}
	if v := getenv("STALE_AFTER"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, "STALE_AFTER must be a positive duration such as 10m")
		}
		c.StaleAfter = d
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			problems = append(problems, "LOG_LEVEL must be debug, info, warn or error")
		}
	}
	if len(problems) > 0 {
		return Config{}, fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return c, nil
}

// AWS loads the AWS configuration the standard way, so AWS_ENDPOINT_URL (and the
// per-service AWS_ENDPOINT_URL_<SERVICE>) point the same code at a local engine.
// Every call has a deadline (CallTimeout, or PROVISIO_CALL_TIMEOUT when set: the local
// engine serialises DynamoDB requests, so a loaded laptop needs longer).
func AWS(ctx context.Context) (aws.Config, error) {
	d := CallTimeout
	if v, err := time.ParseDuration(os.Getenv(CallTimeoutVariable)); err == nil && v > 0 {
		d = v
	}
	return AWSWithin(ctx, d)
}

// CallTimeoutVariable overrides CallTimeout.
const CallTimeoutVariable = "PROVISIO_CALL_TIMEOUT"

// AWSWithin is AWS with a deadline of d on every call.
func AWSWithin(ctx context.Context, d time.Duration) (aws.Config, error) {
	return awsconfig.LoadDefaultConfig(ctx, awsconfig.WithHTTPClient(httpClient(d)), awsconfig.WithRetryMaxAttempts(CallAttempts),
		awsconfig.WithAPIOptions([]func(*middleware.Stack) error{withDeadline(d), withBodyReadOnly}))
}

// Deadlines of AWS calls. A function has 30 seconds (template.yaml); an action makes a
// handful of calls, so each one, its retries included, must end well inside that, and a
// hung or dead dependency answers 503 in seconds instead of the caller timing out.
const (
	// CallTimeout bounds one AWS operation, retries included.
	CallTimeout = 5 * time.Second
	// CallAttempts is how often an operation is tried (the SDK's default is 3).
	CallAttempts = 2
	// connectTimeout bounds opening a connection, so a dead endpoint fails fast.
	connectTimeout = 2 * time.Second
)

// httpClient is the SDK's HTTP client with the connect and response deadlines above.
func httpClient(d time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = connectTimeout }).
		WithTransportOptions(func(t *http.Transport) {
			t.TLSHandshakeTimeout = connectTimeout
			t.ResponseHeaderTimeout = d
		})
}

// withDeadline gives every operation a context that ends after d, unless its caller's
// ends sooner. Responses are read in full before the operation returns (no operation
// Provisio calls streams), so the deadline ends with it.
func withDeadline(d time.Duration) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("ProvisioDeadline",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				ctx, cancel := context.WithTimeout(ctx, d)
				defer cancel()
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

// withBodyReadOnly hides the request stream's WriteTo from net/http. The SDK closes a
// request's body as soon as the response headers arrive; net/http's writer may still be
// draining that body then (it reads past Content-Length to check for excess), and through
// WriteTo a closed body answers io.EOF as an error, so the transport closes the connection
// under the response that is being read: "deserialization failed … use of closed network
// connection" (aws/aws-sdk-go-v2#2737). It happens when the server answers faster than
// the writer is scheduled, on a loaded machine or a local engine. Through Read alone the
// closed body ends cleanly, and the stream stays seekable for retries.
func withBodyReadOnly(stack *middleware.Stack) error {
	return stack.Build.Add(middleware.BuildMiddlewareFunc("ProvisioBodyReadOnly",
		func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				if stream, ok := req.GetStream().(readSeekWriterTo); ok {
					withBody, err := req.SetStream(readSeeker{stream})
					if err != nil {
						return middleware.BuildOutput{}, middleware.Metadata{}, err
					}
					in.Request = withBody
				}
			}
			return next.HandleBuild(ctx, in)
		}), middleware.After)
}

// readSeekWriterTo is a request stream net/http would drain through WriteTo.
type readSeekWriterTo interface {
	io.ReadSeeker
	io.WriterTo
}

// readSeeker offers a stream's Read and Seek, and nothing else.
type readSeeker struct{ io.ReadSeeker }
