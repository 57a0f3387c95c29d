package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provisio/provisio/infra/footprint"
	"github.com/provisio/provisio/infra/samtemplate"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/files"
	"github.com/provisio/provisio/shared/function"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/notify/ses"
	"github.com/provisio/provisio/shared/notify/sns"
	"github.com/provisio/provisio/shared/portalsite/awshost"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/queue/sqs"
	"github.com/provisio/provisio/shared/secrets"
)

// TestEveryTemplateFunctionIsWired keeps template.yaml, functions/, events/ and this
// package in step: each function has a main that starts it by its logical ID, a handler of
// the kind its events need, and a sample event that handler accepts.
// templateFunctions reads the functions of template.yaml.
func templateFunctions(t *testing.T) map[string]samtemplate.Function {
	t.Helper()
	tpl, err := samtemplate.Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	return fns
}

// allClients are every client a main may pass.
var allClients = Clients{Email: ses.New, SMS: sns.New, Queues: sqs.New, Files: files.Files, Secrets: secrets.Signer, Portal: awshost.New}

// wired builds every function's handler with every variable set, and records which
// variables each wiring read.
func wired(t *testing.T) (map[string]any, map[string][]string) {
	t.Helper()
	handlers, read := map[string]any{}, map[string][]string{}
	for name, wire := range All() {
		getenv := func(k string) string {
			read[name] = append(read[name], k)
			if k == "STALE_AFTER" {
				return "10m"
			}
			return "http://" + strings.ToLower(k)
		}
		h, err := NewDeps(func() (aws.Config, error) { return aws.Config{Region: "us-east-1"}, nil }, getenv, allClients,
			slog.New(slog.NewJSONHandler(io.Discard, nil))).Wire(wire)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		handlers[name] = h
	}
	return handlers, read
}

func TestEveryTemplateFunctionIsWired(t *testing.T) {
	fns := templateFunctions(t)
	handlers, _ := wired(t)
	if len(handlers) != len(fns) {
		t.Errorf("%d wirings for %d template functions", len(handlers), len(fns))
	}
	dirs, _ := os.ReadDir("../../functions")
	if len(dirs) != len(fns) {
		t.Errorf("%d function folders for %d template functions", len(dirs), len(fns))
	}
	for name, f := range fns {
		dir := footprint.Kebab(name)
		main, err := os.ReadFile("../../functions/" + dir + "/main.go")
		call := `app.Start("` + name + `", app.` + name + `, app.Clients{`
		if _, plain := function.All()[name]; plain {
			call = `function.Start("` + name + `", function.` + name + `)`
		}
		if err != nil || !strings.Contains(string(main), call) {
			t.Errorf("%s: functions/%s/main.go must call %s", name, dir, call)
		}
		sample, err := os.ReadFile("../../events/" + dir + ".json")
		if err != nil {
			t.Errorf("%s: no events/%s.json", name, dir)
			continue
		}
		h, ok := handlers[name]
		if !ok {
			t.Errorf("%s: no wiring in shared/app", name)
			continue
		}
		for evName, ev := range f.Events {
			var decoded any
			switch ev.Type {
			case "HttpApi":
				_, ok = h.(apigw.Handler)
				decoded = &events.APIGatewayV2HTTPRequest{}
			case "SQS":
				_, ok = h.(queue.Handler)
				decoded = &events.SQSEvent{}
			case "ScheduleV2":
				_, ok = h.(ScheduleHandler)
				decoded = &DispatchEvent{}
				if err := json.Unmarshal([]byte(ev.Properties.Input), decoded); err != nil {
					t.Errorf("%s.%s: schedule input: %v", name, evName, err)
				}
			}
			if !ok {
				t.Errorf("%s.%s: handler %T does not serve %s events", name, evName, h, ev.Type)
			}
			if err := json.Unmarshal(sample, decoded); err != nil {
				t.Errorf("%s: events/%s.json: %v", name, dir, err)
			}
		}
		// A function no event triggers is a custom resource, which CloudFormation calls.
		if len(f.Events) == 0 {
			var ev cfn.Event
			if _, ok := h.(cfn.CustomResourceLambdaFunction); !ok {
				t.Errorf("%s: no events, and handler %T is not a custom resource's", name, h)
			} else if err := json.Unmarshal(sample, &ev); err != nil || ev.RequestType == "" {
				t.Errorf("%s: events/%s.json is no custom resource event: %v", name, dir, err)
			}
		}
	}
}

// TestEachFunctionIsGivenExactlyTheVariablesItReads keeps every function's Environment in
// template.yaml equal to what its wiring reads: a missing one fails the cold start, an
// extra one is configuration nobody uses. No variable is global.
func TestEachFunctionIsGivenExactlyTheVariablesItReads(t *testing.T) {
	tpl, err := samtemplate.Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Globals.Function.Environment.Variables) > 0 {
		t.Error("template.yaml's Globals give every function variables; each function declares its own")
	}
	_, read := wired(t)
	for name, f := range templateFunctions(t) {
		got := slices.Sorted(maps.Keys(f.Environment.Variables))
		want := slices.Compact(slices.Sorted(slices.Values(read[name])))
		if !slices.Equal(got, want) {
			t.Errorf("%s: template.yaml gives %v; its wiring reads %v", name, got, want)
		}
	}
}

// TestSampleHTTPEventsServe runs the public routes' sample events through their handlers.
func TestSampleHTTPEventsServe(t *testing.T) {
	handlers, _ := wired(t)
	for name, file := range map[string]string{"HealthFunction": "health", "ListTemplatesFunction": "list-templates"} {
		raw, _ := os.ReadFile("../../events/" + file + ".json")
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		res, err := handlers[name].(apigw.Handler)(context.Background(), ev)
		if err != nil || res.StatusCode != 200 || res.Headers["X-Request-Id"] != "sample-request-id" {
			t.Errorf("%s: %d %v %v", name, res.StatusCode, res.Headers, err)
		}
	}
}

// TestRoutePermissionsNameTemplateRoutes keeps the permission table in step with
// template.yaml: a renamed route must not silently lose its check.
func TestRoutePermissionsNameTemplateRoutes(t *testing.T) {
	fns := templateFunctions(t)
	routes := map[string]bool{}
	for _, f := range fns {
		for _, ev := range f.Events {
			if ev.Type == "HttpApi" {
				routes[ev.Properties.Method+" "+ev.Properties.Path] = true
			}
		}
	}
	for route := range httpapi.RoutePermissions {
		if !routes[route] {
			t.Errorf("RoutePermissions names %q, which is not a route of template.yaml", route)
		}
	}
}

// A cold start names every variable and client the wiring asked for and did not get.
func TestAMissingVariableOrClientFailsTheColdStart(t *testing.T) {
	_, err := NewDeps(func() (aws.Config, error) { return aws.Config{Region: "us-east-1"}, nil }, func(string) string { return "" },
		Clients{}, slog.New(slog.NewJSONHandler(io.Discard, nil))).Wire(CreateAccountFunction)
	for _, want := range []string{"TABLE_NAME is not set", "SENDER_EMAIL is not set", "app.Clients.Email"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
}
