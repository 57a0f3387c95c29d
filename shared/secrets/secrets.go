// Package secrets reads the token keys from Secrets Manager.
package secrets

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
)

// Keys loads the token keys from the secret secretARN on first use and keeps them for the
// life of the Lambda instance: only the functions that sign or verify tokens pay the
// call, once per cold start. A failed load is retried on the next request.
func Keys(cfg aws.Config, secretARN string) auth.KeySource {
	client := secretsmanager.NewFromConfig(cfg)
	var mu sync.Mutex
	var keys *auth.Keys
	return func(ctx context.Context) (*auth.Keys, error) {
		mu.Lock()
		defer mu.Unlock()
		if keys != nil {
			return keys, nil
		}
		out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &secretARN})
		if err != nil {
			return nil, fault.Wrap(fault.Unavailable, err, "the token keys are unavailable")
		}
		k, err := auth.NewKeys(aws.ToString(out.SecretString))
		if err != nil {
			return nil, fault.Wrap(fault.Internal, err, "the token signing secret is unusable")
		}
		keys = k
		return keys, nil
	}
}
