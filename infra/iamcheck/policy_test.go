package iamcheck

import (
	"encoding/json"
	"fmt"
	"testing"
)

// names answers intrinsics as a created stack would.
type names struct{}

func (names) Ref(name string) (string, error) {
	switch name {
	case "AWS::Region":
		return "us-east-1", nil
	case "AWS::AccountId":
		return "000000000000", nil
	case "AWS::Partition":
		return "aws", nil
	case "Table":
		return "t1-Table", nil
	}
	return "", fmt.Errorf("no %s", name)
}

func (names) GetAtt(resource, attribute string) (string, error) {
	if resource == "Jobs" && attribute == "QueueName" {
		return "t1-Jobs", nil
	}
	return "", fmt.Errorf("no %s.%s", resource, attribute)
}

func TestStatementsResolveAndDecide(t *testing.T) {
	expanded := map[string][]json.RawMessage{"Fn": {
		json.RawMessage(`{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":[{"Fn::Sub":["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}",{"tableName":{"Ref":"Table"}}]},{"Fn::Sub":["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*",{"tableName":{"Ref":"Table"}}]}]}`),
		json.RawMessage(`{"Effect":"Allow","Action":"sqs:SendMessage*","Resource":{"Fn::Sub":["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",{"queueName":{"Fn::GetAtt":["Jobs","QueueName"]}}]}}`),
		json.RawMessage(`{"Effect":"Deny","Action":"sqs:SendMessageBatch","Resource":"*"}`),
	}}
	policies, err := Resolve(expanded, names{})
	if err != nil {
		t.Fatal(err)
	}
	p := policies["Fn"]
	for _, c := range []struct {
		action, resource string
		allowed          bool
	}{
		{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:000000000000:table/t1-Table", true},
		{"DynamoDB:getitem", "arn:aws:dynamodb:us-east-1:000000000000:table/t1-Table", true}, // actions ignore case
		{"dynamodb:Query", "arn:aws:dynamodb:us-east-1:000000000000:table/t1-Table/index/gsi1", true},
		{"dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:000000000000:table/t1-Table", false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:000000000000:table/t1-TABLE", false}, // resources do not
		{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:000000000000:table/other", false},
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:t1-Jobs", true},
		{"sqs:SendMessageBatch", "arn:aws:sqs:us-east-1:000000000000:t1-Jobs", false}, // an explicit deny wins
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:t1-Other", false},
	} {
		if got := p.Allows(c.action, c.resource); got != c.allowed {
			t.Errorf("%s on %s: allowed %v, want %v", c.action, c.resource, got, c.allowed)
		}
	}
}

func TestWhatCannotBeCheckedIsRefused(t *testing.T) {
	for _, raw := range []string{
		`{"Unsupported":"managed policy AmazonS3FullAccess"}`,
		`{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}`,
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`,
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":{"Fn::ImportValue":"x"}}`,
	} {
		if _, err := Resolve(map[string][]json.RawMessage{"Fn": {json.RawMessage(raw)}}, names{}); err == nil {
			t.Errorf("%s was accepted", raw)
		}
	}
}
