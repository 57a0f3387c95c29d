// Package audit describes who changed what: an Entry per mutation, written in the same
// transaction as the change, with a per-field difference in which secrets are masked.
package audit

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Masked stands in for any secret value in a difference.
const Masked = "***"

// secretFields are field names (compared case-insensitively, anywhere in a document)
// whose values never appear in an audit difference.
var secretFields = []string{"password", "hash", "secret", "token", "ownerid", "personalid", "key", "pin"}

// Change is one field's value before and after; nil means absent.
type Change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// Entry records one mutation.
type Entry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"` // "<entity>.<verb>", such as account.create
	Entity Kind      `json:"entity"`
	// EntityID is the ID of the entity the entry is about.
	EntityID string            `json:"entityId"`
	Diff     map[string]Change `json:"diff"`
}

// Kind is the kind of entity an entry is about.
type Kind string

// The kinds of entity that are audited.
const (
	Account      Kind = "account"
	User         Kind = "user"
	Subscription Kind = "subscription"
	Contact      Kind = "contact"
	Registration Kind = "registration"
	Porting      Kind = "porting"
	NumberRange  Kind = "number_range"
	NumberBlock  Kind = "number_block"
	SIP          Kind = "sip"
	Invoice      Kind = "invoice"
	APIKey       Kind = "api_key"
	Webhook      Kind = "webhook"
)

// Verb is what was done to an entity. State machines also use the state an entity moved
// to as the verb (registration.queued, porting.scheduled, sip.disabled): Verb(state).
type Verb string

// The verbs that are not a state's name.
const (
	Create        Verb = "create"
	Update        Verb = "update"
	Delete        Verb = "delete"
	Activate      Verb = "activate"
	Install       Verb = "install"
	PasswordReset Verb = "password_reset"
	PasswordSet   Verb = "password_set"
	CodeSent      Verb = "code_sent"
	CodeRefused   Verb = "code_refused"
	Verified      Verb = "verified"
	CreditAdded   Verb = "credit_added"
	Requeue       Verb = "requeue"
	Retry         Verb = "retry"
	Disable       Verb = "disable"
	Enable        Verb = "enable"
	Notified      Verb = "notified"
	Submitted     Verb = "submitted"
	Prepared      Verb = "prepared"
	Comment       Verb = "comment"
	Document      Verb = "document"
	Download      Verb = "download"
	RoleChanged   Verb = "role_changed"
	Rotate        Verb = "rotate"
	Revoke        Verb = "revoke"
)

// Audited is an entity whose audit entries show a form of its own rather than every
// field it has: the fields its readers see in its API view, so that nothing kept for the
// system alone (session epochs, code hashes, send times) reaches an audit log, and the
// log's keys do not follow the entity's other JSON uses.
type Audited interface {
	AuditForm() any
}

// New returns an entry for verb done to the entity of kind with entityID. Its Diff
// compares the audit forms of before and after (either may be nil, for a create or a
// delete): an Audited value's AuditForm, any other value as it is; only top-level fields
// that changed are listed.
func New(at time.Time, actor string, kind Kind, verb Verb, entityID string, before, after any) Entry {
	return Entry{At: at, Actor: actor, Action: string(kind) + "." + string(verb), Entity: kind, EntityID: entityID,
		Diff: Diff(form(before), form(after))}
}

// form is v's audit form; a nil pointer stays absent.
func form(v any) any {
	a, ok := v.(Audited)
	if !ok {
		return v
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil
	}
	return a.AuditForm()
}

// Diff returns the changed top-level fields of two JSON-encodable values, secrets masked.
// The values are compared and shown in their JSON form: what encoding/json would write,
// read back as maps, lists, strings, float64s, bools and nils, built by walking them
// directly rather than encoding and decoding them.
func Diff(before, after any) map[string]Change {
	b, a := fields(before), fields(after)
	out := make(map[string]Change, max(len(a), len(b)))
	for k, bv := range b {
		av, aok := a[k]
		if aok && reflect.DeepEqual(bv, av) {
			continue
		}
		c := Change{Before: mask(k, bv)}
		if aok {
			c.After = mask(k, av)
		}
		out[k] = c
	}
	for k, av := range a {
		if _, bok := b[k]; !bok {
			out[k] = Change{After: mask(k, av)}
		}
	}
	return out
}

// fields is v's JSON object form; a value that is no object has no fields to compare.
func fields(v any) map[string]any {
	m, _ := jsonForm(reflect.ValueOf(v)).(map[string]any)
	return m
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// jsonForm is v as encoding/json would write it and read it back into an any.
func jsonForm(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Pointer && v.Type().Implements(marshalerType) {
			return viaJSON(v)
		}
		return jsonForm(v.Elem())
	}
	switch t := v.Type(); {
	case t == timeType:
		return v.Interface().(time.Time).Format(time.RFC3339Nano)
	case t.Implements(marshalerType):
		return viaJSON(v)
	case t.Implements(textType):
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil
		}
		return string(text)
	}
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.String:
		return v.String()
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(v.Bytes())
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = jsonForm(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[mapKey(it.Key())] = jsonForm(it.Value())
		}
		return out
	case reflect.Struct:
		out := map[string]any{}
		addFields(out, v)
		return out
	}
	return nil // channels and functions have no JSON form
}

// addFields adds a struct's fields to out by encoding/json's rules: exported fields under
// their tag's name, "-" left out, omitempty and omitzero honoured, and the fields of an
// untagged embedded struct promoted.
func addFields(out map[string]any, v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if f.Anonymous && name == "" {
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Struct {
				addFields(out, fv)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if (hasOption(opts, "omitempty") && isEmpty(fv)) || (hasOption(opts, "omitzero") && isZero(fv)) {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = jsonForm(fv)
	}
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var opt string
		opt, opts, _ = strings.Cut(opts, ",")
		if opt == want {
			return true
		}
	}
	return false
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZero is encoding/json's omitzero test: the value's own IsZero when it has one.
func isZero(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return v.IsZero()
}

// mapKey is a map key as encoding/json writes it.
func mapKey(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		text, _ := tm.MarshalText()
		return string(text)
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10)
	}
	return strconv.FormatUint(k.Uint(), 10)
}

// viaJSON is the JSON form of a value with its own MarshalJSON.
func viaJSON(v reflect.Value) any {
	raw, err := json.Marshal(v.Interface())
	if err != nil {
		return nil
	}
	var out any
	_ = json.Unmarshal(raw, &out) // raw came from json.Marshal
	return out
}

// mask is a field's JSON form with every secret inside it replaced by Masked.
func mask(name string, v any) any {
	if isSecret(name) {
		return Masked
	}
	return maskValue(v)
}

func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, inner := range t {
			if isSecret(k) {
				t[k] = Masked
			} else {
				t[k] = maskValue(inner)
			}
		}
	case []any:
		for i := range t {
			t[i] = maskValue(t[i])
		}
	}
	return v
}

func isSecret(name string) bool {
	n := strings.ToLower(name)
	for _, s := range secretFields {
		if n == s || strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// Redacted returns a copy of e without the fields its reader may not see: every object
// member, at any depth of the difference (top-level fields included, with a nil object),
// for which hidden reports true, and every object in a list for which hidden(object, "")
// does. A field whose before and after read the same once
// redacted is left out, so the entry does not even tell that a hidden field changed.
func (e Entry) Redacted(hidden func(object map[string]any, key string) bool) Entry {
	out := e
	out.Diff = map[string]Change{}
	for k, c := range e.Diff {
		if hidden(nil, k) {
			continue
		}
		rc := Change{Before: redactValue(c.Before, hidden), After: redactValue(c.After, hidden)}
		if c.Before != nil && c.After != nil && sameJSON(rc.Before, rc.After) {
			continue
		}
		out.Diff[k] = rc
	}
	return out
}

// redactValue copies v without the hidden members of its objects.
func redactValue(v any, hidden func(map[string]any, string) bool) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, inner := range t {
			if !hidden(t, k) {
				m[k] = redactValue(inner, hidden)
			}
		}
		return m
	case []any:
		s := make([]any, 0, len(t))
		for _, inner := range t {
			if m, ok := inner.(map[string]any); ok && hidden(m, "") {
				continue
			}
			s = append(s, redactValue(inner, hidden))
		}
		return s
	}
	return v
}

func sameJSON(a, b any) bool {
	ra, errA := json.Marshal(a)
	rb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ra) == string(rb)
}
