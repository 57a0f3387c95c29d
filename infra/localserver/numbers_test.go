package localserver_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestNumberRangesAvailableNumbersAndBlocks(t *testing.T) {
	e := mustStart(t)
	acct, token := sipTenant(e, "Numbers")
	base := "/v1/accounts/" + acct.ID
	if res := e.do("POST", base+"/internal-number-blocks", nil, bearer(token)...); res.status != http.StatusConflict ||
		!strings.Contains(res.String(), "number range parameters") {
		t.Fatalf("a block without ranges: %d %s", res.status, res.body)
	}
	addRange := func(start, end, kind string) response {
		return e.do("POST", base+"/number-ranges", map[string]string{"start": start, "end": end, "kind": kind}, bearer(token)...)
	}
	if res := addRange("+46 8 1234 0000", "+46 8 1234 0249", "fixed"); res.status != http.StatusCreated || !strings.Contains(res.String(), `"size":250`) {
		t.Fatalf("range: %d %s", res.status, res.body)
	}
	if res := addRange("+46812340200", "+46812340299", "fixed"); res.status != http.StatusConflict {
		t.Fatalf("overlapping range: %d %s", res.status, res.body)
	}
	if res := addRange("+46812350000", "+46812350099", "mobile"); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("fixed numbers as mobile: %d %s", res.status, res.body)
	}
	if res := addRange("+46701230000", "+46701230009", "mobile"); res.status != http.StatusCreated {
		t.Fatalf("mobile range: %d %s", res.status, res.body)
	}

	// A client account takes +46812340001: the wizard must not offer it.
	e.sipDo(token, "POST", base+"/sip-accounts", map[string]string{"displayName": "Desk", "email": "d@numbers.example", "primaryNumber": "+46812340001"})
	var page struct {
		Items []struct {
			Number string `json:"number"`
			Kind   string `json:"kind"`
		} `json:"items"`
		Cursor string `json:"cursor"`
	}
	e.do("GET", base+"/numbers/available?kind=fixed&limit=3", nil, bearer(token)...).decode(t, &page)
	if len(page.Items) != 3 || page.Items[0].Number != "+46812340000" || page.Items[1].Number != "+46812340002" || page.Cursor == "" {
		t.Fatalf("first page: %+v", page)
	}
	e.do("GET", base+"/numbers/available?kind=fixed&limit=2&cursor="+page.Cursor, nil, bearer(token)...).decode(t, &page)
	if len(page.Items) != 2 || page.Items[0].Number != "+46812340004" {
		t.Fatalf("second page: %+v", page)
	}
	page.Cursor = "" // absent on the last page
	e.do("GET", base+"/numbers/available?kind=mobile", nil, bearer(token)...).decode(t, &page)
	if len(page.Items) != 10 || page.Items[0].Kind != "mobile" || page.Cursor != "" {
		t.Fatalf("mobile numbers: %+v", page)
	}
	if res := e.do("GET", base+"/numbers/available?cursor=KzQ2OTk5", nil, bearer(token)...); res.status != http.StatusUnprocessableEntity { // "+46999"
		t.Fatalf("foreign cursor: %d %s", res.status, res.body)
	}

	var block struct{ First, Last, FirstExtension, LastExtension string }
	res := e.do("POST", base+"/internal-number-blocks", nil, bearer(token)...)
	res.decode(t, &block)
	if res.status != http.StatusCreated || block.First != "+46812340000" || block.FirstExtension != "0000" || block.LastExtension != "0099" {
		t.Fatalf("first block: %d %s", res.status, res.body)
	}
	e.do("POST", base+"/internal-number-blocks", nil, bearer(token)...).decode(t, &block)
	if block.First != "+46812340100" {
		t.Fatalf("second block: %+v", block)
	}
	// 200-249 and the 10 mobile numbers are too few for a block of 100.
	if res := e.do("POST", base+"/internal-number-blocks", nil, bearer(token)...); res.status != http.StatusConflict {
		t.Fatalf("no block left: %d %s", res.status, res.body)
	}
}
