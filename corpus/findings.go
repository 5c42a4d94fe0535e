package corpus

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"blankett/form"
)

// AllCodes lists every finding code a truth file may hold.
var AllCodes = []string{
	form.CodePersonnummerInvalid, form.CodeOrgnrInvalid, form.CodePhoneInvalid, form.CodeEmailInvalid, form.CodeDateInvalid,
	form.CodeDateInFuture, form.CodeDateTooOld, form.CodeRequiredMissing, form.CodeSignatureMissing, form.CodeSignatoryUnknown,
	form.CodeOrdererNotRegistered, form.CodeOrdererExpired, form.CodeOrdererRemoved, form.CodeAgreementNotInForce,
	form.CodeSMSMobileMissing, form.CodeSMSMobileInvalid, form.CodeRolesMissing, form.CodeRoleConflictSamverkanDeltag,
	form.CodeUserOtherOrg, form.CodeAgreementSingleCopy, form.CodeOrderTypeMissing,
	form.CodeOrdererActionMissing,
}

// maxDateAge is how old a signing date may be relative to the received date
// before DATE_TOO_OLD.
const maxDateAge = 365 * 24 * time.Hour

// findings computes what validation must raise for one document, from its
// true field values, the registry and the received date. copies is how
// many copies of an agreement the same envelope (file) holds. The rules
// are those of DOMAIN.md, made precise here:
//
//   - Format: PERSONNUMMER_INVALID, ORGNR_INVALID, PHONE_INVALID,
//     EMAIL_INVALID, DATE_INVALID on every non-empty field of that type.
//   - Dates (valid ones): DATE_IN_FUTURE after the received date,
//     DATE_TOO_OLD more than 365 days before it.
//   - REQUIRED_MISSING for each empty required field (template flag);
//     signature fields give SIGNATURE_MISSING instead. On 9463, rows 2–4
//     are optional, but a row with any value needs name and personnummer.
//   - 9445: ORDER_TYPE_MISSING when no order type is ticked; ROLES_MISSING
//     when new or change has no role; ROLE_CONFLICT_SAMVERKAN_DELTAGARE;
//     (a Deltagaransvarig who is also an active orderer of the org is
//     allowed: that rule is retired); SMS_MOBILE_MISSING /
//     SMS_MOBILE_INVALID (present but not a 07x mobile) when SMS login is
//     ticked; USER_OTHER_ORG when the user is a known user of other
//     organisations only; ORDERER_NOT_REGISTERED / _EXPIRED / _REMOVED by
//     the orderer's name and org number on the received date;
//     AGREEMENT_NOT_IN_FORCE on the received date.
//   - 9463: ORDERER_ACTION_MISSING on a row with a name but neither add nor
//     remove ticked (field orderer{i}_add); SIGNATORY_UNKNOWN (signer_name)
//     when the printed name is not a firmatecknare of the org on the
//     signing date (the received date if that is not a valid date);
//     AGREEMENT_NOT_IN_FORCE on the received date.
//   - Agreement: SIGNATORY_UNKNOWN on part_signer_name likewise;
//     AGREEMENT_SINGLE_COPY when the envelope holds one copy.
//
// Registry checks are skipped when the org number itself is invalid.
func findings(t *form.Template, fields map[string]TruthField, received time.Time, reg *Registry, copies int) []TruthFinding {
	var out []TruthFinding
	add := func(code, field string) { out = append(out, TruthFinding{Code: code, Field: field}) }
	raw := func(n string) string { return strings.TrimSpace(fields[n].Raw) }
	ticked := func(n string) bool { return fields[n].Value == "true" }

	optionalRow := func(name string) (row string, optional bool) {
		if t.Kind != form.Kind9463 || !strings.HasPrefix(name, "orderer") {
			return "", false
		}
		row = name[:len("ordererN_")]
		return row, row != "orderer1_"
	}
	rowUsed := func(row string) bool {
		for _, s := range []string{"name", "personnummer", "phone", "email"} {
			if raw(row+s) != "" {
				return true
			}
		}
		return ticked(row+"add") || ticked(row+"remove")
	}

	for _, f := range t.Fields {
		r := raw(f.Name)
		if f.Type == form.TypeSignature {
			if f.Required && !ticked(f.Name) {
				add(form.CodeSignatureMissing, f.Name)
			}
			continue
		}
		if r == "" {
			req := f.Required
			if row, opt := optionalRow(f.Name); opt && rowUsed(row) &&
				(strings.HasSuffix(f.Name, "_name") || strings.HasSuffix(f.Name, "_personnummer")) {
				req = true
			}
			if req && f.Type != form.TypeCheckbox {
				add(form.CodeRequiredMissing, f.Name)
			}
			continue
		}
		switch f.Type {
		case form.TypePersonnummer:
			if _, ok := normPNR(r); !ok {
				add(form.CodePersonnummerInvalid, f.Name)
			}
		case form.TypeOrgnr:
			if _, ok := normOrgnr(r); !ok {
				add(form.CodeOrgnrInvalid, f.Name)
			}
		case form.TypePhone:
			if _, ok, _ := normPhone(r); !ok {
				add(form.CodePhoneInvalid, f.Name)
			}
		case form.TypeEmail:
			if !validEmail(r) {
				add(form.CodeEmailInvalid, f.Name)
			}
		case form.TypeDate:
			d, ok := normDate(r)
			if !ok {
				add(form.CodeDateInvalid, f.Name)
				break
			}
			dt := day(d)
			if dt.After(received) {
				add(form.CodeDateInFuture, f.Name)
			} else if received.Sub(dt) > maxDateAge {
				add(form.CodeDateTooOld, f.Name)
			}
		}
	}

	orgnr, orgOK := normOrgnr(raw("org_number"))
	orgOK = orgOK && raw("org_number") != ""
	signDate := func(n string) time.Time {
		if d, ok := normDate(raw(n)); ok {
			return day(d)
		}
		return received
	}

	switch t.Kind {
	case form.Kind9445:
		isNew, isChange, isRemove := ticked("order_new"), ticked("order_change"), ticked("order_remove")
		if !isNew && !isChange && !isRemove {
			add(form.CodeOrderTypeMissing, "order_new")
		}
		sam, ins, delt, rep := ticked("role_samverkansadministrator"), ticked("role_insatsansvarig"), ticked("role_deltagaransvarig"), ticked("role_susrapport")
		if (isNew || isChange) && !sam && !ins && !delt && !rep {
			add(form.CodeRolesMissing, "role_samverkansadministrator")
		}
		if sam && delt {
			add(form.CodeRoleConflictSamverkanDeltag, "role_deltagaransvarig")
		}
		pnr, pnrOK := normPNR(raw("user_personnummer"))
		if ticked("login_sms") {
			m := raw("user_mobile")
			if m == "" {
				add(form.CodeSMSMobileMissing, "user_mobile")
			} else if _, ok, mobile := normPhone(m); !ok || !mobile {
				add(form.CodeSMSMobileInvalid, "user_mobile")
			}
		}
		if pnrOK && orgOK {
			if orgs := reg.userOrgs(pnr); len(orgs) > 0 && !contains(orgs, orgnr) {
				add(form.CodeUserOtherOrg, "org_number")
			}
		}
		if orgOK {
			if name := raw("orderer_name"); name != "" {
				switch reg.ordererStatus(orgnr, name, received) {
				case "unregistered":
					add(form.CodeOrdererNotRegistered, "orderer_name")
				case "expired":
					add(form.CodeOrdererExpired, "orderer_name")
				case "removed":
					add(form.CodeOrdererRemoved, "orderer_name")
				}
			}
			if !reg.agreementInForce(orgnr, received) {
				add(form.CodeAgreementNotInForce, "org_number")
			}
		}
	case form.Kind9463:
		for i := 1; i <= 4; i++ {
			row := fmt.Sprintf("orderer%d_", i)
			if raw(row+"name") != "" && !ticked(row+"add") && !ticked(row+"remove") {
				add(form.CodeOrdererActionMissing, row+"add")
			}
		}
		if orgOK {
			if name := raw("signer_name"); name != "" && !reg.knownSignatory(orgnr, name, signDate("sign_date")) {
				add(form.CodeSignatoryUnknown, "signer_name")
			}
			if !reg.agreementInForce(orgnr, received) {
				add(form.CodeAgreementNotInForce, "org_number")
			}
		}
	case form.KindAgreement:
		if orgOK {
			if name := raw("part_signer_name"); name != "" && !reg.knownSignatory(orgnr, name, signDate("part_sign_date")) {
				add(form.CodeSignatoryUnknown, "part_signer_name")
			}
		}
		if copies < 2 {
			add(form.CodeAgreementSingleCopy, "")
		}
	}
	sortFindings(out)
	return out
}

func sortFindings(fs []TruthFinding) {
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Code != fs[j].Code {
			return fs[i].Code < fs[j].Code
		}
		return fs[i].Field < fs[j].Field
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
