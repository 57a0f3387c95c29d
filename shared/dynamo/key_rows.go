package dynamo

import (
	"crypto/ed25519"
	"time"

	"github.com/provisio/provisio/shared/auth"
)

// keySetRow is how an auth.KeySet is stored.
type keySetRow struct {
	Current   publicKeyRow  `json:"current"`
	Previous  *publicKeyRow `json:"previous,omitempty"`
	RotatedAt time.Time     `json:"rotatedAt"`
}

func toKeySetRow(v auth.KeySet) keySetRow {
	return keySetRow{
		Current:   toPublicKeyRow(v.Current),
		Previous:  ptr(v.Previous, toPublicKeyRow),
		RotatedAt: v.RotatedAt,
	}
}

func (r keySetRow) domain() auth.KeySet {
	return auth.KeySet{
		Current:   r.Current.domain(),
		Previous:  ptr(r.Previous, publicKeyRow.domain),
		RotatedAt: r.RotatedAt,
	}
}

// publicKeyRow is how an auth.PublicKey is stored.
type publicKeyRow struct {
	ID  string `json:"id"`
	Key []byte `json:"key"`
}

func toPublicKeyRow(v auth.PublicKey) publicKeyRow {
	return publicKeyRow{
		ID:  v.ID,
		Key: []byte(v.Key),
	}
}

func (r publicKeyRow) domain() auth.PublicKey {
	return auth.PublicKey{
		ID:  r.ID,
		Key: ed25519.PublicKey(r.Key),
	}
}
