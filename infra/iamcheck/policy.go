// Package iamcheck checks, on a local engine, every AWS call a function makes against the
// IAM statements its resource in template.yaml grants, so that a missing permission fails
// locally as it would on AWS instead of on the first deploy. The statements come from
// the template through aws-sam-translator (expand_policies.py); the calls are checked by
// an SDK middleware on the function's own AWS configuration.
package iamcheck

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/provisio/provisio/infra/samtemplate"
)

// Statement is one resolved IAM statement, its patterns compiled once.
type Statement struct {
	Allow     bool
	Actions   []*regexp.Regexp
	Resources []*regexp.Regexp
}

// NewStatement compiles a statement's IAM patterns: * is any run of characters, ? any one;
// actions compare without case, resources with it.
func NewStatement(allow bool, actions, resources []string) Statement {
	return Statement{Allow: allow, Actions: compile(actions, true), Resources: compile(resources, false)}
}

func compile(patterns []string, foldCase bool) []*regexp.Regexp {
	out := make([]*regexp.Regexp, 0, len(patterns))
	for _, p := range patterns {
		quoted := strings.ReplaceAll(strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, ".*"), `\?`, ".")
		if foldCase {
			quoted = "(?i)" + quoted
		}
		out = append(out, regexp.MustCompile("^"+quoted+"$")) // quoted above: always compiles
	}
	return out
}

// Policy is what one function is granted.
type Policy []Statement

// Allows reports whether the policy lets action act on resource: an explicit deny wins,
// then any allow; what nothing allows is denied, as IAM does.
func (p Policy) Allows(action, resource string) bool {
	allowed := false
	for _, s := range p {
		if !matchesAny(s.Actions, action) || !matchesAny(s.Resources, resource) {
			continue
		}
		if !s.Allow {
			return false
		}
		allowed = true
	}
	return allowed
}

func matchesAny(patterns []*regexp.Regexp, value string) bool {
	for _, p := range patterns {
		if p.MatchString(value) {
			return true
		}
	}
	return false
}

// rawStatement is a statement as expand_policies.py prints it, intrinsics unresolved.
type rawStatement struct {
	Effect      string          `json:"Effect"`
	Action      json.RawMessage `json:"Action"`
	Resource    json.RawMessage `json:"Resource"`
	NotAction   json.RawMessage `json:"NotAction"`
	NotResource json.RawMessage `json:"NotResource"`
	Condition   json.RawMessage `json:"Condition"`
	Unsupported string          `json:"Unsupported"`
}

// Resolve turns the expanded statements of every function into policies, with the
// template's intrinsic functions answered by r (the local resources' names and ARNs).
// What the check cannot evaluate faithfully (managed policies, NotAction, NotResource,
// conditions) is refused rather than guessed.
func Resolve(expanded map[string][]json.RawMessage, r samtemplate.Resolver) (map[string]Policy, error) {
	policies := map[string]Policy{}
	for function, raws := range expanded {
		var p Policy
		for i, raw := range raws {
			var rs rawStatement
			if err := json.Unmarshal(raw, &rs); err != nil {
				return nil, fmt.Errorf("%s statement %d: %w", function, i, err)
			}
			switch {
			case rs.Unsupported != "":
				return nil, fmt.Errorf("%s: the local IAM check cannot evaluate %s", function, rs.Unsupported)
			case rs.NotAction != nil || rs.NotResource != nil || rs.Condition != nil:
				return nil, fmt.Errorf("%s statement %d: NotAction, NotResource and Condition are not checked locally", function, i)
			}
			actions, err := values(rs.Action, r)
			if err != nil {
				return nil, fmt.Errorf("%s statement %d Action: %w", function, i, err)
			}
			resources, err := values(rs.Resource, r)
			if err != nil {
				return nil, fmt.Errorf("%s statement %d Resource: %w", function, i, err)
			}
			p = append(p, NewStatement(rs.Effect == "Allow", actions, resources))
		}
		policies[function] = p
	}
	return policies, nil
}

// values resolves one value or a list of them.
func values(raw json.RawMessage, r samtemplate.Resolver) ([]string, error) {
	if raw == nil {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, err := intrinsic(item, r)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// intrinsic evaluates a string or a long-form intrinsic function: Ref, Fn::GetAtt,
// Fn::Sub (with or without its variable map) and Fn::Join.
func intrinsic(v any, r samtemplate.Resolver) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case map[string]any:
		if len(x) != 1 {
			break
		}
		for fn, arg := range x {
			switch fn {
			case "Ref":
				name, _ := arg.(string)
				return r.Ref(name)
			case "Fn::GetAtt":
				switch a := arg.(type) {
				case string:
					res, att, _ := strings.Cut(a, ".")
					return r.GetAtt(res, att)
				case []any:
					if len(a) == 2 {
						res, _ := a[0].(string)
						att, _ := a[1].(string)
						return r.GetAtt(res, att)
					}
				}
			case "Fn::Sub":
				return sub(arg, r)
			case "Fn::Join":
				if a, ok := arg.([]any); ok && len(a) == 2 {
					sep, _ := a[0].(string)
					parts, _ := a[1].([]any)
					var out []string
					for _, p := range parts {
						s, err := intrinsic(p, r)
						if err != nil {
							return "", err
						}
						out = append(out, s)
					}
					return strings.Join(out, sep), nil
				}
			}
		}
	}
	return "", fmt.Errorf("cannot resolve %v", v)
}

// sub evaluates Fn::Sub: a string, or [string, {name: value}].
func sub(arg any, r samtemplate.Resolver) (string, error) {
	switch a := arg.(type) {
	case string:
		return samtemplate.Substitute(a, nil, r)
	case []any:
		if len(a) != 2 {
			break
		}
		text, _ := a[0].(string)
		m, _ := a[1].(map[string]any)
		vars := map[string]string{}
		for name, value := range m {
			s, err := intrinsic(value, r)
			if err != nil {
				return "", err
			}
			vars[name] = s
		}
		return samtemplate.Substitute(text, vars, r)
	}
	return "", fmt.Errorf("Fn::Sub needs a string, or a string and a variable map")
}
