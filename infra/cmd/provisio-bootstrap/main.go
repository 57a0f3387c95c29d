// Command provisio-bootstrap creates the provider's root account and its first
// provider_admin in a deployed stack's table, once, and prints the administrator's
// generated password on the terminal (it is stored only as a hash). Run it after the
// first `sam deploy`, with the AWS credentials of the stack's account:
//
//	go run ./infra/cmd/provisio-bootstrap -table <TableName output> -admin-email ops@example.com
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/provisio/provisio/infra/awsconfig"
	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/ident"
)

func main() {
	table := flag.String("table", "", "the stack's table (the TableName output)")
	email := flag.String("admin-email", "", "sign-in name and email of the provider's first administrator")
	operator := flag.String("operator-email", "", "optional: sign-in name and email of a first porting operator")
	switchKey := flag.String("switch-key", "", "optional: the name of an API key for the switch to post call records with (e.g. \"Kista switch\")")
	suffix := flag.String("realm-suffix", "sip.provisio.example", "the stack's RealmSuffix parameter")
	currency := flag.String("currency", "SEK", "the stack's Currency parameter")
	flag.Parse()
	if *table == "" || *email == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*table, *email, *operator, *switchKey, *suffix, *currency); err != nil {
		fmt.Fprintln(os.Stderr, "provisio-bootstrap:", err)
		os.Exit(1)
	}
}

func run(table, email, operator, switchKey, suffix, currency string) error {
	ctx := context.Background()
	awsCfg, err := awsconfig.Load(ctx)
	if err != nil {
		return err
	}
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	tbl := dynamo.NewTable(dynamodb.NewFromConfig(awsCfg), table)
	accounts := &account.Service{Store: app.AccountStore(tbl), Log: slog.Default(),
		Now: time.Now, NewID: ident.New, RealmSuffix: suffix, Currency: currency}
	created, pw, err := app.BootstrapProvider(ctx, accounts, cat, email)
	if err != nil {
		return err
	}
	fmt.Printf("Provider administrator (shown once):\n  domain:   %s\n  username: %s\n  password: %s\n",
		created.Account.Realm, created.Admin.Username, pw)
	if operator != "" {
		m, upw, err := accounts.AddOperator(ctx, operator)
		if err != nil {
			return err
		}
		fmt.Printf("Porting operator (shown once):\n  domain:   %s\n  username: %s\n  password: %s\n", created.Account.Realm, m.Username, upw)
	}
	if switchKey != "" {
		key, err := app.ProvisionAPIKey(ctx, tbl, created.Account.ID, apikey.SwitchJob, switchKey)
		if err != nil {
			return err
		}
		fmt.Printf("Switch API key %q (shown once; send as Authorization: Bearer <key>):\n  %s\n", switchKey, key.Secret)
	}
	return nil
}
