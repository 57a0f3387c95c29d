package dynamo

import (
	"time"

	"github.com/provisio/provisio/shared/numbering"
)

// rangeRow is how a numbering.Range is stored.
type rangeRow struct {
	ID        string    `json:"id"`
	AccountID string    `json:"accountId"`
	Start     string    `json:"start"`
	End       string    `json:"end"`
	Kind      string    `json:"kind"`
	Size      int       `json:"size"`
	CreatedAt time.Time `json:"createdAt"`
}

func toRangeRow(v numbering.Range) rangeRow {
	return rangeRow{
		ID:        v.ID,
		AccountID: v.AccountID,
		Start:     v.Start,
		End:       v.End,
		Kind:      string(v.Kind),
		Size:      v.Size,
		CreatedAt: v.CreatedAt,
	}
}

func (r rangeRow) domain() numbering.Range {
	return numbering.Range{
		ID:        r.ID,
		AccountID: r.AccountID,
		Start:     r.Start,
		End:       r.End,
		Kind:      numbering.Kind(r.Kind),
		Size:      r.Size,
		CreatedAt: r.CreatedAt,
	}
}

// blockRow is how a numbering.Block is stored.
type blockRow struct {
	AccountID      string    `json:"accountId"`
	First          string    `json:"first"`
	Last           string    `json:"last"`
	FirstExtension string    `json:"firstExtension"`
	LastExtension  string    `json:"lastExtension"`
	Size           int       `json:"size"`
	CreatedAt      time.Time `json:"createdAt"`
}

func toBlockRow(v numbering.Block) blockRow {
	return blockRow{
		AccountID:      v.AccountID,
		First:          v.First,
		Last:           v.Last,
		FirstExtension: v.FirstExtension,
		LastExtension:  v.LastExtension,
		Size:           v.Size,
		CreatedAt:      v.CreatedAt,
	}
}

func (r blockRow) domain() numbering.Block {
	return numbering.Block{
		AccountID:      r.AccountID,
		First:          r.First,
		Last:           r.Last,
		FirstExtension: r.FirstExtension,
		LastExtension:  r.LastExtension,
		Size:           r.Size,
		CreatedAt:      r.CreatedAt,
	}
}
