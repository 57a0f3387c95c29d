// Package audit describes who changed what: an Entry per mutation, written in the same
// transaction as the change, with a per-field difference in which secrets are masked.
package audit

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
)

// Masked stands in for any secret value in a difference.
const Masked = "***"

// secretFields are field names (compared case-insensitively, anywhere in a document)
// whose values never appear in an audit difference.
var secretFields = []string{"password", "hash", "secret", "token", "ownerid", "personalid", "key"}

// Change is one field's value before and after; nil means absent.
type Change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// Entry records one mutation.
type Entry struct {
	At       time.Time         `json:"at"`
	Actor    string            `json:"actor"`
	Action   string            `json:"action"`
	Entity   string            `json:"entity"`
	EntityID string            `json:"entityId"`
	Diff     map[string]Change `json:"diff"`
}

// New returns an entry whose Diff compares the JSON forms of before and after (either may
// be nil, for a create or a delete). Only top-level fields that changed are listed.
func New(at time.Time, actor, action, entity, entityID string, before, after any) Entry {
	return Entry{At: at, Actor: actor, Action: action, Entity: entity, EntityID: entityID, Diff: Diff(before, after)}
}

// Diff returns the changed top-level fields of two JSON-encodable values, secrets masked.
func Diff(before, after any) map[string]Change {
	b, a := fields(before), fields(after)
	out := map[string]Change{}
	for _, k := range slices.Sorted(maps.Keys(union(a, b))) {
		bv, bok := b[k]
		av, aok := a[k]
		if bok && aok && string(bv) == string(av) {
			continue
		}
		var c Change
		if bok {
			c.Before = mask(k, bv)
		}
		if aok {
			c.After = mask(k, av)
		}
		out[k] = c
	}
	return out
}

func fields(v any) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	if v == nil {
		return m
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return m
	}
	_ = json.Unmarshal(raw, &m) // non-objects have no fields to compare
	return m
}

func union(a, b map[string]json.RawMessage) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// mask decodes a field's value with every secret inside it replaced by Masked.
func mask(name string, raw json.RawMessage) any {
	if isSecret(name) {
		return Masked
	}
	var v any
	_ = json.Unmarshal(raw, &v) // raw came from json.Marshal
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
