package notify

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// The message files use a small part of text/template's language, and this file reads
// exactly that part: {{define "name"}}…{{end}} blocks, {{.Field}}, {{if .Field}} and
// {{if eq .Field "text"}} with {{else}}, and the {{- and -}} trim markers. text/template
// itself is not used because it looks methods up by name, which makes the linker keep
// every exported method of every type a binary converts to an interface (the AWS clients'
// whole APIs among them) in every function that sends a message.
// TestRendersAsTextTemplateDoes holds the two to the same output for every file.

// node is one piece of a message: text, a field, or a condition.
type node struct {
	text  string
	field string // {{.Field}}, or the field a condition tests
	// A condition: equals is the text an eq compares with (isEq tells there is one).
	isEq      bool
	equals    string
	then, els []node
	condition bool
}

// parsedFile is a parsed message file: its define blocks by name.
type parsedFile map[string][]node

// parseMessage reads a message file.
func parseMessage(name, src string) (parsedFile, error) {
	p := &parser{src: src, name: name}
	out := parsedFile{}
	for {
		text, action, ok := p.next()
		if !ok {
			if strings.TrimSpace(text) != "" {
				return nil, p.fail("text outside a define block")
			}
			return out, nil
		}
		if strings.TrimSpace(text) != "" {
			return nil, p.fail("text outside a define block")
		}
		block, found := strings.CutPrefix(action, "define ")
		if !found {
			return nil, p.fail("want a define block, found {{" + action + "}}")
		}
		blockName, err := strconv.Unquote(strings.TrimSpace(block))
		if err != nil {
			return nil, p.fail("define needs a quoted name")
		}
		nodes, end, err := p.nodes()
		if err != nil {
			return nil, err
		}
		if end != "end" {
			return nil, p.fail("define " + blockName + " ends with {{" + end + "}}")
		}
		out[blockName] = nodes
	}
}

type parser struct {
	src, name string
	pos       int
	trimNext  bool // the last action ended with -}}
}

func (p *parser) fail(msg string) error { return fmt.Errorf("template %s: %s", p.name, msg) }

// next returns the text up to the next action and the action's words; ok is false at the
// end of the file.
func (p *parser) next() (text, action string, ok bool) {
	rest := p.src[p.pos:]
	start := strings.Index(rest, "{{")
	if start < 0 {
		p.pos = len(p.src)
		return p.trim(rest, false), "", false
	}
	stop := strings.Index(rest[start:], "}}")
	if stop < 0 {
		p.pos = len(p.src)
		return rest, "", false
	}
	inner := rest[start+2 : start+stop]
	trimBefore := strings.HasPrefix(inner, "- ")
	trimAfter := strings.HasSuffix(inner, " -")
	inner = strings.TrimSuffix(strings.TrimPrefix(inner, "- "), " -")
	text = p.trim(rest[:start], trimBefore)
	p.pos += start + stop + 2
	p.trimNext = trimAfter
	return text, strings.TrimSpace(inner), true
}

func (p *parser) trim(text string, trimRight bool) string {
	if p.trimNext {
		text = strings.TrimLeft(text, " \t\r\n")
	}
	if trimRight {
		text = strings.TrimRight(text, " \t\r\n")
	}
	return text
}

// nodes reads up to an {{end}} or {{else}} and returns which one ended them.
func (p *parser) nodes() ([]node, string, error) {
	var out []node
	for {
		text, action, ok := p.next()
		if text != "" {
			out = append(out, node{text: text})
		}
		if !ok {
			return nil, "", p.fail("a block is not closed with {{end}}")
		}
		switch {
		case action == "end" || action == "else":
			return out, action, nil
		case strings.HasPrefix(action, "if "):
			n, err := p.condition(strings.TrimPrefix(action, "if "))
			if err != nil {
				return nil, "", err
			}
			out = append(out, n)
		case isField(action):
			out = append(out, node{field: action[1:]})
		default:
			return nil, "", p.fail("{{" + action + "}} is not a field, if, else or end")
		}
	}
}

func (p *parser) condition(test string) (node, error) {
	n := node{condition: true}
	if rest, ok := strings.CutPrefix(test, "eq "); ok {
		field, literal, _ := strings.Cut(rest, " ")
		text, err := strconv.Unquote(strings.TrimSpace(literal))
		if err != nil || !isField(field) {
			return node{}, p.fail(`eq needs a field and a quoted text: {{if eq .Field "text"}}`)
		}
		n.field, n.isEq, n.equals = field[1:], true, text
	} else if isField(test) {
		n.field = test[1:]
	} else {
		return node{}, p.fail("{{if " + test + "}} tests neither a field nor eq")
	}
	then, end, err := p.nodes()
	if err != nil {
		return node{}, err
	}
	n.then = then
	if end == "else" {
		if n.els, end, err = p.nodes(); err != nil {
			return node{}, err
		}
		if end != "end" {
			return node{}, p.fail("an {{else}} is followed by another {{else}}")
		}
	}
	return n, nil
}

func isField(s string) bool {
	if len(s) < 2 || s[0] != '.' {
		return false
	}
	for _, r := range s[1:] {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// render writes nodes filled with data; a field data lacks is an error.
func render(b *strings.Builder, nodes []node, data reflect.Value) error {
	for _, n := range nodes {
		switch {
		case n.condition:
			v, err := lookup(data, n.field)
			if err != nil {
				return err
			}
			holds := truthy(v)
			if n.isEq {
				holds = v.Kind() == reflect.String && v.String() == n.equals
			}
			branch := n.els
			if holds {
				branch = n.then
			}
			if err := render(b, branch, data); err != nil {
				return err
			}
		case n.field != "":
			v, err := lookup(data, n.field)
			if err != nil {
				return err
			}
			if !v.IsValid() {
				return fmt.Errorf("the message needs %s, which is empty", n.field)
			}
			fmt.Fprint(b, v.Interface())
		default:
			b.WriteString(n.text)
		}
	}
	return nil
}

// lookup returns a struct's field or a string-keyed map's entry.
func lookup(data reflect.Value, name string) (reflect.Value, error) {
	for data.Kind() == reflect.Pointer || data.Kind() == reflect.Interface {
		data = data.Elem()
	}
	switch data.Kind() {
	case reflect.Struct:
		if f, ok := data.Type().FieldByName(name); ok && f.IsExported() {
			return data.FieldByIndex(f.Index), nil
		}
	case reflect.Map:
		if v := data.MapIndex(reflect.ValueOf(name)); v.IsValid() {
			for v.Kind() == reflect.Interface {
				v = v.Elem()
			}
			return v, nil
		}
	}
	return reflect.Value{}, fmt.Errorf("the message needs %s, which its data lacks", name)
}

// truthy is text/template's truth: not the zero value, and not empty.
func truthy(v reflect.Value) bool {
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0
	}
	return !v.IsZero()
}
