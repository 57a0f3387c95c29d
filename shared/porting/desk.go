package porting

import (
	"context"
	"slices"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
)

// DeskFilter picks the requests of the operators' desk.
type DeskFilter struct {
	// Status is one state; "" is the open queue: every request not yet completed or canceled.
	Status Status
	// AccountID keeps the requests of one account.
	AccountID string
	// From and To bound when a request is due (Request.Due), both included.
	From, To time.Time
}

// Desk returns a page of the operators' desk across every account: the open queue sorted
// by what is due first, or the requests in one state (completed and canceled ones latest
// first). Operators and provider administrators of the provider's own account only.
func (s *Service) Desk(ctx context.Context, actor account.Actor, f DeskFilter, cursor string, limit int) ([]Request, string, error) {
	if actor.Role != account.Operator && actor.Role != account.ProviderAdmin {
		return nil, "", fault.New(fault.Forbidden, "your role (%s) may not read the porting desk", actor.Role)
	}
	if actor.AccountID != account.ProviderRootID { // every account's requests: the provider's staff alone
		return nil, "", fault.New(fault.Forbidden, "the porting desk is for the provider's own staff")
	}
	var bad fault.Fields
	if f.Status != "" && !slices.Contains(all, f.Status) {
		bad.Add("status", statusReason)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		bad.Add("to", "must not be before from")
	}
	if err := bad.Err(); err != nil {
		return nil, "", err
	}
	return s.Store.Desk(ctx, f, cursor, account.PageSize(limit))
}

var all = []Status{Submitted, Pending, Scheduled, Rejected, Completed, Canceled}

const statusReason = "must be one of submitted, pending, scheduled, rejected, completed, canceled"

// DownloadTTL is how long a document download URL works: long enough to open it, short
// enough that a forwarded link soon stops working.
const DownloadTTL = 5 * time.Minute

// Download is a document with the presigned URL to GET it from.
type Download struct {
	Document   Document
	URL        string
	ExpiresAt  time.Time
	Size       int64
	UploadedAt time.Time
}

// Download returns a presigned URL for one document of a request, for operators only,
// and records the download in the account's audit log (the documents carry the owner's
// identity). A document that was never uploaded is NotFound.
func (s *Service) Download(ctx context.Context, actor account.Actor, id, docID string) (Download, error) {
	r, _, err := s.load(ctx, actor, id)
	if err != nil {
		return Download{}, err
	}
	if actor.Role != account.Operator {
		return Download{}, fault.New(fault.Forbidden, "your role (%s) may not download porting documents", actor.Role)
	}
	i := slices.IndexFunc(r.Documents, func(d Document) bool { return d.ID == docID })
	if i < 0 {
		return Download{}, fault.New(fault.NotFound, "no such document")
	}
	doc := r.Documents[i]
	size, uploaded, err := s.Files.Stat(ctx, doc.Key)
	if err != nil {
		return Download{}, err
	}
	url, err := s.Files.DownloadURL(ctx, doc.Key, DownloadTTL)
	if err != nil {
		return Download{}, err
	}
	now := s.Now().UTC()
	entry := audit.New(now, actor.UserID, audit.Porting, audit.Download, id, nil, downloadAudit{DocumentID: doc.ID, FileName: doc.FileName})
	if err := s.Store.RecordAudit(ctx, r.AccountID, entry); err != nil {
		return Download{}, err // no record, no download
	}
	return Download{Document: doc, URL: url, ExpiresAt: now.Add(DownloadTTL), Size: size, UploadedAt: uploaded}, nil
}

// downloadAudit is what a download's audit entry shows.
type downloadAudit struct {
	DocumentID string `json:"documentId"`
	FileName   string `json:"fileName"`
}
