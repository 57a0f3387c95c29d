package samtemplate

import (
	"fmt"
	"os"
	"regexp"
	"slices"
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

// templateRoutes are the template's HTTP routes as "method /path", the method in lower case.
func templateRoutes(t *testing.T) map[string]bool {
	t.Helper()
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
	return routes
}

// TestOpenAPIMatchesTemplateRoutes keeps docs/openapi.yaml and template.yaml in step.
func TestOpenAPIMatchesTemplateRoutes(t *testing.T) {
	routes := templateRoutes(t)
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

// TestAPIDocListsEveryRoute keeps the route table of docs/api.md, which engineers read
// first, as complete as the template: every route served is on one of its rows.
func TestAPIDocListsEveryRoute(t *testing.T) {
	raw, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	var listed []docRoute
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "| `") {
			listed = append(listed, docRoutes(firstCell(line))...)
		}
	}
	for r := range templateRoutes(t) {
		method, path, _ := strings.Cut(r, " ")
		if !slices.ContainsFunc(listed, func(d docRoute) bool { return d.serves(method, path) }) {
			t.Errorf("route %s is not in the route table of docs/api.md", r)
		}
	}
}

// docRoute is a row's route: its methods and its path, which may be a suffix ("…/x").
type docRoute struct {
	methods []string
	path    string
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// serves reports whether the route documents method on path; parameter names may differ.
func (d docRoute) serves(method, path string) bool {
	if !slices.Contains(d.methods, method) {
		return false
	}
	want, got := pathParam.ReplaceAllString(d.path, "{}"), pathParam.ReplaceAllString(path, "{}")
	if suffix, ok := strings.CutPrefix(want, "…"); ok {
		return strings.HasSuffix(got, suffix)
	}
	return got == want
}

// firstCell is a table row's first cell, whose code spans may hold "|" (GET|PATCH).
func firstCell(line string) string {
	inCode := false
	for i, r := range line[1:] {
		switch {
		case r == '`':
			inCode = !inCode
		case r == '|' && !inCode:
			return line[1 : i+1]
		}
	}
	return line
}

// docRoutes reads a cell's code spans: "`GET|PATCH /v1/x`", "`GET`, `POST /v1/x`" (methods
// shared), "`…/x/{id}`" (the last methods again), "`…/x/disable`, `enable`" (a sibling).
func docRoutes(cell string) []docRoute {
	var out []docRoute
	var pending, last []string
	lastPath := ""
	for _, span := range regexp.MustCompile("`([^`]*)`").FindAllStringSubmatch(cell, -1) {
		text := span[1]
		methods, path, spaced := strings.Cut(text, " ")
		switch {
		case spaced:
			last = append(pending, strings.Split(strings.ToLower(methods), "|")...)
			pending = nil
		case strings.ToUpper(text) == text:
			pending = append(pending, strings.Split(strings.ToLower(text), "|")...)
			continue
		case strings.HasPrefix(text, "/") || strings.HasPrefix(text, "…"):
			path = text
		default:
			path = lastPath[:strings.LastIndex(lastPath, "/")+1] + text
		}
		path, _, _ = strings.Cut(path, "?")
		path, _, _ = strings.Cut(path, "[")
		lastPath = path
		out = append(out, docRoute{methods: last, path: path})
	}
	return out
}
