package account

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/text"
)

// Filter picks the accounts of a list.
type Filter struct {
	// Query is a case-insensitive prefix of a word of the name, or of the realm.
	Query  string
	Status Status
}

// Node is an account as a row of a tree shows it: where it sits and what it is called.
type Node struct {
	ID        string
	ParentID  string
	Path      []string // its ancestors and itself, from the root
	Name      string
	Realm     string
	Kind      Kind
	Status    Status
	CreatedAt time.Time
}

// NodeOf is a's row in a tree.
func NodeOf(a Account) Node {
	return Node{ID: a.ID, ParentID: a.ParentID, Path: a.Path, Name: a.Name, Realm: a.Realm, Kind: a.Kind, Status: a.Status, CreatedAt: a.CreatedAt}
}

// SearchTerms are what a search of accounts finds an account by (text.SearchKey).
func (n Node) SearchTerms() []string { return []string{n.Name, n.Realm} }

// Matches reports whether n is one of the accounts f picks, as the store's search does.
func (f Filter) Matches(n Node) bool {
	return (f.Status == "" || n.Status == f.Status) && strings.Contains(text.SearchKey(n.SearchTerms()...), " "+text.SearchQuery(f.Query))
}

// CheckQuery adds to f what is wrong with a list's search q: at most 64 characters, none
// of them control, invisible or direction-changing.
func CheckQuery(f *fault.Fields, q string) {
	if len(q) > 64 || !text.Visible(q) {
		f.Add("q", "must be at most 64 characters, without control characters")
	}
}

// check says what is wrong with f.
func (f Filter) check() error {
	var bad fault.Fields
	CheckQuery(&bad, f.Query)
	if f.Status != "" && !slices.Contains([]Status{Active, Suspended}, f.Status) {
		bad.Add("status", "must be active or suspended")
	}
	return bad.Err()
}

// Children returns a page of an account's children that f picks.
func (s *Service) Children(ctx context.Context, actor Actor, parentID string, f Filter, cursor string, limit int) ([]Account, string, error) {
	if err := f.check(); err != nil {
		return nil, "", err
	}
	if _, err := s.authorize(ctx, actor, parentID, read); err != nil {
		return nil, "", err
	}
	return s.Store.Children(ctx, parentID, f, cursor, PageSize(limit))
}

// Descendants returns a page of every account below rootID that f picks, in tree order:
// each account before its descendants (siblings in ID order), so a page draws as a tree.
func (s *Service) Descendants(ctx context.Context, actor Actor, rootID string, f Filter, cursor string, limit int) ([]Node, string, error) {
	if err := f.check(); err != nil {
		return nil, "", err
	}
	if _, err := s.authorize(ctx, actor, rootID, read); err != nil {
		return nil, "", err
	}
	return s.Store.Descendants(ctx, rootID, f, cursor, PageSize(limit))
}
