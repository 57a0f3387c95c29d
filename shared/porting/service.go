package porting

import (
	"context"
	"log/slog"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/text"
	"github.com/provisio/provisio/shared/webhook"
)

// Files keeps the documents of porting requests: it presigns their uploads and downloads,
// so a file never passes through a Lambda.
type Files interface {
	// UploadURL returns a URL that accepts one PUT of key with contentType until ttl passes.
	UploadURL(ctx context.Context, key, contentType string, ttl time.Duration) (string, error)
	// DownloadURL returns a URL that answers GET of key until ttl passes.
	DownloadURL(ctx context.Context, key string, ttl time.Duration) (string, error)
	// Stat returns the size and upload time of key; NotFound when nothing was uploaded.
	Stat(ctx context.Context, key string) (size int64, uploadedAt time.Time, err error)
}

// Accounts is what the operators' service reads of accounts.
type Accounts interface {
	account.Reader
	// Members returns the users of an account.
	Members(ctx context.Context, accountID string) ([]account.Member, error)
}

// Service is the operators' and customers' side of porting requests.
type Service struct {
	Store    Store
	Accounts Accounts
	Files    Files
	Mailer   Mailer
	// DeskEmail is where the operators hear of what the account writes on a request.
	DeskEmail string
	Log       *slog.Logger
	Now       func() time.Time
	NewID     func(prefix string) string
	// Events hears of the requests' moves.
	Events webhook.Publisher
}

// UploadTTL is how long a document upload URL works.
const UploadTTL = 15 * time.Minute

// Document is a file uploaded for a porting request (the owner's consent, an invoice).
type Document struct {
	ID          string    `json:"id"`
	FileName    string    `json:"fileName"`
	ContentType string    `json:"contentType"`
	Key         string    `json:"key"`
	RequestedAt time.Time `json:"requestedAt"`
}

// load reads a request and checks the actor may see it: operators, administrators and
// users of the request's account or above it. Outside their scope it does not exist.
func (s *Service) load(ctx context.Context, actor account.Actor, id string) (Request, account.Account, error) {
	if !actor.Role.Admin() && actor.Role != account.User && actor.Role != account.Operator {
		return Request{}, account.Account{}, fault.New(fault.Forbidden, "your role (%s) may not see porting requests", actor.Role)
	}
	r, err := s.Store.Porting(ctx, id)
	if err != nil {
		return Request{}, account.Account{}, err
	}
	acct, err := s.Accounts.Account(ctx, r.AccountID)
	if err != nil {
		return Request{}, account.Account{}, err
	}
	if err := account.InScope(actor, acct); err != nil {
		return Request{}, account.Account{}, fault.New(fault.NotFound, "no such porting request")
	}
	return r, acct, nil
}

// Get returns a porting request.
func (s *Service) Get(ctx context.Context, actor account.Actor, id string) (Request, error) {
	r, _, err := s.load(ctx, actor, id)
	return r, err
}

// List returns a page of an account's porting requests, in status when it is set.
func (s *Service) List(ctx context.Context, actor account.Actor, accountID string, status Status, cursor string, limit int) ([]Request, string, error) {
	if status != "" && !slices.Contains(all, status) {
		return nil, "", &fault.Error{Code: fault.Invalid, Message: "some fields are invalid",
			Fields: []fault.FieldReason{{Field: "status", Reason: statusReason}}}
	}
	if actor.Role == account.Operator {
		acct, err := s.Accounts.Account(ctx, accountID)
		if err != nil {
			return nil, "", err
		}
		if err := account.InScope(actor, acct); err != nil {
			return nil, "", err
		}
	} else if _, err := account.Load(ctx, s.Accounts, actor, accountID, false); err != nil {
		return nil, "", err
	}
	return s.Store.Portings(ctx, accountID, status, cursor, account.PageSize(limit))
}

// MoveRequest is a PATCH of a porting request: a move, a comment, the losing carrier's
// details, or several of them at once (the details apply first, so a request can be
// completed and scheduled in one PATCH).
type MoveRequest struct {
	To            Status
	ConfirmedAt   time.Time
	Reason        string
	Comment       string
	Private       bool
	LosingCarrier *LosingCarrier
	Version       int // 0: the current one
}

// mayMove says who moves a request where: operators run the desk (every move but
// sending it again); the account's administrators cancel, or send a corrected request
// again. Everyone who may see a request may comment on it.
func mayMove(role account.Role, to Status) bool {
	switch {
	case to == "": // a comment
		return true
	case role == account.Operator:
		return to != Submitted
	case role.Admin():
		return to == Canceled || to == Submitted
	}
	return false
}

// MovesFor lists the moves role may make from a request in status from, in the state
// machine's order: what a screen offers, so that it never offers a move the API refuses.
func MovesFor(role account.Role, from Status) []Status {
	out := []Status{}
	for _, to := range next[from] {
		if mayMove(role, to) {
			out = append(out, to)
		}
	}
	return out
}

// stepMail is what the step email can show; private comments stay out.
type stepMail struct {
	ID, Number, Status, Reason, Comment, ConfirmedAt string
}

// attempts bounds how often a change is applied again when its write loses a race with
// a write the caller did not make (the porting consumer marks requests prepared meanwhile).
const attempts = 3

// update reads a request, applies change and writes the result with its audit entry
// (and idem, when the change is a keyed create). Only a lost write race is tried again,
// on a fresh read; errors from change (a refused move, a stale version the caller sent)
// come back as they are. It returns the request's account too, read once.
func (s *Service) update(ctx context.Context, actor account.Actor, id string, idem *idempotency.Record, change func(r Request, acct account.Account, now time.Time) (Request, audit.Verb, error)) (Request, account.Account, error) {
	for i := 1; ; i++ {
		r, acct, err := s.load(ctx, actor, id)
		if err != nil {
			return Request{}, acct, err
		}
		now := s.Now().UTC()
		next, verb, err := change(r, acct, now)
		if err != nil {
			return Request{}, acct, err
		}
		next.Version = r.Version + 1
		err = s.Store.SavePorting(ctx, next, audit.New(now, actor.UserID, audit.Porting, verb, id, r, next), idem)
		if !fault.Is(err, fault.Conflict) || i == attempts {
			return next, acct, err
		}
	}
}

// Move applies a move and emails the account's administrators. Without a version it
// applies to the request as it is; with one, a request changed since is a Conflict.
func (s *Service) Move(ctx context.Context, actor account.Actor, id string, m MoveRequest) (Request, error) {
	mayEdit := actor.Role == account.Operator || actor.Role.Admin()
	if !mayMove(actor.Role, m.To) || (m.LosingCarrier != nil && !mayEdit) {
		if _, _, err := s.load(ctx, actor, id); err != nil { // unknown or out of scope: 404 first
			return Request{}, err
		}
		if m.To == "" {
			return Request{}, fault.New(fault.Forbidden, "your role (%s) may not change the losing carrier's details", actor.Role)
		}
		return Request{}, fault.New(fault.Forbidden, "your role (%s) may not move a porting request to %s", actor.Role, m.To)
	}
	var f fault.Fields
	if m.Private && actor.Role != account.Operator {
		f.Add("private", "only operators write private comments")
	}
	if err := f.Err(); err != nil {
		return Request{}, err
	}
	next, acct, err := s.update(ctx, actor, id, nil, func(r Request, acct account.Account, now time.Time) (Request, audit.Verb, error) {
		if m.LosingCarrier != nil {
			// A signature's date is a day where the account is, as the wizard reads it.
			var bad fault.Fields
			*m.LosingCarrier = m.LosingCarrier.Normalized()
			m.LosingCarrier.Check(&bad, "losingCarrier.", now.In(acct.Location()).Format(time.DateOnly))
			if err := bad.Err(); err != nil {
				return r, "", err
			}
		}
		if m.Version != 0 && m.Version != r.Version {
			return r, "", fault.New(fault.Conflict, "the porting request changed since you read it (version %d, you sent %d)", r.Version, m.Version)
		}
		next := r
		if m.LosingCarrier != nil {
			if r.Status.Final() {
				return r, "", fault.New(fault.Conflict, "a %s porting request keeps the details it had", r.Status)
			}
			next.LosingCarrier, next.UpdatedAt = *m.LosingCarrier, now
			if m.To == "" && m.Comment == "" {
				return next, audit.Update, nil
			}
		}
		next, err := next.Apply(Move{To: m.To, By: actor.UserID, ByRole: string(actor.Role), Reason: m.Reason, Comment: m.Comment, Private: m.Private, ConfirmedAt: m.ConfirmedAt}, now)
		if m.To == "" {
			return next, audit.Comment, err
		}
		return next, audit.Verb(m.To), err
	})
	if err != nil {
		return Request{}, err
	}
	if m.To != "" {
		webhook.Publish(ctx, s.Events, next.AccountID, webhook.PortingStatusChanged, statusEvent{ID: next.ID, AccountID: next.AccountID,
			UserID: next.UserID, SubscriptionID: next.SubscriptionID, Number: next.Number, Status: next.Status, ConfirmedAt: next.ConfirmedAt})
	}
	switch {
	case m.To != "" || (m.Comment != "" && !m.Private && actor.Role == account.Operator): // a step, or the desk's public word
		s.tellAdmins(ctx, next, acct, m)
	case m.Comment != "" && actor.Role != account.Operator: // the account's word, for the desk
		s.tellDesk(ctx, next, actor, m.Comment)
	}
	return next, nil
}

// statusEvent is what a porting request's webhook event carries: never its documents,
// comments or the losing carrier's PIN.
type statusEvent struct {
	ID             string    `json:"id"`
	AccountID      string    `json:"accountId"`
	UserID         string    `json:"userId,omitempty"`
	SubscriptionID string    `json:"subscriptionId,omitempty"`
	Number         string    `json:"number"`
	Status         Status    `json:"status"`
	ConfirmedAt    time.Time `json:"confirmedAt,omitzero"`
}

// tellDesk emails the operators what the account wrote on a request. A failure is
// logged: the comment stands on the timeline, where the desk reads it too.
func (s *Service) tellDesk(ctx context.Context, r Request, actor account.Actor, comment string) {
	if s.DeskEmail == "" {
		return
	}
	_, err := s.Mailer.Send(ctx, s.DeskEmail, message.PortingComment, commentMail{ID: r.ID, AccountID: r.AccountID, Number: r.Number,
		Status: string(r.Status), By: actor.UserID, Comment: comment})
	if err != nil {
		s.Log.WarnContext(ctx, "porting comment not mailed to the desk", "porting", r.ID, "error", err)
	}
}

// commentMail is what the desk's email about an account's comment shows.
type commentMail struct {
	ID, AccountID, Number, Status, By, Comment string
}

// tellAdmins emails every administrator of the request's account, and its contact, about
// a step. A failure is logged: the step stands, and the timeline shows it.
func (s *Service) tellAdmins(ctx context.Context, r Request, acct account.Account, m MoveRequest) {
	members, err := s.Accounts.Members(ctx, r.AccountID)
	if err != nil {
		s.Log.WarnContext(ctx, "porting step not mailed", "porting", r.ID, "error", err)
		return
	}
	var to []string
	for _, a := range members {
		if a.Role.Admin() && a.Email != "" {
			to = append(to, a.Email)
		}
	}
	if acct.ContactEmail != "" && !slices.Contains(to, acct.ContactEmail) {
		to = append(to, acct.ContactEmail)
	}
	data := stepMail{ID: r.ID, Number: r.Number, Status: string(r.Status), Reason: m.Reason}
	if !m.Private {
		data.Comment = m.Comment
	}
	if !r.ConfirmedAt.IsZero() {
		data.ConfirmedAt = r.ConfirmedAt.Format(time.RFC3339)
	}
	for _, addr := range to {
		if _, err := s.Mailer.Send(ctx, addr, message.PortingStep, data); err != nil {
			s.Log.WarnContext(ctx, "porting step not mailed", "porting", r.ID, "error", err)
		}
	}
}

var allowedTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// safeName is a file name with each run of characters other than letters, digits, dots,
// hyphens and underscores made one underscore, so it is safe in an object key.
func safeName(name string) string {
	var b strings.Builder
	replaced := false
	for _, r := range name {
		if r < 128 && strings.ContainsRune(text.Alphanumeric+"._-", r) {
			b.WriteRune(r)
			replaced = false
		} else if !replaced {
			b.WriteByte('_')
			replaced = true
		}
	}
	return b.String()
}

// Upload returns a presigned URL for one document of a request: a PDF or an image,
// uploaded straight to the porting documents bucket. With a key, a retry of the same
// request answers with the document the first one added, and a fresh URL for it.
func (s *Service) Upload(ctx context.Context, actor account.Actor, id, fileName, contentType, key string) (Upload, error) {
	if !actor.Role.Admin() && actor.Role != account.Operator {
		return Upload{}, fault.New(fault.Forbidden, "your role (%s) may not upload porting documents", actor.Role)
	}
	var f fault.Fields
	name := safeName(path.Base(strings.TrimSpace(fileName)))
	if name == "" || name == "." || len(name) > 100 {
		f.Add("fileName", "is required: at most 100 characters")
	}
	if !slices.Contains(allowedTypes, contentType) {
		f.Add("contentType", "must be application/pdf, image/jpeg or image/png")
	}
	if err := f.Err(); err != nil {
		return Upload{}, err
	}
	k := idempotency.NewKey("document", actor.AccountID, key, []string{id, name, contentType})
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, docID string) (Upload, error) { return s.uploaded(ctx, actor, id, docID) },
		func() (Upload, error) { return s.upload(ctx, actor, id, name, contentType, k) })
}

// Upload is a document with the presigned URL to PUT it to, and when the URL expires.
type Upload struct {
	Document  Document
	URL       string
	ExpiresAt time.Time
}

func (s *Service) upload(ctx context.Context, actor account.Actor, id, name, contentType string, k idempotency.Key) (Upload, error) {
	doc := Document{ID: s.NewID("doc-"), FileName: name, ContentType: contentType}
	doc.Key = "porting/" + id + "/" + doc.ID + "/" + name
	// Signing is local: no call is made for a request the caller may not see.
	url, err := s.Files.UploadURL(ctx, doc.Key, contentType, UploadTTL)
	if err != nil {
		return Upload{}, err
	}
	_, _, err = s.update(ctx, actor, id, k.Record(doc.ID, s.Now().UTC()), func(r Request, _ account.Account, now time.Time) (Request, audit.Verb, error) {
		doc.RequestedAt = now
		next := r
		next.Documents = append(slices.Clone(r.Documents), doc)
		next.UpdatedAt = now
		return next, audit.Document, nil
	})
	if err != nil {
		return Upload{}, err
	}
	return Upload{Document: doc, URL: url, ExpiresAt: doc.RequestedAt.Add(UploadTTL)}, nil
}

// uploaded answers a retried upload with the document the first one added.
func (s *Service) uploaded(ctx context.Context, actor account.Actor, id, docID string) (Upload, error) {
	r, _, err := s.load(ctx, actor, id)
	if err != nil {
		return Upload{}, err
	}
	i := slices.IndexFunc(r.Documents, func(d Document) bool { return d.ID == docID })
	if i < 0 {
		return Upload{}, fault.New(fault.NotFound, "no such document")
	}
	now := s.Now().UTC()
	url, err := s.Files.UploadURL(ctx, r.Documents[i].Key, r.Documents[i].ContentType, UploadTTL)
	return Upload{Document: r.Documents[i], URL: url, ExpiresAt: now.Add(UploadTTL)}, err
}
