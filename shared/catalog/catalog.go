// Package catalog holds the service templates a tenant registers from. Templates are data
// files shipped inside the binary (templates/*.json), so the provider changes its offer by
// editing a file, and every function reads the same catalog without a database call.
package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"
)

//go:embed templates/*.json
var files embed.FS

// Limits caps what a tenant created from a template may use.
type Limits struct {
	InboundTrunks  int `json:"inboundTrunks"`
	OutboundTrunks int `json:"outboundTrunks"`
	TwowayTrunks   int `json:"twowayTrunks"`
	Users          int `json:"users"`
}

// Template is a service package a prospect picks when registering a tenant.
type Template struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Description        string   `json:"description"`
	Features           []string `json:"features"`
	Limits             Limits   `json:"limits"`
	DefaultPermissions []string `json:"defaultPermissions"`
	// Timezone is the IANA zone new tenants get when their number does not tell one.
	Timezone string `json:"timezone"`
	// OwnerAccountID is the reseller account that offers the template; its tenants are
	// created under it. Empty: the provider's own templates, whose tenants sit under the
	// provider's root account.
	OwnerAccountID string `json:"ownerAccountId,omitempty"`
}

// Catalog is the read-only set of templates, in ID order.
type Catalog struct{ templates []Template }

// Load reads the shipped templates and checks each one, so a broken data file stops a
// cold start instead of producing half-configured tenants.
func Load() (*Catalog, error) { return load(files) }

func load(fsys fs.FS) (*Catalog, error) {
	paths, err := fs.Glob(fsys, "templates/*.json")
	if err != nil {
		return nil, err
	}
	c := &Catalog{}
	for _, p := range paths {
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var t Template
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("template %s: %w", p, err)
		}
		if err := t.check(); err != nil {
			return nil, fmt.Errorf("template %s: %w", p, err)
		}
		if _, dup := c.Find(t.ID); dup {
			return nil, fmt.Errorf("template %s: id %q used twice", p, t.ID)
		}
		c.templates = append(c.templates, t)
	}
	slices.SortFunc(c.templates, func(a, b Template) int { return strings.Compare(a.ID, b.ID) })
	return c, nil
}

func (t Template) check() error {
	switch {
	case t.ID == "" || t.Name == "":
		return fmt.Errorf("id and name are required")
	case len(t.Features) == 0:
		return fmt.Errorf("at least one feature is required")
	case t.Limits.InboundTrunks < 0 || t.Limits.OutboundTrunks < 0 || t.Limits.TwowayTrunks < 0 || t.Limits.Users <= 0:
		return fmt.Errorf("limits must not be negative and users must be positive")
	}
	if _, err := time.LoadLocation(t.Timezone); err != nil || t.Timezone == "" {
		return fmt.Errorf("timezone %q is not an IANA zone", t.Timezone)
	}
	return nil
}

// All returns every template, in ID order.
func (c *Catalog) All() []Template { return slices.Clone(c.templates) }

// Find returns the template with id.
func (c *Catalog) Find(id string) (Template, bool) {
	for _, t := range c.templates {
		if t.ID == id {
			return t, true
		}
	}
	return Template{}, false
}
