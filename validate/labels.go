package validate

import (
	"strconv"
	"strings"

	"blankett/form"
)

// roleLabels name fields by role the way a finding message refers to
// them: in the definite form, so that each can open a sentence
// ("Användarens e-postadress saknas.").
var roleLabels = map[form.FieldRole]string{
	form.FieldOrgName:          "organisationens namn",
	form.FieldOrgNumber:        "organisationsnumret",
	form.FieldOrgAddress:       "organisationens adress",
	form.FieldOrgPostcode:      "organisationens postnummer",
	form.FieldOrgTown:          "organisationens postort",
	form.FieldUserName:         "användarens namn",
	form.FieldUserPersonnummer: "användarens personnummer",
	form.FieldUserEmail:        "användarens e-postadress",
	form.FieldUserMobile:       "användarens mobilnummer",
	form.FieldUserPhone:        "användarens telefonnummer till arbetet",
	form.FieldOrdererName:      "beställarens namn",
	form.FieldOrdererPhone:     "beställarens telefonnummer",
	form.FieldOrdererEmail:     "beställarens e-postadress",
	form.FieldSignerName:       "namnförtydligandet under namnteckningen",
	form.FieldSignerTitle:      "firmatecknarens titel",
	form.FieldSignPlace:        "orten vid underskriften",
	form.FieldSignDate:         "datumet vid underskriften",
	form.FieldContactName:      "kontaktpersonens namn",
	form.FieldContactTitle:     "kontaktpersonens titel",
	form.FieldContactPhone:     "kontaktpersonens telefonnummer",
	form.FieldContactEmail:     "kontaktpersonens e-postadress",
	form.FieldSignatoryName:    "firmatecknarens namn",
	form.FieldSignatoryTitle:   "firmatecknarens titel",
	form.FieldSignatoryPhone:   "firmatecknarens telefonnummer",
	form.FieldSignatoryEmail:   "firmatecknarens e-postadress",
	form.FieldFKSignPlace:      "orten vid Försäkringskassans underskrift",
	form.FieldFKSignDate:       "datumet vid Försäkringskassans underskrift",
	form.FieldFKSignerName:     "namnförtydligandet under Försäkringskassans underskrift",
}

// partyLabels name the Part's signature block on the agreement, which
// also has Försäkringskassan's.
var partyLabels = map[form.FieldRole]string{
	form.FieldSignPlace:  "orten vid organisationens underskrift",
	form.FieldSignDate:   "datumet vid organisationens underskrift",
	form.FieldSignerName: "namnförtydligandet under organisationens underskrift",
}

// rowLabels name the fields of a row of the orderer group (a 9463); %d
// is the row.
var rowLabels = map[form.FieldRole]string{
	form.FieldOrdererRowName:         "namnet på beställare %d",
	form.FieldOrdererRowPersonnummer: "personnumret för beställare %d",
	form.FieldOrdererRowPhone:        "telefonnumret till beställare %d",
	form.FieldOrdererRowEmail:        "e-postadressen till beställare %d",
}

// roleLabel returns the Swedish name of the field with role r in row on
// a document of kind k, or "" when there is none.
func roleLabel(k form.Kind, r form.FieldRole, row int) string {
	if l, ok := rowLabels[r]; ok {
		return strings.Replace(l, "%d", strconv.Itoa(row), 1)
	}
	if l, ok := partyLabels[r]; ok && k == form.KindAgreement {
		return l
	}
	return roleLabels[r]
}

// person names the person a personnummer field of role r identifies, for
// a message: "användaren", "beställare 2", else "personen".
func person(r form.FieldRole, row int) string {
	switch r {
	case form.FieldUserPersonnummer:
		return "användaren"
	case form.FieldOrdererRowPersonnummer:
		return "beställare " + strconv.Itoa(row)
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
