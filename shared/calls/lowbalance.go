package calls

import (
	"context"
	"log/slog"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/money"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/webhook"
)

// Alerter hears that calls took an account's balance below its threshold.
type Alerter interface {
	LowBalance(ctx context.Context, acct account.Account, balanceMinor int64)
}

// LowBalanceAlert emails a low-balance alert to the account's administrators and its
// contact email, and publishes the balance.low webhook event.
type LowBalanceAlert struct {
	Members interface {
		Members(ctx context.Context, accountID string) ([]account.Member, error)
	}
	Mailer account.Mailer
	Events webhook.Publisher
	Log    *slog.Logger
}

// lowBalanceEvent is what the balance.low event carries.
type lowBalanceEvent struct {
	AccountID      string `json:"accountId"`
	BalanceMinor   int64  `json:"balanceMinor"`
	ThresholdMinor int64  `json:"thresholdMinor"`
	Currency       string `json:"currency"`
}

// lowBalanceMail is what the alert's email shows.
type lowBalanceMail struct {
	Account, Balance, Threshold string
}

// LowBalance implements Alerter. A failure is logged: the crossing stays recorded.
func (m *LowBalanceAlert) LowBalance(ctx context.Context, acct account.Account, balanceMinor int64) {
	webhook.Publish(ctx, m.Events, acct.ID, webhook.BalanceLow, lowBalanceEvent{AccountID: acct.ID, BalanceMinor: balanceMinor,
		ThresholdMinor: acct.LowBalanceThreshold, Currency: acct.Credit.Currency})
	members, err := m.Members.Members(ctx, acct.ID)
	if err != nil {
		m.Log.WarnContext(ctx, "low-balance alert not mailed", "account", acct.ID, "error", err)
		return
	}
	var to []string
	for _, u := range members {
		if u.Role.Admin() && u.Email != "" && u.MaySignIn() {
			to = append(to, u.Email)
		}
	}
	if acct.ContactEmail != "" {
		to = append(to, acct.ContactEmail)
	}
	data := lowBalanceMail{Account: acct.Name, Balance: money.Format(balanceMinor, acct.Credit.Currency),
		Threshold: money.Format(acct.LowBalanceThreshold, acct.Credit.Currency)}
	sent := map[string]bool{}
	for _, addr := range to {
		if sent[addr] {
			continue
		}
		sent[addr] = true
		if _, err := m.Mailer.Send(ctx, addr, message.LowBalance, data); err != nil {
			m.Log.WarnContext(ctx, "low-balance alert not mailed", "account", acct.ID, "error", err)
		}
	}
}
