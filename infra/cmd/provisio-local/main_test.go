package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLinksFollowTheServedAddress(t *testing.T) {
	got := linkParameters("127.0.0.1:3101", "", "")
	want := map[string]string{"PublicApiUrl": "http://127.0.0.1:3101", "PortalUrl": "http://127.0.0.1:3101"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
	got = linkParameters("127.0.0.1:3101", "https://api.example", "https://portal.example")
	want = map[string]string{"PublicApiUrl": "https://api.example", "PortalUrl": "https://portal.example"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
}
