package localserver_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestACallTheTemplateDoesNotGrantIsDenied(t *testing.T) {
	template, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	grant := `
      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt PasswordResetQueue.QueueName
`
	if strings.Count(string(template), grant) != 1 {
		t.Fatal("the template no longer grants PasswordResetFunction its queue this way: update the test")
	}
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(string(template), grant, "\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	e := serveTemplate(t, mustEngine(t), path, nil, false)
	res := e.do("POST", "/v1/auth/password-reset", map[string]string{"domain": e.rootRealm, "username": "admin@provisio.example"})
	if res.status != http.StatusServiceUnavailable {
		t.Fatalf("a reset request without the right to queue it: %d %s, want 503 as on AWS", res.status, res.body)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "IAM denied") || !strings.Contains(logs, `"function":"PasswordResetFunction"`) ||
		!strings.Contains(logs, `"action":"sqs:SendMessage"`) || !strings.Contains(logs, "PasswordResetQueue") {
		t.Fatalf("the denial is not logged with its function, action and resource:\n%s", logs)
	}
	// The real template grants it: the same request is queued.
	full := mustStart(t)
	if res := full.do("POST", "/v1/auth/password-reset", map[string]string{"domain": full.rootRealm, "username": "admin@provisio.example"}); res.status != http.StatusAccepted {
		t.Fatalf("with the template's grant: %d %s", res.status, res.body)
	}
}
