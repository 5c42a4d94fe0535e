package validate

import (
	"strconv"
	"strings"
)

// labels are the Swedish names of fields as a letter refers to them.
var labels = map[string]string{
	"org_name":          "organisationens namn",
	"org_number":        "organisationsnummer",
	"org_address":       "organisationens adress",
	"org_postcode":      "postnummer",
	"org_town":          "postort",
	"user_name":         "användarens namn",
	"user_personnummer": "användarens personnummer",
	"user_email":        "användarens e-postadress",
	"user_mobile":       "användarens mobilnummer",
	"user_phone":        "användarens telefonnummer",
	"orderer_name":      "beställarens namn",
	"orderer_phone":     "beställarens telefonnummer",
	"orderer_email":     "beställarens e-postadress",
	"signer_name":       "namnförtydligande",
	"signer_title":      "befattning",
	"sign_place":        "ort",
	"sign_date":         "datum för underskrift",
	"contact_name":      "kontaktpersonens namn",
	"contact_title":     "kontaktpersonens befattning",
	"contact_phone":     "kontaktpersonens telefonnummer",
	"contact_email":     "kontaktpersonens e-postadress",
	"signatory_name":    "firmatecknarens namn",
	"signatory_title":   "firmatecknarens befattning",
	"signatory_phone":   "firmatecknarens telefonnummer",
	"signatory_email":   "firmatecknarens e-postadress",
	"part_sign_place":   "ort för organisationens underskrift",
	"part_sign_date":    "datum för organisationens underskrift",
	"part_signer_name":  "namnförtydligande för organisationens underskrift",
	"fk_sign_place":     "ort för Försäkringskassans underskrift",
	"fk_sign_date":      "datum för Försäkringskassans underskrift",
	"fk_signer_name":    "namnförtydligande för Försäkringskassans underskrift",
}

var ordererLabels = map[string]string{
	"name":         "namn",
	"personnummer": "personnummer",
	"phone":        "telefonnummer",
	"email":        "e-postadress",
}

// label returns the Swedish name of a field, or the field name itself.
func label(field string) string {
	if l, ok := labels[field]; ok {
		return l
	}
	// orderer{i}_{f} on a 9463.
	if rest, ok := strings.CutPrefix(field, "orderer"); ok && len(rest) > 2 && rest[1] == '_' {
		if i, err := strconv.Atoi(rest[:1]); err == nil {
			if l, ok := ordererLabels[rest[2:]]; ok {
				return "beställare " + strconv.Itoa(i) + ": " + l
			}
		}
	}
	return field
}
