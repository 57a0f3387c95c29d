package httpapi

import (
	"net/http"

	"github.com/provisio/provisio/shared/numbering"
)

type rangeBody struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Kind  string `json:"kind"`
}

// AddNumberRange answers POST /v1/accounts/{accountId}/number-ranges with 201.
func (a *API) AddNumberRange(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	var body rangeBody
	if err := decode(w, r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	rng, err := a.Numbers.AddRange(r.Context(), who, r.PathValue("accountId"), body.Start, body.End, numbering.Kind(body.Kind))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rng)
}

// ListNumberRanges answers GET /v1/accounts/{accountId}/number-ranges.
func (a *API) ListNumberRanges(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	ranges, err := a.Numbers.Ranges(r.Context(), who, r.PathValue("accountId"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listView[numbering.Range]{Items: ranges})
}

// AvailableNumbers answers GET /v1/accounts/{accountId}/numbers/available?kind=: free
// numbers from the account's ranges, the wizard's examples of primary numbers.
func (a *API) AvailableNumbers(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	cursor, limit, err := page(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	kind, err := numbering.Kinds(r.URL.Query().Get("kind"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	nums, next, err := a.Numbers.Available(r.Context(), who, r.PathValue("accountId"), kind, cursor, limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if nums == nil {
		nums = []numbering.Number{}
	}
	writeJSON(w, http.StatusOK, listView[numbering.Number]{Items: nums, Cursor: next})
}

// AssignNumberBlock answers POST /v1/accounts/{accountId}/internal-number-blocks with 201.
func (a *API) AssignNumberBlock(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	b, err := a.Numbers.AssignBlock(r.Context(), who, r.PathValue("accountId"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

// ListNumberBlocks answers GET /v1/accounts/{accountId}/internal-number-blocks.
func (a *API) ListNumberBlocks(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	blocks, err := a.Numbers.Blocks(r.Context(), who, r.PathValue("accountId"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listView[numbering.Block]{Items: blocks})
}
