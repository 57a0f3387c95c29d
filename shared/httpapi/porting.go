package httpapi

import (
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/porting"
)

// portingDetail is a porting request as the API shows it; the owner's ID number and the
// losing carrier's PIN are whole only for operators, and operators' private comments
// shown only to them.
type portingDetail struct {
	portingView
	AccountID      string         `json:"accountId"`
	AccountName    string         `json:"accountName,omitempty"`
	Timezone       string         `json:"timezone,omitempty"`
	UserID         string         `json:"userId"`
	SubscriptionID string         `json:"subscriptionId"`
	ConfirmedAt    time.Time      `json:"confirmedAt,omitzero"`
	Documents      []documentView `json:"documents,omitempty"`
	CreatedAt      time.Time      `json:"createdAt"`
	UpdatedAt      time.Time      `json:"updatedAt"`
	Version        int            `json:"version"`
	// AllowedMoves are the moves the caller may make now (none when it may make none).
	AllowedMoves []porting.Status `json:"allowedMoves"`
}

func toPortingDetail(who account.Actor) func(porting.Request) portingDetail {
	return func(r porting.Request) portingDetail {
		d := portingDetail{portingView: *toPortingView(&r), AccountID: r.AccountID, AccountName: r.AccountName, Timezone: r.Timezone, UserID: r.UserID, SubscriptionID: r.SubscriptionID,
			ConfirmedAt: r.ConfirmedAt, Documents: views(r.Documents, toDocumentView), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version,
			AllowedMoves: porting.MovesFor(who.Role, r.Status)}
		if who.Role == account.Operator {
			d.OwnerID, d.LosingCarrier.PIN, d.Timeline = r.OwnerID, r.LosingCarrier.PIN, views(r.Timeline, toPortingStepView)
		}
		return d
	}
}

// GetPorting answers GET /v1/porting-requests/{id}.
func (a *API) GetPorting(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		p, err := a.Porting.Get(r.Context(), who, r.PathValue("id"))
		return toPortingDetail(who)(p), err
	})
}

// ListPortings answers GET /v1/accounts/{accountId}/porting-requests?status=.
func (a *API) ListPortings(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		reqs, next, err := a.Porting.List(r.Context(), who, r.PathValue("accountId"), porting.Status(r.URL.Query().Get("status")), cursor, limit)
		return listOf(reqs, next, toPortingDetail(who)), err
	})
}

// losingCarrierBody is the losing carrier's details in a request body.
type losingCarrierBody struct {
	Name          string `json:"name"`
	AccountNumber string `json:"accountNumber"`
	PIN           string `json:"pin"`
	BillingNumber string `json:"billingNumber"`
	SigneeName    string `json:"signeeName"`
	SignedOn      string `json:"signedOn"`
}

type movePortingBody struct {
	Status        string             `json:"status"`
	ConfirmedAt   time.Time          `json:"confirmedAt"`
	Reason        string             `json:"reason"`
	Comment       string             `json:"comment"`
	Private       bool               `json:"private"`
	LosingCarrier *losingCarrierBody `json:"losingCarrier"`
	Version       *int               `json:"version"`
}

// MovePorting answers PATCH /v1/porting-requests/{id}: operators move requests through
// the desk's states; administrators cancel or send a corrected request again.
func (a *API) MovePorting(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body movePortingBody) (any, error) {
		version, err := versionOf(r, body.Version)
		if err != nil {
			return nil, err
		}
		m := porting.MoveRequest{To: porting.Status(body.Status), ConfirmedAt: body.ConfirmedAt, Reason: body.Reason,
			Comment: body.Comment, Private: body.Private, Version: version}
		if body.LosingCarrier != nil {
			m.LosingCarrier = (*porting.LosingCarrier)(body.LosingCarrier)
		}
		p, err := a.Porting.Move(r.Context(), who, r.PathValue("id"), m)
		return toPortingDetail(who)(p), err
	})
}

// ListPortingDesk answers GET /v1/porting-requests?status=&accountId=&from=&to=: the
// operators' desk across every account, the open queue due first by default.
func (a *API) ListPortingDesk(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		q := r.URL.Query()
		f := porting.DeskFilter{Status: porting.Status(q.Get("status")), AccountID: q.Get("accountId")}
		if f.From, f.To, err = timeSpan(r); err != nil {
			return nil, err
		}
		reqs, next, err := a.Porting.Desk(r.Context(), who, f, cursor, limit)
		return listOf(reqs, next, toPortingDetail(who)), err
	})
}

// DownloadPortingDocument answers GET /v1/porting-requests/{id}/documents/{documentId}
// with a presigned URL to GET the file from, for 5 minutes; the download is audit-logged.
func (a *API) DownloadPortingDocument(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		d, err := a.Porting.Download(r.Context(), who, r.PathValue("id"), r.PathValue("documentId"))
		return map[string]any{"document": toDocumentView(d.Document), "downloadUrl": d.URL, "method": "GET", "expiresAt": d.ExpiresAt,
			"size": d.Size, "uploadedAt": d.UploadedAt}, err
	})
}

type documentBody struct {
	FileName    string `json:"fileName"`
	ContentType string `json:"contentType"`
}

// UploadPortingDocument answers POST /v1/porting-requests/{id}/documents with 201 and a
// presigned URL: PUT the file there, with the same Content-Type, within 15 minutes.
func (a *API) UploadPortingDocument(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body documentBody, key string) (any, string, error) {
		up, err := a.Porting.Upload(r.Context(), who, r.PathValue("id"), body.FileName, body.ContentType, key)
		return map[string]any{"document": up.Document, "uploadUrl": up.URL, "method": "PUT",
			"headers": map[string]string{"Content-Type": up.Document.ContentType}, "expiresAt": up.ExpiresAt}, "", err
	})
}
