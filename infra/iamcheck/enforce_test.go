package iamcheck

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// A denied call never leaves the process, so these clients point at a closed port: a
// call that passes the check fails to connect instead of being denied.
func TestEachItemOfATransactionNeedsItsAction(t *testing.T) {
	var logs bytes.Buffer
	table := "arn:aws:dynamodb:us-east-1:000000000000:table/t1-Table"
	caller := Caller{Function: "SaveFunction", Region: "us-east-1", Account: "000000000000", Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Policy: Policy{NewStatement(true, []string{"dynamodb:PutItem"}, []string{table})}}
	client := dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), APIOptions: []func(*middleware.Stack) error{caller.Middleware}})
	item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}
	put := types.TransactWriteItem{Put: &types.Put{TableName: aws.String("t1-Table"), Item: item}}
	update := types.TransactWriteItem{Update: &types.Update{TableName: aws.String("t1-Table"), Key: item, UpdateExpression: aws.String("SET a = :a"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":a": &types.AttributeValueMemberN{Value: "1"}}}}

	_, err := client.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{put, update}})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "AccessDeniedException" || !strings.Contains(api.ErrorMessage(), "dynamodb:UpdateItem on resource: "+table) {
		t.Fatalf("a transaction with an update the policy lacks: %v", err)
	}
	if !strings.Contains(logs.String(), "function=SaveFunction action=dynamodb:UpdateItem resource="+table) {
		t.Fatalf("the denial is not logged: %s", logs.String())
	}
	_, err = client.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{put}})
	if errors.As(err, &api) && api.ErrorCode() == "AccessDeniedException" {
		t.Fatalf("a put the policy grants was denied: %v", err)
	}
	_, err = client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("t1-Table"), Key: item})
	if !errors.As(err, &api) || !strings.Contains(api.ErrorMessage(), "dynamodb:GetItem") {
		t.Fatalf("a read the policy lacks: %v", err)
	}
}

func TestHeadObjectNeedsGetObject(t *testing.T) {
	object := "arn:aws:s3:::docs/a.pdf"
	for _, c := range []struct {
		granted string
		denied  bool
	}{{"s3:GetObject", false}, {"s3:PutObject", true}} {
		caller := Caller{Function: "ReadFunction", Region: "us-east-1", Account: "000000000000", Log: slog.New(slog.DiscardHandler),
			Policy: Policy{NewStatement(true, []string{c.granted}, []string{object})}}
		client := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"), UsePathStyle: true, RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), APIOptions: []func(*middleware.Stack) error{caller.Middleware}})
		_, err := client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("docs"), Key: aws.String("a.pdf")})
		var api smithy.APIError
		denied := errors.As(err, &api) && api.ErrorCode() == "AccessDeniedException"
		if denied != c.denied || (denied && !strings.Contains(api.ErrorMessage(), "s3:GetObject")) {
			t.Errorf("HeadObject with %s granted: %v", c.granted, err)
		}
	}
}
