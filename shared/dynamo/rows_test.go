package dynamo

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/provisio/provisio/shared/audit"
)

// storedRow is one domain type's stored shape: its row from a value, and the value back.
type storedRow struct {
	name   string
	value  any
	toRow  func(any) any
	domain func(any) any
}

func stored[T any, R row[T]](name string, toRow func(T) R) storedRow {
	var v T
	filled(reflect.ValueOf(&v).Elem())
	return storedRow{name: name, value: v,
		toRow:  func(v any) any { return toRow(v.(T)) },
		domain: func(r any) any { return r.(R).domain() }}
}

func storedRows() []storedRow {
	return []storedRow{
		stored("account", toAccountRow), stored("member", toMemberRow), stored("subscription", toSubscriptionRow),
		stored("reset", toResetRow), stored("registration", toRegistrationRow), stored("porting", toPortingRow),
		stored("range", toRangeRow), stored("block", toBlockRow), stored("sip", toSipRow), stored("sipToken", toSipTokenRow),
		stored("binding", toBindingRow), stored("callRecord", toCallRecordRow), stored("invoice", toInvoiceRow),
		stored("keySet", toKeySetRow), stored("node", toNodeRow),
		stored("audit", func(e audit.Entry) auditItem { return toAuditItem("pk", "sk", e) }),
	}
}

// storedAttributes are the attribute paths every row writes under data when each of its
// fields holds a value: the schema of the items in the table, which a row may extend but
// must not rename.
var storedAttributes = map[string][]string{
	"account": {
		"ani:S", "available.inboundTrunks:N", "available.outboundTrunks:N",
		"available.twowayTrunks:N", "available.users:N", "contactEmail:S", "createdAt:S",
		"credit.balanceMinor:N", "credit.bypass:BOOL", "credit.currency:S", "debitLimitMinor:N",
		"domain:S", "emailVerified:BOOL", "features[]:S", "id:S", "kind:S", "limits.inboundTrunks:N",
		"limits.outboundTrunks:N", "limits.twowayTrunks:N", "limits.users:N", "lowBalanceThresholdMinor:N", "mobileVerified:BOOL",
		"name:S", "parentId:S", "path[]:S", "permissions[]:S", "realm:S", "restrictions.x:S",
		"shortName:S", "smsSenderName:S", "status:S", "templateId:S", "timezone:S", "updatedAt:S",
		"version:N",
	},
	"member": {
		"accountId:S", "activatesAt:S", "activationDate:S", "aliases[]:S",
		"contact.emailVerified:BOOL", "contact.mobile:S", "contact.mobileVerified:BOOL",
		"contact.name:S", "contact.pending.x.attempts:N", "contact.pending.x.codeHash:S",
		"contact.pending.x.expiresAt:S", "contact.pending.x.messageId:S",
		"contact.pending.x.sentAt:S", "contact.pending.x.sentTo:S", "contact.privateNotes:S",
		"contact.publicNotes:S", "createdAt:S", "disabled:BOOL", "email:S", "firstName:S", "id:S", "inactive:BOOL",
		"invoiceAddress.city:S", "invoiceAddress.country:S", "invoiceAddress.name:S",
		"invoiceAddress.postalCode:S", "invoiceAddress.street:S", "lastName:S", "personnelId:S",
		"phone:S", "primaryNumber:S", "role:S", "sessionEpoch:N", "username:S", "version:N",
	},
	"subscription": {
		"accountId:S", "activatedAt:S", "activatesAt:S", "activationDate:S", "createdAt:S", "id:S", "kind:S", "number:S",
		"numberFreeAt:S", "portingId:S", "sim.dispatchedOn:S", "sim.iccid:S", "simDeliveryAddress.city:S", "simDeliveryAddress.country:S",
		"simDeliveryAddress.name:S", "simDeliveryAddress.postalCode:S",
		"simDeliveryAddress.street:S", "status:S", "terminatedAt:S", "terminationReason:S", "userId:S", "version:N",
	},
	"reset": {
		"accountId:S", "expiresAt:S", "tokenHash:S", "userId:S",
	},
	"registration": {
		"accountId:S", "contact.email:S", "contact.name:S", "contact.phone:S", "createdAt:S",
		"history[].at:S", "history[].reason:S", "history[].status:S", "id:S", "notification.kind:S",
		"notification.messageId:S", "notification.sentAt:S", "ownerId:S", "realm:S", "schedule:S", "status:S",
		"templateId:S", "tenant.adminUserName:S", "tenant.ani:S", "tenant.name:S",
		"tenant.shortName:S", "tenant.upnSuffix:S", "updatedAt:S", "version:N",
	},
	"porting": {
		"accountId:S", "accountName:S", "confirmedAt:S", "country:S", "createdAt:S", "documents[].contentType:S",
		"documents[].fileName:S", "documents[].id:S", "documents[].key:S",
		"documents[].requestedAt:S", "id:S", "losingCarrier.accountNumber:S", "losingCarrier.billingNumber:S",
		"losingCarrier.name:S", "losingCarrier.pin:S", "losingCarrier.signedOn:S", "losingCarrier.signeeName:S", "number:S", "ownerId:S", "ownerType:S", "preparedAt:S",
		"proposedAt:S", "status:S", "subscriptionId:S", "temporaryNumber:S", "timeline[].at:S",
		"timeline[].by:S", "timeline[].byRole:S", "timeline[].comment:S", "timeline[].commentOnly:BOOL",
		"timeline[].private:BOOL", "timeline[].reason:S", "timeline[].status:S", "timezone:S", "updatedAt:S",
		"userId:S", "version:N",
	},
	"node": {
		"createdAt:S", "id:S", "kind:S", "name:S", "parentId:S", "path[]:S", "realm:S", "status:S",
	},
	"range": {
		"accountId:S", "createdAt:S", "end:S", "id:S", "kind:S", "size:N", "start:S",
	},
	"block": {
		"accountId:S", "createdAt:S", "first:S", "firstExtension:S", "last:S", "lastExtension:S",
		"size:N",
	},
	"sip": {
		"accountId:S", "activateTokenHash:S", "createdAt:S", "disabledAnnouncement:S",
		"displayName:S", "email:S", "enabled:BOOL", "id:S", "installTokenHash:S", "keyVersion:N",
		"lastSms.kind:S", "lastSms.messageId:S", "lastSms.sentAt:S", "lastStatus:S",
		"lastStatusDate:S", "primaryNumber:S", "secondaryNumber:S", "smsSentAt[]:S", "updatedAt:S",
		"username:S", "version:N",
	},
	"sipToken": {
		"accountId:S", "expiresAt:S", "hash:S", "keyVersion:N", "kind:S", "sipId:S",
	},
	"binding": {
		"accountId:S", "contact:S", "expiresAt:S", "registeredAt:S", "sipId:S", "userAgent:S",
	},
	"callRecord": {
		"accountId:S", "costMinor:N", "currency:S", "direction:S", "durationSeconds:N", "from:S",
		"id:S", "inProgress:BOOL", "start:S", "to:S",
	},
	"invoice": {
		"accountId:S", "acknowledgedAt:S", "adjusts:S", "createdAt:S", "createdBy:S", "currency:S",
		"exportedAt:S", "id:S", "lines[].answered:N", "lines[].calls:N", "lines[].costMinor:N",
		"lines[].period:S", "lines[].seconds:N", "lines[].start:S", "lines[].summaryId:S",
		"reference:S", "status:S", "total:S", "totalMinor:N", "version:N",
	},
	"keySet": {
		"current.id:S", "current.key:B", "previous.id:S", "previous.key:B", "rotatedAt:S",
	},
	"audit": {
		"action:S", "actor:S", "at:S", "diff.x.after:S", "diff.x.before:S", "entity:S", "entityId:S",
		"pk:S", "sk:S",
	},
}

// TestRowsKeepTheStoredSchema: a value with every field set is stored under the attribute
// names items have always had, and reads back whole: no converter forgets a field.
func TestRowsKeepTheStoredSchema(t *testing.T) {
	for _, r := range storedRows() {
		t.Run(r.name, func(t *testing.T) {
			row := r.toRow(r.value)
			item, err := marshal(map[string]any{"data": row})
			if err != nil {
				t.Fatal(err)
			}
			got := attributePaths(item["data"], "")
			if want := storedAttributes[r.name]; !slices.Equal(got, want) {
				t.Errorf("stored attributes (-want +got):\n%s", cmp.Diff(want, got))
			}
			back := reflect.New(reflect.TypeOf(row))
			if err := unmarshal(item, &struct {
				Data any `json:"data"`
			}{Data: back.Interface()}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(r.value, r.domain(back.Elem().Interface())); diff != "" {
				t.Errorf("read back (-stored +read):\n%s", diff)
			}
		})
	}
}

// attributePaths lists the leaves under v: "limits.users", "history[].status".
func attributePaths(v types.AttributeValue, prefix string) []string {
	var out []string
	switch v := v.(type) {
	case *types.AttributeValueMemberM:
		for k, e := range v.Value {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out = append(out, attributePaths(e, p)...)
		}
	case *types.AttributeValueMemberL:
		for _, e := range v.Value {
			out = append(out, attributePaths(e, prefix+"[]")...)
		}
	default:
		out = append(out, prefix+":"+strings.TrimPrefix(fmt.Sprintf("%T", v), "*types.AttributeValueMember"))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// filled sets every field of v, recursively, to a value that is not its zero, except the
// fields the JSON form leaves out (secrets: a row has no place for them).
func filled(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		filled(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		filled(v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		filled(key)
		filled(val)
		v.SetMapIndex(key, val)
	case reflect.Interface: // an audit change's sides: any JSON value
		v.Set(reflect.ValueOf("x"))
	case reflect.Uint8:
		v.SetUint(7)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).Tag.Get("json") != "-" {
				filled(v.Field(i))
			}
		}
	}
}
