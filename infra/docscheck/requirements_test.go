package docscheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// declared is every name a package's files declare: functions, types, methods as
// Type.Method, constants and variables; tests included.
func declared(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	names := map[string]bool{}
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					name = receiver(d.Recv.List[0].Type) + "." + name
				}
				names[name] = true
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}

func receiver(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return receiver(e.X)
	case *ast.IndexExpr:
		return receiver(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

var code = regexp.MustCompile("`([a-z]+)\\.([A-Z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)?)`|`(Test[A-Za-z0-9]+)`")

// TestRequirementsNameCodeThatExists reads every `pkg.Name`, `pkg.Type.Method` and
// `TestName` of docs/requirements.md: packages are shared/<pkg>, and a bare test is one
// of infra/localserver's.
func TestRequirementsNameCodeThatExists(t *testing.T) {
	raw, err := os.ReadFile("../../docs/requirements.md")
	if err != nil {
		t.Fatal(err)
	}
	cache := map[string]map[string]bool{}
	in := func(dir, name string) bool {
		if cache[dir] == nil {
			cache[dir] = declared(t, dir)
		}
		return cache[dir][name]
	}
	checked := 0
	for _, m := range code.FindAllStringSubmatch(string(raw), -1) {
		checked++
		if m[3] != "" {
			if !in("../localserver", m[3]) {
				t.Errorf("docs/requirements.md names %s, which infra/localserver does not have", m[3])
			}
			continue
		}
		dir := filepath.Join("../../shared", m[1])
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("docs/requirements.md names %s.%s: there is no shared/%s", m[1], m[2], m[1])
			continue
		}
		if !in(dir, m[2]) {
			t.Errorf("docs/requirements.md names %s.%s, which shared/%s does not declare", m[1], m[2], m[1])
		}
	}
	if checked < 50 {
		t.Fatalf("only %d names checked: the pattern no longer matches the page", checked)
	}
}
