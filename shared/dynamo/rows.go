package dynamo

// The stored shapes. Each item keeps its domain value under "data" as a row: a struct of
// this package's own, with the attribute names of the stored schema and only plain types
// (a domain's named string types are strings here), written by to…Row and read by its
// domain method. So a domain type's JSON tags, which API views, audit differences and
// messages may follow, never rename a stored attribute, and secrets (json:"-" in the
// domain) have no place in a row: they are attributes of their item, beside "data".
// TestRowsKeepTheStoredSchema holds every row to the attributes items were written with.

// row is a stored shape that reads back as the domain value T.
type row[T any] interface{ domain() T }

// each converts every element of a list, keeping an absent list absent.
func each[A, B any](in []A, convert func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, v := range in {
		out[i] = convert(v)
	}
	return out
}

// ptr converts an optional value, keeping an absent one absent.
func ptr[A, B any](in *A, convert func(A) B) *B {
	if in == nil {
		return nil
	}
	out := convert(*in)
	return &out
}

// stringMap stores a map of named string types as plain strings.
func stringMap[K, V ~string](in map[K]V) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[string(k)] = string(v)
	}
	return out
}

// typedMap reads back what stringMap stored.
func typedMap[K, V ~string](in map[string]string) map[K]V {
	if in == nil {
		return nil
	}
	out := make(map[K]V, len(in))
	for k, v := range in {
		out[K(k)] = V(v)
	}
	return out
}

// stringKeys stores a map keyed by a named string type, converting its values.
func stringKeys[K ~string, A, B any](in map[K]A, convert func(A) B) map[string]B {
	if in == nil {
		return nil
	}
	out := make(map[string]B, len(in))
	for k, v := range in {
		out[string(k)] = convert(v)
	}
	return out
}

// typedKeys reads back what stringKeys stored.
func typedKeys[K ~string, A, B any](in map[string]A, convert func(A) B) map[K]B {
	if in == nil {
		return nil
	}
	out := make(map[K]B, len(in))
	for k, v := range in {
		out[K(k)] = convert(v)
	}
	return out
}
