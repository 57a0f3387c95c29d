package dynamo

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestCheckExpressionsRefusesWhatDynamoDBRefuses(t *testing.T) {
	zero := &types.AttributeValueMemberN{Value: "0"}
	cases := []struct {
		name  string
		input any
		want  string // "" when DynamoDB accepts it
	}{
		{"used value", &dynamodb.UpdateItemInput{UpdateExpression: aws.String("SET a = :a"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":a": zero}}, ""},
		{"value used by the condition", &dynamodb.UpdateItemInput{UpdateExpression: aws.String("SET a = :a"), ConditionExpression: aws.String("b = :b"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":a": zero, ":b": zero}}, ""},
		{"unused value in a transaction", &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			{Update: &types.Update{UpdateExpression: aws.String("SET invoiceId = :inv"), ConditionExpression: aws.String("calls = :calls"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":inv": zero, ":calls": zero, ":zero": zero}}},
		}}, "TransactWriteItems item 1: unused value :zero"},
		{"unused name", &dynamodb.DeleteItemInput{ConditionExpression: aws.String("attribute_exists(pk)"),
			ExpressionAttributeNames: map[string]string{"#o": "owner"}}, "DeleteItem: unused name #o"},
		{"undefined value", &dynamodb.QueryInput{KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :p)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": zero}}, "Query: undefined value :p"},
		{"names in a projection", &dynamodb.QueryInput{KeyConditionExpression: aws.String("pk = :pk"), ProjectionExpression: aws.String("#d"),
			ExpressionAttributeNames: map[string]string{"#d": "data"}, ExpressionAttributeValues: map[string]types.AttributeValue{":pk": zero}}, ""},
		{"no expressions", &dynamodb.GetItemInput{}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckExpressions(c.input)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused a request DynamoDB accepts: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error = %v, want it to name %q", err, c.want)
			}
		})
	}
}
