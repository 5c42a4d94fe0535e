package corpus

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"blankett/form"
)

// wantFindings is what each scenario must raise when signed (scans), apart
// from AGREEMENT_SINGLE_COPY, which depends on the envelope.
var wantFindings = map[string][]string{
	"9445/valid_new":                         nil,
	"9445/valid_change_sms":                  nil,
	"9445/valid_remove":                      nil,
	"9445/valid_samordningsnummer":           nil,
	"9445/valid_long_names":                  nil,
	"9445/valid_all_roles_but_deltagare":     nil,
	"9445/sms_mobile_missing":                {"SMS_MOBILE_MISSING:user_mobile"},
	"9445/sms_mobile_landline":               {"SMS_MOBILE_INVALID:user_mobile"},
	"9445/role_conflict_samverkan_deltagare": {"ROLE_CONFLICT_SAMVERKAN_DELTAGARE:role_deltagaransvarig"},
	"9445/role_conflict_deltagare_orderer":   nil, // the rule is retired: no conflict
	"9445/roles_missing":                     {"ROLES_MISSING:role_samverkansadministrator"},
	"9445/order_type_missing":                {"ORDER_TYPE_MISSING:order_new"},
	"9445/personnummer_invalid":              {"PERSONNUMMER_INVALID:user_personnummer"},
	"9445/orgnr_invalid":                     {"ORGNR_INVALID:org_number"},
	"9445/email_phone_invalid":               {"EMAIL_INVALID:user_email", "PHONE_INVALID:user_phone"},
	"9445/required_missing":                  {"REQUIRED_MISSING:orderer_phone", "REQUIRED_MISSING:sign_date", "REQUIRED_MISSING:user_name"},
	"9445/orderer_not_registered":            {"ORDERER_NOT_REGISTERED:orderer_name"},
	"9445/orderer_expired":                   {"ORDERER_EXPIRED:orderer_name"},
	"9445/orderer_removed":                   {"ORDERER_REMOVED:orderer_name"},
	"9445/agreement_not_in_force":            {"AGREEMENT_NOT_IN_FORCE:org_number"},
	"9445/agreement_terminated":              {"AGREEMENT_NOT_IN_FORCE:org_number"},
	"9445/user_other_org":                    {"USER_OTHER_ORG:org_number"},
	"9445/date_in_future":                    {"DATE_IN_FUTURE:sign_date"},
	"9445/date_too_old":                      {"DATE_TOO_OLD:sign_date"},
	"9445/date_invalid":                      {"DATE_INVALID:sign_date"},
	"9445/signature_dot":                     {"SIGNATURE_MISSING:signature"},
	"9445/signature_strike":                  {"SIGNATURE_MISSING:signature"},
	"9445/signature_none":                    {"SIGNATURE_MISSING:signature"},
	"9463/valid_add_two":                     nil,
	"9463/valid_add_four_initials":           nil,
	"9463/valid_remove":                      nil,
	"9463/signatory_unknown":                 {"SIGNATORY_UNKNOWN:signer_name"},
	"9463/agreement_not_in_force":            {"AGREEMENT_NOT_IN_FORCE:org_number"},
	"9463/orderer_action_missing":            {"ORDERER_ACTION_MISSING:orderer2_add"},
	"9463/orderer_personnummer_invalid":      {"PERSONNUMMER_INVALID:orderer2_personnummer"},
	"9463/row_incomplete":                    {"EMAIL_INVALID:orderer2_email", "REQUIRED_MISSING:orderer2_personnummer"},
	"9463/signature_missing":                 {"SIGNATURE_MISSING:signature"},
	"agreement/agreement_new_party":          {"SIGNATORY_UNKNOWN:part_signer_name"},
	"agreement/agreement_known_signatory":    nil,
	"agreement/agreement_missing_fields":     {"REQUIRED_MISSING:contact_email", "REQUIRED_MISSING:org_postcode", "REQUIRED_MISSING:part_sign_place"},
	"agreement/agreement_unsigned":           {"SIGNATURE_MISSING:part_signature"},
}

func TestScenarioFindings(t *testing.T) {
	tpls, err := form.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []int64{1, 2, 3} {
		g := &generator{opts: Options{Seed: seed}, tpls: tpls, today: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
		g.world = newWorld(g.rng("world", 0), g.rng("mail", 0), g.today, false)
		seen := map[string]bool{}
		for _, sc := range scenarios() {
			key := string(sc.kind) + "/" + sc.name
			seen[key] = true
			want, ok := wantFindings[key]
			if !ok {
				t.Errorf("no expectation for %s", key)
				continue
			}
			d := sc.make(g.world, g.rng("scenario/"+key, 0))
			td := g.truthDoc(d, d.sigs, 2)
			var got []string
			for _, f := range td.Findings {
				got = append(got, f.Code+":"+f.Field)
			}
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("seed %d %s: findings %v, want %v", seed, key, got, want)
			}
			// Every field of the template is in the truth.
			if len(td.Fields) != len(tpls[sc.kind].Fields) {
				t.Errorf("%s: %d truth fields, template has %d", key, len(td.Fields), len(tpls[sc.kind].Fields))
			}
		}
		for key := range wantFindings {
			if !seen[key] {
				t.Errorf("expectation for unknown scenario %s", key)
			}
		}
	}
}

// TestScenariosCoverCodes checks that the corpus raises every finding code.
func TestScenariosCoverCodes(t *testing.T) {
	covered := map[string]bool{"AGREEMENT_SINGLE_COPY": true} // digital agreements
	for _, fs := range wantFindings {
		for _, f := range fs {
			covered[strings.Split(f, ":")[0]] = true
		}
	}
	for _, c := range AllCodes {
		if !covered[c] {
			t.Errorf("no scenario raises %s", c)
		}
	}
}

func TestNormalisers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"19811218-9876", "198112189876", true},
		{"19811218-9875", "198112189875", false},
		{"19811278-9873", "198112789873", true}, // samordningsnummer, day 18+60
		{"19810231-0000", "198102310000", false},
	} {
		// Fix the check digit of the valid samples first.
		in := tc.in
		if tc.ok {
			d := strings.ReplaceAll(in, "-", "")
			in = in[:len(in)-1] + string(rune('0'+luhn(d[2:11])))
			tc.want = tc.want[:11] + in[len(in)-1:]
		}
		got, ok := normPNR(in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normPNR(%q) = %q, %v; want %q, %v", in, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		in, want   string
		ok, mobile bool
	}{
		{"070-123 45 67", "+46701234567", true, true},
		{"+46 70 123 4567", "+46701234567", true, true},
		{"08-123 45 67", "+4681234567", true, false},
		{"031-12 34 56", "+4631123456", true, false},
		{"12 34 5", "12 34 5", false, false},
	} {
		got, ok, mobile := normPhone(tc.in)
		if got != tc.want || ok != tc.ok || mobile != tc.mobile {
			t.Errorf("normPhone(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, ok, mobile, tc.want, tc.ok, tc.mobile)
		}
	}
	if n, ok := normOrgnr("212000-1355"); !ok || n != "212000-1355" {
		t.Errorf("normOrgnr(212000-1355) = %q, %v", n, ok)
	}
	if _, ok := normOrgnr("201000-1350"); ok {
		t.Error("orgnr with third digit 1 accepted")
	}
}

// TestWideNamesPrintable: every name of the mailroom world can be printed
// in the core fonts forms are filled with (Latin-1), and every address
// made from one is plain ASCII.
func TestWideNamesPrintable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, list := range [][]string{wideFirstNames, wideLastNames, wideLongNames} {
		for _, name := range list {
			for _, c := range name {
				if c > 0xff {
					t.Errorf("%q: %q is not in Latin-1", name, c)
				}
			}
			for range 20 {
				addr := styledEmail(r, r, name, list[r.IntN(len(list))], officeDomain(r, "Region Jönköpings län", "Jönköping"))
				for _, c := range addr {
					if c > 0x7f || c == ' ' {
						t.Errorf("address %q made from %q is not plain ASCII", addr, name)
						break
					}
				}
			}
		}
	}
}

// TestWrittenNumbers: every way the mailroom world writes a personnummer
// or an organisation number is read back, by the corpus's rules and by
// the checks extraction normalises with, as the number it was made from,
// and is no longer than the printed form (a comb field has a cell for
// each of its characters); an invalid number stays as it was written.
func TestWrittenNumbers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	now := time.Now()
	forms := map[string]bool{}
	for i := range 400 {
		birth := now.AddDate(-18-r.IntN(90), -r.IntN(12), -r.IntN(28))
		pnr := makePNR(r, birth, i%7 == 0)
		want, _ := normPNR(pnr)
		got := writtenPersonnummer(r, pnr)
		forms[regexp.MustCompile(`\d`).ReplaceAllString(got, "9")] = true
		if n, ok := normPNR(got); !ok || n != want {
			t.Errorf("%s written %q: corpus reads %q, %v", pnr, got, n, ok)
		}
		if n, err := form.NormalisePersonnummer(got, now); err != nil || n != want {
			t.Errorf("%s written %q: extraction's check gives %q, %v", pnr, got, n, err)
		}
		if len(got) > len(pnr) {
			t.Errorf("%s written %q: longer than printed", pnr, got)
		}
		if broken := breakCheck(pnr); writtenPersonnummer(r, broken) != broken {
			t.Errorf("invalid %s written otherwise", broken)
		}
		org := makeOrgnr(r)
		if n, ok := normOrgnr(writtenOrgnr(r, org)); !ok || n != org {
			t.Errorf("%s written otherwise: %q, %v", org, n, ok)
		}
	}
	if len(forms) < 5 {
		t.Errorf("personnummer written in %d ways, want 5: %v", len(forms), forms)
	}
}
