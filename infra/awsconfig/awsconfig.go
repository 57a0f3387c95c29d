// Package awsconfig loads the AWS configuration of the tools that run outside Lambda (the
// local server, the bootstrap command, the tests): the SDK's whole default chain, so
// profiles and SSO work and AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) point the
// same code at a local engine, with the functions' own deadlines and middleware
// (shared/config). Functions never import it.
package awsconfig

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/provisio/provisio/shared/config"
)

// Load returns the configuration with the functions' call deadline (config.Timeout).
func Load(ctx context.Context) (aws.Config, error) { return Within(ctx, config.Timeout()) }

// Within is Load with a deadline of d on every call.
func Within(ctx context.Context, d time.Duration) (aws.Config, error) {
	return sdkconfig.LoadDefaultConfig(ctx, sdkconfig.WithHTTPClient(config.HTTPClient(d)),
		sdkconfig.WithRetryMaxAttempts(config.CallAttempts), sdkconfig.WithAPIOptions(config.APIOptions(d)))
}
