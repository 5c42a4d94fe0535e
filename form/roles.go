package form

import (
	"fmt"
	"sort"
	"strings"
)

// FieldRole says what a field means, whatever an edition calls it or wherever it
// prints it: rules, registry changes, letters, retention and the review
// page find values by role, never by field name or position. A role of a
// repeating group is written with "[i]" ("orderer[i].name"); the field's
// Repeat and Row say which group and row it belongs to.
type FieldRole string

// The roles the three kinds use.
const (
	FieldOrgName     FieldRole = "org.name"
	FieldOrgNumber   FieldRole = "org.number"
	FieldOrgAddress  FieldRole = "org.address"
	FieldOrgPostcode FieldRole = "org.postcode"
	FieldOrgTown     FieldRole = "org.town"

	FieldContactName  FieldRole = "contact.name"
	FieldContactTitle FieldRole = "contact.title"
	FieldContactPhone FieldRole = "contact.phone"
	FieldContactEmail FieldRole = "contact.email"

	FieldSignatoryName  FieldRole = "signatory.name"
	FieldSignatoryTitle FieldRole = "signatory.title"
	FieldSignatoryPhone FieldRole = "signatory.phone"
	FieldSignatoryEmail FieldRole = "signatory.email"

	FieldOrderNew    FieldRole = "order.new"
	FieldOrderChange FieldRole = "order.change"
	FieldOrderRemove FieldRole = "order.remove"

	FieldUserName         FieldRole = "user.name"
	FieldUserPersonnummer FieldRole = "user.personnummer"
	FieldUserEmail        FieldRole = "user.email"
	FieldUserMobile       FieldRole = "user.mobile"
	FieldUserPhone        FieldRole = "user.phone"

	FieldLoginSMS          FieldRole = "login.sms"
	FieldLoginBankID       FieldRole = "login.bankid"
	FieldLoginMobileBankID FieldRole = "login.mobile_bankid"
	FieldLoginEID          FieldRole = "login.eid"

	FieldSamverkansadministrator FieldRole = "role.samverkansadministrator"
	FieldInsatsansvarig          FieldRole = "role.insatsansvarig"
	FieldDeltagaransvarig        FieldRole = "role.deltagaransvarig"
	FieldSUSRapport              FieldRole = "role.susrapport"

	// The orderer who signs a 9445.
	FieldOrdererName  FieldRole = "orderer.name"
	FieldOrdererPhone FieldRole = "orderer.phone"
	FieldOrdererEmail FieldRole = "orderer.email"

	// The rows of a 9463: persons added or removed as orderers.
	FieldOrdererRowAdd          FieldRole = "orderer[i].add"
	FieldOrdererRowRemove       FieldRole = "orderer[i].remove"
	FieldOrdererRowName         FieldRole = "orderer[i].name"
	FieldOrdererRowPersonnummer FieldRole = "orderer[i].personnummer"
	FieldOrdererRowPhone        FieldRole = "orderer[i].phone"
	FieldOrdererRowEmail        FieldRole = "orderer[i].email"

	// The sender's signature block.
	FieldSignPlace   FieldRole = "sign.place"
	FieldSignDate    FieldRole = "sign.date"
	FieldSignature   FieldRole = "signer.signature"
	FieldSignerName  FieldRole = "signer.name"
	FieldSignerTitle FieldRole = "signer.title"

	// Försäkringskassan's own signature block on the agreement.
	FieldFKSignPlace  FieldRole = "fk.sign.place"
	FieldFKSignDate   FieldRole = "fk.sign.date"
	FieldFKSignature  FieldRole = "fk.signature"
	FieldFKSignerName FieldRole = "fk.signer.name"
)

// RoleInfo describes a role of the vocabulary.
type RoleInfo struct {
	Role  FieldRole
	Types []FieldType // the field types that can carry it
	Label string      // Swedish, for people (the admin page, draft hints)
	// Hints are lower-case words of printed labels that propose this role
	// when a template is drafted from a blank PDF.
	Hints []string
}

var textish = []FieldType{TypeText}

// tick roles are carried by a check box, or by an option of a radio group
// or choice field.
var tickTypes = []FieldType{TypeCheckbox}

var vocabulary = []RoleInfo{
	{FieldOrgName, textish, "Organisationens namn", []string{"organisationens namn", "organisation", "kommun", "part"}},
	{FieldOrgNumber, []FieldType{TypeOrgnr}, "Organisationsnummer", []string{"organisationsnummer", "org.nr", "orgnr"}},
	{FieldOrgAddress, textish, "Adress", []string{"adress", "utdelningsadress", "gatuadress"}},
	{FieldOrgPostcode, textish, "Postnummer", []string{"postnummer", "postnr"}},
	{FieldOrgTown, textish, "Postort", []string{"postort", "ort"}},
	{FieldContactName, textish, "Kontaktpersonens namn", []string{"kontaktperson"}},
	{FieldContactTitle, textish, "Kontaktpersonens titel", []string{"kontaktperson titel"}},
	{FieldContactPhone, []FieldType{TypePhone}, "Kontaktpersonens telefon", []string{"kontaktperson telefon"}},
	{FieldContactEmail, []FieldType{TypeEmail}, "Kontaktpersonens e-post", []string{"kontaktperson e-post"}},
	{FieldSignatoryName, textish, "Firmatecknarens namn", []string{"firmatecknare namn", "firmatecknare"}},
	{FieldSignatoryTitle, textish, "Firmatecknarens titel", []string{"firmatecknare titel"}},
	{FieldSignatoryPhone, []FieldType{TypePhone}, "Firmatecknarens telefon", []string{"firmatecknare telefon"}},
	{FieldSignatoryEmail, []FieldType{TypeEmail}, "Firmatecknarens e-post", []string{"firmatecknare e-post"}},
	{FieldOrderNew, tickTypes, "Ny användare", []string{"ny användare", "nyregistrering", "ny"}},
	{FieldOrderChange, tickTypes, "Ändring av behörighet", []string{"ändring", "ändra"}},
	{FieldOrderRemove, tickTypes, "Borttag av användare", []string{"borttag", "ta bort användare", "avregistrering"}},
	{FieldUserName, textish, "Användarens namn", []string{"användare namn", "för- och efternamn", "namn"}},
	{FieldUserPersonnummer, []FieldType{TypePersonnummer}, "Användarens personnummer", []string{"personnummer"}},
	{FieldUserEmail, []FieldType{TypeEmail}, "Användarens e-postadress", []string{"e-postadress", "e-post"}},
	{FieldUserMobile, []FieldType{TypePhone}, "Användarens mobilnummer", []string{"mobiltelefon", "mobilnummer", "mobil"}},
	{FieldUserPhone, []FieldType{TypePhone}, "Användarens telefon i arbetet", []string{"telefon arbetet", "arbetstelefon"}},
	{FieldLoginSMS, tickTypes, "Inloggning med SMS", []string{"sms"}},
	{FieldLoginBankID, tickTypes, "Inloggning med BankID", []string{"bankid"}},
	{FieldLoginMobileBankID, tickTypes, "Inloggning med Mobilt BankID", []string{"mobilt bankid"}},
	{FieldLoginEID, tickTypes, "Inloggning med e-legitimation", []string{"e-legitimation"}},
	{FieldSamverkansadministrator, tickTypes, "Samverkansadministratör", []string{"samverkansadministratör"}},
	{FieldInsatsansvarig, tickTypes, "Insatsansvarig", []string{"insatsansvarig"}},
	{FieldDeltagaransvarig, tickTypes, "Deltagaransvarig", []string{"deltagaransvarig"}},
	{FieldSUSRapport, tickTypes, "SUSRapport", []string{"susrapport"}},
	{FieldOrdererName, textish, "Beställarens namn", []string{"beställarens namn", "beställare"}},
	{FieldOrdererPhone, []FieldType{TypePhone}, "Beställarens telefon", []string{"beställare telefon"}},
	{FieldOrdererEmail, []FieldType{TypeEmail}, "Beställarens e-postadress", []string{"beställare e-post"}},
	{FieldOrdererRowAdd, tickTypes, "Beställare läggs till", []string{"lägg till"}},
	{FieldOrdererRowRemove, tickTypes, "Beställare tas bort", []string{"ta bort"}},
	{FieldOrdererRowName, textish, "Beställarens namn", []string{"för- och efternamn", "namn"}},
	{FieldOrdererRowPersonnummer, []FieldType{TypePersonnummer}, "Beställarens personnummer", []string{"personnummer"}},
	{FieldOrdererRowPhone, []FieldType{TypePhone}, "Beställarens telefon", []string{"telefon"}},
	{FieldOrdererRowEmail, []FieldType{TypeEmail}, "Beställarens e-postadress", []string{"e-postadress", "e-post"}},
	{FieldSignPlace, textish, "Ort för underskrift", []string{"ort"}},
	{FieldSignDate, []FieldType{TypeDate}, "Datum för underskrift", []string{"datum"}},
	{FieldSignature, []FieldType{TypeSignature}, "Namnteckning", []string{"namnteckning", "underskrift"}},
	{FieldSignerName, textish, "Namnförtydligande", []string{"namnförtydligande"}},
	{FieldSignerTitle, textish, "Undertecknarens titel", []string{"titel"}},
	{FieldFKSignPlace, textish, "Försäkringskassans ort", []string{"försäkringskassan ort"}},
	{FieldFKSignDate, []FieldType{TypeDate}, "Försäkringskassans datum", []string{"försäkringskassan datum"}},
	{FieldFKSignature, []FieldType{TypeSignature}, "Försäkringskassans namnteckning", []string{"försäkringskassan namnteckning"}},
	{FieldFKSignerName, textish, "Försäkringskassans namnförtydligande", []string{"försäkringskassan namnförtydligande"}},
}

// FieldRoles lists the vocabulary.
func FieldRoles() []RoleInfo { return append([]RoleInfo(nil), vocabulary...) }

// Info returns the vocabulary's entry for r.
func (r FieldRole) Info() (RoleInfo, bool) {
	for _, ri := range vocabulary {
		if ri.Role == r {
			return ri, true
		}
	}
	return RoleInfo{}, false
}

// Repeated reports whether r belongs to a repeating group ("orderer[i].name"),
// and the group's name.
func (r FieldRole) Repeated() (group string, ok bool) {
	g, _, ok := strings.Cut(string(r), "[i]")
	return g, ok
}

// leaf is the last part of r ("name" of "orderer[i].name").
func (r FieldRole) leaf() string {
	s := string(r)
	return s[strings.LastIndexByte(s, '.')+1:]
}

// Beside is the role of the same person or organisation as r with the
// last part leaf: the name beside an e-mail address ("orderer[i].email"
// → "orderer[i].name").
func (r FieldRole) Beside(leaf string) FieldRole {
	return r[:len(r)-len(r.leaf())] + FieldRole(leaf)
}

// PersonName reports whether r is a person's full name: a name, but not
// the organisation's.
func (r FieldRole) PersonName() bool { return r.leaf() == "name" && r != FieldOrgName }

// NameLike reports whether r holds a name, title or place, which never
// hold full stops, colons or commas and start with a capital.
func (r FieldRole) NameLike() bool {
	switch r.leaf() {
	case "name", "title", "place", "town":
		return true
	}
	return false
}

// Tick reports whether r is a yes/no role (a check box, or an option of a
// radio group or choice field).
func (r FieldRole) Tick() bool {
	ri, ok := r.Info()
	return ok && len(ri.Types) == 1 && ri.Types[0] == TypeCheckbox
}

// kindRoles are the roles each kind's editions must provide; a template
// without one is refused.
var kindRoles = map[Kind][]FieldRole{
	Kind9445: {
		FieldOrderNew, FieldOrderChange, FieldOrderRemove,
		FieldOrgName, FieldOrgNumber,
		FieldUserName, FieldUserPersonnummer, FieldUserEmail, FieldUserMobile,
		FieldLoginSMS, FieldLoginBankID, FieldLoginMobileBankID, FieldLoginEID,
		FieldSamverkansadministrator, FieldInsatsansvarig, FieldDeltagaransvarig, FieldSUSRapport,
		FieldOrdererName, FieldOrdererPhone,
		FieldSignPlace, FieldSignDate, FieldSignature, FieldSignerName,
	},
	Kind9463: {
		FieldOrgName, FieldOrgNumber,
		FieldOrdererRowAdd, FieldOrdererRowRemove, FieldOrdererRowName, FieldOrdererRowPersonnummer,
		FieldSignPlace, FieldSignDate, FieldSignature, FieldSignerName, FieldSignerTitle,
	},
	KindAgreement: {
		FieldOrgName, FieldOrgNumber, FieldOrgAddress, FieldOrgPostcode, FieldOrgTown,
		FieldContactName, FieldContactPhone, FieldContactEmail,
		FieldSignatoryName, FieldSignatoryTitle,
		FieldSignPlace, FieldSignDate, FieldSignature, FieldSignerName,
	},
}

// kindOptional are the roles an edition of each kind may provide besides
// those it must.
var kindOptional = map[Kind][]FieldRole{
	Kind9445:      {FieldUserPhone, FieldOrdererEmail},
	Kind9463:      {FieldOrdererRowPhone, FieldOrdererRowEmail},
	KindAgreement: {FieldContactTitle, FieldSignatoryPhone, FieldSignatoryEmail, FieldFKSignPlace, FieldFKSignDate, FieldFKSignature, FieldFKSignerName},
}

// NeededRoles are the roles every edition of k must provide.
func (k Kind) NeededRoles() []FieldRole { return append([]FieldRole(nil), kindRoles[k]...) }

// Roles are the roles an edition of k may provide: those it must, then
// the others its editions have.
func (k Kind) Roles() []FieldRole { return append(k.NeededRoles(), kindOptional[k]...) }

// checkRoles reports the first role problem of t: an unknown role, a role
// on a field of the wrong type, a role given twice, a repeated role
// outside its group, or a role the kind needs that no field provides.
func (t *Template) checkRoles() error {
	type key struct {
		r   FieldRole
		row int
	}
	seen := map[key]string{}
	have := map[FieldRole]bool{}
	add := func(where string, r FieldRole, row int) error {
		k := key{r, row}
		if prev, dup := seen[k]; dup {
			return fmt.Errorf("%s: role %q already given to %s", where, r, prev)
		}
		seen[k] = where
		have[r] = true
		return nil
	}
	repeats := map[string]Repeat{}
	for _, rp := range t.Repeats {
		repeats[rp.Name] = rp
	}
	for _, f := range t.Fields {
		where := fmt.Sprintf("field %q", f.Name)
		if f.Repeat != "" {
			rp, ok := repeats[f.Repeat]
			if !ok {
				return fmt.Errorf("%s: repeating group %q is not declared", where, f.Repeat)
			}
			if f.Row < 1 || f.Row > rp.Rows {
				return fmt.Errorf("%s: row %d of group %q, which has %d rows", where, f.Row, f.Repeat, rp.Rows)
			}
		}
		if f.Role != "" {
			ri, ok := f.Role.Info()
			if !ok {
				return fmt.Errorf("%s: unknown role %q", where, f.Role)
			}
			if !typeIn(f.Type, ri.Types) {
				return fmt.Errorf("%s: role %q needs a field of type %s, not %s", where, f.Role, typeList(ri.Types), f.Type)
			}
			if err := checkRow(where, f.Role, f.Repeat); err != nil {
				return err
			}
			if err := add(where, f.Role, f.Row); err != nil {
				return err
			}
		}
		for _, o := range f.Options {
			if o.Role == "" {
				continue
			}
			where := fmt.Sprintf("field %q option %q", f.Name, o.Value)
			if !o.Role.Tick() {
				return fmt.Errorf("%s: role %q is not a yes/no role and cannot be an option", where, o.Role)
			}
			if err := checkRow(where, o.Role, f.Repeat); err != nil {
				return err
			}
			if err := add(where, o.Role, f.Row); err != nil {
				return err
			}
		}
	}
	var missing []string
	for _, r := range kindRoles[t.Kind] {
		if !have[r] {
			missing = append(missing, string(r))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("no field has the role %s that a %s needs", strings.Join(missing, ", "), t.Kind)
	}
	return nil
}

func checkRow(where string, r FieldRole, repeat string) error {
	group, repeated := r.Repeated()
	switch {
	case repeated && repeat != group:
		return fmt.Errorf("%s: role %q belongs to a row of repeating group %q", where, r, group)
	case !repeated && repeat != "":
		return fmt.Errorf("%s: role %q is not one of a repeating group, but the field is in group %q", where, r, repeat)
	}
	return nil
}

func typeIn(t FieldType, ts []FieldType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	// A tick role may also be carried by a radio group or choice option
	// (checked separately); a check box role on a radio field itself is not.
	return false
}

func typeList(ts []FieldType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, " or ")
}
