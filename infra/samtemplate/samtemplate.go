// Package samtemplate reads the parts of template.yaml that the local engine and server
// need: parameters, the function environment, HTTP routes, SQS event sources, schedules,
// tables, queues and email identities. It keeps intrinsic functions (!Ref, !GetAtt, !Sub)
// as expressions and resolves them against what the bootstrap created, so the template
// stays the only place where resources are described.
package samtemplate

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Expr is a template value that may be an intrinsic function in short form.
type Expr struct{ node *yaml.Node }

// UnmarshalYAML keeps the node, tag included.
func (e *Expr) UnmarshalYAML(n *yaml.Node) error {
	e.node = n
	return nil
}

// IsZero reports whether the value was absent.
func (e Expr) IsZero() bool { return e.node == nil }

// Resolver answers the intrinsic functions.
type Resolver interface {
	Ref(name string) (string, error)
	GetAtt(resource, attribute string) (string, error)
}

var subVar = regexp.MustCompile(`\$\{([A-Za-z0-9:._]+)\}`)

// Substitute answers Fn::Sub: each ${name} of text becomes vars[name], or else the Ref
// or GetAtt (${Resource.Attribute}) that r answers for it.
func Substitute(text string, vars map[string]string, r Resolver) (string, error) {
	var firstErr error
	out := subVar.ReplaceAllStringFunc(text, func(m string) string {
		name := m[2 : len(m)-1]
		if v, ok := vars[name]; ok {
			return v
		}
		var s string
		var err error
		if res, att, ok := strings.Cut(name, "."); ok {
			s, err = r.GetAtt(res, att)
		} else {
			s, err = r.Ref(name)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return s
	})
	return out, firstErr
}

// Resolve returns the expression's value.
func (e Expr) Resolve(r Resolver) (string, error) {
	if e.node == nil {
		return "", nil
	}
	if e.node.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: only scalars and short-form intrinsics are supported", e.node.Line)
	}
	v := e.node.Value
	switch e.node.Tag {
	case "!Ref":
		return r.Ref(v)
	case "!GetAtt":
		res, att, ok := strings.Cut(v, ".")
		if !ok {
			return "", fmt.Errorf("line %d: !GetAtt %s needs Resource.Attribute", e.node.Line, v)
		}
		return r.GetAtt(res, att)
	case "!Sub":
		return Substitute(v, nil, r)
	case "", "!!str", "!!int", "!!bool", "!!float":
		return v, nil
	}
	return "", fmt.Errorf("line %d: unsupported intrinsic %s", e.node.Line, e.node.Tag)
}

// Template is the parsed template.
type Template struct {
	Parameters map[string]struct {
		Default string `yaml:"Default"`
	} `yaml:"Parameters"`
	Globals struct {
		Function struct {
			Environment Environment `yaml:"Environment"`
		} `yaml:"Function"`
	} `yaml:"Globals"`
	Resources map[string]Resource `yaml:"Resources"`
}

// Environment is a function's environment block.
type Environment struct {
	Variables map[string]Expr `yaml:"Variables"`
}

// Resource is one resource; Properties are decoded by kind on demand.
type Resource struct {
	Type       string    `yaml:"Type"`
	Properties yaml.Node `yaml:"Properties"`
}

// Load parses the template at path.
func Load(path string) (*Template, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Template
	if err := yaml.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &t, nil
}

// Of returns the logical IDs of resources of type kind, sorted.
func (t *Template) Of(kind string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == kind {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Properties decodes resource id's properties into v.
func (t *Template) Properties(id string, v any) error {
	r, ok := t.Resources[id]
	if !ok {
		return fmt.Errorf("no resource %s", id)
	}
	if r.Properties.Kind == 0 {
		return nil
	}
	if err := r.Properties.Decode(v); err != nil {
		return fmt.Errorf("resource %s: %w", id, err)
	}
	return nil
}

// Table is an AWS::DynamoDB::Table.
type Table struct {
	AttributeDefinitions []struct {
		AttributeName string `yaml:"AttributeName"`
		AttributeType string `yaml:"AttributeType"`
	} `yaml:"AttributeDefinitions"`
	KeySchema              []KeyElement `yaml:"KeySchema"`
	GlobalSecondaryIndexes []struct {
		IndexName  string       `yaml:"IndexName"`
		KeySchema  []KeyElement `yaml:"KeySchema"`
		Projection struct {
			ProjectionType string `yaml:"ProjectionType"`
		} `yaml:"Projection"`
	} `yaml:"GlobalSecondaryIndexes"`
	TimeToLiveSpecification struct {
		AttributeName string `yaml:"AttributeName"`
		Enabled       bool   `yaml:"Enabled"`
	} `yaml:"TimeToLiveSpecification"`
}

// KeyElement is one key attribute.
type KeyElement struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"`
}

// Queue is an AWS::SQS::Queue.
type Queue struct {
	VisibilityTimeout      int `yaml:"VisibilityTimeout"`
	MessageRetentionPeriod int `yaml:"MessageRetentionPeriod"`
	RedrivePolicy          *struct {
		DeadLetterTargetArn Expr `yaml:"deadLetterTargetArn"`
		MaxReceiveCount     int  `yaml:"maxReceiveCount"`
	} `yaml:"RedrivePolicy"`
}

// EmailIdentity is an AWS::SES::EmailIdentity.
type EmailIdentity struct {
	EmailIdentity Expr `yaml:"EmailIdentity"`
}

// Function is an AWS::Serverless::Function.
type Function struct {
	CodeUri     string           `yaml:"CodeUri"`
	Environment Environment      `yaml:"Environment"`
	Events      map[string]Event `yaml:"Events"`
}

// Event is one event source of a function; which fields are set depends on Type.
type Event struct {
	Type       string `yaml:"Type"`
	Properties struct {
		// HttpApi
		ApiId  Expr   `yaml:"ApiId"`
		Method string `yaml:"Method"`
		Path   string `yaml:"Path"`
		// SQS
		Queue     Expr `yaml:"Queue"`
		BatchSize int  `yaml:"BatchSize"`
		// ScheduleV2
		ScheduleExpression         Expr   `yaml:"ScheduleExpression"`
		ScheduleExpressionTimezone Expr   `yaml:"ScheduleExpressionTimezone"`
		Input                      string `yaml:"Input"`
	} `yaml:"Properties"`
}

// Secret is an AWS::SecretsManager::Secret.
type Secret struct {
	Description string `yaml:"Description"`
}

// Functions returns every serverless function by logical ID.
func (t *Template) Functions() (map[string]Function, error) {
	out := map[string]Function{}
	for _, id := range t.Of("AWS::Serverless::Function") {
		var f Function
		if err := t.Properties(id, &f); err != nil {
			return nil, err
		}
		out[id] = f
	}
	return out, nil
}

// Env resolves a function's environment: the globals, overridden by its own variables.
func (t *Template) Env(f Function, r Resolver) (map[string]string, error) {
	env := map[string]string{}
	for _, vars := range []map[string]Expr{t.Globals.Function.Environment.Variables, f.Environment.Variables} {
		for k, e := range vars {
			v, err := e.Resolve(r)
			if err != nil {
				return nil, fmt.Errorf("environment %s: %w", k, err)
			}
			env[k] = v
		}
	}
	return env, nil
}
