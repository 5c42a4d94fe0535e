package validate

import (
	"context"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

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
	anotherPnr   = "198507041237"
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
		"orderer1_add": "true", "orderer1_remove": "false", "orderer1_name": "Nils Ny", "orderer1_personnummer": anotherPnr,
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
	name     string
	kind     form.Kind
	edit     func(f map[string]string, r *memRegistry)
	asOf     string   // optional: Document.AsOf
	rejected string   // optional: Document.AgreementRejected
	codes    []string // expected codes, in any order; empty = passes
	fields   []string // optional: the field of each expected finding, same order as codes
	says     []string // optional: text each message of the expected findings must hold, in order of codes
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
		{name: "agreement signatory unknown", kind: form.KindAgreement, edit: set("part_signer_name", "Sven Okänd", "signatory_name", "Sven Okänd"), codes: []string{form.CodeSignatoryUnknown}, fields: []string{"part_signer_name"}},

		// Orderer authorised (9445).
		{name: "orderer name case and diacritics", kind: form.Kind9445, edit: set("orderer_name", "olle  BESTALLARE")},
		{name: "orderer not registered", kind: form.Kind9445, edit: set("orderer_name", "Petra Okänd", "signer_name", "Petra Okänd"), codes: []string{form.CodeOrdererNotRegistered}, fields: []string{"orderer_name"}},
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
		// The Part decides who its orderers are: an orderer may be a
		// Deltagaransvarig and the other way round (DOMAIN.md, Roles).
		{name: "deltagare who is orderer", kind: form.Kind9445, edit: set("user_personnummer", ordererPnr)},
		{name: "9463 adds a deltagaransvarig", kind: form.Kind9463, edit: func(_ map[string]string, r *memRegistry) {
			r.users = []form.User{{ID: 9, OrgNumber: testOrg, Personnummer: anotherPnr, Roles: []form.Role{form.RoleDeltagaransvarig}, ValidFrom: day("2024-05-01")}}
		}},

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
		{name: "agreement no signed copy", kind: form.KindAgreement, edit: set(FieldCopies, "0"), codes: []string{form.CodeAgreementSingleCopy}, says: []string{"inte fått något undertecknat exemplar"}},
		{name: "agreement one copy says one", kind: form.KindAgreement, edit: set(FieldCopies, "1"), codes: []string{form.CodeAgreementSingleCopy}, says: []string{"fått ett undertecknat exemplar"}},

		// The 9445 is signed by the orderer it names.
		{name: "9445 signer is the orderer, other spelling", kind: form.Kind9445, edit: set("signer_name", "BESTÄLLARE, Olle")},
		{name: "9445 signer is not the orderer", kind: form.Kind9445, edit: set("signer_name", "Lisa Ek"), codes: []string{form.CodeSignerNotOrderer}, fields: []string{"signer_name"},
			says: []string{"undertecknad av Lisa Ek, men beställare enligt blanketten är Olle Beställare"}},
		{name: "9445 signer differs and orderer unknown", kind: form.Kind9445, edit: set("signer_name", "Lisa Ek", "orderer_name", "Petra Okänd"),
			codes: []string{form.CodeSignerNotOrderer, form.CodeOrdererNotRegistered}, fields: []string{"signer_name", "orderer_name"}},

		// Exactly one order type.
		{name: "order types new and change", kind: form.Kind9445, edit: set("order_change", "true"), codes: []string{form.CodeOrderTypeSeveral}, fields: []string{"order_new"},
			says: []string{"Flera av rutorna Ny användare, Ändring av behörighet och Borttag av användare är markerade"}},
		{name: "order types all three", kind: form.Kind9445, edit: set("order_change", "true", "order_remove", "true"), codes: []string{form.CodeOrderTypeSeveral}},
		{name: "order type missing names the boxes", kind: form.Kind9445, edit: set("order_new", "false", "login_sms", "false"), codes: []string{form.CodeOrderTypeMissing},
			says: []string{"Markera en av rutorna Ny användare, Ändring av behörighet eller Borttag av användare."}},

		// A new user has a login method.
		{name: "new user without login method", kind: form.Kind9445, edit: set("login_sms", "false"), codes: []string{form.CodeLoginMethodMissing}, fields: []string{"login_sms"},
			says: []string{"SMS, BankID, Mobilt BankID eller E-legitimation"}},
		{name: "new user with e-legitimation only", kind: form.Kind9445, edit: set("login_sms", "false", "login_eid", "true")},
		{name: "change needs no login method", kind: form.Kind9445, edit: set("order_new", "false", "order_change", "true", "login_sms", "false")},

		// The agreement is signed by the firmatecknare named on it.
		{name: "agreement signer named at start, other spelling", kind: form.KindAgreement, edit: set("part_signer_name", "Åberg, Kerstin")},
		{name: "agreement signed by another known signatory", kind: form.KindAgreement, edit: func(f map[string]string, r *memRegistry) {
			r.signatories = append(r.signatories, form.Signatory{ID: 7, OrgNumber: testOrg, Name: "Karl Annan", ValidFrom: day("2020-01-01"), Source: form.SignatorySourceCSV})
			f["signatory_name"] = "Karl Annan"
		}, codes: []string{form.CodeSignerNotSignatory}, fields: []string{"part_signer_name"},
			says: []string{"undertecknad av KERSTIN ÅBERG, men som firmatecknare anges Karl Annan"}},
		{name: "agreement signed by an unknown other person", kind: form.KindAgreement, edit: set("part_signer_name", "Sven Okänd"),
			codes: []string{form.CodeSignerNotSignatory, form.CodeSignatoryUnknown}, fields: []string{"part_signer_name", "part_signer_name"}},

		// form.Personnummer plausibility.
		{name: "birth number 000", kind: form.Kind9445, edit: set("user_personnummer", "811218-0008"), codes: []string{form.CodePersonnummerInvalid}, fields: []string{"user_personnummer"},
			says: []string{"000"}},
		{name: "birth number 000 samordningsnummer", kind: form.Kind9463, edit: set("orderer1_personnummer", "701063-0007"), codes: []string{form.CodePersonnummerInvalid}, fields: []string{"orderer1_personnummer"}},
		{name: "user 16 on the received day", kind: form.Kind9445, edit: set("user_personnummer", "20090310-1236")},
		{name: "user one day short of 16", kind: form.Kind9445, edit: set("user_personnummer", "20090311-1235"), codes: []string{form.CodeAgeImplausible}, fields: []string{"user_personnummer"},
			says: []string{"användaren född 2009 och alltså bara 15 år"}},
		{name: "user 100", kind: form.Kind9445, edit: set("user_personnummer", "19250310-1236")},
		{name: "user 101", kind: form.Kind9445, edit: set("user_personnummer", "19240310-1237"), codes: []string{form.CodeAgeImplausible}, fields: []string{"user_personnummer"},
			says: []string{"född 1924 och alltså 101 år"}},
		{name: "plus misread for hyphen", kind: form.Kind9445, edit: set("user_personnummer", "811218+9876"), codes: []string{form.CodeAgeImplausible}, fields: []string{"user_personnummer"},
			says: []string{"plustecken (+)"}},
		{name: "plus that is no misread", kind: form.Kind9445, edit: set("user_personnummer", "150312+1236"), codes: []string{form.CodeAgeImplausible},
			says: []string{"född 1915 och alltså 109 år"}},
		{name: "child as orderer on 9463", kind: form.Kind9463, edit: set("orderer1_personnummer", "120505-1236"), codes: []string{form.CodeAgeImplausible}, fields: []string{"orderer1_personnummer"},
			says: []string{"beställare 1 född 2012 och alltså bara 12 år. Kontrollera personnumret för beställare 1."}},
		{name: "age judged on received date, not as-of", kind: form.Kind9445, asOf: "2025-03-11", edit: set("user_personnummer", "20090311-1235"), codes: []string{form.CodeAgeImplausible}},

		// Service numbers are not landlines.
		{name: "sms to 0771 number", kind: form.Kind9445, edit: set("user_mobile", "0771-17 90 00"), codes: []string{form.CodeSMSMobileInvalid},
			says: []string{"servicenummer som börjar med 077"}},
		{name: "sms to 020 number", kind: form.Kind9445, edit: set("user_mobile", "020-12 34 56"), codes: []string{form.CodeSMSMobileInvalid},
			says: []string{"avgiftsfritt servicenummer"}},
		{name: "sms to landline says landline", kind: form.Kind9445, edit: set("user_mobile", "031-12 34 56"), codes: []string{form.CodeSMSMobileInvalid},
			says: []string{"fast telefonnummer"}},

		// AsOf: registry questions on another day than the received one.
		{name: "9463 waiting agreement not yet in force", kind: form.Kind9463, edit: countersignedOn("2025-03-20"), codes: []string{form.CodeAgreementNotInForce},
			says: []string{"gällde ännu inte den dag blanketten kom in till Försäkringskassan (den 10 mars 2025)"}},
		{name: "9463 as of the day the agreement came into force", kind: form.Kind9463, edit: countersignedOn("2025-03-20"), asOf: "2025-03-20"},
		{name: "9463 as of a day before it came into force", kind: form.Kind9463, edit: countersignedOn("2025-03-20"), asOf: "2025-03-19", codes: []string{form.CodeAgreementNotInForce},
			says: []string{"gällde ännu inte den 19 mars 2025"}},
		{name: "as-of leaves date checks on the received date", kind: form.Kind9463, edit: func(f map[string]string, r *memRegistry) {
			countersignedOn("2025-03-20")(f, r)
			f["sign_date"] = "2025-03-15"
		}, asOf: "2025-03-20", codes: []string{form.CodeDateInFuture}, fields: []string{"sign_date"}, says: []string{"är den 15 mars 2025, alltså efter den dag blanketten kom in till Försäkringskassan (den 10 mars 2025)"}},
		{name: "9445 orderer registered after receipt, as of then", kind: form.Kind9445, edit: func(_ map[string]string, r *memRegistry) {
			r.orderers[0].ValidFrom = day("2025-03-15")
		}, asOf: "2025-03-15"},
		{name: "9445 orderer not registered as of", kind: form.Kind9445, edit: set("orderer_name", "Petra Okänd", "signer_name", "Petra Okänd"), asOf: "2025-03-15", codes: []string{form.CodeOrdererNotRegistered},
			says: []string{"Petra Okänd var inte registrerad som behörig beställare för organisationen den 15 mars 2025."}},
		{name: "9463 signatory valid on as-of only", kind: form.Kind9463, edit: func(f map[string]string, r *memRegistry) {
			r.signatories[0].ValidFrom = day("2025-03-20")
			f["sign_date"] = "kan inte läsas"
		}, asOf: "2025-03-20", codes: []string{form.CodeDateInvalid}},

		// AgreementRejected: the agreement sent with the 9463 was rejected.
		{name: "9463 agreement rejected", kind: form.Kind9463, edit: func(_ map[string]string, r *memRegistry) { r.agreements = nil },
			rejected: "överenskommelsen var inte undertecknad", codes: []string{form.CodeAgreementRejected}, fields: []string{""},
			says: []string{"Skälet är: Överenskommelsen var inte undertecknad."}},
		{name: "9463 agreement rejected though one is in force", kind: form.Kind9463, rejected: "Fel organisationsnummer.", codes: []string{form.CodeAgreementRejected}},
		{name: "9463 agreement rejected, org number unreadable", kind: form.Kind9463, edit: set("org_number", "212000-0143"), rejected: "Fel organisationsnummer.",
			codes: []string{form.CodeOrgnrInvalid, form.CodeAgreementRejected}},
		{name: "9463 agreement rejected blank reason", kind: form.Kind9463, edit: func(_ map[string]string, r *memRegistry) { r.agreements = nil },
			rejected: "  ", codes: []string{form.CodeAgreementNotInForce}},
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
			doc := form.Document{ID: 42, Kind: tc.kind, Received: day(receivedDate).Add(9 * time.Hour), Fields: fields(f), AgreementRejected: tc.rejected}
			if tc.asOf != "" {
				doc.AsOf = day(tc.asOf).Add(15 * time.Hour)
			}
			got, err := Document(context.Background(), reg, doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range got {
				t.Logf("%s %s: %s", f.Code, f.Field, f.Message)
			}
			checkFindings(t, got, tc.codes, tc.fields)
			for i, want := range tc.says {
				found := false
				for _, f := range got {
					if f.Code == tc.codes[i] && strings.Contains(f.Message, want) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s finding saying %q: %+v", tc.codes[i], want, got)
				}
			}
		})
	}
}

// countersignedOn makes the registry's agreement one that FK countersigned
// on day d: received, not in force before d.
func countersignedOn(d string) func(map[string]string, *memRegistry) {
	return func(_ map[string]string, r *memRegistry) {
		r.agreements[0].PartSigned = day("2025-03-01")
		r.agreements[0].Countersigned = day(d)
	}
}

// codeLike matches a finding code written into a message; isoDate a date
// written as digits where running text wants it in words.
var (
	codeLike = regexp.MustCompile(`[A-Z]{2,}_[A-Z_]+`)
	isoDate  = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
)

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
		if strings.Contains(f.Message, "9876") || strings.Contains(f.Message, "2391") || strings.Contains(f.Message, "1237") {
			t.Errorf("finding %s: message holds a personnummer: %q", f.Code, f.Message)
		}
		checkMessage(t, f)
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

// checkMessage holds a message to the rules for finding messages: plain
// Swedish that a letter can reuse, without codes, ISO dates, "Endast" or
// a word repeated as its own predicate, ending a sentence.
func checkMessage(t *testing.T, f form.Finding) {
	t.Helper()
	m := f.Message
	switch {
	case codeLike.MatchString(m):
		t.Errorf("finding %s: message shows a code: %q", f.Code, m)
	case isoDate.MatchString(m):
		t.Errorf("finding %s: message has a date in digits: %q", f.Code, m)
	case strings.Contains(m, "Endast"):
		t.Errorf("finding %s: message says Endast: %q", f.Code, m)
	case strings.Contains(m, "är inte ett giltigt"), strings.Contains(m, "tolv siffror (ÅÅÅÅ"):
		t.Errorf("finding %s: old wording: %q", f.Code, m)
	case !strings.HasSuffix(m, "."):
		t.Errorf("finding %s: message does not end a sentence: %q", f.Code, m)
	case !unicode.IsUpper([]rune(m)[0]):
		t.Errorf("finding %s: message does not start with a capital: %q", f.Code, m)
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
	want := "Användarens mobilnummer saknas. Det behövs när användaren ska logga in med SMS. Fyll i ett mobilnummer eller välj ett annat sätt att logga in."
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
