package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/storage/storagetest"
	"blankett/validate"
)

// The registry tests share one throwaway database (created and migrated
// by storagetest, dropped at the end); each subtest runs in its own
// transaction, rolled back when it ends.

const (
	orgA       = "212000-0142"
	orgB       = "802002-3456"
	ordererPnr = "197010632391"
	userPnr    = "198112189876"
	nilsPnr    = "198507041237"
	signer     = "Kerstin Åberg"
)

func d(s string) time.Time {
	t, err := time.Parse(validate.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

type bundle struct {
	ctx context.Context
	tx  storage.Tx
	reg *storage.Registry
}

func registryTx(t *testing.T, pool *storage.DB) bundle {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	return bundle{ctx: ctx, tx: tx, reg: storage.NewRegistry(pool).InTx(tx)}
}

// doc is a document of kind as the first built-in edition reads it: each
// value under its field's name, with the field's role.
func doc(id int64, kind form.Kind, received string, kv map[string]string) form.Document {
	tmpl, err := form.LoadTemplate(kind)
	if err != nil {
		panic(err)
	}
	f := form.Fields{}
	for k, v := range kv {
		role, row := tmpl.FieldRole(k)
		f[k] = form.Value{Name: k, Role: role, Row: row, Value: v, Raw: v}
	}
	return form.Document{ID: id, Kind: kind, Received: d(received).Add(10 * time.Hour), Fields: f}
}

func agreementDoc(id int64, org, partSigned, received, copies string) form.Document {
	return doc(id, form.KindAgreement, received, map[string]string{
		"org_name": "Testkommunen " + org, "org_number": org, "org_address": "Storgatan 1", "org_postcode": "123 45", "org_town": "Teststad",
		"contact_name": "Karl Kontakt", "contact_phone": "08-111 222 33", "contact_email": "karl@test.se",
		"signatory_name": signer, "signatory_title": "Kommundirektör",
		"part_sign_place": "Teststad", "part_sign_date": partSigned, "part_signature": "true", "part_signer_name": signer,
		validate.FieldCopies: copies,
	})
}

func orderersDoc(id int64, org, received string, rows ...[3]string) form.Document {
	kv := map[string]string{
		"org_name": "Testkommunen", "org_number": org, "signature": "true", "signer_name": signer,
		"signer_title": "Kommundirektör", "sign_place": "Teststad", "sign_date": received,
	}
	for i, r := range rows { // action, name, personnummer
		p := fmt.Sprintf("orderer%d_", i+1) // the built-in edition's field names
		kv[p+"add"] = boolStr(r[0] == "add")
		kv[p+"remove"] = boolStr(r[0] == "remove")
		kv[p+"name"] = r[1]
		kv[p+"personnummer"] = r[2]
	}
	return doc(id, form.Kind9463, received, kv)
}

func userDoc(id int64, org, received, order string, roles ...form.Role) form.Document {
	kv := map[string]string{
		"order_new": boolStr(order == "new"), "order_change": boolStr(order == "change"), "order_remove": boolStr(order == "remove"),
		"org_name": "Testkommunen", "org_number": org,
		"user_name": "Ulla Användare", "user_personnummer": userPnr, "user_email": "ulla@test.se", "user_mobile": "070-123 45 67",
		"login_sms": "true", "orderer_name": "Olle Beställare", "orderer_phone": "08-123 456 00",
		"signature": "true", "signer_name": "Olle Beställare", "sign_place": "Teststad",
		"sign_date": d(received).AddDate(0, 0, -2).Format(validate.DateLayout),
	}
	for _, r := range roles {
		kv["role_"+string(r)] = "true" // the built-in edition's field name
	}
	return doc(id, form.Kind9445, received, kv)
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// applyDoc records, in tx, what approving doc on decidedAt does to the
// registry, as the decision use case does: validate.Changes works it out,
// storage.ApplyPlan persists it.
func applyDoc(ctx context.Context, tx storage.Tx, doc form.Document, decidedAt time.Time) error {
	plan, err := validate.Changes(ctx, storage.NewRegistry(nil).InTx(tx), doc, decidedAt)
	if err != nil {
		return err
	}
	_, err = storage.ApplyPlan(ctx, tx, plan)
	return err
}

func (b bundle) apply(t *testing.T, doc form.Document, decided string) {
	t.Helper()
	if err := applyDoc(b.ctx, b.tx, doc, d(decided).Add(14*time.Hour)); err != nil {
		t.Fatalf("Apply %s: %v", doc.Kind, err)
	}
}

func (b bundle) codes(t *testing.T, doc form.Document) []string {
	t.Helper()
	fs, err := validate.Document(b.ctx, b.reg, doc)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
		for k, v := range f.Evidence {
			if strings.Contains(v, userPnr[8:]) || strings.Contains(v, ordererPnr[8:]) {
				t.Errorf("%s evidence %s holds a personnummer: %q", f.Code, k, v)
			}
		}
	}
	return out
}

func has(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func want(t *testing.T, codes []string, code string, present bool) {
	t.Helper()
	if has(codes, code) != present {
		t.Fatalf("codes %v: %s present = %v, want %v", codes, code, !present, present)
	}
}

// partInForce records an agreement of org in force from 2023-01-20 and
// Olle as its orderer from registered.
func (b bundle) partInForce(t *testing.T, org, registered string) {
	t.Helper()
	b.apply(t, agreementDoc(0, org, "2023-01-10", "2023-01-12", "2"), "2023-01-20")
	if registered != "" {
		b.apply(t, orderersDoc(0, org, registered, [3]string{"add", "Olle Beställare", ordererPnr}), registered)
	}
}

func TestRegistry(t *testing.T) {
	pool, _ := storagetest.NewDatabase(t)

	t.Run("9445 received the day before its orderer was approved", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2025-03-10")
		want(t, b.codes(t, userDoc(1, orgA, "2025-03-09", "new", form.RoleInsatsansvarig)), form.CodeOrdererNotRegistered, true)
		codes := b.codes(t, userDoc(1, orgA, "2025-03-10", "new", form.RoleInsatsansvarig))
		if len(codes) != 0 {
			t.Fatalf("received on the approval day: codes %v, want none", codes)
		}
	})

	t.Run("orderer two years and one day after registration", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2023-03-09")
		want(t, b.codes(t, userDoc(1, orgA, "2025-03-08", "new", form.RoleInsatsansvarig)), form.CodeOrdererExpired, false)
		want(t, b.codes(t, userDoc(1, orgA, "2025-03-10", "new", form.RoleInsatsansvarig)), form.CodeOrdererExpired, true)
		// Renewed: a new registration makes the orderer valid again.
		b.apply(t, orderersDoc(0, orgA, "2025-03-10", [3]string{"add", "Olle Beställare", ordererPnr}), "2025-03-10")
		want(t, b.codes(t, userDoc(1, orgA, "2025-03-10", "new", form.RoleInsatsansvarig)), form.CodeOrdererExpired, false)
	})

	t.Run("orderer removed by 9463", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2024-06-01")
		b.apply(t, orderersDoc(5, orgA, "2025-03-01", [3]string{"remove", "Olle Beställare", ordererPnr}), "2025-03-05")
		want(t, b.codes(t, userDoc(1, orgA, "2025-03-04", "new", form.RoleInsatsansvarig)), form.CodeOrdererRemoved, false)
		want(t, b.codes(t, userDoc(1, orgA, "2025-03-05", "new", form.RoleInsatsansvarig)), form.CodeOrdererRemoved, true)
	})

	t.Run("9463 with no agreement in force", func(t *testing.T) {
		b := registryTx(t, pool)
		n := orderersDoc(1, orgB, "2025-03-10", [3]string{"add", "Nils Ny", nilsPnr})
		want(t, b.codes(t, n), form.CodeAgreementNotInForce, true)
		b.apply(t, agreementDoc(2, orgB, "2025-02-01", "2025-02-03", "2"), "2025-02-10")
		want(t, b.codes(t, n), form.CodeAgreementNotInForce, false)
	})

	t.Run("agreement firmatecknare becomes a known signatory", func(t *testing.T) {
		b := registryTx(t, pool)
		n := orderersDoc(1, orgB, "2025-03-10", [3]string{"add", "Nils Ny", nilsPnr})
		want(t, b.codes(t, n), form.CodeSignatoryUnknown, true)
		b.apply(t, agreementDoc(2, orgB, "2025-02-01", "2025-02-03", "2"), "2025-02-10")
		codes := b.codes(t, n)
		if len(codes) != 0 {
			t.Fatalf("codes %v, want none", codes)
		}
	})

	// The Part decides who its orderers are (DOMAIN.md, Roles): an
	// orderer may be a Deltagaransvarig and the other way round.
	t.Run("Deltagaransvarig who is an orderer", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2024-06-01")
		u := userDoc(1, orgA, "2025-03-10", "new", form.RoleDeltagaransvarig)
		u.Fields["user_personnummer"] = form.Value{Value: ordererPnr}
		if codes := b.codes(t, u); len(codes) != 0 {
			t.Fatalf("codes %v, want none", codes)
		}
	})

	t.Run("9463 naming a Deltagaransvarig user as orderer", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2024-06-01")
		b.apply(t, userDoc(7, orgA, "2024-09-01", "new", form.RoleDeltagaransvarig), "2024-09-02")
		n := orderersDoc(8, orgA, "2025-03-10", [3]string{"add", "Ulla Användare", userPnr})
		if codes := b.codes(t, n); len(codes) != 0 {
			t.Fatalf("codes %v, want none", codes)
		}
	})

	t.Run("agreement with one copy received", func(t *testing.T) {
		b := registryTx(t, pool)
		first := agreementDoc(11, orgA, "2025-03-01", "2025-03-05", "")
		want(t, b.codes(t, first), form.CodeAgreementSingleCopy, true)
		want(t, b.codes(t, agreementDoc(11, orgA, "2025-03-01", "2025-03-05", "2")), form.CodeAgreementSingleCopy, false)
		b.apply(t, first, "2025-03-06")
		// Re-validating the first copy still sees one copy.
		want(t, b.codes(t, first), form.CodeAgreementSingleCopy, true)
		second := agreementDoc(12, orgA, "2025-03-01", "2025-03-07", "")
		want(t, b.codes(t, second), form.CodeAgreementSingleCopy, false)
		b.apply(t, second, "2025-03-08")
		as, err := b.reg.Agreements(b.ctx, orgA, d("2025-03-08"))
		if err != nil || len(as) != 1 || as[0].CopiesReceived != 2 || !as[0].Countersigned.Equal(d("2025-03-06")) {
			t.Fatalf("agreements = %+v, %v; want one with two copies countersigned 2025-03-06", as, err)
		}
	})

	t.Run("user in another organisation", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2024-06-01")
		b.partInForce(t, orgB, "2024-06-01")
		b.apply(t, userDoc(21, orgB, "2024-09-01", "new", form.RoleSUSRapport), "2024-09-02")
		want(t, b.codes(t, userDoc(22, orgA, "2025-03-10", "new", form.RoleSUSRapport)), form.CodeUserOtherOrg, true)
		want(t, b.codes(t, userDoc(22, orgB, "2025-03-10", "change", form.RoleSUSRapport)), form.CodeUserOtherOrg, false)
	})

	t.Run("user history: change and removal keep earlier answers", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2024-06-01")
		b.apply(t, userDoc(31, orgA, "2024-09-01", "new", form.RoleSUSRapport), "2024-09-02")
		b.apply(t, userDoc(32, orgA, "2024-11-01", "change", form.RoleInsatsansvarig), "2024-11-04")
		b.apply(t, userDoc(32, orgA, "2024-11-01", "change", form.RoleInsatsansvarig), "2024-11-05") // applied already: no-op
		b.apply(t, userDoc(33, orgA, "2025-01-01", "remove"), "2025-01-07")
		for _, c := range []struct {
			on   string
			role form.Role
		}{{"2024-09-01", ""}, {"2024-10-01", form.RoleSUSRapport}, {"2024-11-04", form.RoleInsatsansvarig}, {"2025-01-06", form.RoleInsatsansvarig}, {"2025-01-07", ""}} {
			us, err := b.reg.UsersByPersonnummer(b.ctx, userPnr, d(c.on))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.role == "" && len(us) != 0:
				t.Errorf("on %s: users %+v, want none", c.on, us)
			case c.role != "" && (len(us) != 1 || !us[0].HasRole(c.role) || len(us[0].Roles) != 1):
				t.Errorf("on %s: users %+v, want one with role %s", c.on, us, c.role)
			}
		}
	})

	t.Run("termination ends agreement and orderers the same day", func(t *testing.T) {
		b := registryTx(t, pool)
		b.partInForce(t, orgA, "2024-06-01")
		if err := b.reg.Terminate(b.ctx, b.tx, orgA, d("2025-03-01")); err != nil {
			t.Fatal(err)
		}
		before := b.codes(t, userDoc(1, orgA, "2025-02-28", "new", form.RoleInsatsansvarig))
		if len(before) != 0 {
			t.Fatalf("day before termination: codes %v, want none", before)
		}
		after := b.codes(t, userDoc(1, orgA, "2025-03-01", "new", form.RoleInsatsansvarig))
		want(t, after, form.CodeAgreementNotInForce, true)
		want(t, after, form.CodeOrdererRemoved, true)
	})

	t.Run("agreements in force", func(t *testing.T) {
		b := registryTx(t, pool)
		b.apply(t, agreementDoc(41, orgA, "2024-01-10", "2024-01-12", "2"), "2024-01-20")
		b.apply(t, agreementDoc(42, orgB, "2024-05-10", "2024-05-12", "2"), "2024-05-20")
		if err := b.reg.Terminate(b.ctx, b.tx, orgA, d("2025-01-01")); err != nil {
			t.Fatal(err)
		}
		for on, want := range map[string][]string{
			"2024-01-19": nil, "2024-01-20": {orgA}, "2024-06-01": {orgA, orgB}, "2025-01-01": {orgB},
		} {
			as, err := b.reg.AgreementsInForce(b.ctx, d(on))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range as {
				got = append(got, a.OrgNumber)
				if a.OrgName == "" {
					t.Errorf("on %s: %s without name", on, a.OrgNumber)
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("in force on %s: %v, want %v", on, got, want)
			}
		}
	})

	t.Run("import signatories", func(t *testing.T) {
		b := registryTx(t, pool)
		csv := "organisationsnummer;namn;titel;giltig från;giltig till\n" +
			"212000-0142;Kerstin Åberg;Kommundirektör;2020-01-01;\n" + // line 2: ok
			"212000-0143;Fel Kontroll;;;\n" + // 3: Luhn
			"811218-9876;Person Nummer;;;\n" + // 4: a personnummer
			"802002-3456;;Titel;;\n" + // 5: no name
			"802002-3456;Sven Datum;;2024-13-01;\n" + // 6: bad date
			"802002-3456;Sven Omvänd;;2024-05-01;2024-01-01\n" + // 7: to before from
			"802002-3456\n" + // 8: one column
			"802002-3456;Anna 198112189876;;;\n" + // 9: a personnummer in the name
			"802002-3456;Sven Svensson;Ordförande;2024-01-01;2026-12-31\n" // 10: ok
		importCSV := func() (pipeline.ImportReport, error) {
			sigs, rep, err := pipeline.ParseSignatories(strings.NewReader(csv))
			if err != nil {
				return rep, err
			}
			rep.Imported, rep.Duplicates, err = storage.AddSignatories(b.ctx, b.tx, sigs)
			return rep, err
		}
		rep, err := importCSV()
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 9 || rep.Imported != 2 || rep.Duplicates != 0 || len(rep.Rejected) != 7 {
			t.Fatalf("report %+v", rep)
		}
		for i, line := range []int{3, 4, 5, 6, 7, 8, 9} {
			if rep.Rejected[i].Line != line || rep.Rejected[i].Reason == "" {
				t.Errorf("rejected[%d] = %+v, want line %d", i, rep.Rejected[i], line)
			}
		}
		if s := rep.String(); strings.Contains(s, "9876") || !strings.Contains(s, "rad 3:") {
			t.Errorf("report text %q", s)
		}
		rep, err = importCSV()
		if err != nil || rep.Imported != 0 || rep.Duplicates != 2 {
			t.Fatalf("second import: %+v, %v", rep, err)
		}
		// The imported firmatecknare signs a 9463 for orgB.
		b.apply(t, agreementDoc(51, orgB, "2024-05-10", "2024-05-12", "2"), "2024-05-20")
		n := orderersDoc(52, orgB, "2025-03-10", [3]string{"add", "Nils Ny", nilsPnr})
		n.Fields["signer_name"] = form.Value{Value: "sven  SVENSSON"}
		codes := b.codes(t, n)
		if len(codes) != 0 {
			t.Fatalf("codes %v, want none", codes)
		}
		n.Fields["sign_date"] = form.Value{Value: "2025-03-10"}
		n.Fields["signer_name"] = form.Value{Value: "Okänd Person"}
		want(t, b.codes(t, n), form.CodeSignatoryUnknown, true)
	})

	t.Run("apply rejects an invalid org number", func(t *testing.T) {
		b := registryTx(t, pool)
		bad := orderersDoc(61, "212000-0143", "2025-03-10", [3]string{"add", "Nils Ny", nilsPnr})
		if err := applyDoc(b.ctx, b.tx, bad, d("2025-03-10")); err == nil || !strings.Contains(err.Error(), "cannot be applied") {
			t.Fatalf("Apply = %v, want ErrNotApplicable", err)
		}
	})
}
