package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
)

func contactsPK(accountID string) string { return "CONTACTS#" + accountID }

// Contacts implements contact.Store: one page of the account's contacts from gsi1.
// The search is a filter within the account's contacts, so a page reads on until it is
// full (pageFiltered).
func (s *ContactStore) Contacts(ctx context.Context, accountID, query, cursor string, limit int) ([]account.Member, string, error) {
	in, err := s.gsiPage(contactsPK(accountID), cursor)
	if err != nil {
		return nil, "", err
	}
	var where filter
	where.search(query)
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, memberFrom)
}

// SaveContact implements contact.Store in one transaction: the contact (version-checked),
// its sign-in lookups and email guard moved when the login email changed, the account
// when changed, and the audit entries.
func (s *ContactStore) SaveContact(ctx context.Context, acct account.Account, before, after account.Member, entries []audit.Entry, changed *account.Account) error {
	put, err := s.memberPut(after)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{put}
	if before.Email != after.Email { // a contact's login name is its email
		var rows []any
		for _, d := range loginDomains(acct) {
			for _, name := range loginNames(before) {
				items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(loginPK(d, name), loginSK)}})
			}
			for _, name := range loginNames(after) {
				rows = append(rows, loginItem{PK: loginPK(d, name), SK: loginSK, AccountID: acct.ID, UserID: after.ID})
			}
		}
		items = append(items, s.guardDelete(guardEmail, lower(before.Email), userOwner(before)))
		rows = append(rows, guard{PK: guardPK(guardEmail, lower(after.Email)), SK: guardSK, Owner: userOwner(after)})
		puts, err := s.putsNew(rows)
		if err != nil {
			return err
		}
		items = append(items, puts...)
	}
	if changed != nil {
		update, err := s.accountUpdate(*changed)
		if err != nil {
			return err
		}
		items = append(items, update)
	}
	audits, err := s.auditPuts(acct.ID, entries)
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}
