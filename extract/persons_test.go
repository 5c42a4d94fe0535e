package extract

import (
	"testing"

	"blankett/form"
)

// TestSamePerson takes the spelling of a person's name read surely in one
// zone for the same name read in doubt in another, both flagged; and
// leaves names written in another case, read as surely, or an
// organisation's.
func TestSamePerson(t *testing.T) {
	text := func(role form.FieldRole, value string, conf float64) form.Value {
		return form.Value{Role: role, Type: form.TypeText, Value: value, Raw: value, Confidence: conf}
	}
	fields := form.Fields{
		"signer_name":  text(form.FieldSignerName, "Dragan Hansson", 0.97),
		"orderer_name": text(form.FieldOrdererName, "Pragan Hansson", 0.5),
		"user_name":    text(form.FieldUserName, "Åke Forsbërg", 0.5),
		"contact_name": text(form.FieldContactName, "Åke Forsberg", 0.97),
		// Written in capitals, another style: not one reading of the other.
		"signatory_name": text(form.FieldSignatoryName, "DRAGAN HANSSON", 0.5),
		// A name as sure as its look-alike keeps its own spelling.
		"orderer1_name": text("orderer[i].name", "Eino González", 0.97),
		"orderer2_name": text("orderer[i].name", "Eino Gonzalez", 0.97),
		// A name the list knows, read in doubt, is kept: two people.
		"fk_signer_name": text(form.FieldFKSignerName, "Anna Karlsson", 0.97),
		"contact2_name":  text(form.FieldContactName, "Anna Carlsson", 0.5),
		// An organisation's name is no person's.
		"org_name": text(form.FieldOrgName, "Dragan Hanssen", 0.5),
	}
	backing := map[string]support{}
	samePerson(fields, backing)
	for field, want := range map[string]string{
		"orderer_name":   "Dragan Hansson",
		"user_name":      "Åke Forsberg",
		"signatory_name": "DRAGAN HANSSON",
		"orderer1_name":  "Eino González",
		"orderer2_name":  "Eino Gonzalez",
		"org_name":       "Dragan Hanssen",
		"signer_name":    "Dragan Hansson",
		"contact2_name":  "Anna Carlsson",
	} {
		if got := fields[field].Value; got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	for _, field := range []string{"orderer_name", "user_name"} {
		if got := calibrated(fields[field], backing[field]); got >= form.FlagBelow {
			t.Errorf("%s taken from another zone at %.2f, want it flagged (under %.2f)", field, got, form.FlagBelow)
		}
		if fields[field].Raw == fields[field].Value {
			t.Errorf("%s: the raw text read should be kept, got %q", field, fields[field].Raw)
		}
	}
	// The names taken from are in doubt too: the two disagreed.
	for _, field := range []string{"signer_name", "contact_name"} {
		if got := calibrated(fields[field], backing[field]); got >= form.FlagBelow {
			t.Errorf("%s, taken from by a name it disagreed with, at %.2f, want it flagged", field, got)
		}
	}
	for _, field := range []string{"orderer1_name", "orderer2_name", "signatory_name", "org_name"} {
		if backing[field].ceiling != 0 {
			t.Errorf("%s was put in doubt: it took nothing and none took from it", field)
		}
	}
}
