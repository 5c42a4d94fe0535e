package validate

import (
	"strconv"
	"strings"

	"blankett/form"
)

// labels name fields the way a finding message refers to them: in the
// definite form, so that each can open a sentence ("Användarens
// e-postadress saknas.").
var labels = map[string]string{
	"org_name":          "organisationens namn",
	"org_number":        "organisationsnumret",
	"org_address":       "organisationens adress",
	"org_postcode":      "organisationens postnummer",
	"org_town":          "organisationens postort",
	"user_name":         "användarens namn",
	"user_personnummer": "användarens personnummer",
	"user_email":        "användarens e-postadress",
	"user_mobile":       "användarens mobilnummer",
	"user_phone":        "användarens telefonnummer till arbetet",
	"orderer_name":      "beställarens namn",
	"orderer_phone":     "beställarens telefonnummer",
	"orderer_email":     "beställarens e-postadress",
	"signer_name":       "namnförtydligandet under namnteckningen",
	"signer_title":      "firmatecknarens titel",
	"sign_place":        "orten vid underskriften",
	"sign_date":         "datumet vid underskriften",
	"contact_name":      "kontaktpersonens namn",
	"contact_title":     "kontaktpersonens titel",
	"contact_phone":     "kontaktpersonens telefonnummer",
	"contact_email":     "kontaktpersonens e-postadress",
	"signatory_name":    "firmatecknarens namn",
	"signatory_title":   "firmatecknarens titel",
	"signatory_phone":   "firmatecknarens telefonnummer",
	"signatory_email":   "firmatecknarens e-postadress",
	"part_sign_place":   "orten vid organisationens underskrift",
	"part_sign_date":    "datumet vid organisationens underskrift",
	"part_signer_name":  "namnförtydligandet under organisationens underskrift",
	"fk_sign_place":     "orten vid Försäkringskassans underskrift",
	"fk_sign_date":      "datumet vid Försäkringskassans underskrift",
	"fk_signer_name":    "namnförtydligandet under Försäkringskassans underskrift",
}

// ordererLabels name the fields of an orderer row on a 9463; %d is the row.
var ordererLabels = map[string]string{
	"name":         "namnet på beställare %d",
	"personnummer": "personnumret för beställare %d",
	"phone":        "telefonnumret till beställare %d",
	"email":        "e-postadressen till beställare %d",
}

// label returns the Swedish name of a field, or the field name itself.
func label(field string) string {
	if l, ok := labels[field]; ok {
		return l
	}
	if i, f, ok := ordererRow(field); ok {
		if l, ok := ordererLabels[f]; ok {
			return strings.Replace(l, "%d", strconv.Itoa(i), 1)
		}
	}
	return field
}

// ordererRow splits orderer{i}_{f}, a field of row i on a 9463.
func ordererRow(field string) (row int, f string, ok bool) {
	rest, ok := strings.CutPrefix(field, "orderer")
	if !ok || len(rest) < 3 || rest[1] != '_' {
		return 0, "", false
	}
	i, err := strconv.Atoi(rest[:1])
	if err != nil {
		return 0, "", false
	}
	return i, rest[2:], true
}

// person names the person a personnummer field identifies, for a message:
// "användaren", "beställare 2", else "personen".
func person(field string) string {
	if field == "user_personnummer" {
		return "användaren"
	}
	if i, f, ok := ordererRow(field); ok && f == "personnummer" {
		return "beställare " + strconv.Itoa(i)
	}
	return "personen"
}

// noun is what a message calls a document of kind k: the agreement is
// "överenskommelsen", the forms "blanketten".
func noun(k form.Kind) string {
	if k == form.KindAgreement {
		return "överenskommelsen"
	}
	return "blanketten"
}

// formName names a form the way a letter refers to it, from its kind:
// "blankett 9463 Anmälan behörig beställare i SUS".
func formName(k form.Kind) string {
	return "blankett " + string(k) + " " + k.Title()
}

// serviceNumber says what kind of non-geographic number e164 is, for a
// message, or "" when it is an ordinary number: 020 numbers are free to
// call, 077x numbers are national service numbers (FK's own 0771 among
// them), 0900/0939/0944 are premium-rate.
func serviceNumber(e164 string) string {
	nsn := strings.TrimPrefix(e164, "+46")
	switch {
	case strings.HasPrefix(nsn, "20"):
		return "ett avgiftsfritt servicenummer som börjar med 020"
	case strings.HasPrefix(nsn, "77"):
		return "ett servicenummer som börjar med 077"
	case strings.HasPrefix(nsn, "900"), strings.HasPrefix(nsn, "939"), strings.HasPrefix(nsn, "944"):
		return "ett betalnummer"
	}
	return ""
}
