// Package footprint builds every function of template.yaml the way `sam build` does, next
// to a hello world on aws-lambda-go built with the same flags, so their size, start-up and
// linked AWS clients can be compared in one run (`make bench`, docs/performance.md).
package footprint

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/provisio/provisio/infra/samtemplate"
)

// Stripped are the flags of a deployed bootstrap, the Makefile's GO_FLAGS: the size is
// measured with them.
var Stripped = []string{"-trimpath", "-ldflags=-s -w", "-tags", "lambda.norpc"}

// Flags are Stripped without the symbol stripping: the linked clients are read from the
// symbols.
var Flags = []string{"-trimpath", "-tags", "lambda.norpc"}

// HelloWorld is the baseline: a Lambda that answers "hello" and calls nothing.
const HelloWorld = "hello"

const helloSource = `package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() { lambda.Start(func(context.Context) (string, error) { return "hello", nil }) }
`

// Build compiles HelloWorld and every package under root/functions into out, one binary
// per function folder, for goos/goarch with flags. The hello world is written into a
// dot folder of the module (which ./... patterns skip) so it uses the same dependency
// versions, and removed afterwards.
func Build(root, out, goos, goarch string, flags []string) error {
	hello, err := os.MkdirTemp(root, ".footprint-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(hello)
	if err := os.WriteFile(filepath.Join(hello, "main.go"), []byte(helloSource), 0o644); err != nil {
		return err
	}
	if err := goBuild(root, filepath.Join(out, HelloWorld), goos, goarch, flags, "./"+filepath.Base(hello)); err != nil {
		return err
	}
	return goBuild(root, out+string(filepath.Separator), goos, goarch, flags, "./functions/...")
}

func goBuild(root, out, goos, goarch string, flags []string, pkg string) error {
	args := append(append([]string{"build"}, flags...), "-o", out, pkg)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}

// clientConstructor matches the constructor of an AWS SDK service client: a binary has
// it only when a client of that service is built, not merely when the package is
// imported.
var (
	clientConstructor = regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/service/([a-z0-9]+)\.New$`)
	schemaTable       = regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/service/([a-z0-9]+)/schemas\.`)
)

// Linked is what the binary at path carries.
type Linked struct {
	// Clients are the AWS SDK services whose clients it can construct.
	Clients map[string]bool
	// SDK tells whether it links any of the AWS SDK at all.
	SDK bool
	// Schemas are the AWS SDK services whose schema tables it links: releases with
	// schema-based serialisation build every shape of the service's API at package init.
	Schemas map[string]bool
}

// Inspect reads what the binary at path links from its symbol table.
func Inspect(path string) (Linked, error) {
	f, err := elf.Open(path)
	if err != nil {
		return Linked{}, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return Linked{}, fmt.Errorf("%s: %w (built without symbols?)", path, err)
	}
	out := Linked{Clients: map[string]bool{}, Schemas: map[string]bool{}}
	for _, s := range syms {
		if m := clientConstructor.FindStringSubmatch(s.Name); m != nil {
			out.Clients[m[1]] = true
		}
		if m := schemaTable.FindStringSubmatch(s.Name); m != nil {
			out.Schemas[m[1]] = true
		}
		out.SDK = out.SDK || strings.HasPrefix(s.Name, "github.com/aws/aws-sdk-go-v2/")
	}
	return out, nil
}

// Kebab is the Makefile's rule from logical ID to function folder:
// SubmitRegistrationFunction -> submit-registration.
func Kebab(logicalID string) string {
	base := strings.TrimSuffix(logicalID, "Function")
	return strings.ToLower(wordStart.ReplaceAllString(base, "$1-$2"))
}

var wordStart = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// Granted returns the AWS SDK services a function's Policies in template.yaml let it
// call: policy templates by their prefix, inline statements by their actions' prefix.
func Granted(tpl *samtemplate.Template, logicalID string) (map[string]bool, error) {
	var props struct {
		Policies yaml.Node `yaml:"Policies"`
	}
	if err := tpl.Properties(logicalID, &props); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	var walk func(n *yaml.Node, key string)
	walk = func(n *yaml.Node, key string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				name := n.Content[i].Value
				for prefix, svc := range policyTemplates {
					if strings.HasPrefix(name, prefix) {
						out[svc] = true
					}
				}
				walk(n.Content[i+1], name)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, key)
			}
		case yaml.ScalarNode:
			if key == "Action" {
				if svc, ok := actionServices[strings.SplitN(n.Value, ":", 2)[0]]; ok {
					out[svc] = true
				}
			}
		}
	}
	walk(&props.Policies, "")
	return out, nil
}

// policyTemplates maps SAM policy templates to the SDK service they grant.
var policyTemplates = map[string]string{"DynamoDB": "dynamodb", "SQS": "sqs", "S3": "s3", "SES": "sesv2", "SNS": "sns",
	"AWSSecretsManager": "secretsmanager"}

// actionServices maps IAM action prefixes to SDK services.
var actionServices = map[string]string{"dynamodb": "dynamodb", "sqs": "sqs", "s3": "s3", "ses": "sesv2", "sns": "sns",
	"secretsmanager": "secretsmanager", "cloudfront": "cloudfront"}
