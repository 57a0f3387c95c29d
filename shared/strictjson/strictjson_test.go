package strictjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type inner struct {
	Name string `json:"name"`
}

type embedded struct {
	Note string `json:"note"`
}

type doc struct {
	embedded
	Name    string            `json:"name"`
	Count   int               `json:"count"`
	Tenant  *inner            `json:"tenant"`
	Items   []inner           `json:"items"`
	Labels  map[string]string `json:"labels"`
	Records []json.RawMessage `json:"records"`
	Hidden  string            `json:"-"`
}

func TestDecodeRefuses(t *testing.T) {
	cases := []struct {
		name, body string
		want       *Error
	}{
		{"invalid UTF-8", "{\"name\":\"a\xffb\"}", &Error{Malformed: true, Reason: "the body is not valid UTF-8"}},
		{"duplicate key", `{"name":"a","name":"b"}`, &Error{Malformed: true, Field: "name", Reason: "is given twice"}},
		{"duplicate nested key", `{"tenant":{"name":"a","name":"b"}}`, &Error{Malformed: true, Field: "tenant.name", Reason: "is given twice"}},
		{"duplicate map key", `{"labels":{"a":"1","a":"2"}}`, &Error{Malformed: true, Field: "labels.a", Reason: "is given twice"}},
		{"key in another case", `{"NAME":"a"}`, &Error{Field: "NAME", Reason: `is not a known field (names are case-sensitive: "name")`}},
		{"unknown nested", `{"tenant":{"confirmPassword":"x"}}`, &Error{Field: "tenant.confirmPassword", Reason: "is not a known field"}},
		{"unknown in an array", `{"items":[{"name":"a"},{"nam":"b"}]}`, &Error{Field: "items[1].nam", Reason: "is not a known field"}},
		{"ignored field", `{"Hidden":"x"}`, &Error{Field: "Hidden", Reason: "is not a known field"}},
		{"fraction for an integer", `{"count":1.5}`, &Error{Field: "count", Reason: `must be a whole number (such as 3, not 3.0 or "3")`}},
		{"string for an integer", `{"count":"1"}`, &Error{Field: "count", Reason: `must be a whole number (such as 3, not 3.0 or "3")`}},
		{"not an object", `[1]`, &Error{Malformed: true, Reason: "the body must be a JSON object"}},
		{"trailing data", `{} {}`, &Error{Malformed: true, Reason: "the body must hold exactly one JSON value"}},
		{"not JSON", `{"name":`, &Error{Malformed: true, Reason: "the body is not valid JSON"}},
		{"a broken literal", `{"count":tru}`, &Error{Malformed: true, Reason: "the body is not valid JSON"}},
		{"a missing colon", `{"name" "a"}`, &Error{Malformed: true, Reason: "the body is not valid JSON"}},
		{"a trailing comma", `{"name":"a",}`, &Error{Malformed: true, Reason: "the body is not valid JSON"}},
		{"a control character in a string", "{\"name\":\"a\tb\"}", &Error{Malformed: true, Reason: "the body is not valid JSON"}},
		{"an unclosed array", `{"items":[{"name":"a"}`, &Error{Malformed: true, Reason: "the body is not valid JSON"}},
		{"an escaped duplicate key", `{"name":"a","n\u0061me":"b"}`, &Error{Malformed: true, Field: "name", Reason: "is given twice"}},
		{"empty", ``, &Error{Malformed: true, Reason: "the body is not valid JSON"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d doc
			err := Decode([]byte(c.body), &d)
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("err = %v, want %+v", err, c.want)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatal(diff)
			}
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	var d doc
	body := `{"name":"a","note":"n","count":2,"tenant":{"name":"t"},"items":[{"name":"i"}],"labels":{"x":"y"},
		"records":[{"ID":1,"id":1,"id":2}]}`
	if err := Decode([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Name != "a" || d.Note != "n" || d.Count != 2 || d.Tenant.Name != "t" || d.Items[0].Name != "i" || d.Labels["x"] != "y" || len(d.Records) != 1 {
		t.Fatalf("decoded %+v", d)
	}
}

// FuzzDecode: whatever the body, Decode does not panic, refuses what is not JSON, and
// accepts only what encoding/json reads the same way.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{`{"name":"a","tenant":{"name":"b"},"items":[{"name":"c"}],"labels":{"k":"v"},"records":[{"x":[1,{"y":"}"}]}]}`,
		`{"count":1e3}`, `{"name":"\u00e9\"\\"}`, `[]`, `{"name":"a",}`, `{"count":-0.5e-3}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var d doc
		err := Decode(body, &d)
		if err == nil && !json.Valid(body) {
			t.Fatalf("accepted %q, which is not JSON", body)
		}
		if err == nil {
			var plain doc
			if json.Unmarshal(body, &plain) != nil || !reflect.DeepEqual(d, plain) {
				t.Fatalf("%q read as %+v; encoding/json reads %+v", body, d, plain)
			}
		}
	})
}
