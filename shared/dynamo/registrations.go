package dynamo

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/registration"
)

const (
	registrationSK = "REG"
	// Guard kinds that make tenant names unique platform-wide (compared case-insensitively).
	guardTenantName = "tenant-name"
	guardShortName  = "short-name"
	guardDomain     = "domain"
	guardRealm      = "realm"
)

func registrationPK(id string) string { return "REG#" + id }

// registrationItem is a registration row. While the registration is not final it is in
// gsi1 under its status, sorted by last change, so the dispatcher finds work with a Query.
// The admin's password hash is an attribute of the item, beside the data: the
// registration's JSON form leaves it out. Items written before hold it in data.
type registrationItem struct {
	PK           string          `json:"pk"`
	SK           string          `json:"sk"`
	GSI1PK       string          `json:"gsi1pk,omitempty"`
	GSI1SK       string          `json:"gsi1sk,omitempty"`
	Version      int             `json:"version"`
	PasswordHash string          `json:"passwordHash,omitempty"`
	Data         registrationRow `json:"data"`
}

// registrationFrom decodes a registration item, its admin's password hash included.
func registrationFrom(raw map[string]types.AttributeValue) (registration.Registration, error) {
	var it registrationItem
	if err := unmarshal(raw, &it); err != nil {
		return registration.Registration{}, fault.Wrap(fault.Internal, err, "could not decode a registration")
	}
	r := it.Data.domain()
	if r.Tenant.PasswordHash = it.PasswordHash; r.Tenant.PasswordHash == "" {
		r.Tenant.PasswordHash = legacyData(raw, "tenant", "passwordHash")
	}
	return r, nil
}

func toRegistrationItem(r registration.Registration) registrationItem {
	it := registrationItem{PK: registrationPK(r.ID), SK: registrationSK, Version: r.Version, PasswordHash: r.Tenant.PasswordHash, Data: toRegistrationRow(r)}
	if !registration.Final(r.Status) {
		it.GSI1PK = "REGSTATUS#" + string(r.Status)
		it.GSI1SK = sortableTime(r.UpdatedAt) + "#" + r.ID
	}
	return it
}

// nameGuards lists a registration's uniqueness guards, in the order Create writes them,
// with the request field each one protects.
func nameGuards(r registration.Registration) []struct{ kind, value, field string } {
	return []struct{ kind, value, field string }{
		{guardTenantName, lower(r.Tenant.Name), "tenant.name"},
		{guardShortName, lower(r.Tenant.ShortName), "tenant.shortName"},
		{guardDomain, lower(r.Tenant.UPNSuffix), "tenant.upnSuffix"},
	}
}

// registrationListing is a registration's row in its owner's listing (Tenant Creation
// Management), under the owner account's partition, sorted by submission time. It is
// written with every change of the registration, in the same transaction, and carries
// what the listing shows and filters on; the name keys are lower-case, for the search.
type registrationListing struct {
	PK             string    `json:"pk"`
	SK             string    `json:"sk"`
	RegistrationID string    `json:"registrationId"`
	TemplateID     string    `json:"templateId"`
	Status         string    `json:"status"`
	TenantName     string    `json:"tenantName"`
	ShortName      string    `json:"shortName"`
	NameKey        string    `json:"nameKey"`
	ShortNameKey   string    `json:"shortNameKey"`
	ContactName    string    `json:"contactName"`
	ContactEmail   string    `json:"contactEmail"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

const registrationListingSK = "REGISTRATION#"

func toRegistrationListing(r registration.Registration) registrationListing {
	return registrationListing{PK: accountPK(r.OwnerID), SK: registrationListingSK + sortableTime(r.CreatedAt) + "#" + r.ID,
		RegistrationID: r.ID, TemplateID: r.TemplateID, Status: string(r.Status), TenantName: r.Tenant.Name, ShortName: r.Tenant.ShortName,
		NameKey: lower(r.Tenant.Name), ShortNameKey: lower(r.Tenant.ShortName), ContactName: r.Contact.Name, ContactEmail: r.Contact.Email,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (l registrationListing) domain() registration.Summary {
	return registration.Summary{ID: l.RegistrationID, TemplateID: l.TemplateID, Status: registration.Status(l.Status),
		TenantName: l.TenantName, ShortName: l.ShortName, ContactName: l.ContactName, ContactEmail: l.ContactEmail,
		CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
}

// listingPut is the write of r's row in its owner's listing; none for a registration
// submitted before registrations had owners (docs/registration.md).
func (t *Table) listingPut(r registration.Registration) ([]types.TransactWriteItem, error) {
	if r.OwnerID == "" {
		return nil, nil
	}
	item, err := marshal(toRegistrationListing(r))
	if err != nil {
		return nil, fault.Wrap(fault.Internal, err, "could not encode the registration's listing")
	}
	return []types.TransactWriteItem{{Put: &types.Put{TableName: &t.Name, Item: item}}}, nil
}

// Registrations implements registration.Store. The submission span is a key condition;
// status, template and the name search are a filter, so a page reads on until it is full
// (pageFiltered).
func (s *RegistrationStore) Registrations(ctx context.Context, ownerID string, f registration.Filter, cursor string, limit int) ([]registration.Summary, string, error) {
	pk := accountPK(ownerID)
	start, err := decodeCursor(cursor, "pk", pk)
	if err != nil {
		return nil, "", err
	}
	from, to := spanKeys(registrationListingSK, f.From, f.To)
	values := map[string]types.AttributeValue{
		":pk": &types.AttributeValueMemberS{Value: pk}, ":from": &types.AttributeValueMemberS{Value: from},
		":to": &types.AttributeValueMemberS{Value: to},
	}
	in := &dynamodb.QueryInput{
		TableName: &s.Name, ExclusiveStartKey: start, ScanIndexForward: aws.Bool(false),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"), ExpressionAttributeValues: values,
	}
	var where filter
	if f.Status != "" {
		where.where("#status = :status", map[string]any{":status": string(f.Status)}, map[string]string{"#status": "status"}) // a reserved word
	}
	if f.TemplateID != "" {
		where.where("templateId = :template", map[string]any{":template": f.TemplateID}, nil)
	}
	if f.Query != "" {
		where.where("(begins_with(nameKey, :q) OR begins_with(shortNameKey, :q))", map[string]any{":q": f.Query}, nil)
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, func(raw map[string]types.AttributeValue) (registration.Summary, error) {
		var l registrationListing
		if err := unmarshal(raw, &l); err != nil {
			return registration.Summary{}, fault.Wrap(fault.Internal, err, "could not decode a registration's listing")
		}
		return l.domain(), nil
	})
}

// nameClaims appends to items the writes that hold r's names: its three guards, and
// checks that its UPN suffix is no account's realm (a sign-in domain is unique across
// realms and UPN suffixes alike) and its contact email no user's (it becomes the tenant
// administrator's). taken names the fields whose claim a cancelled transaction refused.
func (t *Table) nameClaims(items []types.TransactWriteItem, r registration.Registration) (_ []types.TransactWriteItem, taken func(failed []int) fault.Fields, err error) {
	type claim struct{ field, reason string }
	var claims []claim
	at := len(items)
	for _, g := range nameGuards(r) {
		put, err := t.guardPut(g.kind, g.value, registrationPK(r.ID))
		if err != nil {
			return nil, nil, fault.Wrap(fault.Internal, err, "could not encode a guard")
		}
		items = append(items, put)
		claims = append(claims, claim{g.field, "is already taken"})
	}
	items = append(items, t.guardAbsent(guardRealm, lower(r.Tenant.UPNSuffix)), t.guardAbsent(guardEmail, lower(r.Contact.Email)))
	claims = append(claims, claim{"tenant.upnSuffix", "is the sign-in domain of an existing account"},
		claim{"contact.email", "is in use by another user; it becomes the tenant administrator's email, so use another"})
	return items, func(failed []int) fault.Fields {
		var fields fault.Fields
		for _, i := range failed {
			if i >= at && i < at+len(claims) {
				fields.Add(claims[i-at].field, claims[i-at].reason)
			}
		}
		return fields
	}, nil
}

// nameConflict is the message of a registration whose names are in use.
const nameConflict = "the tenant name, short name, UPN suffix or contact email is already in use"

// Create implements registration.Store.
func (s *RegistrationStore) Create(ctx context.Context, r registration.Registration, entry audit.Entry, idem *idempotency.Record) error {
	item, err := marshal(toRegistrationItem(r))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the registration")
	}
	items, taken, err := s.nameClaims([]types.TransactWriteItem{s.putNew(item)}, r)
	if err != nil {
		return err
	}
	a, err := s.auditPut(registrationPK(r.ID), entry, 0)
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the audit entry")
	}
	items = append(items, a)
	listing, err := s.listingPut(r)
	if err != nil {
		return err
	}
	items = append(items, listing...)
	if items, err = s.withIdempotency(items, idem); err != nil {
		return err
	}
	failed, err := s.transact(ctx, items)
	if len(failed) == 0 {
		return err
	}
	if idem != nil && slices.Contains(failed, len(items)-1) {
		return fault.Wrap(fault.Conflict, err, "this Idempotency-Key is in use by a request in progress")
	}
	fields := taken(failed)
	if named := fields.Conflict(nameConflict, err); named != nil {
		return named
	}
	return err
}

// Retried implements registration.Store: the registration, version-checked, with its
// names claimed again as Create claims them (a failure released them).
func (s *RegistrationStore) Retried(ctx context.Context, r registration.Registration, entry audit.Entry) error {
	items, err := s.versionedRegistration(r, entry)
	if err != nil {
		return err
	}
	items, taken, err := s.nameClaims(items, r)
	if err != nil {
		return err
	}
	failed, err := s.transact(ctx, items)
	fields := taken(failed)
	if named := fields.Conflict(nameConflict, err); named != nil {
		return named
	}
	return err
}

// Get implements registration.Store.
func (s *RegistrationStore) Get(ctx context.Context, id string) (registration.Registration, error) {
	return getItem(ctx, s.Table, registrationPK(id), registrationSK, "registration", registrationFrom)
}

// Save implements registration.Store.
func (s *RegistrationStore) Save(ctx context.Context, r registration.Registration, entry audit.Entry) error {
	items, err := s.versionedRegistration(r, entry)
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, items)
	return err
}

// versionedRegistration returns the writes of a registration change: the row, checked
// against its previous version, the audit entries and the row in its owner's listing.
func (t *Table) versionedRegistration(r registration.Registration, entries ...audit.Entry) ([]types.TransactWriteItem, error) {
	item, err := marshal(toRegistrationItem(r))
	if err != nil {
		return nil, fault.Wrap(fault.Internal, err, "could not encode the registration")
	}
	items := []types.TransactWriteItem{t.putVersioned(item, r.Version)}
	for i, e := range entries {
		pk := registrationPK(r.ID)
		if e.Entity == "account" || e.Entity == "user" {
			pk = accountPK(r.AccountID)
		}
		a, err := t.auditPut(pk, e, i)
		if err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not encode the audit entry")
		}
		items = append(items, a)
	}
	listing, err := t.listingPut(r)
	return append(items, listing...), err
}

// ListByStatus implements registration.Store. It reads at most 500 rows a call, so one
// dispatcher run stays short; the rest waits for the next run.
func (s *RegistrationStore) ListByStatus(ctx context.Context, status registration.Status, cutoff time.Time) ([]registration.Registration, error) {
	const maxRows = 500
	p := dynamodb.NewQueryPaginator(s.Client, &dynamodb.QueryInput{
		TableName: &s.Name, IndexName: aws.String(gsi1),
		KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk < :cutoff"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":     &types.AttributeValueMemberS{Value: "REGSTATUS#" + string(status)},
			":cutoff": &types.AttributeValueMemberS{Value: sortableTime(cutoff)},
		},
	})
	var regs []registration.Registration
	for p.HasMorePages() && len(regs) < maxRows {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, storeError(err)
		}
		decoded, err := decodeEach(page.Items, registrationFrom)
		if err != nil {
			return nil, err
		}
		regs = append(regs, decoded...)
	}
	return regs, nil
}

// Provisioned implements registration.Store.
func (s *RegistrationStore) Provisioned(ctx context.Context, r registration.Registration, acct account.Account, admin account.Member, entries []audit.Entry) error {
	items, err := s.versionedRegistration(r, entries...)
	if err != nil {
		return err
	}
	puts, err := s.newAccountPuts(acct, &admin)
	if err != nil {
		return err
	}
	putsAt := len(items)
	items = append(items, puts...)
	domainAt := len(items)
	items = append(items, s.guardAbsent(guardRealm, lower(acct.Domain)), s.moveTrunks(acct.ParentID, acct.Limits))
	failed, err := s.transact(ctx, items)
	if len(failed) == 0 {
		return err
	}
	// Name what clashed, so the registration fails with its real cause; a lost race with
	// another delivery (the version check, item 0) stays a plain conflict.
	var clash fault.Fields
	for _, i := range failed {
		switch {
		case i == domainAt:
			clash.Add("tenant.upnSuffix", "the sign-in domain "+acct.Domain+" is the realm of another account")
		case i == domainAt+1:
			clash.Add("limits", "the parent account has no trunks or users left for the template")
		case i > putsAt && i < domainAt: // not the account row itself: another delivery writes that
			clash.Add("tenant", "the realm, the administrator's sign-in name or the contact email ("+admin.Email+") is in use by another account")
		}
	}
	if named := clash.Conflict("the tenant clashes with an existing account", err); named != nil && !slices.Contains(failed, 0) && !slices.Contains(failed, putsAt) {
		return named
	}
	return err
}

// Ended implements registration.Store.
func (s *RegistrationStore) Ended(ctx context.Context, r registration.Registration, entry audit.Entry) error {
	items, err := s.versionedRegistration(r, entry)
	if err != nil {
		return err
	}
	for _, g := range nameGuards(r) {
		items = append(items, s.guardDelete(g.kind, g.value, registrationPK(r.ID)))
	}
	_, err = s.transact(ctx, items)
	return err
}

// lower folds a name for uniqueness: names are ASCII letters and digits, domains ASCII.
func lower(s string) string { return strings.ToLower(s) }
