// Package docscheck holds the tests that keep docs/ true to the code: every function,
// type and test that docs/requirements.md names exists.
package docscheck
