package validate

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"blankett/form"
)

// memRegistry is an in-memory Registry for the rule tests; the storage
// package tests the same rules against PostgreSQL.
type memRegistry struct {
	signatories []form.Signatory
	orderers    []form.Orderer
	agreements  []form.Agreement
	users       []form.User
}

func (m *memRegistry) Signatories(_ context.Context, orgnr string, asOf time.Time) ([]form.Signatory, error) {
	var out []form.Signatory
	for _, s := range m.signatories {
		if s.OrgNumber == orgnr && s.ValidOn(asOf) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (m *memRegistry) Orderers(_ context.Context, orgnr string, asOf time.Time) ([]form.Orderer, error) {
	var out []form.Orderer
	for _, o := range m.orderers {
		if o.OrgNumber == orgnr && !o.ValidFrom.After(asOf) {
			if o.Removed.After(asOf) {
				o.Removed = time.Time{}
			}
			out = append(out, o)
		}
	}
	return out, nil
}

func (m *memRegistry) OrderersByPersonnummer(_ context.Context, pnr string, asOf time.Time) ([]form.Orderer, error) {
	var out []form.Orderer
	for _, o := range m.orderers {
		if o.Personnummer == pnr && o.ActiveOn(asOf) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (m *memRegistry) Agreements(_ context.Context, orgnr string, asOf time.Time) ([]form.Agreement, error) {
	var out []form.Agreement
	for _, a := range m.agreements {
		if a.OrgNumber == orgnr {
			out = append(out, a)
		}
	}
	return out, nil
}

func (m *memRegistry) UsersByPersonnummer(_ context.Context, pnr string, asOf time.Time) ([]form.User, error) {
	var out []form.User
	for _, u := range m.users {
		if u.Personnummer == pnr && u.ActiveOn(asOf) {
			out = append(out, u)
		}
	}
	return out, nil
}

func day(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	testOrg      = "212000-0142"
	otherOrg     = "556677-8899"
	userPnr      = "198112189876"
	ordererPnr   = "197010632391" // samordningsnummer
	anotherPnr   = "191212121212"
	receivedDate = "2025-03-10"
)

func baseRegistry() *memRegistry {
	return &memRegistry{
		signatories: []form.Signatory{{ID: 1, OrgNumber: testOrg, Name: "Kerstin Åberg", ValidFrom: day("2020-01-01"), Source: form.SignatorySourceCSV}},
		agreements:  []form.Agreement{{ID: 2, OrgNumber: testOrg, PartSigned: day("2024-01-10"), Countersigned: day("2024-01-20"), CopiesReceived: 2}},
		orderers: []form.Orderer{{ID: 3, OrgNumber: testOrg, Name: "Olle Beställare", Personnummer: ordererPnr,
			ValidFrom: day("2024-02-01"), ValidTo: form.OrdererValidTo(day("2024-02-01"))}},
	}
}

func fields(kv map[string]string) form.Fields {
	f := form.Fields{}
	for k, v := range kv {
		f[k] = form.Value{Name: k, Value: v, Raw: v}
	}
	return f
}

func valid9445() map[string]string {
	return map[string]string{
		"order_new": "true", "order_change": "false", "order_remove": "false",
		"org_name": "Testkommunen", "org_number": testOrg,
		"user_name": "Ulla Användare", "user_personnummer": "19811218-9876", "user_email": "ulla@testkommunen.se",
		"user_mobile": "070-123 45 67", "user_phone": "08-123 456 78",
		"login_sms": "true", "login_bankid": "false", "login_mobile_bankid": "false", "login_eid": "false",
		"role_samverkansadministrator": "false", "role_insatsansvarig": "true", "role_deltagaransvarig": "true", "role_susrapport": "false",
		"orderer_name": "Olle Beställare", "orderer_phone": "08-123 456 00", "orderer_email": "olle@testkommunen.se",
		"signature": "true", "signer_name": "Olle Beställare", "sign_place": "Teststad", "sign_date": "2025-03-05",
	}
}

func valid9463() map[string]string {
	return map[string]string{
		"org_name": "Testkommunen", "org_number": testOrg,
		"orderer1_add": "true", "orderer1_remove": "false", "orderer1_name": "Nils Ny", "orderer1_personnummer": "191212121212",
		"orderer1_phone": "070-765 43 21", "orderer1_email": "nils@testkommunen.se",
		"signature": "true", "signer_name": "Kerstin Aberg", "signer_title": "Kommundirektör", "sign_place": "Teststad", "sign_date": "2025-03-01",
	}
}

func validAgreement() map[string]string {
	return map[string]string{
		"org_name": "Testkommunen", "org_number": testOrg, "org_address": "Storgatan 1", "org_postcode": "123 45", "org_town": "Teststad",
		"contact_name": "Karl Kontakt", "contact_title": "Handläggare", "contact_phone": "08-111 222 33", "contact_email": "karl@testkommunen.se",
		"signatory_name": "Kerstin Åberg", "signatory_title": "Kommundirektör", "signatory_phone": "070-111 22 33", "signatory_email": "kerstin@testkommunen.se",
		"part_sign_place": "Teststad", "part_sign_date": "2025-03-01", "part_signature": "true", "part_signer_name": "KERSTIN ÅBERG",
		FieldCopies: "2",
	}
}

type ruleCase struct {
	name   string
	kind   form.Kind
	edit   func(f map[string]string, r *memRegistry)
	codes  []string // expected codes, in any order; empty = passes
	fields []string // optional: the field of each expected finding, same order as codes
}

func TestRules(t *testing.T) {
	set := func(kv ...string) func(map[string]string, *memRegistry) {
		return func(f map[string]string, _ *memRegistry) {
			for i := 0; i < len(kv); i += 2 {
				f[kv[i]] = kv[i+1]
			}
		}
	}
	cases := []ruleCase{
		// Each kind passes as given.
		{name: "9445 valid", kind: form.Kind9445},
		{name: "9463 valid", kind: form.Kind9463},
		{name: "agreement valid", kind: form.KindAgreement},

		// Field formats.
		{name: "personnummer valid 10 digits", kind: form.Kind9445, edit: set("user_personnummer", "811218-9876")},
		{name: "personnummer invalid", kind: form.Kind9445, edit: set("user_personnummer", "811218-9875"), codes: []string{form.CodePersonnummerInvalid}, fields: []string{"user_personnummer"}},
		{name: "samordningsnummer valid", kind: form.Kind9463, edit: set("orderer1_personnummer", "701063-2391")},
		{name: "orderer personnummer invalid", kind: form.Kind9463, edit: set("orderer1_personnummer", "19701363-2391"), codes: []string{form.CodePersonnummerInvalid}, fields: []string{"orderer1_personnummer"}},
		{name: "orgnr with prefix 16", kind: form.Kind9445, edit: set("org_number", "16212000-0142")},
		{name: "orgnr invalid", kind: form.Kind9445, edit: set("org_number", "212000-0143"), codes: []string{form.CodeOrgnrInvalid}, fields: []string{"org_number"}},
		{name: "orgnr is a personnummer", kind: form.Kind9463, edit: set("org_number", "811218-9876"), codes: []string{form.CodeOrgnrInvalid}},
		{name: "phone valid landline", kind: form.Kind9445, edit: set("orderer_phone", "031-12 34 56")},
		{name: "phone invalid", kind: form.Kind9445, edit: set("orderer_phone", "12-34"), codes: []string{form.CodePhoneInvalid}, fields: []string{"orderer_phone"}},
		{name: "contact phone invalid", kind: form.KindAgreement, edit: set("contact_phone", "+45 12 34 56 78"), codes: []string{form.CodePhoneInvalid}, fields: []string{"contact_phone"}},
		{name: "email invalid", kind: form.Kind9445, edit: set("user_email", "ulla.testkommunen.se"), codes: []string{form.CodeEmailInvalid}, fields: []string{"user_email"}},
		{name: "email invalid 9463", kind: form.Kind9463, edit: set("orderer1_email", "nils@"), codes: []string{form.CodeEmailInvalid}, fields: []string{"orderer1_email"}},
		{name: "date written in words", kind: form.Kind9445, edit: set("sign_date", "den 5 mars 2025")},
		{name: "date invalid", kind: form.Kind9445, edit: set("sign_date", "2025-02-30"), codes: []string{form.CodeDateInvalid}, fields: []string{"sign_date"}},
		{name: "date in future", kind: form.Kind9445, edit: set("sign_date", "2025-03-11"), codes: []string{form.CodeDateInFuture}, fields: []string{"sign_date"}},
		{name: "date on received day", kind: form.Kind9445, edit: set("sign_date", receivedDate)},
		{name: "date too old", kind: form.KindAgreement, edit: set("part_sign_date", "2023-12-01"), codes: []string{form.CodeDateTooOld}, fields: []string{"part_sign_date"}},

		// Required fields.
		{name: "9445 user name missing", kind: form.Kind9445, edit: set("user_name", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"user_name"}},
		{name: "9445 personnummer missing", kind: form.Kind9445, edit: set("user_personnummer", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"user_personnummer"}},
		{name: "9445 orgnr missing", kind: form.Kind9445, edit: set("org_number", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"org_number"}},
		{name: "9445 orderer name missing", kind: form.Kind9445, edit: set("orderer_name", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"orderer_name"}},
		{name: "9445 orderer and printed name missing", kind: form.Kind9445, edit: set("orderer_name", "", "signer_name", ""), codes: []string{form.CodeRequiredMissing, form.CodeRequiredMissing}, fields: []string{"orderer_name", "signer_name"}},
		{name: "9463 no orderer rows", kind: form.Kind9463, edit: func(f map[string]string, _ *memRegistry) {
			for k := range f {
				if strings.HasPrefix(k, "orderer1_") {
					delete(f, k)
				}
			}
		}, codes: []string{form.CodeRequiredMissing, form.CodeRequiredMissing}, fields: []string{"orderer1_name", "orderer1_personnummer"}},
		{name: "9463 orderer name missing", kind: form.Kind9463, edit: set("orderer1_name", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"orderer1_name"}},
		{name: "9463 signer name missing", kind: form.Kind9463, edit: set("signer_name", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"signer_name"}},
		{name: "agreement address missing", kind: form.KindAgreement, edit: set("org_address", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"org_address"}},
		{name: "agreement sign date missing", kind: form.KindAgreement, edit: set("part_sign_date", ""), codes: []string{form.CodeRequiredMissing}, fields: []string{"part_sign_date"}},

		// Order type and orderer action.
		{name: "order type change", kind: form.Kind9445, edit: set("order_new", "false", "order_change", "true")},
		{name: "order type missing", kind: form.Kind9445, edit: set("order_new", "false"), codes: []string{form.CodeOrderTypeMissing}, fields: []string{"order_new"}},
		{name: "removal needs no roles or mobile", kind: form.Kind9445, edit: set("order_new", "false", "order_remove", "true",
			"role_insatsansvarig", "false", "role_deltagaransvarig", "false", "login_sms", "false", "user_mobile", "")},
		{name: "9463 row 2 used needs name and personnummer", kind: form.Kind9463, edit: set("orderer2_phone", "070-111 22 33"), codes: []string{form.CodeRequiredMissing, form.CodeRequiredMissing}, fields: []string{"orderer2_name", "orderer2_personnummer"}},
		{name: "orderer action remove", kind: form.Kind9463, edit: set("orderer1_add", "false", "orderer1_remove", "true")},
		{name: "orderer action missing", kind: form.Kind9463, edit: set("orderer1_add", "false"), codes: []string{form.CodeOrdererActionMissing}, fields: []string{"orderer1_add"}},
		{name: "orderer action both", kind: form.Kind9463, edit: set("orderer1_remove", "true"), codes: []string{form.CodeOrdererActionMissing}},

		// Signatures and signatory authority.
		{name: "9445 signature missing", kind: form.Kind9445, edit: set("signature", "false"), codes: []string{form.CodeSignatureMissing}, fields: []string{"signature"}},
		{name: "9463 signature missing", kind: form.Kind9463, edit: set("signature", "false"), codes: []string{form.CodeSignatureMissing}, fields: []string{"signature"}},
		{name: "agreement signature missing", kind: form.KindAgreement, edit: set("part_signature", ""), codes: []string{form.CodeSignatureMissing}, fields: []string{"part_signature"}},
		{name: "9463 signatory name in other order", kind: form.Kind9463, edit: set("signer_name", "Åberg,  kerstin")},
		{name: "9463 signatory unknown", kind: form.Kind9463, edit: set("signer_name", "Sven Okänd"), codes: []string{form.CodeSignatoryUnknown}, fields: []string{"signer_name"}},
		{name: "9463 signatory no longer valid", kind: form.Kind9463, edit: func(f map[string]string, r *memRegistry) {
			r.signatories[0].ValidTo = day("2025-02-28")
		}, codes: []string{form.CodeSignatoryUnknown}},
		{name: "agreement signatory unknown", kind: form.KindAgreement, edit: set("part_signer_name", "Sven Okänd"), codes: []string{form.CodeSignatoryUnknown}, fields: []string{"part_signer_name"}},

		// Orderer authorised (9445).
		{name: "orderer name case and diacritics", kind: form.Kind9445, edit: set("orderer_name", "olle  BESTALLARE")},
		{name: "orderer not registered", kind: form.Kind9445, edit: set("orderer_name", "Petra Okänd"), codes: []string{form.CodeOrdererNotRegistered}, fields: []string{"orderer_name"}},
		{name: "orderer registered after receipt", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.orderers[0].ValidFrom = day("2025-03-11")
		}, codes: []string{form.CodeOrdererNotRegistered}},
		{name: "orderer of another org", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.orderers[0].OrgNumber = otherOrg
		}, codes: []string{form.CodeOrdererNotRegistered}},
		{name: "orderer last valid day", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.orderers[0].ValidFrom = day("2023-03-11")
			r.orderers[0].ValidTo = form.OrdererValidTo(day("2023-03-11"))
		}},
		{name: "orderer expired", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.orderers[0].ValidFrom = day("2023-03-09")
			r.orderers[0].ValidTo = form.OrdererValidTo(day("2023-03-09"))
		}, codes: []string{form.CodeOrdererExpired}, fields: []string{"orderer_name"}},
		{name: "orderer removed after receipt", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.orderers[0].Removed = day("2025-03-11")
		}},
		{name: "orderer removed", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.orderers[0].Removed = day("2025-03-01")
		}, codes: []string{form.CodeOrdererRemoved}, fields: []string{"orderer_name"}},

		// Agreement in force.
		{name: "agreement terminated after receipt", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.agreements[0].Terminated = day("2025-03-11")
		}},
		{name: "9445 agreement terminated", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.agreements[0].Terminated = day("2025-03-10")
		}, codes: []string{form.CodeAgreementNotInForce}, fields: []string{"org_number"}},
		{name: "9463 no agreement", kind: form.Kind9463, edit: func(_ map[string]string, r *memRegistry) {
			r.agreements = nil
		}, codes: []string{form.CodeAgreementNotInForce}},
		{name: "9463 agreement not countersigned", kind: form.Kind9463, edit: func(_ map[string]string, r *memRegistry) {
			r.agreements[0].Countersigned = time.Time{}
		}, codes: []string{form.CodeAgreementNotInForce}},

		// SMS login.
		{name: "sms with +46 mobile", kind: form.Kind9445, edit: set("user_mobile", "+46 73 987 65 43")},
		{name: "sms mobile missing", kind: form.Kind9445, edit: set("user_mobile", ""), codes: []string{form.CodeSMSMobileMissing}, fields: []string{"user_mobile"}},
		{name: "sms landline", kind: form.Kind9445, edit: set("user_mobile", "08-123 456 78"), codes: []string{form.CodeSMSMobileInvalid}, fields: []string{"user_mobile"}},
		{name: "sms garbage", kind: form.Kind9445, edit: set("user_mobile", "070-12"), codes: []string{form.CodePhoneInvalid, form.CodeSMSMobileInvalid}},
		{name: "bankid without mobile", kind: form.Kind9445, edit: set("login_sms", "false", "login_bankid", "true", "user_mobile", "")},

		// Roles.
		{name: "roles missing", kind: form.Kind9445, edit: set("role_insatsansvarig", "false", "role_deltagaransvarig", "false"), codes: []string{form.CodeRolesMissing}},
		{name: "roles missing on change", kind: form.Kind9445, edit: set("order_new", "false", "order_change", "true", "role_insatsansvarig", "false", "role_deltagaransvarig", "false"), codes: []string{form.CodeRolesMissing}},
		{name: "samverkan with insats", kind: form.Kind9445, edit: set("role_samverkansadministrator", "true", "role_deltagaransvarig", "false")},
		{name: "samverkan with deltagare", kind: form.Kind9445, edit: set("role_samverkansadministrator", "true"), codes: []string{form.CodeRoleConflictSamverkanDeltag}, fields: []string{"role_deltagaransvarig"}},
		{name: "orderer as susrapport", kind: form.Kind9445, edit: set("user_personnummer", ordererPnr, "role_deltagaransvarig", "false")},
		{name: "deltagare who is orderer", kind: form.Kind9445, edit: set("user_personnummer", ordererPnr), codes: []string{form.CodeRoleConflictDeltagareOrderer}, fields: []string{"role_deltagaransvarig"}},
		{name: "9463 adds a deltagaransvarig", kind: form.Kind9463, edit: func(_ map[string]string, r *memRegistry) {
			r.users = []form.User{{ID: 9, OrgNumber: testOrg, Personnummer: anotherPnr, Roles: []form.Role{form.RoleDeltagaransvarig}, ValidFrom: day("2024-05-01")}}
		}, codes: []string{form.CodeRoleConflictDeltagareOrderer}, fields: []string{"orderer1_personnummer"}},

		// The user in the ordering organisation.
		{name: "user already in same org", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.users = []form.User{{ID: 9, OrgNumber: testOrg, Personnummer: userPnr, ValidFrom: day("2024-05-01")}}
		}},
		{name: "user in other org", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.users = []form.User{{ID: 9, OrgNumber: otherOrg, Personnummer: userPnr, ValidFrom: day("2024-05-01")}}
		}, codes: []string{form.CodeUserOtherOrg}, fields: []string{"org_number"}},

		// Copies of the agreement.
		{name: "agreement one copy", kind: form.KindAgreement, edit: set(FieldCopies, ""), codes: []string{form.CodeAgreementSingleCopy}, fields: []string{""}},
		{name: "agreement second copy after first", kind: form.KindAgreement, edit: func(f map[string]string, r *memRegistry) {
			delete(f, FieldCopies)
			r.agreements = append(r.agreements, form.Agreement{ID: 5, OrgNumber: testOrg, PartSigned: day("2025-03-01"), CopiesReceived: 1, SourceDocument: 77})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var f map[string]string
			switch tc.kind {
			case form.Kind9445:
				f = valid9445()
			case form.Kind9463:
				f = valid9463()
			default:
				f = validAgreement()
			}
			reg := baseRegistry()
			if tc.edit != nil {
				tc.edit(f, reg)
			}
			doc := form.Document{ID: 42, Kind: tc.kind, Received: day(receivedDate).Add(9 * time.Hour), Fields: fields(f)}
			got, err := Document(context.Background(), reg, doc)
			if err != nil {
				t.Fatal(err)
			}
			checkFindings(t, got, tc.codes, tc.fields)
		})
	}
}

func checkFindings(t *testing.T, got []form.Finding, codes, fieldNames []string) {
	t.Helper()
	var gotCodes []string
	for _, f := range got {
		gotCodes = append(gotCodes, f.Code)
		if f.Message == "" || f.Severity != form.Codes[f.Code] {
			t.Errorf("finding %s: severity %q, message %q", f.Code, f.Severity, f.Message)
		}
		for k, v := range f.Evidence {
			if strings.Contains(v, userPnr) || strings.Contains(v, ordererPnr[2:]) || strings.Contains(v, anotherPnr) {
				t.Errorf("finding %s: evidence %s holds a personnummer: %q", f.Code, k, v)
			}
		}
		if strings.Contains(f.Message, "9876") || strings.Contains(f.Message, "2391") {
			t.Errorf("finding %s: message holds a personnummer: %q", f.Code, f.Message)
		}
	}
	want := append([]string(nil), codes...)
	sort.Strings(gotCodes)
	sort.Strings(want)
	if !reflect.DeepEqual(gotCodes, want) && !(len(gotCodes) == 0 && len(want) == 0) {
		t.Fatalf("codes = %v, want %v\nfindings: %+v", gotCodes, want, got)
	}
	for i, fn := range fieldNames {
		found := false
		for _, f := range got {
			if f.Code == codes[i] && f.Field == fn {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s finding on field %s: %+v", codes[i], fn, got)
		}
	}
}

func TestRawValueIsParsed(t *testing.T) {
	f := fields(valid9445())
	v := f["user_personnummer"]
	v.Value, v.Raw = "", "811218 9875"
	f["user_personnummer"] = v
	got, err := Document(context.Background(), baseRegistry(), form.Document{ID: 1, Kind: form.Kind9445, Received: day(receivedDate), Fields: f})
	if err != nil {
		t.Fatal(err)
	}
	checkFindings(t, got, []string{form.CodePersonnummerInvalid}, nil)
}

func TestMessagesForLetters(t *testing.T) {
	f := valid9445()
	f["user_mobile"] = ""
	got, err := Document(context.Background(), baseRegistry(), form.Document{ID: 1, Kind: form.Kind9445, Received: day(receivedDate), Fields: fields(f)})
	if err != nil {
		t.Fatal(err)
	}
	want := "Mobilnummer saknas. När inloggning med SMS väljs måste ett mobilnummer anges."
	if len(got) != 1 || got[0].Message != want {
		t.Fatalf("findings = %+v, want message %q", got, want)
	}
}

func TestNameKey(t *testing.T) {
	for _, p := range [][2]string{
		{"Kerstin Åberg", "kerstin aberg"},
		{"  ÅBERG,  Kerstin ", "Kerstin Aberg"},
		{"Ann-Sofie Öhman", "ann sofie ohman"},
		{"José Núñez", "Jose Nunez"},
	} {
		if !SameName(p[0], p[1]) {
			t.Errorf("SameName(%q, %q) = false", p[0], p[1])
		}
	}
	if SameName("Kerstin Åberg", "Kerstin Berg") || SameName("", "") {
		t.Error("different names match")
	}
}
