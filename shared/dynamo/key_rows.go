package dynamo

import (
	"crypto/ed25519"
	"time"

	"github.com/provisio/provisio/shared/apikey"
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

// apiKeyRow is how an apikey.Key is stored under data; the hash, the last use and the
// version are attributes of the item.
type apiKeyRow struct {
	ID         string    `json:"id"`
	AccountID  string    `json:"accountId"`
	Job        string    `json:"job"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"createdAt"`
	CreatedBy  string    `json:"createdBy"`
	ExpiresAt  time.Time `json:"expiresAt,omitzero"`
	RevokedAt  time.Time `json:"revokedAt,omitzero"`
	ReplacedBy string    `json:"replacedBy,omitempty"`
}

func toAPIKeyRow(k apikey.Key) apiKeyRow {
	return apiKeyRow{ID: k.ID, AccountID: k.AccountID, Job: string(k.Job), Name: k.Name, CreatedAt: k.CreatedAt, CreatedBy: k.CreatedBy,
		ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, ReplacedBy: k.ReplacedBy}
}

func (r apiKeyRow) domain() apikey.Key {
	return apikey.Key{ID: r.ID, AccountID: r.AccountID, Job: apikey.Job(r.Job), Name: r.Name, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy,
		ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, ReplacedBy: r.ReplacedBy}
}
