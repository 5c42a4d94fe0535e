// Package validate checks the fields read from a form against the rules in
// DOMAIN.md and against the registry of signatories, orderers, agreements
// and users, and says what an approval changes in the registry. Everything
// here is a pure function of its inputs: the registry is reached only
// through the small Registry interface declared here.
package validate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"blankett/form"
)

// FieldCopies is an optional field on an agreement: how many signed copies
// arrived in this document (set by extraction or the mailroom when one
// envelope or scan holds both). Absent means one.
const FieldCopies = "copies_received"

// Validator checks documents against the rules and a registry. Its
// Validate method is what the pipeline's validate step calls.
type Validator struct {
	Registry Registry
}

// NewValidator returns a Validator asking reg.
func NewValidator(reg Registry) (*Validator, error) {
	if reg == nil {
		return nil, errors.New("validator: no registry")
	}
	return &Validator{Registry: reg}, nil
}

// Validate is Document with the validator's registry.
func (v *Validator) Validate(ctx context.Context, doc form.Document) ([]form.Finding, error) {
	return Document(ctx, v.Registry, doc)
}

// Document checks one document's fields by its kind and returns the
// findings (nil when every rule passes). Which fields are required and how
// each is checked comes from the edition the document was read with
// (doc.Edition); the rules between fields and against the registry are
// code, and find the values they need by role. Registry
// questions are asked as of the day the document was received, or as of
// doc.AsOf when set; the dates written on the form are always judged
// against the received date. An error
// means a rule could not be checked (the registry failed, the kind is
// unknown), never that the document is wrong.
func Document(ctx context.Context, reg Registry, doc form.Document) ([]form.Finding, error) {
	t, err := doc.Edition()
	if err != nil {
		return nil, fmt.Errorf("validate document %d: %w", doc.ID, err)
	}
	return DocumentWithTemplate(ctx, reg, t, doc)
}

// DocumentWithTemplate is Document with the edition given.
func DocumentWithTemplate(ctx context.Context, reg Registry, t *form.Template, doc form.Document) ([]form.Finding, error) {
	if t == nil || t.Kind != doc.Kind {
		return nil, fmt.Errorf("validate document %d: no template of kind %q", doc.ID, doc.Kind)
	}
	if reg == nil {
		return nil, errors.New("validate: no registry")
	}
	if doc.Received.IsZero() {
		return nil, fmt.Errorf("validate document %d: no received date", doc.ID)
	}
	received := form.Day(doc.Received)
	asOf := received
	if !doc.AsOf.IsZero() {
		asOf = form.Day(doc.AsOf)
	}
	c := &checker{ctx: ctx, reg: reg, doc: doc, tmpl: t, received: received, asOf: asOf, norm: map[string]string{}, dates: map[string]time.Time{}}
	c.fieldChecks()
	var err error
	switch doc.Kind {
	case form.Kind9445:
		err = c.check9445()
	case form.Kind9463:
		err = c.check9463()
	case form.KindAgreement:
		err = c.checkAgreement()
	default:
		return nil, fmt.Errorf("validate document %d: unknown kind %q", doc.ID, doc.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("validate document %d (%s): %w", doc.ID, doc.Kind, err)
	}
	return c.findings, nil
}

// checker collects the findings for one document.
type checker struct {
	ctx      context.Context
	reg      Registry
	doc      form.Document
	tmpl     *form.Template
	received time.Time            // the day the document was received
	asOf     time.Time            // the day registry questions are asked as of
	norm     map[string]string    // normalised values of valid identity fields
	dates    map[string]time.Time // dates that could be read
	findings []form.Finding
}

func (c *checker) add(code, field, msg string, ev map[string]string) {
	sev, ok := form.Codes[code]
	if !ok {
		sev = form.SeverityError
	}
	c.findings = append(c.findings, form.Finding{Code: code, Severity: sev, Field: field, Message: msg, Evidence: ev})
}

// value is the field's normalised value, or what was read when extraction
// could not normalise it, trimmed.
func (c *checker) value(name string) string { return c.doc.Fields[name].Text() }

// checked reports whether a checkbox or signature field is set.
func (c *checker) checked(name string) bool { return c.doc.Fields.Checked(name) }

// field is the name of the field with role r (in row, 0 outside
// repeating groups) on the document's edition: findings name it.
func (c *checker) field(r form.FieldRole, row int) string { return c.tmpl.RoleField(r, row) }

// text is role r's value in row, as value gives it.
func (c *checker) text(r form.FieldRole, row int) string {
	return c.tmpl.RoleText(c.doc.Fields, r, row)
}

// ticked reports whether yes/no role r is set in row.
func (c *checker) ticked(r form.FieldRole, row int) bool {
	return c.tmpl.RoleChecked(c.doc.Fields, r, row)
}

// label is the Swedish name of a field for a message, in the definite
// form: by its role (labels.go), else the template's label.
func (c *checker) label(field string) string {
	r, row := c.tmpl.FieldRole(field)
	if l := roleLabel(c.doc.Kind, r, row); l != "" {
		return l
	}
	if f, ok := c.tmpl.Field(field); ok && f.Label != "" {
		return strings.ToLower(f.Label[:1]) + f.Label[1:]
	}
	return field
}

// boxLabel is the label printed by the tick box (or option) of role r on
// the form, as written there.
func (c *checker) boxLabel(r form.FieldRole, row int) string {
	f, opt, ok := c.tmpl.ByRole(r, row)
	switch {
	case !ok:
		return string(r)
	case opt != nil && opt.Label != "":
		return opt.Label
	case f.Label != "":
		return f.Label
	}
	return f.Name
}

// noun is what messages call this document.
func (c *checker) noun() string { return noun(c.doc.Kind) }

// receivedPhrase is "den dag blanketten kom in till Försäkringskassan (den
// 10 mars 2025)".
func (c *checker) receivedPhrase() string {
	return "den dag " + c.noun() + " kom in till Försäkringskassan (" + words(c.received) + ")"
}

// asOfPhrase names the day registry questions were asked as of: the
// received day, or the day given by AsOf.
func (c *checker) asOfPhrase() string {
	if c.asOf.Equal(c.received) {
		return c.receivedPhrase()
	}
	return words(c.asOf)
}

// words is "den 2 november 2026".
func words(t time.Time) string { return "den " + form.DayInWords(t) }

// required reports whether a field must be filled in: the template says
// so, or it is the name or personnummer of a used orderer row (a 9463).
func (c *checker) required(f form.Field) bool {
	if f.Required {
		return true
	}
	if f.Role != form.FieldOrdererRowName && f.Role != form.FieldOrdererRowPersonnummer {
		return false
	}
	for _, r := range []form.FieldRole{form.FieldOrdererRowName, form.FieldOrdererRowPersonnummer, form.FieldOrdererRowPhone, form.FieldOrdererRowEmail} {
		if c.text(r, f.Row) != "" {
			return true
		}
	}
	return c.ticked(form.FieldOrdererRowAdd, f.Row) || c.ticked(form.FieldOrdererRowRemove, f.Row)
}

// fieldChecks runs the checks every field of the template gets by its
// type: present when required, signed when a required signature, and a
// valid, plausible value otherwise.
func (c *checker) fieldChecks() {
	for _, f := range c.tmpl.Fields {
		v := c.value(f.Name)
		switch {
		case f.Type == form.TypeSignature:
			if f.Required && !c.checked(f.Name) {
				c.add(form.CodeSignatureMissing, f.Name, c.signatureMissing(), nil)
			}
			continue
		case f.Type == form.TypeCheckbox:
			continue
		case v == "":
			if c.required(f) {
				c.add(form.CodeRequiredMissing, f.Name, capitalise(c.label(f.Name))+" saknas. Fyll i uppgiften.", nil)
			}
			continue
		}
		l := c.label(f.Name)
		switch f.Type {
		case form.TypePersonnummer:
			p, err := form.ParsePersonnummer(v, c.received)
			if err != nil {
				c.add(form.CodePersonnummerInvalid, f.Name, personnummerMessage(l, err), nil)
				continue
			}
			c.norm[f.Name] = p.Number
			c.age(f.Name, p)
		case form.TypeOrgnr:
			n, err := ParseOrgnr(v)
			if err != nil {
				c.add(form.CodeOrgnrInvalid, f.Name, orgnrMessage(l, err), nil)
				continue
			}
			c.norm[f.Name] = n
		case form.TypePhone:
			p, err := ParsePhone(v)
			if err != nil {
				msg := capitalise(l) + " är ofullständigt eller felskrivet. Skriv numret med riktnummer, till exempel 08-123 456 78 eller 070-123 45 67."
				if errors.Is(err, ErrPhoneForeign) {
					msg = capitalise(l) + " är ett utländskt nummer. Fyll i ett svenskt telefonnummer."
				}
				c.add(form.CodePhoneInvalid, f.Name, msg, nil)
				continue
			}
			c.norm[f.Name] = p.E164
		case form.TypeEmail:
			e, err := ParseEmail(v)
			if err != nil {
				c.add(form.CodeEmailInvalid, f.Name, capitalise(l)+" är ofullständig eller felskriven. Skriv hela adressen, till exempel namn.efternamn@organisation.se.", nil)
				continue
			}
			c.norm[f.Name] = e
		case form.TypeDate:
			c.date(f.Name, v)
		}
	}
}

// signatureMissing is the message for an unsigned document.
func (c *checker) signatureMissing() string {
	switch c.doc.Kind {
	case form.Kind9445:
		return "Blanketten saknar namnteckning. Den ska skrivas under av den beställare som står på blanketten."
	case form.Kind9463:
		return "Blanketten saknar namnteckning. Den ska skrivas under av en firmatecknare för organisationen."
	}
	return "Överenskommelsen saknar organisationens namnteckning. Den ska skrivas under av organisationens firmatecknare."
}

// personnummerMessage says what is wrong with a personnummer field l
// ("användarens personnummer") and what to do.
func personnummerMessage(l string, err error) string {
	L := capitalise(l)
	switch {
	case errors.Is(err, form.ErrPersonnummerSerial):
		return L + " har 000 i de tre siffrorna före den sista siffran. Sådana nummer finns inte, så numret är troligen felskrivet. Kontrollera numret."
	case errors.Is(err, form.ErrPersonnummerLuhn):
		return L + " stämmer inte: den sista siffran (kontrollsiffran) passar inte ihop med de andra. Kontrollera numret."
	case errors.Is(err, form.ErrPersonnummerDate):
		return L + " innehåller inget verkligt födelsedatum. Kontrollera numret."
	case errors.Is(err, form.ErrPersonnummerFuture):
		return "Födelsedatumet i " + l + " har inte inträffat än. Kontrollera numret."
	}
	return L + " är ofullständigt eller felskrivet. Skriv numret med tio eller tolv siffror, till exempel ÅÅMMDD-NNNN."
}

// orgnrMessage says what is wrong with an org number field l.
func orgnrMessage(l string, err error) string {
	L := capitalise(l)
	switch {
	case errors.Is(err, ErrOrgnrThird):
		return L + " ser ut som ett personnummer. Fyll i organisationens organisationsnummer, tio siffror (NNNNNN-NNNN)."
	case errors.Is(err, ErrOrgnrLuhn):
		return L + " stämmer inte: den sista siffran (kontrollsiffran) passar inte ihop med de andra. Kontrollera numret."
	}
	return L + " är ofullständigt eller felskrivet. Fyll i organisationens organisationsnummer, tio siffror (NNNNNN-NNNN)."
}

// age checks that the person a personnummer field names is of a plausible
// age for a user or an orderer on the received date, and names a misread
// century sign when that is the likely cause.
func (c *checker) age(field string, p form.Personnummer) {
	err := CheckAge(p, c.received)
	if err == nil {
		return
	}
	r, row := c.tmpl.FieldRole(field)
	who, l := person(r, row), c.label(field)
	a := p.Age(c.received)
	ev := map[string]string{"birth_year": strconv.Itoa(p.Birth.Year()), "age": strconv.Itoa(a), "received": c.received.Format(DateLayout)}
	var msg string
	if born, ok := MisreadPlus(p, c.received); ok {
		ev["birth_year_with_hyphen"] = strconv.Itoa(born)
		msg = fmt.Sprintf("%s är skrivet med ett plustecken (+) före de fyra sista siffrorna. Plustecknet betyder att %s är född %d och alltså är över 100 år. Är %s född %d ska det stå ett bindestreck (-) i stället. Kontrollera numret.",
			capitalise(l), who, p.Birth.Year(), who, born)
	} else if errors.Is(err, ErrAgeYoung) {
		msg = fmt.Sprintf("Enligt personnumret är %s född %d och alltså bara %d år. Kontrollera %s.", who, p.Birth.Year(), a, l)
	} else {
		msg = fmt.Sprintf("Enligt personnumret är %s född %d och alltså %d år. Kontrollera %s.", who, p.Birth.Year(), a, l)
	}
	c.add(form.CodeAgeImplausible, field, msg, ev)
}

// date checks a date field against the received date.
func (c *checker) date(field, v string) {
	d, err := ParseDate(v, c.received)
	if err != nil {
		c.add(form.CodeDateInvalid, field, capitalise(c.label(field))+" går inte att läsa. Skriv det med år, månad och dag: ÅÅÅÅ-MM-DD.", nil)
		return
	}
	c.dates[field] = d
	ev := map[string]string{"date": d.Format(DateLayout), "received": c.received.Format(DateLayout)}
	switch err := CheckDate(d, c.received); {
	case errors.Is(err, ErrDateFuture):
		c.add(form.CodeDateInFuture, field, capitalise(c.label(field))+" är "+words(d)+", alltså efter "+c.receivedPhrase()+". Kontrollera datumet.", ev)
	case errors.Is(err, ErrDateOld):
		again := "Fyll i och skriv under en ny blankett."
		if c.doc.Kind == form.KindAgreement {
			again = "Skriv under överenskommelsen på nytt."
		}
		c.add(form.CodeDateTooOld, field, capitalise(c.label(field))+" är "+words(d)+", mer än ett år före "+c.receivedPhrase()+". "+again, ev)
	}
}

// signDate is the signing date for registry questions: the date on the
// form when it could be read, else the as-of day.
func (c *checker) signDate(field string) time.Time {
	if d, ok := c.dates[field]; ok {
		return d
	}
	return c.asOf
}

// check9445 checks a user order (Beställning användare i SUS).
func (c *checker) check9445() error {
	types := []form.FieldRole{form.FieldOrderNew, form.FieldOrderChange, form.FieldOrderRemove}
	orderNew, orderChange, orderRemove := c.ticked(types[0], 0), c.ticked(types[1], 0), c.ticked(types[2], 0)
	var boxes []string
	for _, t := range types {
		boxes = append(boxes, c.boxLabel(t, 0))
	}
	switch count(orderNew, orderChange, orderRemove) {
	case 0:
		c.add(form.CodeOrderTypeMissing, c.field(types[0], 0), "Det framgår inte vad beställningen gäller. Markera en av rutorna "+list(boxes, "eller")+".", nil)
	case 1:
	default:
		c.add(form.CodeOrderTypeSeveral, c.field(types[0], 0), "Flera av rutorna "+list(boxes, "och")+" är markerade. En blankett gäller en enda beställning, så markera bara en av rutorna. Gäller beställningen flera saker behövs en blankett för varje.", nil)
	}

	// A new user needs a way to log in.
	if orderNew {
		var methods []bool
		var names []string
		for _, m := range form.LoginMethods {
			methods = append(methods, c.ticked(m.FieldRole(), 0))
			names = append(names, c.boxLabel(m.FieldRole(), 0))
		}
		if count(methods...) == 0 {
			c.add(form.CodeLoginMethodMissing, c.field(form.LoginMethods[0].FieldRole(), 0), "Det framgår inte hur den nya användaren ska logga in. Markera minst ett av inloggningssätten "+list(names, "eller")+".", nil)
		}
	}

	// SMS login needs a Swedish mobile number.
	if c.ticked(form.LoginSMS.FieldRole(), 0) {
		c.smsMobile(c.field(form.FieldUserMobile, 0))
	}

	// Roles.
	var roles []bool
	var roleNames []string
	for _, r := range form.Roles {
		roles = append(roles, c.ticked(r.FieldRole(), 0))
		roleNames = append(roleNames, r.Title())
	}
	if (orderNew || orderChange) && count(roles...) == 0 {
		c.add(form.CodeRolesMissing, c.field(form.RoleSamverkansadministrator.FieldRole(), 0), "Ingen behörighetsroll är markerad för användaren. Markera minst en av rollerna "+list(roleNames, "eller")+".", nil)
	}
	if c.ticked(form.RoleSamverkansadministrator.FieldRole(), 0) && c.ticked(form.RoleDeltagaransvarig.FieldRole(), 0) {
		c.add(form.CodeRoleConflictSamverkanDeltag, c.field(form.RoleDeltagaransvarig.FieldRole(), 0), "Användaren kan inte ha både rollen "+form.RoleSamverkansadministrator.Title()+" och rollen "+form.RoleDeltagaransvarig.Title()+". Markera bara en av dem.", nil)
	}

	// The orderer named on the form signs it.
	if signer, orderer := c.text(form.FieldSignerName, 0), c.text(form.FieldOrdererName, 0); signer != "" && orderer != "" && !SameName(signer, orderer) {
		c.add(form.CodeSignerNotOrderer, c.field(form.FieldSignerName, 0), "Beställningen är undertecknad av "+signer+", men beställare enligt blanketten är "+orderer+". Beställningen ska skrivas under av den beställare som står på blanketten.",
			map[string]string{"signer_name": signer, "orderer_name": orderer})
	}

	orgnr, orgOK := c.norm[c.field(form.FieldOrgNumber, 0)]
	pnr, pnrOK := c.norm[c.field(form.FieldUserPersonnummer, 0)]
	if !orgOK {
		return nil // registry checks need the org number
	}
	if pnrOK {
		users, err := c.reg.UsersByPersonnummer(c.ctx, pnr, c.asOf)
		if err != nil {
			return fmt.Errorf("users by personnummer: %w", err)
		}
		var other *form.User
		for i, u := range users {
			if u.OrgNumber == orgnr {
				other = nil
				break
			}
			if other == nil {
				other = &users[i]
			}
		}
		if other != nil {
			c.add(form.CodeUserOtherOrg, c.field(form.FieldOrgNumber, 0), "Användaren är redan registrerad som användare hos en annan organisation. Behörigheten ska beställas av den organisation där användaren är anställd. Kontrollera att det är rätt organisation som beställer.", map[string]string{
				"user_id":         strconv.FormatInt(other.ID, 10),
				"user_org_number": other.OrgNumber,
				"user_valid_from": other.ValidFrom.Format(DateLayout),
				"personnummer":    form.MaskPersonnummer(pnr),
				"as_of":           c.asOf.Format(DateLayout),
			})
		}
	}
	if name := c.text(form.FieldOrdererName, 0); name != "" {
		if err := c.ordererAuthorised(orgnr, name); err != nil {
			return err
		}
	}
	return c.agreementInForce(orgnr)
}

// smsMobile checks that field holds a Swedish mobile number, as SMS login
// needs.
func (c *checker) smsMobile(field string) {
	l := c.label(field)
	mobile := c.value(field)
	if mobile == "" {
		c.add(form.CodeSMSMobileMissing, field, capitalise(l)+" saknas. Det behövs när användaren ska logga in med SMS. Fyll i ett mobilnummer eller välj ett annat sätt att logga in.", nil)
		return
	}
	p, err := ParsePhone(mobile)
	switch {
	case err != nil:
		// PHONE_INVALID already says the number cannot be read.
		c.add(form.CodeSMSMobileInvalid, field, "Inloggning med SMS kräver ett svenskt mobilnummer, till exempel 070-123 45 67. Fyll i ett mobilnummer eller välj ett annat sätt att logga in.", nil)
	case p.Kind != PhoneMobile:
		what := serviceNumber(p.E164)
		if what == "" {
			what = "ett fast telefonnummer"
		}
		c.add(form.CodeSMSMobileInvalid, field, capitalise(l)+" är "+what+", inte ett mobilnummer. SMS kan bara skickas till en mobiltelefon. Fyll i ett mobilnummer, till exempel 070-123 45 67, eller välj ett annat sätt att logga in.", nil)
	}
}

// ordererAuthorised checks that name is a registered, unexpired and not
// removed orderer of the org on the as-of day.
func (c *checker) ordererAuthorised(orgnr, name string) error {
	orderers, err := c.reg.Orderers(c.ctx, orgnr, c.asOf)
	if err != nil {
		return fmt.Errorf("orderers of %s: %w", orgnr, err)
	}
	var matches []form.Orderer
	for _, o := range orderers {
		if SameName(o.Name, name) {
			if o.ActiveOn(c.asOf) {
				return nil
			}
			matches = append(matches, o)
		}
	}
	base := map[string]string{"org_number": orgnr, "orderer_name": name, "as_of": c.asOf.Format(DateLayout)}
	renew := "Ni anmäler och förnyar beställare på " + formName(form.Kind9463) + "."
	if len(matches) == 0 {
		ev := base
		ev["orderers_known"] = strconv.Itoa(len(orderers))
		c.add(form.CodeOrdererNotRegistered, c.field(form.FieldOrdererName, 0), name+" var inte registrerad som behörig beställare för organisationen "+c.asOfPhrase()+". Bara en beställare som har fått en bekräftelse från Försäkringskassan kan beställa behörigheter. "+renew, ev)
		return nil
	}
	// The most recent registration tells why it no longer holds.
	sort.Slice(matches, func(i, j int) bool { return matches[i].ValidFrom.After(matches[j].ValidFrom) })
	o := matches[0]
	ev := ordererEvidence(o)
	for k, v := range base {
		ev[k] = v
	}
	if !o.Removed.IsZero() && !c.asOf.Before(o.Removed) {
		c.add(form.CodeOrdererRemoved, c.field(form.FieldOrdererName, 0), name+" togs bort som behörig beställare för organisationen "+words(o.Removed)+" och kan inte längre beställa behörigheter. Beställningen ska skrivas under av en annan behörig beställare.", ev)
		return nil
	}
	c.add(form.CodeOrdererExpired, c.field(form.FieldOrdererName, 0), "Behörigheten för beställaren "+name+" gällde till och med "+words(o.ValidTo)+". En beställare registreras för högst två år i taget. "+renew, ev)
	return nil
}

func ordererEvidence(o form.Orderer) map[string]string {
	ev := map[string]string{
		"orderer_id":         strconv.FormatInt(o.ID, 10),
		"orderer_org_number": o.OrgNumber,
		"orderer_valid_from": o.ValidFrom.Format(DateLayout),
		"orderer_valid_to":   o.ValidTo.Format(DateLayout),
	}
	if !o.Removed.IsZero() {
		ev["orderer_removed"] = o.Removed.Format(DateLayout)
	}
	if o.SourceDocument != 0 {
		ev["orderer_source_document"] = strconv.FormatInt(o.SourceDocument, 10)
	}
	return ev
}

// agreementInForce checks that the org has an agreement in force on the
// as-of day.
func (c *checker) agreementInForce(orgnr string) error {
	agreements, err := c.reg.Agreements(c.ctx, orgnr, c.asOf)
	if err != nil {
		return fmt.Errorf("agreements of %s: %w", orgnr, err)
	}
	for _, a := range agreements {
		if a.InForce(c.asOf) {
			return nil
		}
	}
	ev := map[string]string{"org_number": orgnr, "as_of": c.asOf.Format(DateLayout)}
	msg := "Organisationen hade ingen gällande överenskommelse med Försäkringskassan om uppföljningssystemet SUS " + c.asOfPhrase() + ". Ni behöver först teckna en överenskommelse. När den gäller kan ni anmäla beställare och beställa behörigheter."
	if len(agreements) > 0 {
		sort.Slice(agreements, func(i, j int) bool { return agreements[i].ID > agreements[j].ID })
		last := agreements[0]
		for k, v := range agreementEvidence(last) {
			ev[k] = v
		}
		switch {
		case !last.Terminated.IsZero() && !c.asOf.Before(last.Terminated):
			msg = "Organisationens överenskommelse med Försäkringskassan om uppföljningssystemet SUS upphörde att gälla " + words(last.Terminated) + ". Ni behöver teckna en ny överenskommelse innan ni kan anmäla beställare och beställa behörigheter."
		case last.Terminated.IsZero() && (last.Countersigned.IsZero() || last.Countersigned.After(c.asOf)):
			msg = "Organisationens överenskommelse med Försäkringskassan om uppföljningssystemet SUS gällde ännu inte " + c.asOfPhrase() + ", eftersom Försäkringskassan inte hade skrivit under den. Den gäller från den dag båda parter har skrivit under. Ni kan anmäla beställare och beställa behörigheter när den gäller."
		}
	}
	c.add(form.CodeAgreementNotInForce, c.field(form.FieldOrgNumber, 0), msg, ev)
	return nil
}

func agreementEvidence(a form.Agreement) map[string]string {
	ev := map[string]string{
		"agreement_id":              strconv.FormatInt(a.ID, 10),
		"agreement_copies_received": strconv.Itoa(a.CopiesReceived),
	}
	for k, d := range map[string]time.Time{
		"agreement_part_signed":   a.PartSigned,
		"agreement_countersigned": a.Countersigned,
		"agreement_terminated":    a.Terminated,
	} {
		if !d.IsZero() {
			ev[k] = d.Format(DateLayout)
		}
	}
	if a.SourceDocument != 0 {
		ev["agreement_source_document"] = strconv.FormatInt(a.SourceDocument, 10)
	}
	return ev
}

// signatoryKnown checks that name is a known firmatecknare of the org on
// the signing date. Unknown is a finding for the reviewer, never a pass.
func (c *checker) signatoryKnown(orgnr, field, name, dateField string) error {
	signed := c.signDate(dateField)
	sigs, err := c.reg.Signatories(c.ctx, orgnr, signed)
	if err != nil {
		return fmt.Errorf("signatories of %s: %w", orgnr, err)
	}
	var known []string
	for _, s := range sigs {
		if SameName(s.Name, name) && s.ValidOn(signed) {
			return nil
		}
		known = append(known, signatoryLabel(s))
	}
	ev := map[string]string{
		"org_number":     orgnr,
		"signer_name":    name,
		"signed_on":      signed.Format(DateLayout),
		"signatories":    strings.Join(known, "; "),
		"signatories_no": strconv.Itoa(len(sigs)),
	}
	when := c.asOfPhrase()
	if _, ok := c.dates[dateField]; ok {
		when = "den dag " + c.noun() + " skrevs under (" + words(signed) + ")"
	}
	c.add(form.CodeSignatoryUnknown, field, name+" finns inte med bland de firmatecknare för organisationen som Försäkringskassan känner till "+when+". Skicka med en handling som visar att "+name+" har rätt att teckna organisationens firma, till exempel ett beslut om delegation eller ett utdrag ur ett protokoll.", ev)
	return nil
}

func signatoryLabel(s form.Signatory) string {
	from, to := "", ""
	if !s.ValidFrom.IsZero() {
		from = s.ValidFrom.Format(DateLayout)
	}
	if !s.ValidTo.IsZero() {
		to = s.ValidTo.Format(DateLayout)
	}
	l := fmt.Sprintf("%s (id %d, %s–%s, %s", s.Name, s.ID, from, to, s.Source)
	if s.SourceDocument != 0 {
		l += fmt.Sprintf(", dokument %d", s.SourceDocument)
	}
	return l + ")"
}

// check9463 checks a notice of authorised orderers: each row of the
// orderer group the edition declares.
func (c *checker) check9463() error {
	for i := 1; i <= c.tmpl.RoleRows(form.FieldOrdererRowName); i++ {
		addField := c.field(form.FieldOrdererRowAdd, i)
		add, remove := c.ticked(form.FieldOrdererRowAdd, i), c.ticked(form.FieldOrdererRowRemove, i)
		boxes := c.boxLabel(form.FieldOrdererRowAdd, i) + " och " + c.boxLabel(form.FieldOrdererRowRemove, i)
		switch {
		case c.text(form.FieldOrdererRowName, i) == "":
		case !add && !remove:
			c.add(form.CodeOrdererActionMissing, addField, fmt.Sprintf("Det framgår inte om beställare %d ska läggas till eller tas bort. Markera en av rutorna %s.", i, strings.Replace(boxes, " och ", " eller ", 1)), nil)
		case add && remove:
			c.add(form.CodeOrdererActionMissing, addField, fmt.Sprintf("För beställare %d är både %s markerade. Markera bara en av rutorna.", i, boxes), nil)
		}
	}
	rejected := strings.TrimSpace(c.doc.AgreementRejected)
	if rejected != "" {
		c.agreementRejected(rejected)
	}
	orgnr, orgOK := c.norm[c.field(form.FieldOrgNumber, 0)]
	if !orgOK {
		return nil
	}
	if name := c.text(form.FieldSignerName, 0); name != "" {
		if err := c.signatoryKnown(orgnr, c.field(form.FieldSignerName, 0), name, c.field(form.FieldSignDate, 0)); err != nil {
			return err
		}
	}
	if rejected != "" {
		return nil // said above, instead of "no agreement in force"
	}
	return c.agreementInForce(orgnr)
}

// agreementRejected reports that the agreement this 9463 came with was
// rejected, and why.
func (c *checker) agreementRejected(reason string) {
	if !strings.HasSuffix(reason, ".") && !strings.HasSuffix(reason, "!") && !strings.HasSuffix(reason, "?") {
		reason += "."
	}
	c.add(form.CodeAgreementRejected, "", "Vi har inte kunnat godkänna den överenskommelse som ni skickade tillsammans med anmälan. Skälet är: "+capitalise(reason)+
		" Utan en gällande överenskommelse kan vi inte registrera beställarna. Skicka en rättad överenskommelse i två exemplar, undertecknade av organisationens firmatecknare, tillsammans med en ny anmälan.",
		map[string]string{"agreement_rejected": reason})
}

// checkAgreement checks an Överenskommelse avseende uppföljningssystemet SUS.
func (c *checker) checkAgreement() error {
	// The firmatecknare named at the start signs it (§7.1).
	if signer, named := c.text(form.FieldSignerName, 0), c.text(form.FieldSignatoryName, 0); signer != "" && named != "" && !SameName(signer, named) {
		c.add(form.CodeSignerNotSignatory, c.field(form.FieldSignerName, 0), "Överenskommelsen är undertecknad av "+signer+", men som firmatecknare anges "+named+" i början av överenskommelsen. Överenskommelsen ska skrivas under av den firmatecknare som anges där.",
			map[string]string{"signer_name": signer, "signatory_name": named})
	}

	// Two signed copies: those in this document (FieldCopies, default
	// one) plus earlier approved copies of the same agreement (same org,
	// same signing date) in the registry.
	copies := 1
	if n, err := strconv.Atoi(c.value(FieldCopies)); err == nil && n >= 0 {
		copies = n
	}
	ev := map[string]string{"copies_in_document": strconv.Itoa(copies)}
	orgnr, orgOK := c.norm[c.field(form.FieldOrgNumber, 0)]
	if orgOK {
		ev["org_number"] = orgnr
		if name := c.text(form.FieldSignerName, 0); name != "" {
			if err := c.signatoryKnown(orgnr, c.field(form.FieldSignerName, 0), name, c.field(form.FieldSignDate, 0)); err != nil {
				return err
			}
		}
		signed, ok := c.dates[c.field(form.FieldSignDate, 0)]
		agreements, err := c.reg.Agreements(c.ctx, orgnr, c.asOf)
		if err != nil {
			return fmt.Errorf("agreements of %s: %w", orgnr, err)
		}
		for _, a := range agreements {
			if !ok || a.SourceDocument == c.doc.ID || !a.PartSigned.Equal(signed) || !a.Terminated.IsZero() {
				continue
			}
			copies += a.CopiesReceived
			for k, v := range agreementEvidence(a) {
				ev[k] = v
			}
		}
	}
	switch {
	case copies == 1:
		c.add(form.CodeAgreementSingleCopy, "", "Vi har fått ett undertecknat exemplar av överenskommelsen, men den ska skickas in i två exemplar. Skicka även det andra exemplaret, undertecknat av organisationens firmatecknare.", ev)
	case copies < 1:
		c.add(form.CodeAgreementSingleCopy, "", "Vi har inte fått något undertecknat exemplar av överenskommelsen. Skicka in två exemplar, båda undertecknade av organisationens firmatecknare.", ev)
	}
	return nil
}

func count(b ...bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

// list joins items the Swedish way: "a, b och c" (or "eller").
func list(items []string, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
