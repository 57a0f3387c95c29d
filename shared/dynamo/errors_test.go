package dynamo

import (
	"errors"
	"testing"

	"github.com/provisio/provisio/shared/fault"
)

// A success passed through storeError stays one: the API key's last-use write once
// returned an error on success, so every request wrote it again.
func TestStoreErrorLeavesSuccessAlone(t *testing.T) {
	if err := storeError(nil); err != nil {
		t.Fatalf("storeError(nil) = %v", err)
	}
	if err := storeError(errors.New("connection refused")); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("a failed call: %v", err)
	}
}
