package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/provisio/provisio/shared/fault"
)

// MaxBodyBytes is the largest request body accepted (documented in docs/api.md).
const MaxBodyBytes = 16 << 10

// MaxBatchBodyBytes is the largest body of a call-record batch (docs/calls.md).
const MaxBatchBodyBytes = 1 << 20

// decode reads one JSON object from the body into v, refusing other media types,
// oversized bodies, unknown fields, wrongly typed fields and trailing data.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeUpTo(w, r, v, MaxBodyBytes)
}

// decodeUpTo is decode with a body limit of its own.
func decodeUpTo(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return fault.New(fault.Unsupported, "send the body as application/json")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return fault.New(fault.Malformed, "the body must hold exactly one JSON object")
		}
		return nil
	}
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return fault.New(fault.TooLarge, "the body is larger than %d bytes", limit)
	case errors.Is(err, io.EOF):
		return fault.New(fault.Malformed, "the body is empty; send a JSON object")
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return fault.New(fault.Malformed, "the body must be a JSON object")
	case errors.As(err, &typeErr):
		return invalidField(typeErr.Field, "must be a "+jsonKind(typeErr.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalidField(name, "is not a known field")
	default:
		return fault.New(fault.Malformed, "the body is not valid JSON")
	}
}

func invalidField(field, reason string) error {
	return &fault.Error{Code: fault.Invalid, Message: "some fields are invalid", Fields: []fault.FieldReason{{Field: field, Reason: reason}}}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "struct", "map":
		return "JSON object"
	case "slice", "array":
		return "JSON array"
	case "bool":
		return "boolean"
	default:
		return "number"
	}
}
