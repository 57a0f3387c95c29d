package iamcheck

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

//go:embed expand_policies.py
var expandScript []byte

// Expand returns each function's statements, intrinsics unresolved, as aws-sam-translator
// expands them from the template at templatePath. python must have aws-sam-translator and
// the SAM CLI (the project's .venv). A template is expanded once: the result is kept in
// the user cache directory under the digest of the template and the script, so a test
// suite that starts a hundred servers runs Python once.
func Expand(ctx context.Context, python, templatePath string) (map[string][]json.RawMessage, error) {
	template, err := os.ReadFile(templatePath)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append(append([]byte{}, expandScript...), template...))
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	cached := filepath.Join(cacheDir, "provisio", "iam-"+hex.EncodeToString(sum[:12])+".json")
	out, err := os.ReadFile(cached)
	if err != nil {
		if out, err = runExpander(ctx, python, templatePath); err != nil {
			return nil, err
		}
		keep(cached, out)
	}
	var expanded map[string][]json.RawMessage
	if err := json.Unmarshal(out, &expanded); err != nil {
		return nil, fmt.Errorf("the expanded policies of %s: %w", templatePath, err)
	}
	return expanded, nil
}

func runExpander(ctx context.Context, python, templatePath string) ([]byte, error) {
	if _, err := os.Stat(python); err != nil {
		return nil, fmt.Errorf("the local IAM check needs the SAM CLI's Python at %s: run `make venv`", python)
	}
	script, err := os.CreateTemp("", "expand_policies-*.py")
	if err != nil {
		return nil, err
	}
	defer os.Remove(script.Name())
	if _, err := script.Write(expandScript); err != nil {
		return nil, err
	}
	script.Close()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, python, script.Name(), templatePath)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("expanding the template's policies: %w: %s", err, stderr.String())
	}
	return out, nil
}

// keep writes the expansion for the next start. Written to a temporary name and renamed,
// so concurrent starts never read half a file; a failure only costs the next start time.
func keep(path string, out []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "iam-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(out)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}
