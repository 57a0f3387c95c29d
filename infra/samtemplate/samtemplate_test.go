package samtemplate

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

type fakeResolver struct{}

func (fakeResolver) Ref(name string) (string, error) {
	if name == "Missing" {
		return "", fmt.Errorf("no %s", name)
	}
	return "ref:" + name, nil
}
func (fakeResolver) GetAtt(res, att string) (string, error) { return "att:" + res + "." + att, nil }

// TestProjectTemplate reads the real template.yaml: routes, queues and schedules the local
// server serves come from it, so its shape is part of the contract.
func TestProjectTemplate(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	var routes, queues, schedules int
	for _, f := range fns {
		for _, ev := range f.Events {
			switch ev.Type {
			case "HttpApi":
				routes++
			case "SQS":
				queues++
				if v, err := ev.Properties.Queue.Resolve(fakeResolver{}); err != nil || v == "" {
					t.Errorf("queue expression: %q %v", v, err)
				}
			case "ScheduleV2":
				schedules++
			}
		}
	}
	if routes < 4 || queues < 2 || schedules < 2 {
		t.Fatalf("routes=%d queues=%d schedules=%d", routes, queues, schedules)
	}
	env, err := tpl.Env(fns["DispatcherFunction"], fakeResolver{})
	if err != nil {
		t.Fatal(err)
	}
	if env["TABLE_NAME"] != "ref:Table" || env["STALE_AFTER"] != "10m" {
		t.Fatalf("env = %v", env)
	}
	if got := tpl.Of("AWS::DynamoDB::Table"); len(got) != 1 {
		t.Fatalf("tables = %v", got)
	}
}

func TestResolveSub(t *testing.T) {
	var e struct {
		V Expr `yaml:"v"`
	}
	for in, want := range map[string]string{
		`v: !Sub "arn:${AWS::Region}:${Q.Arn}/x"`: "arn:ref:AWS::Region:att:Q.Arn/x",
		`v: plain`:               "plain",
		`v: !GetAtt Q.QueueName`: "att:Q.QueueName",
	} {
		if err := yamlDecode(in, &e); err != nil {
			t.Fatal(err)
		}
		got, err := e.V.Resolve(fakeResolver{})
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", in, got, err, want)
		}
	}
	if err := yamlDecode(`v: !Ref Missing`, &e); err != nil {
		t.Fatal(err)
	}
	if _, err := e.V.Resolve(fakeResolver{}); err == nil {
		t.Error("unresolvable !Ref: want an error")
	}
	if err := yamlDecode(`v: !GetAZs ""`, &e); err != nil {
		t.Fatal(err)
	}
	if _, err := e.V.Resolve(fakeResolver{}); err == nil {
		t.Error("unsupported intrinsic: want an error")
	}
}

// TestOpenAPIMatchesTemplateRoutes keeps docs/openapi.yaml and template.yaml in step.
func TestOpenAPIMatchesTemplateRoutes(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fns, _ := tpl.Functions()
	routes := map[string]bool{}
	for _, f := range fns {
		for _, ev := range f.Events {
			if ev.Type == "HttpApi" {
				routes[strings.ToLower(ev.Properties.Method)+" "+ev.Properties.Path] = true
			}
		}
	}
	raw, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yamlDecode(string(raw), &spec); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			if method != "parameters" { // shared by the path's operations, not one itself
				documented[method+" "+path] = true
			}
		}
	}
	for r := range routes {
		if !documented[r] {
			t.Errorf("route %s is not in docs/openapi.yaml", r)
		}
	}
	for r := range documented {
		if !routes[r] {
			t.Errorf("docs/openapi.yaml documents %s, which template.yaml does not serve", r)
		}
	}
}
