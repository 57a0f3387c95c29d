// Package config builds the AWS configuration every function calls AWS with: a deadline
// on every call, request bodies net/http can drain safely, and the credentials and region
// Lambda puts in the environment. It does not use the SDK's default loader, whose chain
// of credential sources (profiles, SSO, STS web identity, containers, instance metadata)
// would link four more service clients into every function for nothing: on Lambda the
// credentials are in the environment. Tools that run elsewhere load the whole chain
// (infra/awsconfig) with the same Options.
package config

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Lambda returns the configuration of a function on Lambda: the region of AWS_REGION,
// the execution role's credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (read when the first call needs them, so a function wired without
// them fails that call, not its cold start), AWS_ENDPOINT_URL when set (a local engine),
// and Options.
func Lambda() aws.Config {
	d := Timeout()
	cfg := aws.Config{
		Region:      os.Getenv("AWS_REGION"),
		Credentials: aws.NewCredentialsCache(aws.CredentialsProviderFunc(environmentCredentials)),
		HTTPClient:  HTTPClient(d),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = CallAttempts })
		},
		APIOptions: APIOptions(d),
		// The SDK's own warnings (a retried checksum, a deprecated setting) go to the
		// function's log, as the default loader's logger sends them.
		Logger: logging.NewStandardLogger(os.Stderr),
	}
	if endpoint := os.Getenv("AWS_ENDPOINT_URL"); endpoint != "" {
		cfg.BaseEndpoint = &endpoint
	}
	return cfg
}

// environmentCredentials are the credentials Lambda gives a function's execution role.
func environmentCredentials(context.Context) (aws.Credentials, error) {
	c := aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Source: "Lambda environment"}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return aws.Credentials{}, errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them for the execution role)")
	}
	return c, nil
}

// Timeout is the deadline of one AWS call: CallTimeout, or PROVISIO_CALL_TIMEOUT when set
// (the local engine serialises DynamoDB requests, so a loaded laptop needs longer).
func Timeout() time.Duration {
	if v, err := time.ParseDuration(os.Getenv(CallTimeoutVariable)); err == nil && v > 0 {
		return v
	}
	return CallTimeout
}

// CallTimeoutVariable overrides CallTimeout.
const CallTimeoutVariable = "PROVISIO_CALL_TIMEOUT"

// APIOptions are the middleware every client gets: the deadline d on each operation, and
// request bodies that net/http drains safely.
func APIOptions(d time.Duration) []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{withDeadline(d), withBodyReadOnly}
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

// HTTPClient is the SDK's HTTP client with the connect and response deadlines above.
func HTTPClient(d time.Duration) *awshttp.BuildableClient {
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
// connection" (github.com/aws/aws-sdk-go-v2/issues/2737). It happens when the server
// answers faster than the writer is scheduled, on a loaded machine or a local engine.
// Through Read alone the closed body ends cleanly, and the stream stays seekable for
// retries.
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
