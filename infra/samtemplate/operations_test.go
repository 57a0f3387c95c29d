package samtemplate

import (
	"slices"
	"strings"
	"testing"
)

// TestEveryFunctionAndDeadLetterQueueIsWatched keeps docs/operations.md true: each
// function has its own log group with a retention, and each dead-letter queue an alarm
// that notifies the alarm topic.
func TestEveryFunctionAndDeadLetterQueueIsWatched(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	groups := tpl.Of("AWS::Logs::LogGroup")
	for _, fn := range tpl.Of("AWS::Serverless::Function") {
		if !slices.Contains(groups, fn+"LogGroup") {
			t.Errorf("%s has no log group %sLogGroup", fn, fn)
			continue
		}
		var p struct {
			LogGroupName    Expr `yaml:"LogGroupName"`
			RetentionInDays Expr `yaml:"RetentionInDays"`
		}
		if err := tpl.Properties(fn+"LogGroup", &p); err != nil {
			t.Fatal(err)
		}
		if name, err := p.LogGroupName.Resolve(fakeResolver{}); err != nil || name != "/aws/lambda/ref:"+fn || p.RetentionInDays.IsZero() {
			t.Errorf("%sLogGroup: name %q (%v), retention set %v", fn, name, err, !p.RetentionInDays.IsZero())
		}
	}
	alarms := tpl.Of("AWS::CloudWatch::Alarm")
	for _, q := range tpl.Of("AWS::SQS::Queue") {
		if !strings.HasSuffix(q, "DLQ") {
			continue
		}
		if !slices.Contains(alarms, q+"DepthAlarm") {
			t.Errorf("%s has no depth alarm", q)
		}
	}
	for _, id := range alarms {
		var p struct {
			AlarmActions []Expr `yaml:"AlarmActions"`
		}
		if err := tpl.Properties(id, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.AlarmActions) != 1 {
			t.Errorf("%s notifies %d topics, want the alarm topic", id, len(p.AlarmActions))
			continue
		}
		if topic, err := p.AlarmActions[0].Resolve(fakeResolver{}); err != nil || topic != "ref:AlarmTopic" {
			t.Errorf("%s notifies %q (%v)", id, topic, err)
		}
	}
}
