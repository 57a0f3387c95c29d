package httpapi

import (
	"net/http"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/numbering"
)

type rangeBody struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Kind  string `json:"kind"`
}

// AddNumberRange answers POST /v1/accounts/{accountId}/number-ranges with 201.
func (a *API) AddNumberRange(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body rangeBody, key string) (any, string, error) {
		rng, err := a.Numbers.AddRange(r.Context(), who, r.PathValue("accountId"), body.Start, body.End, numbering.Kind(body.Kind), key)
		return toRangeView(rng), "/v1/accounts/" + rng.AccountID + "/number-ranges/" + rng.ID, err
	})
}

// ReleaseNumberRange answers DELETE /v1/accounts/{accountId}/number-ranges/{rangeId}
// with 204.
func (a *API) ReleaseNumberRange(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusNoContent, func(who account.Actor, _ noBody) (any, error) {
		return nil, a.Numbers.ReleaseRange(r.Context(), who, r.PathValue("accountId"), r.PathValue("rangeId"))
	})
}

// ListNumberRanges answers GET /v1/accounts/{accountId}/number-ranges.
func (a *API) ListNumberRanges(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		ranges, err := a.Numbers.Ranges(r.Context(), who, r.PathValue("accountId"))
		return listOf(ranges, "", toRangeView), err
	})
}

// AvailableNumbers answers GET /v1/accounts/{accountId}/numbers/available?kind=: free
// numbers from the account's ranges, the wizard's examples of primary numbers.
func (a *API) AvailableNumbers(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		kind, err := numbering.Kinds(r.URL.Query().Get("kind"))
		if err != nil {
			return nil, err
		}
		nums, next, err := a.Numbers.Available(r.Context(), who, r.PathValue("accountId"), kind, cursor, limit)
		if nums == nil {
			nums = []numbering.Number{}
		}
		return listView[numbering.Number]{Items: nums, Cursor: next}, err
	})
}

// AssignNumberBlock answers POST /v1/accounts/{accountId}/internal-number-blocks with 201.
func (a *API) AssignNumberBlock(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, _ noBody, key string) (any, string, error) {
		block, err := a.Numbers.AssignBlock(r.Context(), who, r.PathValue("accountId"), key)
		return toBlockView(block), "", err
	})
}

// ListNumberBlocks answers GET /v1/accounts/{accountId}/internal-number-blocks.
func (a *API) ListNumberBlocks(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		blocks, err := a.Numbers.Blocks(r.Context(), who, r.PathValue("accountId"))
		return listOf(blocks, "", toBlockView), err
	})
}
