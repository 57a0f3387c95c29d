package localserver_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/golang-jwt/jwt/v5"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/auth"
)

// noUserCache makes every protected function read the user on every request, so a test
// sees a deleted or locked user refused at once rather than after the cache's 30 seconds.
func noUserCache(_ string, d *app.Deps) {
	if d.Authenticator != nil {
		d.Authenticator.CacheTTL = 0
	}
}

// TestTokensAreCheckedInTheFunction: each protected function verifies the token itself
// and answers RFC 6750's 401 problem for every bad one.
func TestTokensAreCheckedInTheFunction(t *testing.T) {
	e := mustServe(t, mustEngine(t), noUserCache)
	root := e.rootToken()
	acct := e.newAccount(root, "", "Tokens", 0, adminBody("tok@tokens.example"))
	good := e.login(acct.Realm, "tok@tokens.example", clearPassword)
	path := "/v1/accounts/" + acct.ID

	signer, err := e.srv.Function("LoginFunction").Auth.Signer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	caller := auth.Caller{UserID: acct.Admin.ID, AccountID: acct.ID, Role: account.TenantAdmin}
	past := *signer
	past.Now = func() time.Time { return time.Now().Add(-time.Hour) }
	expired, _, _ := past.Issue(caller, "tok-expired")
	other, _ := auth.NewSigner(strings.Repeat("another-seed-", 4))
	otherSigned, _, _ := other.Issue(caller, "tok-other")
	other.Public.ID = signer.Public.ID
	underOurKid, _, _ := other.Issue(caller, "tok-forged")
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": caller.UserID, "acc": "provider", "role": "provider_admin",
		"iss": auth.Issuer, "aud": auth.Audience, "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}).
		SignedString(jwt.UnsafeAllowNoneSignatureType)
	parts := strings.Split(good, ".")
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(claims), acct.ID, "provider", 1))) + "." + parts[2]

	const challenge, invalid = `Bearer realm="provisio"`, `Bearer realm="provisio", error="invalid_token"`
	cases := []struct {
		name      string
		headers   []string
		status    int
		challenge string
	}{
		{"valid", bearer(good), http.StatusOK, ""},
		{"no token", nil, http.StatusUnauthorized, challenge},
		{"not bearer", []string{"Authorization", "Basic " + good}, http.StatusUnauthorized, challenge},
		{"garbage", bearer("garbage"), http.StatusUnauthorized, invalid},
		{"expired", bearer(expired), http.StatusUnauthorized, invalid},
		{"unpublished key", bearer(otherSigned), http.StatusUnauthorized, invalid},
		{"another key under the published kid", bearer(underOurKid), http.StatusUnauthorized, invalid},
		{"alg none", bearer(none), http.StatusUnauthorized, invalid},
		{"tampered account claim", bearer(tampered), http.StatusUnauthorized, invalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.do("GET", path, nil, c.headers...)
			if res.status != c.status || res.header.Get("WWW-Authenticate") != c.challenge {
				t.Fatalf("got %d %q %s, want %d %q", res.status, res.header.Get("WWW-Authenticate"), res.body, c.status, c.challenge)
			}
			if c.status != http.StatusOK && res.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("a refusal of type %q: %s", res.header.Get("Content-Type"), res.body)
			}
		})
	}

	t.Run("guessed user", func(t *testing.T) {
		// A guesser's failures throttle the guesser; they do not end the user's session.
		guessed := e.newAccount(root, "", "Guessed", 0, adminBody("lock@locked.example"))
		tok := e.login(guessed.Realm, "lock@locked.example", clearPassword)
		for range auth.MaxFailedLogins {
			e.do("POST", "/v1/auth/login", map[string]string{"domain": guessed.Realm, "username": "lock@locked.example", "password": "Wrong-Horse-99"})
		}
		if res := e.do("GET", "/v1/accounts/"+guessed.ID, nil, bearer(tok)...); res.status != http.StatusOK {
			t.Fatalf("the guessed user's token: %d %s", res.status, res.body)
		}
	})
	t.Run("deleted user", func(t *testing.T) {
		gone := e.newAccount(root, "", "Gone", 0, adminBody("gone@gone.example"))
		tok := e.login(gone.Realm, "gone@gone.example", clearPassword)
		table := e.table("LoginFunction").Name
		if _, err := dynamodb.NewFromConfig(e.aws).DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: &table,
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "ACC#" + gone.ID}, "sk": &types.AttributeValueMemberS{Value: "USER#" + gone.Admin.ID}}}); err != nil {
			t.Fatal(err)
		}
		if res := e.do("GET", "/v1/accounts/"+gone.ID, nil, bearer(tok)...); res.status != http.StatusUnauthorized {
			t.Fatalf("a deleted user's token: %d %s", res.status, res.body)
		}
	})
}

func TestFailedSignInsThrottleTheGuesserNotTheUser(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct := e.newAccount(root, "", "Lockout", 0, adminBody("l@lockout.example"))
	login := func(user, pw string) response {
		return e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": user, "password": pw})
	}
	unknown := login("nobody@lockout.example", "Wrong-Horse-99")
	for i := range auth.MaxFailedLogins {
		res := login("l@lockout.example", "Wrong-Horse-99")
		if res.status != http.StatusUnauthorized || string(stripRequestID(res.body)) != string(stripRequestID(unknown.body)) {
			t.Fatalf("failure %d: %d %s (unknown user: %s)", i+1, res.status, res.body, unknown.body)
		}
	}
	// This address may not try this name for a while, even with the right password...
	res := login("l@lockout.example", clearPassword)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("the right password from the guesser's address: %d %s", res.status, res.body)
	}
	// ... and an unknown name is throttled alike, so a 429 tells nobody who exists.
	for range auth.MaxFailedLogins - 1 {
		login("nobody@lockout.example", "Wrong-Horse-99")
	}
	if res := login("nobody@lockout.example", "Wrong-Horse-99"); res.status != http.StatusTooManyRequests {
		t.Fatalf("an unknown name after as many failures: %d %s", res.status, res.body)
	}
	// The user, from their own address, is not locked out.
	h := e.srv.Function("LoginFunction").Handler
	ev := events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/auth/login", RawPath: "/v1/auth/login",
		Headers: map[string]string{"content-type": "application/json"},
		Body:    `{"domain":"` + acct.Realm + `","username":"l@lockout.example","password":"` + clearPassword + `"}`}
	ev.RequestContext.HTTP.Method, ev.RequestContext.HTTP.Path, ev.RequestContext.HTTP.SourceIP = "POST", "/v1/auth/login", "203.0.113.7"
	out, err := h.(apigw.Handler)(context.Background(), ev)
	if err != nil || out.StatusCode != http.StatusOK {
		t.Fatalf("the user from another address: %d %s %v", out.StatusCode, out.Body, err)
	}
}

var requestIDField = regexp.MustCompile(`"requestId":"[^"]*"`)

func stripRequestID(b []byte) []byte { return requestIDField.ReplaceAll(b, nil) }

var resetLink = regexp.MustCompile(`reset-password\?token=([A-Za-z0-9_-]+)`)

func TestPasswordResetThroughTheOutbox(t *testing.T) {
	e := mustServe(t, mustEngine(t), noUserCache)
	root := e.rootToken()
	acct := e.newAccount(root, "", "Reset", 0, adminBody("r@reset.example"))
	before := e.login(acct.Realm, "r@reset.example", clearPassword)
	ask := func(user string) response {
		return e.do("POST", "/v1/auth/password-reset", map[string]string{"domain": acct.Realm, "username": user})
	}
	if res := ask("nobody@reset.example"); res.status != http.StatusAccepted {
		t.Fatalf("unknown user: %d %s", res.status, res.body)
	}
	if res := ask("r@reset.example"); res.status != http.StatusAccepted {
		t.Fatalf("known user: %d %s", res.status, res.body)
	}
	var token string
	eventually(t, "a reset link in the outbox", func() bool {
		for _, m := range e.outboxTo("r@reset.example") {
			if got := resetLink.FindStringSubmatch(m.Body); got != nil {
				token = got[1]
			}
		}
		return token != ""
	})
	e.queueSettled("PasswordResetQueue") // the unknown name's request has run too
	if len(e.outboxTo("nobody@reset.example")) != 0 {
		t.Fatal("mail sent for an unknown user")
	}
	confirm := func(tok, pw string) response {
		return e.do("POST", "/v1/auth/password-reset/confirm", map[string]string{"token": tok, "password": pw})
	}
	if res := confirm(token, "weak"); res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), `"password"`) {
		t.Fatalf("weak password: %d %s", res.status, res.body)
	}
	if res := confirm(token, "Brand-New-Horse-7"); res.status != http.StatusNoContent {
		t.Fatalf("confirm: %d %s", res.status, res.body)
	}
	if res := confirm(token, "Another-New-Horse-8"); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("the link worked twice: %d %s", res.status, res.body)
	}
	if res := confirm("forged-token", "Another-New-Horse-8"); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a forged link: %d %s", res.status, res.body)
	}
	// The reset ends the sessions signed in before it; new ones work.
	if res := e.do("GET", "/v1/me", nil, bearer(before)...); res.status != http.StatusUnauthorized {
		t.Fatalf("a token from before the reset: %d %s", res.status, res.body)
	}
	after := e.login(acct.Realm, "r@reset.example", "Brand-New-Horse-7")
	if res := e.do("GET", "/v1/me", nil, bearer(after)...); res.status != http.StatusOK {
		t.Fatalf("a token from after the reset: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "r@reset.example", "password": clearPassword}); res.status != http.StatusUnauthorized {
		t.Fatalf("the old password still works: %d", res.status)
	}
}

// TestThePasswordHashIsKeptOutOfTheUsersData: a user's item holds its password hash in an
// attribute of its own, never in the data its JSON form (API, audit) comes from; and a user
// stored before, with the hash inside the data, still signs in.
func TestThePasswordHashIsKeptOutOfTheUsersData(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct := e.newAccount(root, "", "Hashes", 0, adminBody("h@hashes.example"))
	table := e.table("LoginFunction").Name
	db := dynamodb.NewFromConfig(e.aws)
	k := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "ACC#" + acct.ID}, "sk": &types.AttributeValueMemberS{Value: "USER#" + acct.Admin.ID}}
	out, err := db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: &table, Key: k})
	if err != nil {
		t.Fatal(err)
	}
	hash, ok := out.Item["passwordHash"].(*types.AttributeValueMemberS)
	data, _ := out.Item["data"].(*types.AttributeValueMemberM)
	if !ok || !strings.HasPrefix(hash.Value, "$2") || data == nil || data.Value["passwordHash"] != nil {
		t.Fatalf("the stored user: %v", out.Item)
	}
	// The shape of the items written before: the hash inside the data.
	data.Value["passwordHash"] = hash
	delete(out.Item, "passwordHash")
	if _, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: &table, Item: out.Item}); err != nil {
		t.Fatal(err)
	}
	if tok := e.login(acct.Realm, "h@hashes.example", clearPassword); tok == "" {
		t.Fatal("a user stored the old way cannot sign in")
	}
}
