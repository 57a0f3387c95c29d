package dynamo

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/provisio/provisio/shared/fault"
)

// DynamoDB refuses a request whose ExpressionAttributeNames or ExpressionAttributeValues
// hold an entry no expression of the same operation uses, or whose expressions use one
// that is not defined. moto refuses the former only outside transactions, so a mistake
// there passes every local test and fails on AWS. The store therefore checks every
// request it sends itself, before it leaves the process, whatever engine is behind it.

var (
	exprName  = regexp.MustCompile(`#[A-Za-z0-9_]+`)
	exprValue = regexp.MustCompile(`:[A-Za-z0-9_]+`)
)

// expressionSet is one operation's expressions and the placeholders it defines.
type expressionSet struct {
	what        string
	expressions []*string
	names       map[string]string
	values      map[string]types.AttributeValue
}

// check returns why DynamoDB would refuse the set, or "".
func (e expressionSet) check() string {
	usedNames, usedValues := map[string]bool{}, map[string]bool{}
	for _, x := range e.expressions {
		if x == nil {
			continue
		}
		for _, n := range exprName.FindAllString(*x, -1) {
			usedNames[n] = true
		}
		for _, v := range exprValue.FindAllString(*x, -1) {
			usedValues[v] = true
		}
	}
	var problems []string
	for _, n := range slices.Sorted(maps.Keys(e.names)) {
		if !usedNames[n] {
			problems = append(problems, "unused name "+n)
		}
	}
	for _, v := range slices.Sorted(maps.Keys(e.values)) {
		if !usedValues[v] {
			problems = append(problems, "unused value "+v)
		}
	}
	for n := range usedNames {
		if _, ok := e.names[n]; !ok {
			problems = append(problems, "undefined name "+n)
		}
	}
	for v := range usedValues {
		if _, ok := e.values[v]; !ok {
			problems = append(problems, "undefined value "+v)
		}
	}
	if len(problems) == 0 {
		return ""
	}
	slices.Sort(problems)
	return e.what + ": " + strings.Join(problems, ", ")
}

// expressionSets lists the expressions of a request the store sends; nil for operations
// that have none.
func expressionSets(input any) []expressionSet {
	switch in := input.(type) {
	case *dynamodb.PutItemInput:
		return []expressionSet{{"PutItem", []*string{in.ConditionExpression}, in.ExpressionAttributeNames, in.ExpressionAttributeValues}}
	case *dynamodb.UpdateItemInput:
		return []expressionSet{{"UpdateItem", []*string{in.UpdateExpression, in.ConditionExpression}, in.ExpressionAttributeNames, in.ExpressionAttributeValues}}
	case *dynamodb.DeleteItemInput:
		return []expressionSet{{"DeleteItem", []*string{in.ConditionExpression}, in.ExpressionAttributeNames, in.ExpressionAttributeValues}}
	case *dynamodb.QueryInput:
		return []expressionSet{{"Query", []*string{in.KeyConditionExpression, in.FilterExpression, in.ProjectionExpression}, in.ExpressionAttributeNames, in.ExpressionAttributeValues}}
	case *dynamodb.ScanInput:
		return []expressionSet{{"Scan", []*string{in.FilterExpression, in.ProjectionExpression}, in.ExpressionAttributeNames, in.ExpressionAttributeValues}}
	case *dynamodb.TransactWriteItemsInput:
		var sets []expressionSet
		for i, it := range in.TransactItems {
			what := fmt.Sprintf("TransactWriteItems item %d", i)
			switch {
			case it.Put != nil:
				sets = append(sets, expressionSet{what, []*string{it.Put.ConditionExpression}, it.Put.ExpressionAttributeNames, it.Put.ExpressionAttributeValues})
			case it.Update != nil:
				sets = append(sets, expressionSet{what, []*string{it.Update.UpdateExpression, it.Update.ConditionExpression}, it.Update.ExpressionAttributeNames, it.Update.ExpressionAttributeValues})
			case it.Delete != nil:
				sets = append(sets, expressionSet{what, []*string{it.Delete.ConditionExpression}, it.Delete.ExpressionAttributeNames, it.Delete.ExpressionAttributeValues})
			case it.ConditionCheck != nil:
				sets = append(sets, expressionSet{what, []*string{it.ConditionCheck.ConditionExpression}, it.ConditionCheck.ExpressionAttributeNames, it.ConditionCheck.ExpressionAttributeValues})
			}
		}
		return sets
	}
	return nil
}

// CheckExpressions returns an error naming every placeholder of input that DynamoDB
// would refuse as unused or undefined; nil when it would accept them.
func CheckExpressions(input any) error {
	var problems []string
	for _, set := range expressionSets(input) {
		if p := set.check(); p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fault.New(fault.Internal, "the store built a request DynamoDB refuses: %s", strings.Join(problems, "; "))
}

// withExpressionCheck adds to a client's stack the middleware that refuses to send such a
// request. It is built here, not in a package variable: a variable's initialiser would
// run, and link the whole SDK client, in every binary that imports this package.
func withExpressionCheck(o *dynamodb.Options) {
	check := middleware.InitializeMiddlewareFunc("ProvisioExpressionCheck",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if err := CheckExpressions(in.Parameters); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleInitialize(ctx, in)
		})
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(check, middleware.After)
	})
}
