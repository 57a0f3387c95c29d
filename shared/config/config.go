// Package config loads the AWS configuration every function calls AWS with: endpoints
// from the standard variables, a deadline on every call, and request bodies net/http can
// drain safely. Each function's own settings are read by its wiring (shared/app).
package config

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

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
