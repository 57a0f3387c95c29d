package auth

import (
	"crypto/ed25519"
	"time"
)

// SignerRefresh is how long the sign-in function keeps the signing secret it read: a
// rotated secret signs every new token within this time, without a deploy.
const SignerRefresh = 5 * time.Minute

// RotationGrace is how long after a rotation the previous key still verifies: a warm
// sign-in function may sign with it until it reloads the secret, and what it signed
// lives TokenTTL, plus the verifier's leeway.
const RotationGrace = SignerRefresh + TokenTTL + time.Minute

// KeySet is what verifies tokens: the key the sign-in function signs with now and,
// during a rotation, the one before it. The sign-in function publishes its key before
// it signs a token with it, so no token names a kid that is not yet published.
type KeySet struct {
	Current  PublicKey  `json:"current"`
	Previous *PublicKey `json:"previous,omitempty"`
	// RotatedAt is when Current replaced Previous.
	RotatedAt time.Time `json:"rotatedAt"`
	// Version is the stored copy's version (0: none stored yet).
	Version int `json:"-"`
}

// Key returns the public key named kid, if it verifies tokens at now.
func (ks KeySet) Key(kid string, now time.Time) (ed25519.PublicKey, bool) {
	switch {
	case kid == "":
		return nil, false
	case kid == ks.Current.ID:
		return ks.Current.Key, true
	case ks.Previous != nil && kid == ks.Previous.ID && now.Before(ks.RotatedAt.Add(RotationGrace)):
		return ks.Previous.Key, true
	}
	return nil, false
}

// Publish returns the set with k as the current key, and whether that changed it. The
// previous key is kept for RotationGrace. A key that is already current, or is the
// previous one (a warm sign-in function that has not yet reloaded the secret), changes
// nothing: a rotation only moves forward.
func (ks KeySet) Publish(k PublicKey, now time.Time) (KeySet, bool) {
	if k.ID == ks.Current.ID || (ks.Previous != nil && k.ID == ks.Previous.ID) {
		return ks, false
	}
	next := KeySet{Current: k, RotatedAt: now.UTC(), Version: ks.Version + 1}
	if ks.Current.ID != "" {
		prev := ks.Current
		next.Previous = &prev
	}
	return next, true
}
