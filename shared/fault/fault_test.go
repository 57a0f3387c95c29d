package fault

import (
	"errors"
	"testing"
)

func TestFieldsConflict(t *testing.T) {
	var f Fields
	if f.Conflict("taken", nil) != nil || f.Err() != nil {
		t.Fatal("no reasons: want no error")
	}
	cause := errors.New("transaction cancelled")
	f.Add("email", "is taken")
	err := f.Conflict("the email is taken", cause)
	var e *Error
	if !errors.As(err, &e) || e.Code != Conflict || e.Message != "the email is taken" || len(e.Fields) != 1 || !errors.Is(err, cause) {
		t.Fatalf("got %#v", err)
	}
	if CodeOf(f.Err()) != Invalid {
		t.Fatal("Err stays Invalid")
	}
}
