package form

import (
	"fmt"
	"testing"
)

// canonical lists the field names validation is written against.
func canonical() map[Kind]map[string]FieldType {
	m := map[Kind]map[string]FieldType{
		Kind9445: {
			"order_new": TypeCheckbox, "order_change": TypeCheckbox, "order_remove": TypeCheckbox,
			"org_name": TypeText, "org_number": TypeOrgnr,
			"user_name": TypeText, "user_personnummer": TypePersonnummer, "user_email": TypeEmail,
			"user_mobile": TypePhone, "user_phone": TypePhone,
			"login_sms": TypeCheckbox, "login_bankid": TypeCheckbox, "login_mobile_bankid": TypeCheckbox, "login_eid": TypeCheckbox,
			"role_samverkansadministrator": TypeCheckbox, "role_insatsansvarig": TypeCheckbox,
			"role_deltagaransvarig": TypeCheckbox, "role_susrapport": TypeCheckbox,
			"orderer_name": TypeText, "orderer_phone": TypePhone, "orderer_email": TypeEmail,
			"signature": TypeSignature, "signer_name": TypeText, "sign_place": TypeText, "sign_date": TypeDate,
		},
		Kind9463: {
			"org_name": TypeText, "org_number": TypeOrgnr,
			"signature": TypeSignature, "signer_name": TypeText, "signer_title": TypeText,
			"sign_place": TypeText, "sign_date": TypeDate,
		},
		KindAgreement: {
			"org_name": TypeText, "org_number": TypeOrgnr, "org_address": TypeText, "org_postcode": TypeText, "org_town": TypeText,
			"contact_name": TypeText, "contact_title": TypeText, "contact_phone": TypePhone, "contact_email": TypeEmail,
			"signatory_name": TypeText, "signatory_title": TypeText, "signatory_phone": TypePhone, "signatory_email": TypeEmail,
			"part_sign_place": TypeText, "part_sign_date": TypeDate, "part_signature": TypeSignature, "part_signer_name": TypeText,
			"fk_sign_place": TypeText, "fk_sign_date": TypeDate, "fk_signature": TypeSignature, "fk_signer_name": TypeText,
		},
	}
	for i := 1; i <= 4; i++ {
		p := fmt.Sprintf("orderer%d_", i)
		for n, ty := range map[string]FieldType{"add": TypeCheckbox, "remove": TypeCheckbox, "name": TypeText,
			"personnummer": TypePersonnummer, "phone": TypePhone, "email": TypeEmail} {
			m[Kind9463][p+n] = ty
		}
	}
	return m
}

func TestTemplatesCanonicalFields(t *testing.T) {
	all, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	pages := map[Kind]int{Kind9445: 1, Kind9463: 1, KindAgreement: 4}
	numbers := map[Kind]string{Kind9445: "FK 9445", Kind9463: "FK 9463", KindAgreement: "Överenskommelse SUS"}
	for kind, want := range canonical() {
		tpl, ok := all[kind]
		if !ok {
			t.Fatalf("no template for %s", kind)
		}
		if len(tpl.Pages) != pages[kind] {
			t.Errorf("%s: %d pages, want %d", kind, len(tpl.Pages), pages[kind])
		}
		if tpl.FormNumber != numbers[kind] {
			t.Errorf("%s: form number %q", kind, tpl.FormNumber)
		}
		if tpl.PageWidth != A4Width || tpl.PageHeight != A4Height {
			t.Errorf("%s: page size %gx%g, want A4", kind, tpl.PageWidth, tpl.PageHeight)
		}
		if len(tpl.Fields) != len(want) {
			t.Errorf("%s: %d fields, want %d", kind, len(tpl.Fields), len(want))
		}
		for name, ty := range want {
			f, ok := tpl.Field(name)
			if !ok {
				t.Errorf("%s: missing field %s", kind, name)
				continue
			}
			if f.Type != ty {
				t.Errorf("%s.%s: type %s, want %s", kind, name, f.Type, ty)
			}
		}
	}
	// The agreement's signature blocks are on the last page.
	agr := all[KindAgreement]
	for _, n := range []string{"part_signature", "fk_signature", "part_sign_date", "fk_signer_name"} {
		if f, _ := agr.Field(n); f.Page != 4 {
			t.Errorf("agreement.%s on page %d, want 4", n, f.Page)
		}
	}
}

func TestLabelsOutsideZones(t *testing.T) {
	all, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for kind, tpl := range all {
		for _, p := range tpl.Pages {
			for _, tx := range p.Texts {
				tb := Box{X: tx.X, Y: tx.Y - 0.75*tx.Size, W: 1, H: tx.Size}
				for _, f := range tpl.PageFields(p.Number) {
					if tb.Overlaps(f.Zone) {
						t.Errorf("%s page %d: text %q inside zone of %s", kind, p.Number, tx.Text, f.Name)
					}
				}
			}
		}
	}
}

func TestCheckRejects(t *testing.T) {
	tpl, err := LoadTemplate(Kind9445)
	if err != nil {
		t.Fatal(err)
	}
	bad := *tpl
	bad.Fields = append([]Field(nil), tpl.Fields...)
	bad.Fields[1].Zone = bad.Fields[0].Zone
	if err := bad.Check(); err == nil {
		t.Error("overlapping zones accepted")
	}
	bad.Fields = append([]Field(nil), tpl.Fields...)
	bad.Fields[0].Type = "colour"
	if err := bad.Check(); err == nil {
		t.Error("unknown field type accepted")
	}
	if _, err := LoadTemplate("9999"); err == nil {
		t.Error("unknown kind loaded")
	}
}
