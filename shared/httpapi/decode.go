package httpapi

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/strictjson"
)

// MaxBodyBytes is the largest request body accepted (documented in docs/api.md).
const MaxBodyBytes = 16 << 10

// MaxBatchBodyBytes is the largest body of a call-record batch (docs/calls.md).
const MaxBatchBodyBytes = 1 << 20

// decode reads one JSON object from the body into v, refusing other media types and
// charsets, oversized bodies (over MaxBodyBytes, or a limited body's own limit), invalid
// UTF-8, keys given twice or in another case, unknown fields, wrongly typed fields and
// trailing data (shared/strictjson).
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	limit := int64(MaxBodyBytes)
	if l, ok := v.(limited); ok {
		limit = l.maxBytes()
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return fault.New(fault.Unsupported, "send the body as application/json")
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return fault.New(fault.Unsupported, "send the body in UTF-8 (charset=utf-8), not %.20q", cs)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return fault.New(fault.TooLarge, "the body is larger than %d bytes", limit)
	case err != nil:
		return fault.New(fault.Malformed, "the body could not be read")
	case len(bytes.TrimSpace(body)) == 0:
		return fault.New(fault.Malformed, "the body is empty; send a JSON object")
	}
	err = strictjson.Decode(body, v)
	var bad *strictjson.Error
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &bad):
		return fault.New(fault.Malformed, "the body is not valid JSON")
	case bad.Malformed && bad.Field != "":
		return &fault.Error{Code: fault.Malformed, Message: "the body names a field twice", Fields: []fault.FieldReason{{Field: bad.Field, Reason: bad.Reason}}}
	case bad.Malformed || bad.Field == "":
		return fault.New(fault.Malformed, "%s", bad.Reason)
	default:
		return invalidField(bad.Field, bad.Reason)
	}
}

func invalidField(field, reason string) error {
	return &fault.Error{Code: fault.Invalid, Message: "some fields are invalid", Fields: []fault.FieldReason{{Field: field, Reason: reason}}}
}

// optionalBool reads query parameter name: nil when absent, else true or false.
func optionalBool(r *http.Request, name string) (*bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	if v != "true" && v != "false" {
		return nil, invalidField(name, "must be true or false")
	}
	b := v == "true"
	return &b, nil
}

// limited is a body that may be larger than MaxBodyBytes: it names its own limit.
type limited interface{ maxBytes() int64 }
