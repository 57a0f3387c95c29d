// Package strictjson decodes a JSON document the way an API contract reads it, which is
// stricter than encoding/json: the text must be valid UTF-8 (encoding/json would store
// U+FFFD instead), an object may not name a key twice (encoding/json keeps the last),
// keys match field names exactly (encoding/json lets "NAME" set name), and an unknown or
// wrongly typed field is reported with its full path (tenant.confirmPassword).
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// Error says why a document was refused. Malformed errors are about the document (not
// JSON, not UTF-8, a key given twice); the others about one field of a well-formed one.
type Error struct {
	Malformed bool
	Field     string // JSON path such as tenant.name or aliases[1]; "" for the whole document
	Reason    string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

func malformed(field, reason string) *Error {
	return &Error{Malformed: true, Field: field, Reason: reason}
}

// Decode decodes data, one JSON value, into v (a pointer). Fields typed json.RawMessage
// are left to whoever decodes them later.
func Decode(data []byte, v any) error {
	if !utf8.Valid(data) {
		return malformed("", "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := (&walker{dec: dec}).value(reflect.TypeOf(v), ""); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("", "the body must hold exactly one JSON value")
	}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return malformed("", "the body must be a "+kindName(typeErr.Type))
	case errors.As(err, &typeErr):
		return &Error{Field: typeErr.Field, Reason: "must be a " + kindName(typeErr.Type)}
	default:
		return &Error{Reason: err.Error()}
	}
}

// kindName says what JSON a Go type takes.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Struct, reflect.Map:
		return "JSON object"
	case reflect.Slice, reflect.Array:
		return "JSON array"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole number (such as 3, not 3.0 or \"3\")"
	default:
		return "number"
	}
}

var rawMessage = reflect.TypeFor[json.RawMessage]()

// walker reads the document token by token beside the type it decodes into.
type walker struct{ dec *json.Decoder }

// value reads one value for type t (nil: anything); skip turns the checks off below a
// json.RawMessage.
func (w *walker) value(t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := w.dec.Token()
	if err != nil {
		return malformed("", "the body is not valid JSON")
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil // a scalar: encoding/json checks its type
	}
	if t == rawMessage {
		return w.skip(delim)
	}
	if delim == '[' {
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := w.dec.Token()
		return err
	}
	return w.object(t, path)
}

// object reads the members of an object whose '{' was read.
func (w *walker) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = fieldsOf(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return malformed("", "the body is not valid JSON")
		}
		key, _ := tok.(string)
		field := key
		if path != "" {
			field = path + "." + key
		}
		if seen[key] {
			return malformed(field, "is given twice")
		}
		seen[key] = true
		child := elem
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				return &Error{Field: field, Reason: unknownReason(fields, key)}
			}
			child = ft
		}
		if err := w.value(child, field); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// skip reads the rest of a value whose opening delimiter was read.
func (w *walker) skip(open json.Delim) error {
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return malformed("", "the body is not valid JSON")
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

func unknownReason(fields map[string]reflect.Type, key string) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf("is not a known field (names are case-sensitive: %q)", name)
		}
	}
	return "is not a known field"
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// fieldsOf returns the JSON names of a struct's fields, embedded structs' included.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			et := sf.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for n, ft := range fieldsOf(et) {
					if _, shadowed := fields[n]; !shadowed {
						fields[n] = ft
					}
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fields[name] = sf.Type
	}
	fieldCache.Store(t, fields)
	return fields
}
