package auth_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/auth/authtest"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/notify/notifytest"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/testclock"
)

const pw = "Correct-Horse-42"

// fixture is a tenant signing in at kenton.example with one user, kim, over the fakes.
type fixture struct {
	clock *testclock.Clock
	store *authtest.Store
	mail  *notifytest.Mailer
	svc   *auth.Service
	kim   account.Member
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), mail: &notifytest.Mailer{},
		store: authtest.New(account.Account{ID: "acc-t", Path: []string{"provider", "acc-t"}, Domain: "kenton.example", Status: account.Active})}
	hash, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	f.kim = account.Member{ID: "usr-kim", AccountID: "acc-t", Username: "kim", Email: "kim@kenton.example", Role: account.TenantAdmin,
		PasswordHash: hash, Version: 1}
	f.store.Users["acc-t/usr-kim"] = f.kim
	signer, err := auth.NewSigner(strings.Repeat("a-test-seed-", 4))
	if err != nil {
		t.Fatal(err)
	}
	signer.Now = f.clock.Now
	f.svc = &auth.Service{Store: f.store, Mailer: f.mail, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.clock.Now,
		NewID: ident.New, PortalURL: "https://portal.example", Signer: func(context.Context) (*auth.Signer, error) { return signer, nil }}
	return f
}

func TestASignedInUsersTokenIsAcceptedEverywhere(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok, err := f.svc.Login(ctx, "198.51.100.7", " Kenton.Example ", "KIM", pw)
	if err != nil || !tok.ExpiresAt.Equal(f.clock.T.Add(auth.TokenTTL)) {
		t.Fatalf("login %+v %v", tok, err)
	}
	a := &auth.Authenticator{Keys: f.store, Members: f.store, Now: f.clock.Now, CacheTTL: auth.DefaultCacheTTL}
	who, err := a.Authenticate(ctx, "Bearer "+tok.Token)
	if err != nil || who.UserID != "usr-kim" || who.AccountID != "acc-t" || who.Role != account.TenantAdmin {
		t.Fatalf("the token: %+v %v", who, err)
	}
}

func TestFailedSignInsAreOneAnswerAndThrottleTheSource(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, unknown := f.svc.Login(ctx, "198.51.100.7", "kenton.example", "nobody", pw)
	_, wrong := f.svc.Login(ctx, "198.51.100.7", "kenton.example", "kim", "Wrong-Horse-99")
	if !fault.Is(unknown, fault.Unauthorized) || unknown.Error() != wrong.Error() {
		t.Fatalf("an unknown user %v, a wrong password %v: want one answer", unknown, wrong)
	}
	if _, err := f.svc.Login(ctx, "198.51.100.7", "", "kim", ""); !fault.Is(err, fault.Invalid) {
		t.Fatalf("no domain or password: %v", err)
	}
	for range auth.MaxFailedLogins - 1 {
		_, _ = f.svc.Login(ctx, "198.51.100.7", "kenton.example", "kim", "Wrong-Horse-99")
	}
	if _, err := f.svc.Login(ctx, "198.51.100.7", "kenton.example", "kim", pw); !fault.Is(err, fault.Throttled) {
		t.Fatalf("the right password from the guesser's address: %v", err)
	}
	if _, err := f.svc.Login(ctx, "203.0.113.9", "kenton.example", "kim", pw); err != nil {
		t.Fatalf("the user from elsewhere: %v", err)
	}
	f.clock.Advance(auth.LockFor)
	if _, err := f.svc.Login(ctx, "198.51.100.7", "kenton.example", "kim", pw); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestASuspendedAccountsUsersCannotSignIn(t *testing.T) {
	f := newFixture(t)
	acct := f.store.Accounts["acc-t"]
	acct.Status = account.Suspended
	f.store.Accounts["acc-t"] = acct
	if _, err := f.svc.Login(context.Background(), "198.51.100.7", "kenton.example", "kim", pw); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("got %v", err)
	}
}

func TestAResetLinkWorksOnceUntilItExpires(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.svc.ProcessReset(ctx, "kenton.example", "nobody"); err != nil || len(f.mail.Sent) != 0 {
		t.Fatalf("an unknown name: %v, %d mails", err, len(f.mail.Sent))
	}
	if err := f.svc.ProcessReset(ctx, "kenton.example", "kim"); err != nil || len(f.mail.Sent) != 1 || f.mail.Sent[0].Name != message.PasswordReset {
		t.Fatalf("kim's reset: %v %+v", err, f.mail.Sent)
	}
	link := f.mail.Sent[0].Field("Link")
	token := link[strings.Index(link, "token=")+len("token="):]
	if err := f.svc.ConfirmReset(ctx, token, "weak"); !fault.Is(err, fault.Invalid) {
		t.Fatalf("a weak password: %v", err)
	}
	if err := f.svc.ConfirmReset(ctx, token, "Brand-New-Horse-7"); err != nil {
		t.Fatal(err)
	}
	m := f.store.Users["acc-t/usr-kim"]
	if !password.Matches(m.PasswordHash, "Brand-New-Horse-7") || m.SessionEpoch != f.kim.SessionEpoch+1 {
		t.Fatalf("after the reset %+v", m)
	}
	if err := f.svc.ConfirmReset(ctx, token, "Another-New-Horse-8"); !fault.Is(err, fault.Invalid) {
		t.Fatalf("the link twice: %v", err)
	}
	if err := f.svc.ProcessReset(ctx, "kenton.example", "kim"); err != nil {
		t.Fatal(err)
	}
	link = f.mail.Sent[1].Field("Link")
	f.clock.Advance(auth.ResetTTL)
	if err := f.svc.ConfirmReset(ctx, link[strings.Index(link, "token=")+len("token="):], "Another-New-Horse-8"); !fault.Is(err, fault.Invalid) {
		t.Fatalf("an expired link: %v", err)
	}
}

func TestAUserGetsAFewResetLinksAWindowHoweverManyAreAsked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range auth.MaxResetMails + 2 {
		if err := f.svc.ProcessReset(ctx, "kenton.example", "kim"); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.mail.Sent) != auth.MaxResetMails {
		t.Fatalf("%d links mailed, want %d", len(f.mail.Sent), auth.MaxResetMails)
	}
	f.clock.Advance(auth.ResetMailWindow)
	if err := f.svc.ProcessReset(ctx, "kenton.example", "kim"); err != nil || len(f.mail.Sent) != auth.MaxResetMails+1 {
		t.Fatalf("after the window: %v, %d links", err, len(f.mail.Sent))
	}
}
