package letter

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"blankett/form"
)

// ErrNothingToWrite is returned when a decision cannot be turned into a
// letter: an unknown form kind or outcome, or a fact the letter must state
// that nobody knows.
var ErrNothingToWrite = errors.New("letter: cannot compose")

// Compose returns the letters a decision on doc calls for, in a stable
// order. findings are the document's findings at the time of the decision
// (the error ones are explained to the sender). An approved 9463 naming no
// orderer yields no letters.
func Compose(doc form.Document, findings []form.Finding, d Decision, facts Facts) ([]Letter, error) {
	if d.DecidedAt.IsZero() {
		return nil, fmt.Errorf("%w: document %d: the decision has no time", ErrNothingToWrite, doc.ID)
	}
	if d.Outcome == form.StateRejected && d.RequestCompletion && d.ReplyBy.IsZero() {
		return nil, fmt.Errorf("%w: document %d: a request for completion without a reply-by day", ErrNothingToWrite, doc.ID)
	}
	from := cleanLines(facts.SendTo[doc.Kind])
	if len(from) == 0 && doc.Kind.Known() {
		return nil, fmt.Errorf("%w: document %d: the return address of form %s is unknown", ErrNothingToWrite, doc.ID, doc.Kind)
	}
	c := composer{doc: doc, f: doc.Fields, findings: findings, d: d, facts: facts, day: form.Day(d.DecidedAt)}
	if doc.Kind.Known() {
		t, err := doc.Edition()
		if err != nil {
			return nil, fmt.Errorf("letters for document %d: %w", doc.ID, err)
		}
		c.t = t
	}
	var (
		letters []Letter
		err     error
	)
	switch d.Outcome {
	case form.StateApproved:
		switch doc.Kind {
		case form.Kind9445:
			letters = c.approved9445()
		case form.Kind9463:
			letters = c.approved9463()
		case form.KindAgreement:
			letters, err = c.approvedAgreement()
		default:
			err = fmt.Errorf("%w: document %d of kind %q", ErrNothingToWrite, doc.ID, doc.Kind)
		}
	case form.StateRejected:
		if !doc.Kind.Known() {
			err = fmt.Errorf("%w: document %d of kind %q", ErrNothingToWrite, doc.ID, doc.Kind)
			break
		}
		var l Letter
		l, err = c.toSender()
		letters = []Letter{l}
	default:
		err = fmt.Errorf("%w: document %d: outcome %q is not approved or rejected", ErrNothingToWrite, doc.ID, d.Outcome)
	}
	if err != nil {
		return nil, err
	}
	for i := range letters {
		letters[i].Date = c.day
		letters[i].ReturnAddress = from
		letters[i].Reference = strings.TrimSpace(d.Reference)
		letters[i] = maskPersonnummer(letters[i], doc.Fields)
	}
	return letters, nil
}

type composer struct {
	doc      form.Document
	t        *form.Template // the edition doc was read with
	f        form.Fields
	findings []form.Finding
	d        Decision
	facts    Facts
	day      time.Time
}

// field returns the trimmed value of the field with role r (in row, 0
// outside repeating groups).
func (c composer) field(r form.FieldRole, row int) string {
	if c.t == nil {
		return ""
	}
	v, _ := c.t.RoleValue(c.f, r, row)
	return strings.TrimSpace(v.Value)
}

// checked reports whether yes/no role r is set in row.
func (c composer) checked(r form.FieldRole, row int) bool {
	return c.t != nil && c.t.RoleChecked(c.f, r, row)
}

// org is the Part's name as the form gives it.
func (c composer) org() string {
	if s := c.field(form.FieldOrgName, 0); s != "" {
		return s
	}
	return "organisationen"
}

// postal is the Part's postal address: the one on the form when it is
// complete, else the one the caller found (Facts.OrgAddress).
func (c composer) postal() Address {
	a := Address{Street: c.field(form.FieldOrgAddress, 0), Postcode: c.field(form.FieldOrgPostcode, 0), Town: c.field(form.FieldOrgTown, 0)}
	if a.Complete() {
		return a
	}
	return c.facts.OrgAddress
}

// personAtOrg addresses a person at the Part.
func (c composer) personAtOrg(name string) Address {
	a := c.postal()
	return Address{Name: name, Organisation: c.field(form.FieldOrgName, 0), Street: a.Street, Postcode: a.Postcode, Town: a.Town}
}

// on is " den 10 februari 2026", the day the form came in, or "" when
// that is unknown: "Vi har tagit emot … den 10 februari 2026."
func (c composer) on() string {
	if c.doc.Received.IsZero() {
		return ""
	}
	return " den " + form.DayInWords(form.Day(c.doc.Received))
}

// cleanLines trims lines and drops empty ones.
func cleanLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// ---- 9445 ----

type orderType int

const (
	orderNew orderType = iota
	orderChange
	orderRemove
)

func (c composer) orderType() orderType {
	switch {
	case c.checked(form.FieldOrderRemove, 0) && !c.checked(form.FieldOrderNew, 0) && !c.checked(form.FieldOrderChange, 0):
		return orderRemove
	case c.checked(form.FieldOrderChange, 0) && !c.checked(form.FieldOrderNew, 0):
		return orderChange
	}
	return orderNew
}

func (c composer) roles() []form.Role {
	var roles []form.Role
	for _, r := range form.Roles {
		if c.checked(r.FieldRole(), 0) {
			roles = append(roles, r)
		}
	}
	return roles
}

func (c composer) logins() []form.LoginMethod {
	var ms []form.LoginMethod
	for _, m := range form.LoginMethods {
		if c.checked(m.FieldRole(), 0) {
			ms = append(ms, m)
		}
	}
	return ms
}

// ordererName is the 9445's orderer: the named orderer, else the printed
// name under the signature.
func (c composer) ordererName() string {
	if s := c.field(form.FieldOrdererName, 0); s != "" {
		return s
	}
	return c.field(form.FieldSignerName, 0)
}

func (c composer) userName() string {
	if s := c.field(form.FieldUserName, 0); s != "" {
		return s
	}
	return "användaren"
}

// roleItems lists the roles as list items.
func roleItems(roles []form.Role) []string {
	items := make([]string, 0, len(roles))
	for _, r := range roles {
		items = append(items, "• "+r.Title())
	}
	return items
}

// assignmentRoles returns the titles of the roles that need an assignment.
func assignmentRoles(roles []form.Role) []string {
	var titles []string
	for _, r := range roles {
		if r.NeedsAssignment() {
			titles = append(titles, r.Title())
		}
	}
	return titles
}

// loginText describes how the user logs in, with the SMS number.
func (c composer) loginText() string {
	ms := c.logins()
	if len(ms) == 0 {
		return ""
	}
	parts := make([]string, 0, len(ms))
	for _, m := range ms {
		t := m.Title()
		if m == form.LoginSMS {
			if n := nationalPhone(c.field(form.FieldUserMobile, 0)); n != "" {
				t += " (koden skickas till " + n + ")"
			}
		}
		parts = append(parts, t)
	}
	return join(parts)
}

func (c composer) approved9445() []Letter {
	user, orderer, org := c.userName(), c.ordererName(), c.org()
	roles := c.roles()
	login := c.loginText()
	need := assignmentRoles(roles)

	if c.orderType() == orderRemove {
		toOrderer := Letter{
			Kind: Kind9445RemovedOrderer, RecipientKey: RecipientOrderer, Recipient: c.personAtOrg(orderer),
			Heading: "Bekräftelse: behörigheten till SUS är borttagen för " + user,
			Paragraphs: []string{
				"Hej!",
				"Vi har tagit emot din beställning om borttag av behörighet till uppföljningssystemet SUS för " + user + " vid " + org + c.on() + ".",
				"Behörigheten är borttagen från och med den " + form.DayInWords(c.day) + ". " + user + " kan inte längre logga in i SUS för " + org + ".",
				"Vi har också skickat ett brev om detta till " + user + ".",
			},
		}
		toUser := Letter{
			Kind: Kind9445RemovedUser, RecipientKey: RecipientUser, Recipient: c.personAtOrg(user),
			Heading: "Din behörighet till SUS är borttagen",
			Paragraphs: []string{
				"Hej!",
				org + " har beställt att din behörighet till uppföljningssystemet SUS ska tas bort. Behörigheten är borttagen från och med den " + form.DayInWords(c.day) + ", och du kan inte längre logga in i SUS för " + org + ".",
				"Om du behöver behörighet till SUS igen kan en behörig beställare i din organisation beställa den på blankett 9445 Beställning användare i SUS.",
			},
		}
		if orderer != "" {
			toUser.Paragraphs = append(toUser.Paragraphs, "Beställningen gjordes av "+orderer+". Har du frågor om varför behörigheten har tagits bort kan du vända dig till "+orderer+".")
		}
		return []Letter{toOrderer, toUser}
	}

	change := c.orderType() == orderChange
	var p []string
	p = append(p, "Hej!")
	if change {
		p = append(p, "Vi har tagit emot din beställning om ändrad behörighet till uppföljningssystemet SUS för "+user+" vid "+org+c.on()+". Ändringen är nu registrerad.")
		p = append(p, "Från och med den "+form.DayInWords(c.day)+" har "+user+" följande behörighetsroller i SUS:")
	} else {
		p = append(p, "Vi har tagit emot din beställning av behörighet till uppföljningssystemet SUS för "+user+" vid "+org+c.on()+". Behörigheten är nu registrerad och "+user+" kan logga in i SUS.")
		p = append(p, user+" har fått följande behörighetsroller:")
	}
	p = append(p, roleItems(roles)...)
	if login != "" {
		p = append(p, "Inloggning: "+login+".")
	}
	if len(need) > 0 {
		p = append(p, rolesPhrase(need)+" kräver också ett uppdrag i SUS innan "+user+" kan börja registrera uppgifter. Uppdraget tilldelas i SUS av en samverkansadministratör eller en insatsansvarig i samverkansorganisationen eller insatsen.")
	}
	p = append(p,
		"Vi har också skickat en bekräftelse till "+user+".",
		"Tänk på att beställa borttag av behörigheten på blankett 9445 så snart "+user+" inte längre behöver den.")
	heading := "Bekräftelse: behörighet till SUS för " + user
	if change {
		heading = "Bekräftelse: ändrad behörighet till SUS för " + user
	}
	toOrderer := Letter{Kind: Kind9445ApprovedOrderer, RecipientKey: RecipientOrderer, Recipient: c.personAtOrg(orderer), Heading: heading, Paragraphs: p}

	var q []string
	q = append(q, "Hej!")
	if change {
		q = append(q, org+" har beställt en ändring av din behörighet till uppföljningssystemet SUS. Ändringen är nu registrerad.")
		q = append(q, "Från och med den "+form.DayInWords(c.day)+" har du följande behörighetsroller i SUS:")
	} else {
		q = append(q, org+" har beställt behörighet till uppföljningssystemet SUS åt dig. Behörigheten är nu registrerad och du kan logga in i SUS.")
		q = append(q, "Du har fått följande behörighetsroller:")
	}
	q = append(q, roleItems(roles)...)
	if login != "" {
		q = append(q, "Ditt inloggningssätt: "+login+".")
	}
	if len(need) > 0 {
		q = append(q, "Med "+strings.ToLower(rolesPhrase(need)[:1])+rolesPhrase(need)[1:]+" behöver du också ett uppdrag i SUS innan du kan börja registrera uppgifter. Uppdraget tilldelas i SUS av en samverkansadministratör eller en insatsansvarig i den samverkansorganisation eller insats där du ska arbeta. Hör med dem om du inte har fått något uppdrag.")
	}
	q = append(q, "Du ska aldrig ha mer behörighet än du behöver för ditt arbete. Säg till din beställare när du inte längre behöver behörigheten, så att den kan tas bort.")
	if orderer != "" {
		q = append(q, "Beställningen gjordes av "+orderer+". Har du frågor om dina roller kan du vända dig till "+orderer+".")
	}
	userHeading := "Du har fått behörighet till SUS"
	if change {
		userHeading = "Din behörighet till SUS är ändrad"
	}
	toUser := Letter{Kind: Kind9445ApprovedUser, RecipientKey: RecipientUser, Recipient: c.personAtOrg(user), Heading: userHeading, Paragraphs: q}
	return []Letter{toOrderer, toUser}
}

// rolesPhrase is "Rollen X" or "Rollerna X och Y".
func rolesPhrase(titles []string) string {
	if len(titles) == 1 {
		return "Rollen " + titles[0]
	}
	return "Rollerna " + join(titles)
}

// ---- 9463 ----

// approved9463 writes to each person of the edition's orderer rows who
// was added or removed.
func (c composer) approved9463() []Letter {
	org := c.org()
	signer := c.field(form.FieldSignerName, 0)
	var letters []Letter
	for row := 1; row <= c.t.RoleRows(form.FieldOrdererRowName); row++ {
		name := c.field(form.FieldOrdererRowName, row)
		add, remove := c.checked(form.FieldOrdererRowAdd, row), c.checked(form.FieldOrdererRowRemove, row)
		if name == "" || add == remove {
			continue
		}
		if add {
			until, ok := c.facts.OrdererValidTo[row]
			if !ok || until.IsZero() {
				until = form.OrdererValidTo(c.day)
			}
			by := org + " har anmält dig"
			if signer != "" {
				by = signer + " har för " + org + " anmält dig"
			}
			letters = append(letters, Letter{
				Kind: Kind9463OrdererAdded, RecipientKey: OrdererRecipient(row), Recipient: c.personAtOrg(name),
				Heading: "Du är registrerad som behörig beställare i SUS",
				Paragraphs: []string{
					"Hej!",
					by + " som behörig beställare i uppföljningssystemet SUS. Vi har tagit emot anmälan" + c.on() + ". Du är nu registrerad som beställare för " + org + ".",
					"Registreringen gäller till och med den " + form.DayInWords(until) + ". En beställare registreras för högst två år i taget. Ska du vara beställare även efter det behöver organisationen anmäla dig på nytt på blankett 9463 Anmälan behörig beställare i SUS i god tid innan dess.",
					"Som beställare kan du beställa behörighet till SUS för anställda i " + org + " på blankett 9445 Beställning användare i SUS. Att vara beställare ger dig ingen egen behörighet till SUS.",
				},
			})
			continue
		}
		letters = append(letters, Letter{
			Kind: Kind9463OrdererRemoved, RecipientKey: OrdererRecipient(row), Recipient: c.personAtOrg(name),
			Heading: "Du är inte längre behörig beställare i SUS",
			Paragraphs: []string{
				"Hej!",
				org + " har anmält att du inte längre ska vara behörig beställare i uppföljningssystemet SUS. Vi har tagit emot anmälan" + c.on() + ". Ändringen är nu registrerad.",
				"Från och med den " + form.DayInWords(c.day) + " kan du inte beställa behörigheter till SUS för " + org + ".",
				"Behörigheter som du har beställt tidigare påverkas inte. De finns kvar tills organisationen beställer att de ska tas bort.",
			},
		})
	}
	return letters
}

// ---- agreement ----

// agreementAddress addresses the agreement's contact person (else its
// signatory) at the Part's address on the agreement (else the registry's).
func (c composer) agreementAddress() Address {
	name := c.field(form.FieldContactName, 0)
	if name == "" {
		name = c.field(form.FieldSignatoryName, 0)
	}
	return c.personAtOrg(name)
}

func (c composer) approvedAgreement() ([]Letter, error) {
	from := c.facts.AgreementFrom
	if from.IsZero() {
		if t, err := time.Parse(time.DateOnly, c.field(form.FieldFKSignDate, 0)); err == nil {
			from = t
		}
	}
	if from.IsZero() {
		return nil, fmt.Errorf("%w: document %d: the agreement's date of entry into force is unknown", ErrNothingToWrite, c.doc.ID)
	}
	org := c.org()
	nextStep := "Nästa steg är att anmäla behöriga beställare på blankett 9463 Anmälan behörig beställare i SUS. Anmälan skrivs under av en firmatecknare. När beställarna har fått en bekräftelse från oss kan de beställa behörighet för organisationens anställda på blankett 9445 Beställning användare i SUS."
	if c.facts.OrdererFormWaiting {
		nextStep = "Anmälan av behöriga beställare på blankett 9463 som ni skickade tillsammans med överenskommelsen prövar vi nu. Varje beställare får en bekräftelse från oss när registreringen är klar och kan sedan beställa behörighet för organisationens anställda på blankett 9445 Beställning användare i SUS."
	}
	return []Letter{{
		Kind: KindAgreementInForce, RecipientKey: RecipientContact, Recipient: c.agreementAddress(),
		Heading: "Överenskommelsen om uppföljningssystemet SUS gäller nu",
		Paragraphs: []string{
			"Hej!",
			"Vi har tagit emot överenskommelsen om uppföljningssystemet SUS, undertecknad av " + org + c.on() + ". Nu har också Försäkringskassan undertecknat den.",
			"Överenskommelsen gäller från och med den " + form.DayInWords(from) + " och tills vidare. Den kan sägas upp skriftligen med sex månaders uppsägningstid.",
			"Här får ni ert exemplar av överenskommelsen, undertecknat av både " + org + " och Försäkringskassan. Spara det.",
			nextStep,
			"Blanketterna och mer information om SUS finns på www.susam.se.",
		},
		Enclosures: []string{"Överenskommelse avseende uppföljningssystemet SUS, undertecknad av Försäkringskassan"},
	}}, nil
}

// ---- rejection, completion, no agreement ----

// formName is how a letter names the form, e.g. "blankett 9445
// Beställning användare i SUS".
func formName(k form.Kind) string {
	if k == form.KindAgreement {
		return "överenskommelsen avseende uppföljningssystemet SUS"
	}
	return "blankett " + string(k) + " " + k.Title()
}

// sendTo returns where forms of kind k are to be sent (Facts.SendTo).
func (c composer) sendTo(k form.Kind) ([]string, error) {
	lines := cleanLines(c.facts.SendTo[k])
	if len(lines) == 0 {
		return nil, fmt.Errorf("%w: document %d: the return address of form %s is unknown", ErrNothingToWrite, c.doc.ID, k)
	}
	return lines, nil
}

// senderAddress is where a letter to the form's sender goes.
func (c composer) senderAddress() Address {
	switch c.doc.Kind {
	case form.Kind9445:
		return c.personAtOrg(c.ordererName())
	case form.Kind9463:
		return c.personAtOrg(c.field(form.FieldSignerName, 0))
	}
	return c.agreementAddress()
}

// errorMessages returns the distinct messages of the error findings,
// leaving out the codes in skip.
func (c composer) errorMessages(skip ...string) []string {
	seen := map[string]bool{}
	var msgs []string
	for _, f := range c.findings {
		if f.Severity != form.SeverityError || contains(skip, f.Code) {
			continue
		}
		m := strings.TrimSpace(f.Message)
		if m == "" || seen[m] {
			continue
		}
		seen[m] = true
		msgs = append(msgs, m)
	}
	return msgs
}

func (c composer) has(codes ...string) bool {
	for _, f := range c.findings {
		if contains(codes, f.Code) {
			return true
		}
	}
	return false
}

func (c composer) toSender() (Letter, error) {
	k := c.doc.Kind
	if (k == form.Kind9445 || k == form.Kind9463) && (c.facts.NoAgreement || c.has(form.CodeAgreementNotInForce)) {
		return c.noAgreement()
	}
	sendTo, err := c.sendTo(k)
	if err != nil {
		return Letter{}, err
	}
	l := Letter{RecipientKey: RecipientSender, Recipient: c.senderAddress()}
	subject := map[form.Kind]string{
		form.Kind9445:      "beställningen av behörighet till SUS",
		form.Kind9463:      "anmälan av behöriga beställare i SUS",
		form.KindAgreement: "överenskommelsen om uppföljningssystemet SUS",
	}[k]
	if user := c.field(form.FieldUserName, 0); k == form.Kind9445 && user != "" {
		subject += " för " + user
	}
	var p []string
	p = append(p, "Hej!")
	intro := "Vi har tagit emot " + formName(k) + " från " + c.org() + c.on() + "."
	msgs := c.errorMessages()
	if c.d.RequestCompletion {
		l.Heading = capitalise(subject) + " behöver kompletteras"
		intro += " Innan vi kan registrera den behöver ni rätta eller komplettera följande:"
	} else {
		l.Heading = "Vi kan inte registrera " + subject
		intro += " Vi kan tyvärr inte registrera den. Det beror på följande:"
	}
	p = append(p, intro)
	for _, m := range msgs {
		p = append(p, "• "+m)
	}
	if reason := strings.TrimSpace(c.d.Reason); reason != "" {
		if len(msgs) == 0 {
			p = append(p, "• "+reason)
		} else {
			p = append(p, "Kommentar från handläggaren: "+reason)
		}
	} else if len(msgs) == 0 {
		p = append(p, "• Uppgifterna i "+definite(k)+" räcker inte för att vi ska kunna registrera den.")
	}

	switch k {
	case form.Kind9445:
		p = append(p, "Skicka en ny blankett 9445 Beställning användare i SUS med rätt uppgifter. Den ska vara ifylld och underskriven av en behörig beställare för organisationen.")
		if c.has(form.CodeOrdererNotRegistered, form.CodeOrdererExpired, form.CodeOrdererRemoved) {
			p = append(p, "En beställare registreras eller förnyas på blankett 9463 Anmälan behörig beställare i SUS, som en firmatecknare skriver under. Vänta med att skicka den nya beställningen tills beställaren har fått en bekräftelse från oss.")
		}
	case form.Kind9463:
		p = append(p, "Skicka en ny blankett 9463 Anmälan behörig beställare i SUS med rätt uppgifter. Den ska vara underskriven av en firmatecknare för organisationen.")
	case form.KindAgreement:
		p = append(p, "Skicka överenskommelsen på nytt i två exemplar. Båda ska vara undertecknade av en behörig firmatecknare för organisationen.")
	}
	if c.has(form.CodeSignatoryUnknown) {
		p = append(p, "Bifoga en handling som visar att den som har skrivit under får teckna firma för organisationen, till exempel ett beslut om delegation eller ett utdrag ur ett protokoll.")
	}
	p = append(p, "Skicka "+definite(k)+" till:\n"+strings.Join(sendTo, "\n"))
	if c.d.RequestCompletion {
		p = append(p, "Vi behöver kompletteringen senast den "+form.DayInWords(c.d.ReplyBy)+". När vi har fått den prövar vi "+definite(k)+" på nytt och skickar ett besked till er. Har vi inte fått kompletteringen då avslutar vi ärendet, och "+definite(k)+" blir inte registrerad. Ni kan ändå skicka in "+aNew(k)+" senare.")
		if ref := strings.TrimSpace(c.d.Reference); ref != "" {
			p = append(p, "Skriv gärna vårt diarienummer "+ref+" på det ni skickar in, så att vi kan koppla ihop kompletteringen med ärendet.")
		}
	}
	p = append(p, capitalise(material(k))+" finns på www.susam.se.")
	l.Paragraphs = p

	l.Kind = map[form.Kind][2]string{
		form.Kind9445:      {Kind9445Rejected, Kind9445Incomplete},
		form.Kind9463:      {Kind9463Rejected, Kind9463Incomplete},
		form.KindAgreement: {KindAgreementRejected, KindAgreementIncomplete},
	}[k][boolIndex(c.d.RequestCompletion)]
	return l, nil
}

// definite names the document the way running text refers back to it:
// "överenskommelsen" for the agreement, never "blanketten".
func definite(k form.Kind) string {
	if k == form.KindAgreement {
		return "överenskommelsen"
	}
	return "blanketten"
}

// aNew is "en ny överenskommelse" or "en ny blankett".
func aNew(k form.Kind) string {
	if k == form.KindAgreement {
		return "en ny överenskommelse"
	}
	return "en ny blankett"
}

// material names what can be downloaded for the kind.
func material(k form.Kind) string {
	if k == form.KindAgreement {
		return "överenskommelsen"
	}
	return "blanketterna"
}

func (c composer) noAgreement() (Letter, error) {
	k, org := c.doc.Kind, c.org()
	agreementTo, err := c.sendTo(form.KindAgreement)
	if err != nil {
		return Letter{}, err
	}
	kind := Kind9445NoAgreement
	if k == form.Kind9463 {
		kind = Kind9463NoAgreement
	}
	p := []string{
		"Hej!",
		"Vi har tagit emot " + formName(k) + " från " + org + c.on() + ". Vi kan tyvärr inte registrera den, eftersom " + org + " inte har någon gällande överenskommelse med Försäkringskassan om uppföljningssystemet SUS.",
		"Innan beställare kan registreras och behörigheter beställas behöver organisationen teckna en överenskommelse om uppföljningssystemet SUS med Försäkringskassan. En behörig firmatecknare skriver under överenskommelsen i två exemplar. Skicka båda exemplaren till:\n" + strings.Join(agreementTo, "\n"),
		"Överenskommelsen gäller från den dag både organisationen och Försäkringskassan har skrivit under den. Ni får då tillbaka ert exemplar tillsammans med en bekräftelse.",
	}
	if k == form.Kind9463 {
		p = append(p, "Skicka gärna en ny anmälan av behöriga beställare på blankett 9463 i samma kuvert som överenskommelsen. Vi registrerar beställarna när överenskommelsen gäller.")
	} else {
		p = append(p, "När överenskommelsen gäller anmäler organisationen behöriga beställare på blankett 9463 Anmälan behörig beställare i SUS. När beställaren har fått en bekräftelse från oss kan behörigheten beställas på nytt på blankett 9445.")
	}
	if msgs := c.errorMessages(form.CodeAgreementNotInForce, form.CodeOrdererNotRegistered, form.CodeOrdererExpired, form.CodeOrdererRemoved); len(msgs) > 0 {
		p = append(p, "Vi har också sett följande brister i blanketten. Rätta dem när ni skickar in den igen:")
		for _, m := range msgs {
			p = append(p, "• "+m)
		}
	}
	p = append(p, "Överenskommelsen och blanketterna finns på www.susam.se.")
	return Letter{
		Kind: kind, RecipientKey: RecipientSender, Recipient: c.senderAddress(),
		Heading:    capitalise(org) + " behöver först teckna en överenskommelse om SUS",
		Paragraphs: p,
	}, nil
}
