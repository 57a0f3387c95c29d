// Package bootstrap creates the resources of template.yaml on an AWS-compatible engine:
// tables with their GSIs and TTL, queues with their redrive policies, buckets, secrets
// (with a generated value), SES email identities and CloudFront distributions (to be
// invalidated: locally nothing is served through them). Every name gets a prefix, so a test can have
// its own copy of everything on a shared engine. Running it twice with the same prefix is
// harmless.
package bootstrap

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/provisio/provisio/infra/samtemplate"
)

// Stack is what was created, and resolves the template's intrinsics against it.
type Stack struct {
	Prefix string
	Region string
	// Account is the engine's account ID, read from the first queue's ARN: engines differ
	// (moto 123456789012, ministack and LocalStack 000000000000), and the ARNs the
	// template builds with ${AWS::AccountId} must match the ones the engine reports.
	Account    string
	Parameters map[string]string
	refs       map[string]string
	atts       map[string]map[string]string
}

var _ samtemplate.Resolver = (*Stack)(nil)

// Ref implements samtemplate.Resolver.
func (s *Stack) Ref(name string) (string, error) {
	switch name {
	case "AWS::Region":
		return s.Region, nil
	case "AWS::AccountId":
		return s.Account, nil
	case "AWS::Partition":
		return "aws", nil
	case "AWS::StackName":
		return s.Prefix + "stack", nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if v, ok := s.Parameters[name]; ok {
		return v, nil
	}
	if v, ok := s.refs[name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("!Ref %s: no such parameter or created resource", name)
}

// GetAtt implements samtemplate.Resolver.
func (s *Stack) GetAtt(resource, attribute string) (string, error) {
	if v, ok := s.atts[resource][attribute]; ok {
		return v, nil
	}
	return "", fmt.Errorf("!GetAtt %s.%s: not created locally", resource, attribute)
}

// Attributes returns the attributes (Arn, QueueUrl, ...) of every created resource.
func (s *Stack) Attributes() map[string]map[string]string { return s.atts }

// Create makes every supported resource of t. Parameters take their template defaults
// unless overridden.
func Create(ctx context.Context, cfg aws.Config, t *samtemplate.Template, prefix string, overrides map[string]string) (*Stack, error) {
	s := &Stack{Prefix: prefix, Region: cfg.Region, Account: "123456789012", Parameters: map[string]string{}, refs: map[string]string{}, atts: map[string]map[string]string{}}
	for name, p := range t.Parameters {
		s.Parameters[name] = p.Default
	}
	for k, v := range overrides {
		s.Parameters[k] = v
	}
	q := sqs.NewFromConfig(cfg)
	queues := t.Of("AWS::SQS::Queue")
	// Every queue exists before any redrive policy points at one.
	for _, id := range queues {
		if err := s.createQueue(ctx, q, id); err != nil {
			return nil, err
		}
	}
	for _, id := range queues {
		if err := s.setRedrive(ctx, q, t, id); err != nil {
			return nil, err
		}
	}
	if len(queues) > 0 { // the first queue tells the engine's account
		if arn := strings.Split(s.atts[queues[0]]["Arn"], ":"); len(arn) == 6 && arn[4] != "" {
			s.Account = arn[4]
		}
	}
	ddb := dynamodb.NewFromConfig(cfg)
	for _, id := range t.Of("AWS::DynamoDB::Table") {
		if err := s.createTable(ctx, ddb, t, id); err != nil {
			return nil, err
		}
	}
	sm := secretsmanager.NewFromConfig(cfg)
	for _, id := range t.Of("AWS::SecretsManager::Secret") {
		if err := s.createSecret(ctx, sm, id); err != nil {
			return nil, err
		}
	}
	buckets := s3.NewFromConfig(cfg)
	for _, id := range t.Of("AWS::S3::Bucket") {
		if err := s.createBucket(ctx, buckets, id); err != nil {
			return nil, err
		}
	}
	ses := sesv2.NewFromConfig(cfg)
	for _, id := range t.Of("AWS::SES::EmailIdentity") {
		if err := s.createIdentity(ctx, ses, t, id); err != nil {
			return nil, err
		}
	}
	cdn := cloudfront.NewFromConfig(cfg)
	for _, id := range t.Of("AWS::CloudFront::Distribution") {
		if err := s.createDistribution(ctx, cdn, id); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Stack) createTable(ctx context.Context, c *dynamodb.Client, t *samtemplate.Template, id string) error {
	var p samtemplate.Table
	if err := t.Properties(id, &p); err != nil {
		return err
	}
	name := s.Prefix + id
	in := &dynamodb.CreateTableInput{TableName: &name, BillingMode: ddbtypes.BillingModePayPerRequest, KeySchema: keySchema(p.KeySchema)}
	for _, a := range p.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, ddbtypes.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName), AttributeType: ddbtypes.ScalarAttributeType(a.AttributeType)})
	}
	for _, g := range p.GlobalSecondaryIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName: aws.String(g.IndexName), KeySchema: keySchema(g.KeySchema),
			Projection: &ddbtypes.Projection{ProjectionType: ddbtypes.ProjectionType(g.Projection.ProjectionType)}})
	}
	_, err := c.CreateTable(ctx, in)
	var inUse *ddbtypes.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("table %s: %w", id, err)
	}
	if err == nil && p.TimeToLiveSpecification.Enabled {
		if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: &name,
			TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{AttributeName: aws.String(p.TimeToLiveSpecification.AttributeName), Enabled: aws.Bool(true)}}); err != nil {
			return fmt.Errorf("table %s TTL: %w", id, err)
		}
	}
	s.refs[id] = name
	s.atts[id] = map[string]string{"Arn": "arn:aws:dynamodb:" + s.Region + ":" + s.Account + ":table/" + name}
	return nil
}

func keySchema(ks []samtemplate.KeyElement) []ddbtypes.KeySchemaElement {
	out := make([]ddbtypes.KeySchemaElement, 0, len(ks))
	for _, k := range ks {
		out = append(out, ddbtypes.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: ddbtypes.KeyType(k.KeyType)})
	}
	return out
}

func (s *Stack) createQueue(ctx context.Context, c *sqs.Client, id string) error {
	name := s.Prefix + id
	out, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &name})
	if err != nil {
		return fmt.Errorf("queue %s: %w", id, err)
	}
	attrs, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		return fmt.Errorf("queue %s: %w", id, err)
	}
	s.refs[id] = aws.ToString(out.QueueUrl)
	s.atts[id] = map[string]string{"Arn": attrs.Attributes["QueueArn"], "QueueName": name, "QueueUrl": aws.ToString(out.QueueUrl)}
	return nil
}

func (s *Stack) setRedrive(ctx context.Context, c *sqs.Client, t *samtemplate.Template, id string) error {
	var p samtemplate.Queue
	if err := t.Properties(id, &p); err != nil {
		return err
	}
	attrs := map[string]string{}
	if p.VisibilityTimeout > 0 {
		attrs["VisibilityTimeout"] = strconv.Itoa(p.VisibilityTimeout)
	}
	if p.MessageRetentionPeriod > 0 {
		attrs["MessageRetentionPeriod"] = strconv.Itoa(p.MessageRetentionPeriod)
	}
	if p.RedrivePolicy != nil {
		target, err := p.RedrivePolicy.DeadLetterTargetArn.Resolve(s)
		if err != nil {
			return fmt.Errorf("queue %s: %w", id, err)
		}
		policy, _ := json.Marshal(map[string]string{"deadLetterTargetArn": target, "maxReceiveCount": strconv.Itoa(p.RedrivePolicy.MaxReceiveCount)})
		attrs["RedrivePolicy"] = string(policy)
	}
	if len(attrs) == 0 {
		return nil
	}
	_, err := c.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(s.refs[id]), Attributes: attrs})
	if err != nil {
		return fmt.Errorf("queue %s attributes: %w", id, err)
	}
	return nil
}

// createBucket makes a bucket named by prefix and logical ID, lower-cased as S3 wants.
func (s *Stack) createBucket(ctx context.Context, c *s3.Client, id string) error {
	name := strings.ToLower(s.Prefix + id)
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name})
	var owned *s3types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return fmt.Errorf("bucket %s: %w", id, err)
	}
	s.refs[id] = name
	s.atts[id] = map[string]string{"Arn": "arn:aws:s3:::" + name}
	return nil
}

// createDistribution makes a distribution of one placeholder origin, named by its
// comment; one of that name already there is used again.
func (s *Stack) createDistribution(ctx context.Context, c *cloudfront.Client, id string) error {
	name := s.Prefix + id
	list, err := c.ListDistributions(ctx, &cloudfront.ListDistributionsInput{})
	if err != nil {
		return fmt.Errorf("distribution %s: %w", id, err)
	}
	var found *cftypes.DistributionSummary
	if list.DistributionList != nil {
		for i, d := range list.DistributionList.Items {
			if aws.ToString(d.Comment) == name {
				found = &list.DistributionList.Items[i]
			}
		}
	}
	distID, domain := "", ""
	if found != nil {
		distID, domain = aws.ToString(found.Id), aws.ToString(found.DomainName)
	} else {
		out, err := c.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: &cftypes.DistributionConfig{
			CallerReference: &name, Comment: &name, Enabled: aws.Bool(true),
			Origins: &cftypes.Origins{Quantity: aws.Int32(1), Items: []cftypes.Origin{{Id: aws.String("local"), DomainName: aws.String("localhost.localdomain"),
				CustomOriginConfig: &cftypes.CustomOriginConfig{HTTPPort: aws.Int32(80), HTTPSPort: aws.Int32(443), OriginProtocolPolicy: cftypes.OriginProtocolPolicyHttpOnly}}}},
			DefaultCacheBehavior: &cftypes.DefaultCacheBehavior{TargetOriginId: aws.String("local"), ViewerProtocolPolicy: cftypes.ViewerProtocolPolicyAllowAll,
				CachePolicyId: aws.String(cachingDisabled)},
		}})
		if err != nil {
			return fmt.Errorf("distribution %s: %w", id, err)
		}
		distID, domain = aws.ToString(out.Distribution.Id), aws.ToString(out.Distribution.DomainName)
	}
	s.refs[id] = distID
	s.atts[id] = map[string]string{"Id": distID, "DomainName": domain, "Arn": "arn:aws:cloudfront::" + s.Account + ":distribution/" + distID}
	return nil
}

// cachingDisabled is CloudFront's managed cache policy of that name.
const cachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"

// createSecret makes a secret with a fresh random value, as GenerateSecretString would;
// an existing one keeps its value (tokens signed with it stay valid).
func (s *Stack) createSecret(ctx context.Context, c *secretsmanager.Client, id string) error {
	name := s.Prefix + id
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretString: aws.String(base64.RawURLEncoding.EncodeToString(raw))})
	var exists *smtypes.ResourceExistsException
	switch {
	case errors.As(err, &exists):
		got, derr := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
		if derr != nil {
			return fmt.Errorf("secret %s: %w", id, derr)
		}
		s.refs[id] = aws.ToString(got.ARN)
	case err != nil:
		return fmt.Errorf("secret %s: %w", id, err)
	default:
		s.refs[id] = aws.ToString(out.ARN)
	}
	return nil
}

func (s *Stack) createIdentity(ctx context.Context, c *sesv2.Client, t *samtemplate.Template, id string) error {
	var p samtemplate.EmailIdentity
	if err := t.Properties(id, &p); err != nil {
		return err
	}
	identity, err := p.EmailIdentity.Resolve(s)
	if err != nil {
		return fmt.Errorf("identity %s: %w", id, err)
	}
	_, err = c.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: &identity})
	var exists *sestypes.AlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("identity %s: %w", id, err)
	}
	s.refs[id] = identity
	return nil
}
