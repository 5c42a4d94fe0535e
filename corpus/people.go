package corpus

import (
	"blankett/form"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"
)

// Swedish first and last names, with å ä ö é, hyphens and some long ones.
var (
	firstNames = []string{
		"Åsa", "Örjan", "Märta", "Björn", "Göran", "Anna-Lena", "Karl-Åke", "Renée", "André", "Ingrid",
		"Sofia", "Mohammed", "Elin", "Jönas", "Maria", "Lars", "Kerstin", "Håkan", "Linnéa", "Per-Olof",
		"Zeynep", "Ann-Charlotte", "Östen", "Gunnel", "Mikael", "Hélène", "Ebba", "Nils", "Aino", "Tove",
	}
	lastNames = []string{
		"Öberg", "Åkesson", "Lindström", "Bäckström", "Sjöberg", "Nordén", "Ekström-Hägglund", "Andersson",
		"Johansson", "Karlsson", "Wästerlund", "Strömbäck", "Lövgren", "Mäkinen", "Håkansson", "Engström",
		"Forsén", "Ahmadi", "Björklund-Öhman", "Nyström", "Berglöf", "Sandén", "Eriksson", "Holmér",
	}
	longNames = []string{
		"Anna-Karin Margareta Wästerlund-Öhrnberg af Klercker",
		"Karl-Johan Åke Sebastian Björklund-Hägerström",
		"Marie-Louise Eleonora Strömbäck-Lindqvist-Åhlén",
	}
	titles = []string{"Kommundirektör", "Förvaltningschef", "Enhetschef", "Regiondirektör", "Förbundschef", "Socialchef", "Verksamhetschef", "Ekonomichef"}
)

// Organisations of the kinds that sign agreements.
var orgNames = []struct{ name, town, street string }{
	{"Götene kommun", "Götene", "Kyrkogatan 4"},
	{"Älvsbyns kommun", "Älvsby", "Storgatan 13"},
	{"Region Jönköpings län", "Jönköping", "Regionens hus, Västra Storgatan 18"},
	{"Samordningsförbundet Östra Östergötland", "Norrköping", "Södra Promenaden 105"},
	{"Håbo kommun", "Bålsta", "Centrumleden 1"},
	{"Samordningsförbundet Värmland", "Karlstad", "Tage Erlandergatan 8A"},
	{"Sjöbo kommun", "Sjöbo", "Gamla Torget 1"},
	{"Region Västerbotten", "Umeå", "Köksvägen 11"},
	{"Mölndals stad", "Mölndal", "Göteborgsvägen 11"},
	{"Samordningsförbundet Göteborg Hisingen", "Göteborg", "Wieselgrensplatsen 2A"},
}

// More organisations for the mailroom world: municipalities, regions and
// coordination associations all over the country.
var wideOrgNames = []struct{ name, town, street string }{
	{"Piteå kommun", "Piteå", "Svartuddsvägen 1"},
	{"Härnösands kommun", "Härnösand", "Industrigatan 12"},
	{"Östersunds kommun", "Östersund", "Rådhusgatan 42"},
	{"Örebro kommun", "Örebro", "Drottninggatan 5"},
	{"Västerås stad", "Västerås", "Fiskartorget 1"},
	{"Trollhättans stad", "Trollhättan", "Gärdhemsvägen 9"},
	{"Malmö stad", "Malmö", "August Palms plats 1"},
	{"Luleå kommun", "Luleå", "Rådstugatan 11"},
	{"Överkalix kommun", "Överkalix", "Storgatan 17"},
	{"Ängelholms kommun", "Ängelholm", "Stortorget 2"},
	{"Region Skåne", "Kristianstad", "Dockplatsen 26"},
	{"Region Östergötland", "Linköping", "S:t Larsgatan 49B"},
	{"Region Gävleborg", "Gävle", "Landstingsvägen 1"},
	{"Samordningsförbundet Södra Dalarna", "Avesta", "Kungsgatan 32"},
	{"Samordningsförbundet Sundsvall", "Sundsvall", "Storgatan 23"},
	{"Kungälvs kommun", "Kungälv", "Ytterbyvägen 2"},
	{"Haparanda stad", "Haparanda", "Torget 7"},
	{"Sölvesborgs kommun", "Sölvesborg", "Repslagaregatan 23"},
	{"Eslövs kommun", "Eslöv", "Trollsjötorget 1"},
	{"Nyköpings kommun", "Nyköping", "Stadshuset, Stora torget"},
}

type person struct {
	First, Last string
	PNR         string // as printed, YYYYMMDD-NNNN
	Mobile      string // as printed
	Phone       string // as printed (landline)
	Email       string
	Title       string
}

func (p person) Name() string { return strings.TrimSpace(p.First + " " + p.Last) }

// luhn returns the Luhn check digit of digits.
func luhn(digits string) int {
	sum := 0
	for i, c := range digits {
		d := int(c - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// makePNR returns a personnummer printed as YYYYMMDD-NNNN for a birth date;
// with coord the day is plus 60 (samordningsnummer).
func makePNR(r *rand.Rand, birth time.Time, coord bool) string {
	day := birth.Day()
	if coord {
		day += 60
	}
	serial := fmt.Sprintf("%03d", r.IntN(999)+1)
	ten := fmt.Sprintf("%02d%02d%02d%s", birth.Year()%100, int(birth.Month()), day, serial)
	return fmt.Sprintf("%04d%02d%02d-%s%d", birth.Year(), int(birth.Month()), day, serial, luhn(ten))
}

// breakCheck returns pnr or orgnr with a wrong check digit.
func breakCheck(s string) string {
	last := s[len(s)-1]
	return s[:len(s)-1] + string('0'+(last-'0'+3)%10)
}

// makeOrgnr returns an organisation number NNNNNN-NNNN with Luhn check
// digit and third digit at least 2. Municipalities and regions start with 2.
func makeOrgnr(r *rand.Rand) string {
	d := fmt.Sprintf("2%d%d%06d", r.IntN(2)+1, r.IntN(8)+2, r.IntN(1000000))
	return d[:6] + "-" + d[6:] + fmt.Sprint(luhn(d))
}

func makeMobile(r *rand.Rand) string {
	pre := []string{"070", "072", "073", "076", "079"}[r.IntN(5)]
	n := r.IntN(10000000)
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s-%03d %02d %02d", pre, n/10000, n/100%100, n%100)
	case 1:
		return fmt.Sprintf("+46 %s %03d %04d", pre[1:], n/10000, n%10000)
	}
	return fmt.Sprintf("%s%07d", pre, n)
}

func makeLandline(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("08-%03d %02d %02d", r.IntN(900)+100, r.IntN(100), r.IntN(100))
	case 1:
		return fmt.Sprintf("031-%02d %02d %02d", r.IntN(90)+10, r.IntN(100), r.IntN(100))
	}
	return fmt.Sprintf("0%d-%05d", []int{13, 16, 18, 21, 36, 54, 90}[r.IntN(7)], r.IntN(100000))
}

var asciiFold = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "Å", "a", "Ä", "a", "Ö", "o", "É", "e", "è", "e", "ü", "u", " ", "", "-", "")

func emailFor(first, last, org string) string {
	dom := strings.ToLower(asciiFold.Replace(strings.Fields(org)[0]))
	if strings.HasPrefix(dom, "samordningsforbundet") {
		dom = "sf" + strings.ToLower(asciiFold.Replace(strings.Join(strings.Fields(org)[1:], "")))
	}
	f := strings.ToLower(asciiFold.Replace(first))
	l := strings.ToLower(asciiFold.Replace(last))
	return f + "." + l + "@" + dom + ".se"
}

func makePerson(r *rand.Rand, org string, ref time.Time) person {
	p := person{First: firstNames[r.IntN(len(firstNames))], Last: lastNames[r.IntN(len(lastNames))]}
	birth := ref.AddDate(-(22 + r.IntN(43)), 0, -r.IntN(365))
	p.PNR = makePNR(r, birth, false)
	p.Mobile = makeMobile(r)
	p.Phone = makeLandline(r)
	p.Email = emailFor(p.First, p.Last, org)
	p.Title = titles[r.IntN(len(titles))]
	return p
}

// Normalisation, as the truth records values.

var nonDigit = regexp.MustCompile(`\D`)

// normPNR returns the 12-digit form of a personnummer or samordningsnummer,
// and whether it is valid (date, Luhn). Written with ten digits, its
// century is the latest that puts the year of birth no later than this
// one (writtenPersonnummer writes ten digits only for people under 90).
func normPNR(s string) (string, bool) {
	d := nonDigit.ReplaceAllString(s, "")
	if len(d) == 10 {
		year := time.Now().Year()
		century := year / 100
		if century*100+atoiC(d[:2]) > year {
			century--
		}
		d = fmt.Sprint(century) + d
	}
	if len(d) != 12 {
		return d, false
	}
	if luhn(d[2:11]) != int(d[11]-'0') {
		return d, false
	}
	var y, m, day int
	fmt.Sscanf(d[:8], "%4d%2d%2d", &y, &m, &day)
	if day > 60 {
		day -= 60
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != day {
		return d, false
	}
	return d, true
}

// normOrgnr returns NNNNNN-NNNN and whether it is valid.
func normOrgnr(s string) (string, bool) {
	d := nonDigit.ReplaceAllString(s, "")
	if len(d) != 10 {
		return s, false
	}
	n := d[:6] + "-" + d[6:]
	return n, d[2] >= '2' && luhn(d[:9]) == int(d[9]-'0')
}

// normPhone returns the E.164 form of a Swedish number, whether it is
// valid, and whether it is a mobile number (07x).
func normPhone(s string) (e164 string, ok, mobile bool) {
	t := strings.TrimSpace(s)
	d := nonDigit.ReplaceAllString(t, "")
	switch {
	case strings.HasPrefix(t, "+46"):
		d = d[2:]
	case strings.HasPrefix(d, "0046"):
		d = d[4:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	default:
		return s, false, false
	}
	if strings.HasPrefix(d, "0") && strings.Contains(t, "(0)") {
		d = d[1:] // +46 (0)70 …: the trunk 0 written after the country code
	}
	if len(d) < 7 || len(d) > 9 || d[0] == '0' {
		return s, false, false
	}
	mobile = d[0] == '7' && len(d) == 9
	return "+46" + d, true, mobile
}

var emailRE = regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$`)

func validEmail(s string) bool { return emailRE.MatchString(strings.ToLower(s)) }

// normDate parses the date formats people write and returns YYYY-MM-DD:
// ISO and its variants (2026-11-03, 2026-1-3, 20261103, 2026/11/03),
// day first with a four-digit year (3/11/2026, 3.11.2026, 3/11 2026),
// two-digit years (26-11-03 year first; 3.11.26 and 3/11/26 day first;
// always this century: the corpus's dates are), and written months
// (3 november 2026, 3 nov. 2026, 3:e november 2026).
func normDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "20060102", "2006/01/02", "02/01/2006", "2.1.2006", "2006-1-2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	ok := func(y, m, d int) (string, bool) {
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != m || t.Day() != d {
			return s, false
		}
		return t.Format("2006-01-02"), true
	}
	if m := reWrittenDate.FindStringSubmatch(strings.ToLower(s)); m != nil {
		for i, name := range form.MonthNames {
			if name == m[2] || len(m[2]) >= 3 && strings.HasPrefix(name, m[2]) {
				return ok(atoiC(m[3]), i+1, atoiC(m[1]))
			}
		}
		return s, false
	}
	if m := reNumericDate.FindStringSubmatch(s); m != nil {
		a, b, c := m[1], m[3], m[4]
		switch {
		case len(a) == 4:
			return ok(atoiC(a), atoiC(b), atoiC(c))
		case len(c) == 4:
			return ok(atoiC(c), atoiC(b), atoiC(a))
		case m[2] == "-" && len(a) == 2 && len(b) == 2 && len(c) == 2:
			return ok(2000+atoiC(a), atoiC(b), atoiC(c))
		case m[2] == "." || m[2] == "/":
			return ok(2000+atoiC(c), atoiC(b), atoiC(a))
		}
	}
	return s, false
}

var (
	reWrittenDate = regexp.MustCompile(`^(\d{1,2})(?::[ae])?\s+([a-zåäö]+)\.?\s+(\d{4})$`)
	reNumericDate = regexp.MustCompile(`^(\d{1,4})([-./])(\d{1,2})[-./ ](\d{2,4})$`)
)

func atoiC(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
