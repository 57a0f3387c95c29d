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
	w := &walker{data: data}
	if err := w.value(reflect.TypeOf(v)); err != nil {
		return err
	}
	if w.space(); w.pos != len(data) {
		return malformed("", "the body must hold exactly one JSON value")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syntaxErr): // what the walker's looser read of scalars let by
		return errSyntax
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

// walker reads the document's structure beside the type it decodes into: it checks keys
// and leaves values to encoding/json. It reads the bytes itself, because json.Decoder's
// Token allocates for every token (and builds a discarded error after every scalar).
type walker struct {
	data []byte
	pos  int
	// at is the path to the value being read, for errors: an object key, or an index.
	at []step
}

type step struct {
	key   []byte
	index int // when key is nil
}

// path is the JSON path of the value being read, such as tenant.name or aliases[1].
func (w *walker) path() string {
	var b strings.Builder
	for _, s := range w.at {
		if s.key == nil {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(s.key)
	}
	return b.String()
}

var errSyntax = malformed("", "the body is not valid JSON")

func (w *walker) space() {
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

// peek returns the next byte that is not white space, or 0 at the end.
func (w *walker) peek() byte {
	if w.space(); w.pos < len(w.data) {
		return w.data[w.pos]
	}
	return 0
}

// value reads one value for type t (nil: anything); below a json.RawMessage nothing is
// checked.
func (w *walker) value(t reflect.Type) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch c := w.peek(); {
	case c == '{' && t != rawMessage:
		return w.object(t)
	case c == '[' && t != rawMessage:
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		return w.array(elem)
	case c == '{' || c == '[':
		return w.skip()
	case c == '"':
		_, err := w.str()
		return err
	case c == 0:
		return errSyntax
	default:
		return w.scalar()
	}
}

// array reads an array whose elements are of type elem.
func (w *walker) array(elem reflect.Type) error {
	w.pos++ // [
	if w.peek() == ']' {
		w.pos++
		return nil
	}
	for i := 0; ; i++ {
		w.at = append(w.at, step{index: i})
		if err := w.value(elem); err != nil {
			return err
		}
		w.at = w.at[:len(w.at)-1]
		switch w.peek() {
		case ',':
			w.pos++
		case ']':
			w.pos++
			return nil
		default:
			return errSyntax
		}
	}
}

// object reads an object's members; a struct's keys must be its fields, each once.
func (w *walker) object(t reflect.Type) error {
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
	w.pos++ // {
	if w.peek() == '}' {
		w.pos++
		return nil
	}
	var seenKeys [16][]byte
	seen := seenKeys[:0]
	for {
		if w.peek() != '"' {
			return errSyntax
		}
		key, err := w.str()
		if err != nil {
			return err
		}
		w.at = append(w.at, step{key: key})
		for _, k := range seen {
			if bytes.Equal(k, key) {
				return malformed(w.path(), "is given twice")
			}
		}
		seen = append(seen, key)
		child := elem
		if fields != nil {
			ft, ok := fields[string(key)]
			if !ok {
				return &Error{Field: w.path(), Reason: unknownReason(fields, string(key))}
			}
			child = ft
		}
		if w.peek() != ':' {
			return errSyntax
		}
		w.pos++
		if err := w.value(child); err != nil {
			return err
		}
		w.at = w.at[:len(w.at)-1]
		switch w.peek() {
		case ',':
			w.pos++
		case '}':
			w.pos++
			return nil
		default:
			return errSyntax
		}
	}
}

// str reads a string and returns its text: the bytes as they are, or, when it holds an
// escape, decoded (so "n\u0061me" is the key name).
func (w *walker) str() ([]byte, error) {
	start, escaped := w.pos+1, false
	for i := start; i < len(w.data); i++ {
		switch c := w.data[i]; {
		case c == '\\':
			escaped = true
			i++
		case c == '"':
			w.pos = i + 1
			if !escaped {
				return w.data[start:i], nil
			}
			var text string
			if err := json.Unmarshal(w.data[start-1:i+1], &text); err != nil {
				return nil, errSyntax
			}
			return []byte(text), nil
		case c < 0x20:
			return nil, errSyntax
		}
	}
	return nil, errSyntax
}

// scalar reads a number, true, false or null; encoding/json checks which it is.
func (w *walker) scalar() error {
	start := w.pos
	for w.pos < len(w.data) && strings.IndexByte("+-.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", w.data[w.pos]) >= 0 {
		w.pos++
	}
	if w.pos == start {
		return errSyntax
	}
	return nil
}

// skip reads a whole object or array without looking inside.
func (w *walker) skip() error {
	depth := 0
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case '"':
			if _, err := w.str(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		w.pos++
		if depth == 0 {
			return nil
		}
	}
	return errSyntax
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
