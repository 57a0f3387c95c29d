package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provisio/provisio/infra/samtemplate"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/config"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/queue"
)

// kebab is the Makefile's rule from logical ID to package: SubmitRegistrationFunction ->
// submit-registration.
func kebab(logicalID string) string {
	base := strings.TrimSuffix(logicalID, "Function")
	return strings.ToLower(regexp.MustCompile(`([a-z0-9])([A-Z])`).ReplaceAllString(base, "$1-$2"))
}

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

func TestEveryTemplateFunctionIsWired(t *testing.T) {
	fns := templateFunctions(t)
	cfg := config.Config{TableName: "t", ProvisioningQueueURL: "q", SenderEmail: "a@b.io", PortalURL: "p", RealmSuffix: "r", PublicAPIURL: "http://api", PortingDeskEmail: "desk@x.io", PortingBucket: "b"}
	a, err := New(aws.Config{Region: "us-east-1"}, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := os.ReadDir("../../functions")
	if len(dirs) != len(fns) {
		t.Errorf("%d function folders for %d template functions", len(dirs), len(fns))
	}
	for name, f := range fns {
		dir := kebab(name)
		main, err := os.ReadFile("../../functions/" + dir + "/main.go")
		if err != nil || !strings.Contains(string(main), `app.Start("`+name+`")`) {
			t.Errorf("%s: functions/%s/main.go must call app.Start(%q)", name, dir, name)
		}
		sample, err := os.ReadFile("../../events/" + dir + ".json")
		if err != nil {
			t.Errorf("%s: no events/%s.json", name, dir)
			continue
		}
		h, ok := a.Function(name)
		if !ok {
			t.Errorf("%s: no handler in shared/app", name)
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
	}
	if _, ok := a.Function("NoSuchFunction"); ok {
		t.Error("an unknown function has a handler")
	}
}

// TestSampleHTTPEventsServe runs the public routes' sample events through their handlers.
func TestSampleHTTPEventsServe(t *testing.T) {
	cfg := config.Config{TableName: "t", ProvisioningQueueURL: "q", SenderEmail: "a@b.io", PortalURL: "p", RealmSuffix: "r", PublicAPIURL: "http://api", PortingDeskEmail: "desk@x.io", PortingBucket: "b"}
	a, err := New(aws.Config{Region: "us-east-1"}, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string]string{"HealthFunction": "health", "ListTemplatesFunction": "list-templates"} {
		raw, _ := os.ReadFile("../../events/" + file + ".json")
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		h, _ := a.Function(name)
		res, err := h.(apigw.Handler)(context.Background(), ev)
		if err != nil || res.StatusCode != 200 || res.Headers["X-Request-Id"] != "sample-request-id" {
			t.Errorf("%s: %d %v %v", name, res.StatusCode, res.Headers, err)
		}
	}
}

// TestNothingIsLeftUnwired catches a dependency New forgot: every pointer and interface
// field of the app, its API and the API's services must be set.
func TestNothingIsLeftUnwired(t *testing.T) {
	cfg := config.Config{TableName: "t", ProvisioningQueueURL: "q", PortingQueueURL: "p", SenderEmail: "a@b.io", PortalURL: "p",
		RealmSuffix: "r", PublicAPIURL: "http://api", PortingDeskEmail: "desk@x.io", PortingBucket: "b"}
	a, err := New(aws.Config{Region: "us-east-1"}, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, v reflect.Value) {
		v = reflect.Indirect(v)
		for i := range v.NumField() {
			f := v.Field(i)
			if !v.Type().Field(i).IsExported() {
				continue
			}
			switch f.Kind() {
			case reflect.Pointer, reflect.Interface, reflect.Func:
				if f.IsNil() && v.Type().Field(i).Name != "Random" && v.Type().Field(i).Name != "Sent" {
					t.Errorf("%s.%s is not wired", name, v.Type().Field(i).Name)
				}
			}
		}
	}
	check("App", reflect.ValueOf(a))
	api := reflect.Indirect(reflect.ValueOf(a.API))
	check("API", api)
	for i := range api.NumField() {
		if f := api.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.Struct {
			check("API."+api.Type().Field(i).Name, f)
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
