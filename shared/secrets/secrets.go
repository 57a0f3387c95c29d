// Package secrets reads the token signing key from Secrets Manager.
package secrets

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
)

// Signer loads the signing key from the secret secretARN on first use and reads the
// secret again every auth.SignerRefresh, so a rotated secret takes over without a
// deploy. Only the sign-in function links it. A failed first read is retried on the next
// request; a failed re-read keeps the key read before and tries again a minute later, so
// an outage of Secrets Manager costs no call per sign-in.
func Signer(cfg aws.Config, secretARN string) auth.SignerSource {
	client := secretsmanager.NewFromConfig(cfg)
	var mu sync.Mutex
	var signer *auth.Signer
	var readAt time.Time
	return func(ctx context.Context) (*auth.Signer, error) {
		mu.Lock()
		defer mu.Unlock()
		if signer != nil && time.Since(readAt) < auth.SignerRefresh {
			return signer, nil
		}
		out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &secretARN})
		if err != nil {
			if signer != nil {
				readAt = time.Now().Add(time.Minute - auth.SignerRefresh)
				return signer, nil
			}
			return nil, fault.Wrap(fault.Unavailable, err, "the token signing key is unavailable")
		}
		s, err := auth.NewSigner(aws.ToString(out.SecretString))
		if err != nil {
			return nil, fault.Wrap(fault.Internal, err, "the token signing secret is unusable")
		}
		signer, readAt = s, time.Now()
		return signer, nil
	}
}
