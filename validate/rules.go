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
	Registry  Registry
	templates map[form.Kind]*form.Template
}

// NewValidator returns a Validator with the embedded templates loaded once.
func NewValidator(reg Registry) (*Validator, error) {
	ts, err := form.LoadTemplates()
	if err != nil {
		return nil, fmt.Errorf("validator: %w", err)
	}
	return &Validator{Registry: reg, templates: ts}, nil
}

// Validate is Document with the validator's registry.
func (v *Validator) Validate(ctx context.Context, doc form.Document) ([]form.Finding, error) {
	if t, ok := v.templates[doc.Kind]; ok {
		return DocumentWithTemplate(ctx, v.Registry, t, doc)
	}
	return Document(ctx, v.Registry, doc)
}

// Document checks one document's fields by its kind and returns the
// findings (nil when every rule passes). Which fields are required and how
// each is checked comes from the kind's template (form/templates); the
// rules between fields and against the registry are code. Registry
// questions are asked as of the day the document was received. An error
// means a rule could not be checked (the registry failed, the kind is
// unknown), never that the document is wrong.
func Document(ctx context.Context, reg Registry, doc form.Document) ([]form.Finding, error) {
	t, err := form.LoadTemplate(doc.Kind)
	if err != nil {
		return nil, fmt.Errorf("validate document %d: %w", doc.ID, err)
	}
	return DocumentWithTemplate(ctx, reg, t, doc)
}

// DocumentWithTemplate is Document with the template given.
func DocumentWithTemplate(ctx context.Context, reg Registry, t *form.Template, doc form.Document) ([]form.Finding, error) {
	if reg == nil {
		return nil, errors.New("validate: no registry")
	}
	if doc.Received.IsZero() {
		return nil, fmt.Errorf("validate document %d: no received date", doc.ID)
	}
	c := &checker{ctx: ctx, reg: reg, doc: doc, tmpl: t, asOf: form.Day(doc.Received), norm: map[string]string{}, dates: map[string]time.Time{}}
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
	asOf     time.Time
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
func (c *checker) value(name string) string {
	v := c.doc.Fields[name]
	if s := strings.TrimSpace(v.Value); s != "" {
		return s
	}
	return strings.TrimSpace(v.Raw)
}

// checked reports whether a checkbox or signature field is set.
func (c *checker) checked(name string) bool { return c.doc.Fields.Checked(name) }

// label is the Swedish name of a field for a message.
func (c *checker) label(field string) string {
	if l := label(field); l != field {
		return l
	}
	if f, ok := c.tmpl.Field(field); ok && f.Label != "" {
		return strings.ToLower(f.Label[:1]) + f.Label[1:]
	}
	return field
}

// required reports whether a field must be filled in: the template says
// so, or it is the name or personnummer of a used orderer row on a 9463.
func (c *checker) required(f form.Field) bool {
	if f.Required {
		return true
	}
	if c.doc.Kind != form.Kind9463 || !strings.HasPrefix(f.Name, "orderer") || len(f.Name) < len("ordererN_") {
		return false
	}
	if !strings.HasSuffix(f.Name, "_name") && !strings.HasSuffix(f.Name, "_personnummer") {
		return false
	}
	row := f.Name[:len("ordererN_")]
	for _, s := range []string{"name", "personnummer", "phone", "email"} {
		if c.value(row+s) != "" {
			return true
		}
	}
	return c.checked(row+"add") || c.checked(row+"remove")
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
				c.add(form.CodeSignatureMissing, f.Name, "Blanketten är inte undertecknad. Den ska skrivas under av "+signer(c.doc.Kind)+".", nil)
			}
			continue
		case f.Type == form.TypeCheckbox:
			continue
		case v == "":
			if c.required(f) {
				c.add(form.CodeRequiredMissing, f.Name, capitalise(c.label(f.Name))+" saknas. Uppgiften måste fyllas i.", nil)
			}
			continue
		}
		switch f.Type {
		case form.TypePersonnummer:
			p, err := ParsePersonnummer(v, c.asOf)
			if err != nil {
				c.add(form.CodePersonnummerInvalid, f.Name, capitalise(c.label(f.Name))+" är inte ett giltigt personnummer eller samordningsnummer. Ange det med tolv siffror (ÅÅÅÅMMDD-NNNN).", nil)
				continue
			}
			c.norm[f.Name] = p.Number
		case form.TypeOrgnr:
			n, err := ParseOrgnr(v)
			if err != nil {
				c.add(form.CodeOrgnrInvalid, f.Name, "Organisationsnumret är inte giltigt. Ange organisationens organisationsnummer med tio siffror (NNNNNN-NNNN).", nil)
				continue
			}
			c.norm[f.Name] = n
		case form.TypePhone:
			p, err := ParsePhone(v)
			if err != nil {
				c.add(form.CodePhoneInvalid, f.Name, capitalise(c.label(f.Name))+" är inte ett giltigt svenskt telefonnummer.", nil)
				continue
			}
			c.norm[f.Name] = p.E164
		case form.TypeEmail:
			e, err := ParseEmail(v)
			if err != nil {
				c.add(form.CodeEmailInvalid, f.Name, capitalise(c.label(f.Name))+" är inte en giltig e-postadress.", nil)
				continue
			}
			c.norm[f.Name] = e
		case form.TypeDate:
			c.date(f.Name, v)
		}
	}
}

// date checks a date field against the received date.
func (c *checker) date(field, v string) {
	d, err := ParseDate(v, c.asOf)
	if err != nil {
		c.add(form.CodeDateInvalid, field, capitalise(c.label(field))+" är inte ett giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD.", nil)
		return
	}
	c.dates[field] = d
	ev := map[string]string{"date": d.Format(DateLayout), "received": c.asOf.Format(DateLayout)}
	switch err := CheckDate(d, c.asOf); {
	case errors.Is(err, ErrDateFuture):
		c.add(form.CodeDateInFuture, field, capitalise(c.label(field))+" ("+d.Format(DateLayout)+") ligger efter den dag blanketten kom in till Försäkringskassan. Kontrollera datumet.", ev)
	case errors.Is(err, ErrDateOld):
		c.add(form.CodeDateTooOld, field, capitalise(c.label(field))+" ("+d.Format(DateLayout)+") ligger mer än ett år före den dag blanketten kom in till Försäkringskassan. Skicka in en blankett som har undertecknats nyligen.", ev)
	}
}

// signer says who signs a kind of form, for messages.
func signer(k form.Kind) string {
	switch k {
	case form.Kind9445:
		return "en behörig beställare"
	case form.Kind9463:
		return "en firmatecknare för organisationen"
	}
	return "organisationens firmatecknare"
}

// signDate is the signing date for registry questions: the date on the
// form when it could be read, else the received date.
func (c *checker) signDate(field string) time.Time {
	if d, ok := c.dates[field]; ok {
		return d
	}
	return c.asOf
}

// check9445 checks a user order (Beställning användare i SUS).
func (c *checker) check9445() error {
	orderNew, orderChange, orderRemove := c.checked("order_new"), c.checked("order_change"), c.checked("order_remove")
	if count(orderNew, orderChange, orderRemove) == 0 {
		c.add(form.CodeOrderTypeMissing, "order_new", "Det framgår inte om beställningen gäller en ny användare, en ändring eller en borttagning av en användare. Markera en av rutorna.", nil)
	}

	// SMS login needs a Swedish mobile number.
	if c.checked(form.LoginSMS.Field()) {
		mobile := c.value("user_mobile")
		if mobile == "" {
			c.add(form.CodeSMSMobileMissing, "user_mobile", "Mobilnummer saknas. När inloggning med SMS väljs måste ett mobilnummer anges.", nil)
		} else if p, err := ParsePhone(mobile); err != nil || p.Kind != PhoneMobile {
			msg := "Mobilnumret är inte ett giltigt svenskt mobilnummer. När inloggning med SMS väljs måste ett mobilnummer (07x-xxx xx xx) anges."
			if err == nil {
				msg = "Det angivna mobilnumret är ett fast telefonnummer. När inloggning med SMS väljs måste ett mobilnummer (07x-xxx xx xx) anges; ett fast nummer räcker inte."
			}
			c.add(form.CodeSMSMobileInvalid, "user_mobile", msg, nil)
		}
	}

	// Roles.
	var roles []bool
	for _, r := range form.Roles {
		roles = append(roles, c.checked(r.Field()))
	}
	if (orderNew || orderChange) && count(roles...) == 0 {
		c.add(form.CodeRolesMissing, form.RoleSamverkansadministrator.Field(), "Ingen behörighetsroll är vald. Välj minst en roll för användaren.", nil)
	}
	deltagare := c.checked(form.RoleDeltagaransvarig.Field())
	if c.checked(form.RoleSamverkansadministrator.Field()) && deltagare {
		c.add(form.CodeRoleConflictSamverkanDeltag, form.RoleDeltagaransvarig.Field(), "Rollerna Samverkansadministratör och Deltagaransvarig kan inte kombineras. Välj en av dem.", nil)
	}

	orgnr, orgOK := c.norm["org_number"]
	pnr, pnrOK := c.norm["user_personnummer"]
	if !orgOK {
		return nil // registry checks need the org number
	}
	if pnrOK && deltagare {
		orderers, err := c.reg.OrderersByPersonnummer(c.ctx, pnr, c.asOf)
		if err != nil {
			return fmt.Errorf("orderers by personnummer: %w", err)
		}
		if len(orderers) > 0 {
			ev := ordererEvidence(orderers[0])
			ev["personnummer"] = form.MaskPersonnummer(pnr)
			ev["as_of"] = c.asOf.Format(DateLayout)
			c.add(form.CodeRoleConflictDeltagareOrderer, form.RoleDeltagaransvarig.Field(), "Användaren är registrerad som behörig beställare och kan därför inte ha rollen Deltagaransvarig.", ev)
		}
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
			c.add(form.CodeUserOtherOrg, "org_number", "Användaren är registrerad som användare i en annan organisation. Behörigheten ska beställas av den organisation där användaren arbetar.", map[string]string{
				"user_id":         strconv.FormatInt(other.ID, 10),
				"user_org_number": other.OrgNumber,
				"user_valid_from": other.ValidFrom.Format(DateLayout),
				"personnummer":    form.MaskPersonnummer(pnr),
				"as_of":           c.asOf.Format(DateLayout),
			})
		}
	}
	if name := c.value("orderer_name"); name != "" {
		if err := c.ordererAuthorised(orgnr, name); err != nil {
			return err
		}
	}
	return c.agreementInForce(orgnr)
}

// ordererAuthorised checks that name is a registered, unexpired and not
// removed orderer of the org on the received date.
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
	if len(matches) == 0 {
		ev := base
		ev["orderers_known"] = strconv.Itoa(len(orderers))
		c.add(form.CodeOrdererNotRegistered, "orderer_name", "Beställaren "+name+" är inte registrerad som behörig beställare för organisationen den dag beställningen kom in. En beställning kan bara göras av en beställare som har fått en bekräftelse på sin registrering. Organisationen anmäler beställare på blankett 9463 Anmälan behörig beställare i SUS.", ev)
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
		c.add(form.CodeOrdererRemoved, "orderer_name", "Beställaren "+name+" är borttagen som behörig beställare för organisationen sedan "+o.Removed.Format(DateLayout)+" och kan inte beställa behörigheter.", ev)
		return nil
	}
	c.add(form.CodeOrdererExpired, "orderer_name", "Behörigheten för beställaren "+name+" gällde till och med "+o.ValidTo.Format(DateLayout)+". En beställare registreras för högst två år i taget. Organisationen förnyar behörigheten på blankett 9463 Anmälan behörig beställare i SUS.", ev)
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
// received date.
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
	if len(agreements) > 0 {
		sort.Slice(agreements, func(i, j int) bool { return agreements[i].ID > agreements[j].ID })
		for k, v := range agreementEvidence(agreements[0]) {
			ev[k] = v
		}
	}
	c.add(form.CodeAgreementNotInForce, "org_number", "Organisationen har ingen gällande överenskommelse med Försäkringskassan om uppföljningssystemet SUS. Organisationen behöver först teckna en överenskommelse; därefter kan beställare registreras och behörigheter beställas.", ev)
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
func (c *checker) signatoryKnown(orgnr, field, name string, signed time.Time) error {
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
	c.add(form.CodeSignatoryUnknown, field, name+" finns inte registrerad som firmatecknare för organisationen den dag handlingen undertecknades. Behörigheten att teckna för organisationen behöver styrkas, till exempel med ett utdrag ur ett beslut om delegation eller firmateckning.", ev)
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

// Orderer rows on a 9463.
const OrdererRows = 4

// OrdererField names field f ("add", "remove", "name", "personnummer",
// "phone", "email") of orderer row i (1-based) on a 9463.
func OrdererField(i int, f string) string { return fmt.Sprintf("orderer%d_%s", i, f) }

// check9463 checks a notice of authorised orderers.
func (c *checker) check9463() error {
	type added struct {
		row int
		pnr string
	}
	var adds []added
	for i := 1; i <= OrdererRows; i++ {
		add, remove := c.checked(OrdererField(i, "add")), c.checked(OrdererField(i, "remove"))
		switch {
		case c.value(OrdererField(i, "name")) == "":
		case !add && !remove:
			c.add(form.CodeOrdererActionMissing, OrdererField(i, "add"), fmt.Sprintf("Det framgår inte om beställare %d ska läggas till eller tas bort. Markera en av rutorna.", i), nil)
		case add && remove:
			c.add(form.CodeOrdererActionMissing, OrdererField(i, "add"), fmt.Sprintf("För beställare %d är både Lägg till och Ta bort markerade. Markera bara en av rutorna.", i), nil)
		}
		if pnr, ok := c.norm[OrdererField(i, "personnummer")]; ok && add && !remove {
			adds = append(adds, added{i, pnr})
		}
	}
	orgnr, orgOK := c.norm["org_number"]
	if !orgOK {
		return nil
	}
	if name := c.value("signer_name"); name != "" {
		if err := c.signatoryKnown(orgnr, "signer_name", name, c.signDate("sign_date")); err != nil {
			return err
		}
	}
	if err := c.agreementInForce(orgnr); err != nil {
		return err
	}
	for _, a := range adds {
		users, err := c.reg.UsersByPersonnummer(c.ctx, a.pnr, c.asOf)
		if err != nil {
			return fmt.Errorf("users by personnummer: %w", err)
		}
		for _, u := range users {
			if u.HasRole(form.RoleDeltagaransvarig) {
				c.add(form.CodeRoleConflictDeltagareOrderer, OrdererField(a.row, "personnummer"), fmt.Sprintf("Beställare %d har rollen Deltagaransvarig i SUS. En deltagaransvarig kan inte samtidigt vara behörig beställare.", a.row), map[string]string{
					"user_id":         strconv.FormatInt(u.ID, 10),
					"user_org_number": u.OrgNumber,
					"user_valid_from": u.ValidFrom.Format(DateLayout),
					"personnummer":    form.MaskPersonnummer(a.pnr),
					"as_of":           c.asOf.Format(DateLayout),
				})
				break
			}
		}
	}
	return nil
}

// checkAgreement checks an Överenskommelse avseende uppföljningssystemet SUS.
func (c *checker) checkAgreement() error {
	// Two signed copies: those in this document (FieldCopies, default
	// one) plus earlier approved copies of the same agreement (same org,
	// same signing date) in the registry.
	copies := 1
	if n, err := strconv.Atoi(c.value(FieldCopies)); err == nil && n >= 0 {
		copies = n
	}
	ev := map[string]string{"copies_in_document": strconv.Itoa(copies)}
	orgnr, orgOK := c.norm["org_number"]
	if orgOK {
		ev["org_number"] = orgnr
		if name := c.value("part_signer_name"); name != "" {
			if err := c.signatoryKnown(orgnr, "part_signer_name", name, c.signDate("part_sign_date")); err != nil {
				return err
			}
		}
		signed, ok := c.dates["part_sign_date"]
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
	if copies < 2 {
		c.add(form.CodeAgreementSingleCopy, "", "Endast ett undertecknat exemplar av överenskommelsen har kommit in. Överenskommelsen ska skickas in i två exemplar, båda undertecknade av firmatecknare.", ev)
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

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
