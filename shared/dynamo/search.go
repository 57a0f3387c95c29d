package dynamo

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/text"
)

// filter collects a Query's filter conditions and the placeholders they use; the empty
// filter changes nothing.
type filter struct {
	conditions []string
	names      map[string]string
	values     map[string]types.AttributeValue
}

// where adds a condition with its value placeholders (":x" → a string or a bool) and
// attribute names ("#x" → name; for reserved words and nested paths).
func (f *filter) where(condition string, values map[string]any, names map[string]string) {
	f.conditions = append(f.conditions, condition)
	for k, v := range values {
		if f.values == nil {
			f.values = map[string]types.AttributeValue{}
		}
		switch v := v.(type) {
		case bool:
			f.values[k] = &types.AttributeValueMemberBOOL{Value: v}
		default:
			f.values[k] = &types.AttributeValueMemberS{Value: fmt.Sprint(v)}
		}
	}
	for k, v := range names {
		if f.names == nil {
			f.names = map[string]string{}
		}
		f.names[k] = v
	}
}

// dataIs adds the condition that the item's data.<field> (its domain value's field)
// equals value.
func (f *filter) dataIs(field string, value any) {
	f.where("#d.#"+field+" = :"+field, map[string]any{":" + field: value}, map[string]string{"#d": "data", "#" + field: field})
}

// spanKeys are the lowest and highest sort keys of the items under prefix whose time
// (sortableTime, right after the prefix) lies between from and to, both included; a zero
// bound is open.
func spanKeys(prefix string, from, to time.Time) (lo, hi string) {
	lo, hi = prefix, prefix+"~" // "~" sorts after every time
	if !from.IsZero() {
		lo = prefix + sortableTime(from)
	}
	if !to.IsZero() {
		hi = prefix + sortableTime(to) + "~"
	}
	return lo, hi
}

// search adds the condition that the item's top-level "searchKey" attribute, its
// text.SearchKey, matches q; nothing when q is empty.
func (f *filter) search(q string) {
	if q = text.SearchQuery(q); q != "" {
		f.where("contains(searchKey, :q)", map[string]any{":q": " " + q}, nil)
	}
}

// apply sets the filter on in, beside the placeholders in already has.
func (f *filter) apply(in *dynamodb.QueryInput) {
	if len(f.conditions) == 0 {
		return
	}
	in.FilterExpression = aws.String(strings.Join(f.conditions, " AND "))
	for k, v := range f.values {
		if in.ExpressionAttributeValues == nil {
			in.ExpressionAttributeValues = map[string]types.AttributeValue{}
		}
		in.ExpressionAttributeValues[k] = v
	}
	for k, v := range f.names {
		if in.ExpressionAttributeNames == nil {
			in.ExpressionAttributeNames = map[string]string{}
		}
		in.ExpressionAttributeNames[k] = v
	}
}
