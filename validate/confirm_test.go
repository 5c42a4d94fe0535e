package validate_test

import (
	"context"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
	"blankett/validate"
)

// TestConfirmed: against a real registry, the values a form's reading
// shares letter for letter with the registry's records of the form's
// organisation are confirmed (its name, a place named by a word of it,
// and its people's names, case aside; an orderer's contact details and
// personnummer, a known organisation number, a user's name by the
// personnummer beside it); a name a letter off, a person of another
// organisation, and any name on a form whose organisation number cannot
// be read are not.
func TestConfirmed(t *testing.T) {
	db, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	const org, other = "212000-0142", "212000-1355"
	const orderer, user = "198112189876", "197106286813"
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ref := form.Reference{
		Organisations: []form.Organisation{{Number: org, Name: "Exempelbys kommun"}, {Number: other, Name: "Annanstad kommun"}},
		Signatories: []form.Signatory{{OrgNumber: org, Name: "Sara Öhrnberg", ValidFrom: from, Source: form.SignatorySourceCSV},
			{OrgNumber: other, Name: "Per Annan", ValidFrom: from, Source: form.SignatorySourceCSV}},
		Orderers: []form.Orderer{{OrgNumber: org, Name: "Jérôme Khalil", Personnummer: orderer, Phone: "+46701234567", Email: "jerome.khalil@exempelby.se", ValidFrom: from, ValidTo: from.AddDate(3, 0, 0)}},
		Users:    []form.User{{OrgNumber: org, Name: "Tuva Öztürk", Personnummer: user, ValidFrom: from}},
	}
	if err := storage.LoadReference(ctx, db, ref); err != nil {
		t.Fatal(err)
	}
	reg := storage.NewRegistry(db)
	asOf := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	spelt := map[string]string{} // the registry's spellings the last call gave
	confirmed := func(kind form.Kind, values map[string]string) map[string]bool {
		t.Helper()
		tmpl, _ := set.Primary(kind)
		fields := form.Fields{}
		for name, v := range values {
			f, ok := tmpl.Field(name)
			if !ok {
				t.Fatalf("%s has no field %s", kind, name)
			}
			fields[name] = form.Value{Name: name, Role: f.Role, Row: f.Row, Type: f.Type, Raw: v, Value: v, Confidence: 0.5}
		}
		got, err := validate.Confirmed(ctx, reg, form.Document{ID: 1, Kind: kind, Received: asOf, Fields: fields, Template: tmpl}, asOf)
		if err != nil {
			t.Fatal(err)
		}
		spelt = got.Spelt
		return got.Confirmed
	}
	expect := func(what string, got map[string]bool, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: confirmed %v, want %v", what, got, want)
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("%s: %s not confirmed (%v)", what, w, got)
			}
		}
	}
	expect("a 9445", confirmed(form.Kind9445, map[string]string{
		"org_number": org, "org_name": "EXEMPELBYS KOMMUN", "sign_place": "Exempelby",
		"orderer_name":  "JÉRÔME KHALIL", // typed in capitals
		"signer_name":   "Jerôme Khalil", // a mark lost: as read, unconfirmed
		"orderer_phone": "+46701234567", "orderer_email": "Jerome.Khalil@exempelby.se",
		"user_email": "jerome.khalil@exempelby.se", // not the orderer's field
		"user_name":  "Tuva Öztürk", "user_personnummer": user,
	}), "org_number", "org_name", "sign_place", "orderer_name", "orderer_phone", "orderer_email", "user_name")
	// The name read a mark off is shown the registry's spelling.
	if len(spelt) != 1 || spelt["signer_name"] != "Jérôme Khalil" {
		t.Errorf("the registry's spellings %v, want the signer's, Jérôme Khalil", spelt)
	}
	// An orderer's address read two letters off is shown the registry's;
	// a user's, which the registry does not hold, nothing.
	expect("a 9445's addresses", confirmed(form.Kind9445, map[string]string{
		"org_number": org, "orderer_email": "jerome-khalil@exempelbv.se", "user_email": "jerome-khalil@exempelbv.se",
	}), "org_number")
	if len(spelt) != 1 || spelt["orderer_email"] != "jerome.khalil@exempelby.se" {
		t.Errorf("the registry's spellings %v, want the orderer's address, jerome.khalil@exempelby.se", spelt)
	}
	expect("a 9463", confirmed(form.Kind9463, map[string]string{
		"org_number": org, "org_name": "Exempelbys kommunn", "sign_place": "Exempelbyn", // a letter too many
		"orderer1_name": "Jérôme  Khalil", "orderer1_personnummer": orderer,
		"orderer1_phone": "+46701234568",  // a digit off
		"orderer2_name":  "Per Annan",     // the other organisation's signatory
		"orderer3_name":  "Jérôme khalil", // a capital misread: not confirmed
		"signer_name":    "Sara Öhrnberg",
	}), "org_number", "orderer1_name", "orderer1_personnummer", "signer_name")
	// Per Annan is another organisation's: nothing to show; the name
	// whose capital was misread, and the organisation's name read a
	// letter too long, are shown the registry's.
	if len(spelt) != 2 || spelt["orderer3_name"] != "Jérôme Khalil" || spelt["org_name"] != "Exempelbys kommun" {
		t.Errorf("the registry's spellings %v, want orderer3_name's, Jérôme Khalil, and org_name's, Exempelbys kommun", spelt)
	}
	expect("no organisation number", confirmed(form.Kind9445, map[string]string{
		"orderer_name": "Jérôme Khalil", "user_name": "Tuva Öztürk", "user_personnummer": user,
	}), "user_name")
	expect("an unknown organisation", confirmed(form.Kind9445, map[string]string{
		"org_number": "212000-2080", "orderer_name": "Jérôme Khalil",
	}))
}

// TestRegisteredFlagged: the review flags a value read unsurely unless
// the registry confirms it, and one the registry spells otherwise however
// surely it was read.
func TestRegisteredFlagged(t *testing.T) {
	r := validate.Registered{
		Confirmed: map[string]bool{"orderer_name": true},
		Spelt:     map[string]string{"signer_name": "Camilla Díaz"},
	}
	for _, c := range []struct {
		field string
		conf  float64
		want  bool
	}{
		{"orderer_name", 0.5, false}, // unsure, but as the registry has it
		{"signer_name", 0.95, true},  // sure, but the registry spells it otherwise
		{"user_name", 0.5, true},     // unsure
		{"user_name", 0.95, false},   // sure
	} {
		if got := r.Flagged(c.field, form.Value{Name: c.field, Value: "x", Confidence: c.conf}); got != c.want {
			t.Errorf("Flagged(%s at %.2f) = %v, want %v", c.field, c.conf, got, c.want)
		}
	}
}
