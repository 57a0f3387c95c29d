package iamcheck

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"path"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// Caller is the function whose calls are checked, and where its resources live.
type Caller struct {
	Function string
	Policy   Policy
	Region   string
	Account  string
	Log      *slog.Logger
}

// Middleware refuses, before it is sent, every call the caller's policy does not allow,
// with the AccessDenied error AWS would answer, and logs the function, the action and the
// resource. Add it to the APIOptions of the function's AWS configuration.
func (c Caller) Middleware(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("ProvisioLocalIAM",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			for _, r := range c.requests(ctx, in.Parameters) {
				if !c.Policy.Allows(r.action, r.resource) {
					c.Log.ErrorContext(ctx, "IAM denied: the template does not grant this call", "function", c.Function, "action", r.action, "resource", r.resource)
					return middleware.InitializeOutput{}, middleware.Metadata{}, &smithy.GenericAPIError{Code: "AccessDeniedException", Fault: smithy.FaultClient,
						Message: fmt.Sprintf("User: arn:aws:sts::%s:assumed-role/%sRole/local is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
							c.Account, c.Function, r.action, r.resource, r.action)}
				}
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// request is one action on one resource that a call needs.
type request struct{ action, resource string }

// servicePrefixes maps the SDK's service IDs to IAM's action prefixes.
var servicePrefixes = map[string]string{
	"DynamoDB": "dynamodb", "SQS": "sqs", "SESv2": "ses", "SNS": "sns", "S3": "s3", "Secrets Manager": "secretsmanager",
	"CloudFront": "cloudfront",
}

// authorizedAs maps the operations IAM authorizes under another action's name to it
// (S3's HeadObject is allowed by s3:GetObject; there is no s3:HeadObject action, and a
// listing is s3:ListBucket).
var authorizedAs = map[string]string{"s3:HeadObject": "s3:GetObject", "s3:ListObjectsV2": "s3:ListBucket"}

// requests lists what a call needs. A transaction or batch needs each item's action on
// its table, as IAM evaluates them.
func (c Caller) requests(ctx context.Context, input any) []request {
	service, op := awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx)
	prefix := servicePrefixes[service]
	if prefix == "" {
		prefix = strings.ToLower(strings.ReplaceAll(service, " ", ""))
	}
	action := prefix + ":" + op
	if a, ok := authorizedAs[action]; ok {
		action = a
	}
	switch in := input.(type) {
	case *dynamodb.TransactWriteItemsInput:
		var rs []request
		for _, it := range in.TransactItems {
			switch {
			case it.Put != nil:
				rs = append(rs, request{"dynamodb:PutItem", c.table(aws.ToString(it.Put.TableName), "")})
			case it.Update != nil:
				rs = append(rs, request{"dynamodb:UpdateItem", c.table(aws.ToString(it.Update.TableName), "")})
			case it.Delete != nil:
				rs = append(rs, request{"dynamodb:DeleteItem", c.table(aws.ToString(it.Delete.TableName), "")})
			case it.ConditionCheck != nil:
				rs = append(rs, request{"dynamodb:ConditionCheckItem", c.table(aws.ToString(it.ConditionCheck.TableName), "")})
			}
		}
		return rs
	case *dynamodb.TransactGetItemsInput:
		var rs []request
		for _, it := range in.TransactItems {
			if it.Get != nil {
				rs = append(rs, request{"dynamodb:GetItem", c.table(aws.ToString(it.Get.TableName), "")})
			}
		}
		return rs
	case *dynamodb.BatchGetItemInput:
		return perTable(c, action, in.RequestItems)
	case *dynamodb.BatchWriteItemInput:
		return perTable(c, action, in.RequestItems)
	}
	return []request{{action, c.resource(prefix, input)}}
}

func perTable[T any](c Caller, action string, items map[string]T) []request {
	var rs []request
	for name := range items {
		rs = append(rs, request{action, c.table(name, "")})
	}
	return rs
}

// resource names the resource of a single-resource call from its input's fields.
func (c Caller) resource(prefix string, input any) string {
	field := func(name string) string {
		v := reflect.Indirect(reflect.ValueOf(input))
		if v.Kind() != reflect.Struct {
			return ""
		}
		f := v.FieldByName(name)
		if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.String {
			return ""
		}
		return f.Elem().String()
	}
	switch prefix {
	case "dynamodb":
		return c.table(field("TableName"), field("IndexName"))
	case "sqs":
		if u, err := url.Parse(field("QueueUrl")); err == nil && u.Path != "" {
			return "arn:aws:sqs:" + c.Region + ":" + c.Account + ":" + path.Base(u.Path)
		}
	case "ses":
		if a, err := mail.ParseAddress(field("FromEmailAddress")); err == nil {
			return "arn:aws:ses:" + c.Region + ":" + c.Account + ":identity/" + a.Address
		}
	case "s3":
		if field("Key") == "" { // a call on the bucket itself, such as a listing
			return "arn:aws:s3:::" + field("Bucket")
		}
		return "arn:aws:s3:::" + field("Bucket") + "/" + field("Key")
	case "cloudfront":
		return "arn:aws:cloudfront::" + c.Account + ":distribution/" + field("DistributionId")
	case "secretsmanager":
		if id := field("SecretId"); strings.HasPrefix(id, "arn:") {
			return id
		} else if id != "" {
			return "arn:aws:secretsmanager:" + c.Region + ":" + c.Account + ":secret:" + id
		}
	case "sns":
		if arn := field("TopicArn") + field("TargetArn"); arn != "" {
			return arn
		}
	}
	return "*" // a call on no particular resource, such as an SMS to a phone number
}

func (c Caller) table(name, index string) string {
	arn := "arn:aws:dynamodb:" + c.Region + ":" + c.Account + ":table/" + name
	if index != "" {
		arn += "/index/" + index
	}
	return arn
}
