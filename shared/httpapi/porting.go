package httpapi

import (
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/porting"
)

// portingDetail is a porting request as the API shows it; the owner's ID number is
// whole only for operators, and operators' private comments only to them.
type portingDetail struct {
	portingView
	AccountID      string             `json:"accountId"`
	UserID         string             `json:"userId"`
	SubscriptionID string             `json:"subscriptionId"`
	ConfirmedAt    time.Time          `json:"confirmedAt,omitzero"`
	Documents      []porting.Document `json:"documents,omitempty"`
	CreatedAt      time.Time          `json:"createdAt"`
	UpdatedAt      time.Time          `json:"updatedAt"`
	Version        int                `json:"version"`
}

func toPortingDetail(who account.Actor) func(porting.Request) portingDetail {
	return func(r porting.Request) portingDetail {
		d := portingDetail{portingView: *toPortingView(&r), AccountID: r.AccountID, UserID: r.UserID, SubscriptionID: r.SubscriptionID,
			ConfirmedAt: r.ConfirmedAt, Documents: r.Documents, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
		if who.Role == account.Operator {
			d.OwnerID = r.OwnerID
			return d
		}
		d.Timeline = nil
		for _, st := range r.Timeline {
			if !st.Private {
				d.Timeline = append(d.Timeline, st)
			}
		}
		return d
	}
}

// GetPorting answers GET /v1/porting-requests/{id}.
func (a *API) GetPorting(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	p, err := a.Porting.Get(r.Context(), who, r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPortingDetail(who)(p))
}

// ListPortings answers GET /v1/accounts/{accountId}/porting-requests.
func (a *API) ListPortings(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	cursor, limit, err := page(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	reqs, next, err := a.Porting.List(r.Context(), who, r.PathValue("accountId"), cursor, limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listOf(reqs, next, toPortingDetail(who)))
}

type movePortingBody struct {
	Status      string    `json:"status"`
	ConfirmedAt time.Time `json:"confirmedAt"`
	Reason      string    `json:"reason"`
	Comment     string    `json:"comment"`
	Private     bool      `json:"private"`
	Version     *int      `json:"version"`
}

// MovePorting answers PATCH /v1/porting-requests/{id}: operators move requests through
// the desk's states; administrators cancel or send a corrected request again.
func (a *API) MovePorting(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	var body movePortingBody
	if err := decode(w, r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	version, err := versionOf(r, body.Version)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.Porting.Move(r.Context(), who, r.PathValue("id"), porting.MoveRequest{To: porting.Status(body.Status), ConfirmedAt: body.ConfirmedAt,
		Reason: body.Reason, Comment: body.Comment, Private: body.Private, Version: version})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPortingDetail(who)(p))
}

type documentBody struct {
	FileName    string `json:"fileName"`
	ContentType string `json:"contentType"`
}

// UploadPortingDocument answers POST /v1/porting-requests/{id}/documents with 201 and a
// presigned URL: PUT the file there, with the same Content-Type, within 15 minutes.
func (a *API) UploadPortingDocument(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	var body documentBody
	if err := decode(w, r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	doc, url, err := a.Porting.Upload(r.Context(), who, r.PathValue("id"), body.FileName, body.ContentType)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"document": doc, "uploadUrl": url, "method": "PUT",
		"headers": map[string]string{"Content-Type": doc.ContentType}, "expiresAt": doc.RequestedAt.Add(porting.UploadTTL)})
}
