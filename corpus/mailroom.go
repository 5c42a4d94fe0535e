package corpus

import (
	"context"
	"fmt"
	"hash/fnv"
	"image"
	"math/rand/v2"
	"strings"
	"time"

	"blankett/form"
)

// The mailroom world: what a real access office receives beyond the
// committed corpus's tidy forms. Generated whenever Options.Count > 0 (the
// accuracy and load corpora); the committed corpus (Count 0) keeps its
// narrower, stable world.
//
//   - people: names with letters beyond Swedish (ü ø æ é è ñ ç),
//     apostrophes, very long double names, capital Å Ä Ö at word starts;
//   - e-mail addresses in every style offices use: first.last,
//     last.first, first_last, first-last, firstlast, f.last, initials,
//     digits, generic mailboxes (info@, kansli@), at domains made as
//     organisations make theirs (officeDomain) or a department's under it;
//   - dates in every form people write (3 november 2026, 3/11 2026,
//     3.11.26, 3/11-26, 2026-11-03, 3 nov. 2026, 3:e november 2026,
//     03.11.2026, 20261103, 26-11-03);
//   - personnummer with ten digits or twelve, with the hyphen, a space or
//     run together, and org numbers run together (writeNumbers);
//   - fill styles: forms typed in capitals (inCapitals), Helvetica, Times or Courier at 8–12 pt, or a word
//     processor's face (trueTypeFills), ticks as X, ✓ or a filled box;
//   - scan profiles (see profiles): fax, poor JPEG, 1-bit in either
//     polarity, coloured stamps and pen marks, dark borders and hole
//     punches, low contrast and uneven light, pages reversed or shuffled,
//     blank backs and separator sheets, two-sided sheets whose other
//     side shows through, cover letters that name the forms, and the
//     line a sending fax machine prints over every page.

var (
	// Names of the people a Swedish office writes to: the common Swedish
	// ones, and those of families from Finland, Norway, Denmark and
	// Iceland, the Balkans, Poland, Turkey, the Middle East, the Horn of
	// Africa, Latin America, France, Germany and East Asia. Letters
	// beyond Latin-1 (ć, ł, ş) are spelt as Swedish registers often
	// have them (Hodzic, Lukasz): the core fonts forms are filled with
	// cannot print them (TestWideNamesPrintable).
	wideFirstNames = []string{
		"Jürgen", "Søren", "Æsa", "Zoë", "Hélène", "Mikaël", "Agnès", "Begoña", "Núria", "Müge",
		"Åke", "Ängla", "Örjan", "Åsa", "Östen", "Björn", "Märta", "François", "Björg",
		"Renée", "Noël", "Inés", "Jörg", "Günther", "Bjørn", "Sigrún", "Aurélie", "Ömer", "Ådne",
		"Anna-Lena", "Karl-Åke", "Per-Olof", "Ann-Charlotte", "Linnéa", "Sofia", "Mohammed", "Elin",
		"Anders", "Johan", "Erik", "Karin", "Eva", "Lena", "Kristina", "Birgitta", "Marie", "Ulla",
		"Gunilla", "Margareta", "Jan", "Per", "Peter", "Thomas", "Magnus", "Stefan", "Fredrik", "Mats",
		"Ulf", "Bengt", "Göran", "Leif", "Agneta", "Ingela", "Malin", "Emma", "Hanna", "Jonas",
		"Oskar", "Gustav", "Viktor", "Ebba", "Alva", "Wilma", "Maja", "Tuva", "Hugo", "Axel",
		"Lisbeth", "Yvonne", "Camilla", "Therese", "Jessica", "Sara", "Ida", "Johanna", "Cecilia", "Åsa-Lena",
		"Pekka", "Päivi", "Jyrki", "Sirpa", "Tuula", "Eino", "Riitta", "Terje", "Kjell", "Torbjørn",
		"Ragnhild", "Øystein", "Mette", "Jens", "Guðrún", "Þóra", "Emir", "Amra", "Dragan", "Snezana",
		"Zoran", "Jasmina", "Nikola", "Katarzyna", "Lukasz", "Malgorzata", "Piotr", "Agnieszka", "Mehmet", "Ayse",
		"Emre", "Elif", "Ahmed", "Fatima", "Ali", "Hassan", "Leila", "Omar", "Yasmin", "Zahra",
		"Reza", "Maryam", "Dariush", "Abdirahman", "Hodan", "Faisal", "Amina", "Yonas", "Semhar", "Tesfaye",
		"José", "Jesús", "Andrés", "Marisol", "Ximena", "Joaquín", "Valentina", "Rocío", "Benoît", "Élodie",
		"Stéphane", "Maëlle", "Jérôme", "Klaus", "Jörn", "Käthe", "Heike", "Dieter", "Wei", "Mei",
		"Minh", "Thanh", "Hiroshi", "Yuki", "Ji-woo", "Anh", "Siobhán", "Seán", "Eoin", "Niamh",
	}
	wideLastNames = []string{
		"Müller", "Sørensen", "Løvås", "Næss", "Nuñez", "Peña", "Lefèvre", "Brière", "Gonçalves", "Zürcher",
		"O'Brien", "D'Angelo", "Åberg", "Ärlig", "Öhman", "Åström", "Ängquist", "Ödmark", "Schüler", "Kjærgaard",
		"Björklund-Öhman", "Ekström-Hägglund", "Lindström", "Bäckström", "Sjöberg", "Nordén", "Mäkinen", "Holmér",
		"Hernández-Åkerlund", "Dubois-Ängström",
		"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
		"Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindqvist",
		"Lundgren", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöström", "Lundin", "Engström", "Danielsson",
		"Håkansson", "Eklund", "Lundberg", "Gunnarsson", "Holm", "Bergström", "Samuelsson", "Fransson", "Wallin", "Nyberg",
		"Söderberg", "Björk", "Isaksson", "Nordström", "Lundqvist", "Mattsson", "Blom", "Åkesson", "Öberg", "Hägglund",
		"Virtanen", "Korhonen", "Nieminen", "Hämäläinen", "Järvinen", "Heikkilä", "Koskinen", "Haugen", "Hansen", "Bakke",
		"Jørgensen", "Nørgaard", "Guðmundsdóttir", "Jónsson", "Hodzic", "Kovacevic", "Petrovic", "Begic", "Jovanovic", "Maric",
		"Nowak", "Kowalski", "Wisniewska", "Wójcik", "Zielinski", "Yilmaz", "Kaya", "Demir", "Sahin", "Çelik",
		"Öztürk", "Al-Hassan", "Abdullahi", "Mohamud", "Hussein", "Ahmadi", "Hosseini", "Karimi", "Rahimi", "Haddad",
		"Khalil", "Nasser", "Tesfamariam", "Gebremedhin", "Haile", "Rodríguez", "González", "Fernández", "Muñoz", "Díaz",
		"Castillo", "Ibáñez", "Moreau", "Lefebvre", "Girard", "Rousseau", "Müller-Lüdenscheidt", "Schröder", "Weiß", "Krüger",
		"Nguyen", "Tran", "Pham", "Wang", "Li", "Zhang", "Chen", "Tanaka", "Kim", "O'Connor",
	}
	wideLongNames = []string{
		"Anna-Karin Margareta Wästerlund-Öhrnberg af Klercker",
		"Karl-Johan Åke Sebastian Björklund-Hägerström",
		"Marie-Louise Eleonora Strömbäck-Lindqvist-Åhlén",
		"Maximilian Jürgen Schönberg-Åkerlund",
		"María José Fernández de Córdoba-Öst",
		"Siobhán Mary O'Sullivan-Løvgren",
	}
	genericMailboxes = []string{"info", "kansli", "registrator", "kommun", "post", "sus-admin", "forvaltning"}
)

// widePerson makes a person of the mailroom world.
// domain is the domain of the organisation's addresses (see
// officeDomain).
func widePerson(r *rand.Rand, domain string, ref time.Time) person {
	p := person{First: wideFirstNames[r.IntN(len(wideFirstNames))], Last: wideLastNames[r.IntN(len(wideLastNames))]}
	if r.IntN(12) == 0 {
		f := strings.Fields(wideLongNames[r.IntN(len(wideLongNames))])
		p.First, p.Last = strings.Join(f[:len(f)-1], " "), f[len(f)-1]
	}
	birth := ref.AddDate(-(22 + r.IntN(43)), 0, -r.IntN(365))
	p.PNR = makePNR(r, birth, r.IntN(25) == 0)
	p.Mobile = makeMobile(r)
	p.Phone = makeLandline(r)
	p.Email = styledEmail(r, mailStream(p), p.First, p.Last, domain)
	p.Title = titles[r.IntN(len(titles))]
	return p
}

// latinFold spells a name's letters as an address does.
var latinFold = strings.NewReplacer(
	"å", "a", "ä", "a", "ö", "o", "é", "e", "è", "e", "ë", "e", "ü", "u", "ø", "o", "æ", "ae", "ñ", "n", "ç", "c",
	"í", "i", "ó", "o", "á", "a", "ú", "u", "ð", "d", "þ", "th", "ß", "ss", "ê", "e", "ô", "o",
	"î", "i", "â", "a", "ï", "i", "ã", "a", "õ", "o", "à", "a", "ì", "i", "ò", "o", "ù", "u", "ý", "y",
	"'", "", " ", "", "-", "",
)

func mailDomain(org string) string {
	dom := strings.ToLower(asciiFold.Replace(strings.Fields(org)[0]))
	if strings.HasPrefix(dom, "samordningsforbundet") {
		dom = "sf" + strings.ToLower(asciiFold.Replace(strings.Join(strings.Fields(org)[1:], "")))
	}
	return dom + ".se"
}

// mailStream is a person's own source for the ways of writing an address
// added after the first styles (the name turned round, a department's
// domain): seeded from what was drawn for the person already, so that
// every other draw of a seed is as before.
func mailStream(p person) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(p.First + "\x00" + p.Last + "\x00" + p.PNR))
	return rand.New(rand.NewPCG(h.Sum64(), 0x6d61696c))
}

// styledEmail is an address in one of the styles offices use at domain,
// the organisation's (one in ten under it, a department's: skola.kungalv.se);
// r draws the style, s the later variations (see mailStream).
func styledEmail(r, s *rand.Rand, first, last, domain string) string {
	f := latinFold.Replace(strings.ToLower(strings.Fields(first)[0]))
	l := latinFold.Replace(strings.ToLower(last))
	var local string
	switch r.IntN(10) {
	case 0, 1, 2:
		local = f + "." + l
		if s.IntN(6) == 0 {
			local = l + "." + f // the last name first, as some offices list staff
		}
	case 3:
		local = f + "_" + l
	case 4:
		local = f + "-" + l
	case 5:
		local = f + l
	case 6:
		local = f[:1] + "." + l
	case 7:
		local = f + "." + l + fmt.Sprint(1+r.IntN(9))
	case 8:
		local = f[:1] + l[:1] + fmt.Sprint(10+r.IntN(90))
	default:
		local = genericMailboxes[r.IntN(len(genericMailboxes))]
	}
	if s.IntN(10) == 0 {
		domain = departments[s.IntN(len(departments))] + "." + domain
	}
	return local + "@" + domain
}

// departments are the domains some municipalities and regions give a
// department's staff under their own.
var departments = []string{"skola", "edu", "vof", "soc", "vard", "kultur"}

// officeDomain is the domain of the addresses at org, named so and in
// town, as organisations have them: most often made from its first word
// (gotene.se, sfvarmland.se), or else from its town (molndal.se for
// Mölndals stad), its whole name (regionskane.se) or its initials (rjl.se
// for Region Jönköpings län), or under another top-level domain (.nu,
// .org).
func officeDomain(r *rand.Rand, org, town string) string {
	base := strings.TrimSuffix(mailDomain(org), ".se")
	words := strings.Fields(strings.ToLower(org))
	whole := latinFold.Replace(strings.Join(words, ""))
	if strings.HasPrefix(base, "sf") {
		whole = base // a coordination association's whole name is too long
	}
	if base == "region" {
		base = whole // every region's first word is the same
	}
	switch r.IntN(10) {
	case 0, 1:
		return latinFold.Replace(strings.ToLower(town)) + ".se"
	case 2, 3:
		return whole + ".se"
	case 4:
		if len(words) >= 3 {
			var initials strings.Builder
			for _, w := range words {
				initials.WriteString(latinFold.Replace(w)[:1])
			}
			return initials.String() + ".se"
		}
	case 5:
		return base + []string{".nu", ".org"}[r.IntN(2)]
	}
	return base + ".se"
}

// longerAbbreviation is the four-letter abbreviation of months people
// also write so (febr., sept.).
var longerAbbreviation = map[string]string{"februari": "febr.", "september": "sept."}

// writtenDate writes an ISO date in one of the forms people use. Forms
// whose value cannot be told from the writing alone (two-digit years far
// from the received date) are not used.
func writtenDate(r *rand.Rand, iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso // an impossible date stays as the scenario wrote it
	}
	d, m, y := t.Day(), int(t.Month()), t.Year()
	month := form.MonthNames[m-1]
	switch r.IntN(12) {
	case 0:
		return fmt.Sprintf("%d %s %d", d, month, y)
	case 1:
		return fmt.Sprintf("%d/%d %d", d, m, y)
	case 2:
		return fmt.Sprintf("%d.%d.%02d", d, m, y%100)
	case 3:
		short := month
		if len(short) > 4 {
			short = short[:3] + "."
		}
		// Some write four letters where three are usual (the day, not a
		// draw, chooses: other draws stay put).
		if long, ok := longerAbbreviation[month]; ok && d%2 == 0 {
			short = long
		}
		return fmt.Sprintf("%d %s %d", d, short, y)
	case 4:
		return fmt.Sprintf("%02d.%02d.%d", d, m, y)
	case 5:
		return fmt.Sprintf("%d%02d%02d", y, m, d)
	case 6:
		return fmt.Sprintf("%02d-%02d-%02d", y%100, m, d)
	case 7:
		return fmt.Sprintf("%d/%d-%02d", d, m, y%100)
	case 8:
		return fmt.Sprintf("%d:%s %s %d", d, ordinalSuffix(d), month, y)
	}
	return iso
}

// ordinalSuffix is the ending of the Swedish ordinal of day (1:a, 2:a,
// 3:e, 21:a, 22:a, 31:a; 11:e and 12:e).
func ordinalSuffix(day int) string {
	if d := day % 10; (d == 1 || d == 2) && day/10 != 1 {
		return "a"
	}
	return "e"
}

// fillStyle is how a form's values were typed or printed.
type fillStyle struct {
	Font string  // a PDF core font, or one of trueTypeFills
	Size float64 // the largest size a value is set at; smaller when it does not fit
	Tick string  // "x", "check" or "box"
}

var defaultFill = fillStyle{Font: valueFont, Size: valueSize, Tick: "x"}

func randomFill(r *rand.Rand) fillStyle {
	// A third are typed in a word processor's face, the rest in a PDF
	// viewer's.
	face := []string{"Helvetica", "Helvetica", "Times-Roman", "Courier"}[r.IntN(4)]
	if tt := trueTypeFills[r.IntN(len(trueTypeFills))]; r.IntN(3) == 0 {
		face = tt.name
	}
	return fillStyle{
		Font: face,
		Size: float64(8 + r.IntN(5)),
		Tick: []string{"x", "check", "box"}[r.IntN(3)],
	}
}

// restyle writes a document's dates as people write them.
func restyle(d *doc, t *form.Template, r *rand.Rand) {
	for _, f := range t.Fields {
		if f.Type == form.TypeDate && d.values[f.Name] != "" {
			d.values[f.Name] = writtenDate(r, d.values[f.Name])
		}
	}
}

// writeContacts writes a document's e-mail addresses and telephone
// numbers as people write them. Addresses as mail programs show them: one
// in five with capitals starting the name's parts
// (Anna.Svensson@kommun.se), one in forty all in capitals (the truth's
// value stays the address in lower case). Numbers in two of three in
// another of the ways people group and prefix them (writtenPhone).
func writeContacts(d *doc, t *form.Template, r *rand.Rand) {
	for _, f := range t.Fields {
		v := d.values[f.Name]
		switch {
		case v == "":
		case f.Type == form.TypeEmail:
			switch n := r.IntN(40); {
			case n == 0:
				d.values[f.Name] = strings.ToUpper(v)
			case n < 9:
				d.values[f.Name] = capitalLocal(v)
			}
		case f.Type == form.TypePhone:
			d.values[f.Name] = writtenPhone(r, v)
		}
	}
}

// writtenPhone writes the number phone (as the world made it: 070-123 45
// 67, +46 70 123 4567, 0701234567, 08-123 45 67, 013-12345) in one of
// the ways people write numbers: spaced or run together, with a slash
// after the area code, international with +46, +46 (0) or 0046. A number
// that is no valid one (a scenario's) is left as it is.
func writtenPhone(r *rand.Rand, phone string) string {
	e164, ok, _ := normPhone(phone)
	if !ok {
		return phone
	}
	var area, rest string
	switch {
	case strings.HasPrefix(phone, "+46 "):
		f := strings.Fields(phone[4:])
		area, rest = "0"+f[0], strings.Join(f[1:], "")
	case strings.Contains(phone, "-"):
		a, b, _ := strings.Cut(phone, "-")
		area, rest = a, nonDigit.ReplaceAllString(b, "")
	default:
		area, rest = phone[:3], phone[3:]
	}
	grouped := rest
	switch len(rest) {
	case 5:
		grouped = rest[:3] + " " + rest[3:]
	case 6:
		grouped = rest[:2] + " " + rest[2:4] + " " + rest[4:]
	case 7:
		grouped = rest[:3] + " " + rest[3:5] + " " + rest[5:]
	case 8:
		grouped = rest[:3] + " " + rest[3:6] + " " + rest[6:]
	}
	var out string
	switch r.IntN(12) {
	case 0:
		out = area + " " + grouped
	case 1:
		out = area + rest
	case 2:
		out = "+46 " + area[1:] + " " + grouped
	case 3:
		out = "+46 (0)" + area[1:] + "-" + grouped
	case 4:
		out = "+46" + area[1:] + rest
	case 5:
		out = area + "/" + grouped
	case 6:
		out = "0046 " + area[1:] + " " + grouped
	case 7:
		out = area + "-" + rest
	default:
		return phone
	}
	if again, ok, _ := normPhone(out); !ok || again != e164 {
		return phone
	}
	return out
}

// inCapitals types a document's text (names, titles, addresses, places)
// in capitals, as some fill in every form.
func inCapitals(d *doc, t *form.Template) {
	for _, f := range t.Fields {
		if f.Type == form.TypeText {
			d.values[f.Name] = strings.ToUpper(d.values[f.Name])
		}
	}
}

// writeNumbers writes a document's personnummer and organisation numbers
// as people write them: with the century or without, with the hyphen or
// run together (see writtenPersonnummer, writtenOrgnr).
func writeNumbers(d *doc, t *form.Template, r *rand.Rand) {
	for _, f := range t.Fields {
		switch v := d.values[f.Name]; {
		case v == "":
		case f.Type == form.TypePersonnummer:
			d.values[f.Name] = writtenPersonnummer(r, v)
		case f.Type == form.TypeOrgnr:
			d.values[f.Name] = writtenOrgnr(r, v)
		}
	}
}

// writtenPersonnummer writes a personnummer (printed YYYYMMDD-NNNN) in one
// of the ways people write theirs: three in ten as most know it, with ten
// digits (YYMMDD-NNNN, or run together), one in ten with twelve run
// together, one in ten with a space for the hyphen; none longer than the
// printed form. Ten digits only for someone under 90, whose century the
// year tells; a number that is not valid (a scenario's) is left as it is.
func writtenPersonnummer(r *rand.Rand, pnr string) string {
	d, ok := normPNR(pnr)
	if !ok {
		return pnr
	}
	young := tenDigitsTell(d)
	switch n := r.IntN(10); {
	case n < 2 && young:
		return d[2:8] + "-" + d[8:]
	case n == 2 && young:
		return d[2:]
	case n == 3:
		return d
	case n == 4:
		return d[:8] + " " + d[8:]
	}
	return pnr
}

// tenDigitsTell reports whether a personnummer (twelve digits) may be
// written with ten: its holder is under 90, and the year's two digits
// tell the century.
func tenDigitsTell(pnr string) bool { return atoiC(pnr[:4]) > time.Now().Year()-90 }

// writtenOrgnr writes an organisation number (printed NNNNNN-NNNN) one in
// eight times run together; a number that is not valid is left as it is.
// (Never with the 16 some registers put before it: a form's cells are as
// many as the printed form has characters.)
func writtenOrgnr(r *rand.Rand, orgnr string) string {
	n, ok := normOrgnr(orgnr)
	if !ok || r.IntN(8) > 0 {
		return orgnr
	}
	return n[:6] + n[7:]
}

// capitalLocal is address with a capital starting each part of its
// local part (anna.svensson → Anna.Svensson; info stays Info).
func capitalLocal(address string) string {
	local, domain, ok := strings.Cut(address, "@")
	if !ok {
		return address
	}
	b := []rune(local)
	for i, c := range b {
		if (i == 0 || strings.ContainsRune("._-", b[i-1])) && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b) + "@" + domain
}

// coverLetter is the letter an organisation may send with its forms: a
// page of running text that names the form it comes with by number and
// title, as people write them, and so holds words the form's own pages are
// recognised by. It is no form and must not be read as one, nor joined
// to the form after it.
func coverLetter(t *form.Template, org string, sent time.Time, r *rand.Rand) []string {
	if org == "" {
		org = "vår organisation"
	}
	sender := wideFirstNames[r.IntN(len(wideFirstNames))] + " " + wideLastNames[r.IntN(len(wideLastNames))]
	date := []string{ymd(sent), fmt.Sprintf("%d %s %d", sent.Day(), form.MonthNames[sent.Month()-1], sent.Year())}[r.IntN(2)]
	about := []string{
		"Här kommer blankett " + t.FormNumber + " " + t.Title + " för " + org + ".",
		"Bifogat finns " + t.Title + " (" + t.FormNumber + "), ifylld och underskriven.",
		"Vi skickar " + t.FormNumber + " enligt överenskommelse med er handläggare.",
	}[r.IntN(3)]
	return []string{
		org,
		"Försäkringskassan",
		"",
		"Datum: " + date,
		"",
		"Angående behörighet till uppföljningssystemet SUS",
		"",
		"Hej,",
		"",
		about,
		"Hör gärna av er om något saknas eller behöver kompletteras.",
		"",
		"Med vänlig hälsning",
		"",
		sender,
	}
}

// scanCover scans a cover letter for d (see coverLetter) as its form's
// pages are scanned: in the same profile and file format, through the
// same feeder (streaks), folded with them (folds).
func (g *generator) scanCover(ctx context.Context, d doc, profile string, f scanFormat, r *rand.Rand, streaks []streak, folds []fold) (image.Image, error) {
	t := g.tplOf(d)
	lines := coverLetter(t, d.values[t.RoleField(form.FieldOrgName, 0)], g.today.AddDate(0, 0, -2-r.IntN(5)), r)
	img, err := printText(ctx, "cover letter", lines, coverBold, f.dpi)
	if err != nil {
		return nil, err
	}
	spec := profileSpec(profile, r, f)
	spec.Streaks, spec.Folds = streaks, folds
	return degrade(img, spec, r), nil
}

// CoverLetter is a cover letter sent with a form of edition t from org,
// printed at dpi and scanned with the skew, scale, shift and noise a seed
// draws (see coverLetter): a page that names the form and is none of it.
func CoverLetter(ctx context.Context, t *form.Template, org string, dpi int, seed uint64) (*image.Gray, error) {
	r := rand.New(rand.NewPCG(seed, 0xc0))
	img, err := printText(ctx, "cover letter", coverLetter(t, org, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), r), coverBold, dpi)
	if err != nil {
		return nil, err
	}
	spec := randomSpec(r, scanFormat{format: FormatPDFJPEG, dpi: dpi})
	spec.DPI, spec.Turned = dpi, 0
	return degrade(img, spec, r), nil
}

// printText prints lines of running text on a page at dpi, those bold
// says in bold; what names the page in errors.
func printText(ctx context.Context, what string, lines []string, bold func(line int) bool, dpi int) (*image.Gray, error) {
	pdf, err := letterPagePDF(lines, bold)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	imgs, err := rasterize(ctx, pdf, dpi)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return imgs[0], nil
}

// coverBold says which lines of a cover letter are bold: the sender and
// the subject.
func coverBold(line int) bool { return line == 0 || line == 5 }

// infoBack is the back of a form's last sheet printed with information
// for the person filling it in, as forms often have: running text that
// shows through (see showThrough).
func infoBack(ctx context.Context, dpi int) (*image.Gray, error) {
	return printText(ctx, "information on the back", []string{
		"Information om behandling av personuppgifter",
		"",
		"Försäkringskassan behandlar de personuppgifter som du lämnar på blanketten",
		"för att kunna handlägga beställningen. Uppgifterna sparas så länge det",
		"behövs för ändamålet och gallras därefter enligt gällande regler.",
		"",
		"Du har rätt att få veta vilka uppgifter som behandlas om dig och att",
		"begära rättelse av felaktiga uppgifter. Kontakta Försäkringskassan",
		"om du har frågor om hur dina personuppgifter behandlas.",
		"",
		"Blanketten skickas till den adress som står i överenskommelsen.",
		"Spara en kopia av blanketten för egen del.",
	}, func(line int) bool { return line == 0 }, dpi)
}

// infoSeenThrough is infoBack at dpi as it shows through its sheet,
// printed once per generator and DPI.
func (g *generator) infoSeenThrough(ctx context.Context, dpi int) (*image.Gray, error) {
	if back, ok := g.backs[dpi]; ok {
		return back, nil
	}
	info, err := infoBack(ctx, dpi)
	if err != nil {
		return nil, err
	}
	if g.backs == nil {
		g.backs = map[int]*image.Gray{}
	}
	g.backs[dpi] = seenThrough(info)
	return g.backs[dpi], nil
}

// fitRooms rewrites the numbers and dates of d, filled in on an edition
// drawn by another tool (t, with rooms: blankRooms of its blank), that
// would not show whole in their fields: a viewer sets the text at the
// field's size and shows what the widget holds, and who fills it in, seeing
// the end cut off, writes it again in a shorter way (+46 (0)72-532 18 39
// as 0725321839). Names and addresses, which have no shorter way, are left
// as they are: their end is lost on the page, and its truth says more than
// a reader can see.
func fitRooms(d *doc, t *form.Template, rooms map[string]fieldRoom) {
	for _, f := range t.Fields {
		v := d.values[f.Name]
		room, ok := rooms[f.PDFNames()[0]]
		if v == "" || !ok || room.Size <= 0 {
			continue
		}
		width := func(s string) float64 { return textWidth(s, valueFont, room.Size) }
		shown := room.Width - 4 // the viewer's padding either side
		if width(v) <= shown {
			continue
		}
		for _, s := range shorterWritings(f.Type, v) {
			if width(s) < width(v) {
				d.values[f.Name] = s
				if width(s) <= shown {
					break
				}
			}
		}
	}
}

// shorterWritings are the ways of writing v, a value of type ty, that
// people use to fit it in a box, the longest first; none for a value that
// is not valid (a scenario's, left as it is) or has no other way.
func shorterWritings(ty form.FieldType, v string) []string {
	switch ty {
	case form.TypePhone:
		if e164, ok, _ := normPhone(v); ok {
			return []string{"0" + e164[3:]}
		}
	case form.TypeDate:
		if iso, ok := normDate(v); ok {
			return []string{iso, strings.ReplaceAll(iso, "-", "")}
		}
	case form.TypePersonnummer:
		if p, ok := normPNR(v); ok {
			out := []string{p[:8] + "-" + p[8:], p}
			if tenDigitsTell(p) {
				out = append(out, p[2:8]+"-"+p[8:], p[2:])
			}
			return out
		}
	case form.TypeOrgnr:
		if n, ok := normOrgnr(v); ok {
			return []string{n, strings.ReplaceAll(n, "-", "")}
		}
	}
	return nil
}
