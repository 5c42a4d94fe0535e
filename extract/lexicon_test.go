package extract

import (
	"strings"
	"testing"

	"blankett/form"
)

func TestMendWords(t *testing.T) {
	for in, want := range map[string]string{
		"Storgatän 13":                  "Storgatan 13",
		"Förbundschet":                  "Förbundschef", // a compound ends in a common word: not förbunds|Chet
		"Gunnel Ekströrn-Hägglund":      "Gunnel Ekström-Hägglund",
		"Kömmundirektör":                "Kommundirektör", // kommun|direktör
		"Samordningsförbundet Värmland": "Samordningsförbundet Värmland",
		"Hélène Åkesson":                "Hélène Åkesson", // accents on e stay
		"Zeynep Ahmadi":                 "Zeynep Ahmadi",  // unknown, no known neighbour
		"KARLSTÄD":                      "KARLSTAD",
		"Värrntand":                     "Värmland", // through värm|tand
		// Dots lost in a compound, which a shape lookalike makes a
		// compound of three words: the one of two wins.
		"Kommunforbundet":      "Kommunförbundet", // kommun|förbundet, not kommuns|torb|undet
		"Idrottsforbundet Syd": "Idrottsförbundet Syd",
		// A lookalike made a compound of three words of one of two
		// (samordning|stör|bundet): the one of two wins.
		"Samordningstörbundet Östra Östergötland": "Samordningsförbundet Östra Östergötland",
		// An accent or cedilla a speck made on a Swedish word.
		"Píteå":            "Piteå",
		"Förvaltningsçhef": "Förvaltningschef",
		// Slips of small or faint type.
		"Piteä":             "Piteå",
		"Kungålvs kommun":   "Kungälvs kommun",
		"Örebra":            "Örebro",
		"Eslöy":             "Eslöv",
		"Örehro":            "Örebro",
		"Luleå kormmun":     "Luleå kommun",
		"Kungälvs komrirun": "Kungälvs kommun",
		"Mölndals ståd":     "Mölndals stad", // its ring lost: not städ, by a ring for dots

	} {
		got, changed := mendWords(in, false)
		if got != want || changed != (in != want) {
			t.Errorf("mendWords(%q) = %q, %v; want %q", in, got, changed, want)
		}
	}
}

// TestMendNames keeps the dots of a person's name: Jönas is a name too;
// nor does it make a name the list lacks a common word (Elif is no elit).
func TestMendNames(t *testing.T) {
	for in, want := range map[string]string{
		"Jönas Sandén":             "Jönas Sandén",
		"Gunnel Ekströrn-Hägglund": "Gunnel Ekström-Hägglund",
		"Elif Kjærgaard":           "Elif Kjærgaard",
		"Dariush Dubois-Angstrom":  "Dariush Dubois-Angstrom", // not angs|from: a compound is no name
		"Mattias Hallberg":         "Mattias Hallberg",        // a name is spelt at will: no a for an o
		"Anna Bygren":              "Anna Bygren",
	} {
		if got, _ := mendWords(in, true); got != want {
			t.Errorf("mendWords(%q, person) = %q, want %q", in, got, want)
		}
	}
	if got, _ := mendWords("Jönas", false); got != "Jonas" {
		t.Errorf("mendWords(Jönas) = %q: the test no longer shows what person changes", got)
	}
	if got, _ := mendWords("Elif", false); got != "Elit" {
		t.Errorf("mendWords(Elif) = %q: the test no longer shows what a name's own list changes", got)
	}
}

func TestStrangeWords(t *testing.T) {
	for text, want := range map[string]bool{
		"Samordningsförbundet Värmland": false, // a compound and a listed word
		"Regioneås hus":                 true,
		"Per Ek":                        false, // short words are not judged
		"VerksamhetscHef":               true,  // a capital after small letters
		"SUS Verksamhetschef":           false,
	} {
		if got := strangeWords(text, false); got != want {
			t.Errorf("strangeWords(%q) = %v, want %v", text, got, want)
		}
	}
	// In a person's name a compound of the list's words is strange, and
	// so is a part in small letters that is no particle, and a digit.
	for text, want := range map[string]bool{
		"Ann-Charlotte Gongalves": true, "Ann-Charlotte Andersson": false, "Ahmed Weif3": true, "Ahmed Eklund": false,
		"Ö mer Tran": true, "Per ek": true, "Ji-woo Eklund": false, "Lucia d'Angelo": false, "Olof af Klercker": false, "Lars van der Berg": false,
	} {
		if got := strangeWords(text, true); got != want {
			t.Errorf("strangeWords(%q, person) = %v, want %v", text, got, want)
		}
	}
}

// TestForeignNames: names the French, Spanish and Norwegian models' word
// lists have, with a letter beyond Swedish, are listed names; their
// misreadings and plain spellings are not, and Swedish words are judged
// by the Swedish list alone.
func TestForeignNames(t *testing.T) {
	for _, name := range []string{"Jérôme Andersson", "Bjørn Jørgensen", "Joaquín Muñoz", "Jürgen Eklund"} {
		if strangeWords(name, true) {
			t.Errorf("strangeWords(%q, person) = true, want a listed name", name)
		}
	}
	for _, name := range []string{"Jéröme Andersson", "Jérômé Andersson", "Bjorn Jorgensenn"} {
		if !strangeWords(name, true) {
			t.Errorf("strangeWords(%q, person) = false, want it strange", name)
		}
	}
	for w, want := range map[string]int{"jérôme": listed, "muñoz": listed, "jéröme": unknown, "kommune": unknown} {
		if got := knownName(w); got != want {
			t.Errorf("knownName(%q) = %d, want %d", w, got, want)
		}
	}
	for name := range foreignNames() {
		if !strings.ContainsFunc(name, func(r rune) bool { return r > 'z' && !strings.ContainsRune("åäöé", r) }) {
			t.Errorf("foreign name %q has no letter beyond Swedish", name)
		}
	}
}

// TestDottedNames finds the words whose dots or ring a scan may have lost:
// with them added, the word list has a name.
func TestDottedNames(t *testing.T) {
	for text, want := range map[string]bool{
		"Habo kommun":         true, // Håbo
		"Håbo kommun":         false,
		"Marta Lindqvist":     true, // Märta
		"Karl-Johan Berg":     false,
		"Mölndals stad":       false, // städ is no name
		"Goteborgsvagen 11":   true,
		"Region Vasterbotten": true, // västerbotten is listed in lower case too
	} {
		if _, got := dottedNames(text); got != want {
			t.Errorf("dottedNames(%q) = %v, want %v", text, got, want)
		}
	}
	for _, c := range []struct {
		in     string
		person bool
		want   string
	}{
		{"Goteborgsvagen 11", false, "Göteborgsvägen 11"}, // two dots lost, a listed name
		{"Gotene kommun", false, "Götene kommun"},         // GOTENE is listed, as typed in ASCII
		{"Region Skane", false, "Region Skåne"},
		{"Laxa", false, "Laxa"}, // Laxå or Läxa: no telling which
		{"Storgatan 13", false, "Storgatan 13"},
		{"Marta Lindqvist", true, "Marta Lindqvist"}, // a person's Marta is Marta: the image decides
		{"Jonas Ostrom", true, "Jonas Öström"},       // ostrom is no listed word
	} {
		if got, _ := mendDots(c.in, c.person); got != c.want {
			t.Errorf("mendDots(%q, person %v) = %q, want %q", c.in, c.person, got, c.want)
		}
	}
}

func TestStrangeShort(t *testing.T) {
	for text, want := range map[string]bool{"Zoö Åberg": true, "Åsa Berg": false, "Per Ek": false, "Zoë Åberg": true} {
		if got := strangeShort(text); got != want {
			t.Errorf("strangeShort(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestSpecksOverWords: a mark over a plain letter of a word the list
// knows is a speck where marking the letter makes no word (kommun); not
// where it makes one (stad, städ), nor over a word the list lacks, nor
// in the wrong word (the places count letters, spaces left out).
func TestSpecksOverWords(t *testing.T) {
	for _, c := range []struct {
		text string
		at   []int
		want bool
	}{
		{"Eslövs kommun", []int{7}, true},     // the o of kommun
		{"Eslövs kommun", []int{7, 10}, true}, // and its u
		{"Mölndals stad", []int{10}, false},   // the a of stad: städ
		{"Region Jönköpings lan", []int{17}, false},
		{"Eslovs kommun", []int{2}, false}, // the o of Eslovs, a word the list lacks
		{"Eslövs kommun", []int{13}, false},
		{"Socialchef", []int{1}, true},
	} {
		if got := specksOverWords(c.text, c.at); got != c.want {
			t.Errorf("specksOverWords(%q, %v) = %v, want %v", c.text, c.at, got, c.want)
		}
	}
}

// TestMendPlaces: a place of signing, or an organisation's town, read as
// a word the list lacks a letter or two off the town the organisation's
// name is made of is proposed as that town, in doubt; a listed place, a
// town too far off, and a name read unsurely are left as they are.
func TestMendPlaces(t *testing.T) {
	for _, c := range []struct {
		org     string
		orgConf float64
		place   string
		want    string
	}{
		{"Mölndals stad", 0.95, "Moindal", "Mölndal"},
		{"Eslövs kommun", 0.95, "Esløv", "Eslöv"},
		{"Örebro kommun", 0.95, "Orebto", "Örebro"},
		{"Västerås stad", 0.95, "Västeràs", "Västerås"},
		{"Götene kommun", 0.95, "Goterle", "Götene"},
		{"Mölndals stad", 0.95, "Göteborg", "Göteborg"}, // listed: signed elsewhere
		{"Mölndals stad", 0.95, "Kungsbacka", "Kungsbacka"},
		{"Mölndals stad", 0.95, "Hlndl", "Hlndl"},     // too far off
		{"Mölndals stad", 0.5, "Moindal", "Moindal"},  // the name in doubt too
		{"Malndals stad", 0.95, "Moindal", "Moindal"}, // a name the list lacks
	} {
		fields := form.Fields{
			"org":   {Role: form.FieldOrgName, Type: form.TypeText, Value: c.org, Confidence: c.orgConf},
			"place": {Role: form.FieldSignPlace, Type: form.TypeText, Value: c.place, Confidence: 0.95},
		}
		mendPlaces(fields)
		got := fields["place"]
		if got.Value != c.want {
			t.Errorf("%s beside %s: %q, want %q", c.place, c.org, got.Value, c.want)
		}
		if got.Value != c.place && got.Confidence > secondLook {
			t.Errorf("%s beside %s: proposed %q at %.2f, want it in doubt", c.place, c.org, got.Value, got.Confidence)
		}
	}
}

// TestOrgKindWords gives the word saying what kind of organisation a
// party is its own marks, and, where asked, its letters read a letter or
// two off; the other words are left as read.
func TestOrgKindWords(t *testing.T) {
	for _, c := range []struct {
		in         string
		most       int
		want       string
		wantChange bool
	}{
		{"Malmö städ", 0, "Malmö stad", true},
		{"Region Jönköpings lan", 0, "Region Jönköpings län", true},
		{"MALMÖ STÄD", 0, "MALMÖ STAD", true},
		{"Malmö stad", 2, "Malmö stad", false},
		{"Samordningsförbundet Värmland", 2, "Samordningsförbundet Värmland", false},
		{"Samordningsforbundet Varmland", 0, "Samordningsförbundet Varmland", true},
		{"Lans kommun", 2, "Lans kommun", false}, // a place's name is left as read
		{"Götene kommur", 0, "Götene kommur", false},
		{"Götene kommur", 2, "Götene kommun", true},
		{"Kungälvs korhmun", 2, "Kungälvs kommun", true},
		{"Regian Skåne", 2, "Region Skåne", true},
		{"KUNGÄLVS KOMMUR", 2, "KUNGÄLVS KOMMUN", true},
		{"Gotland", 2, "Gotland", false},
	} {
		got, changed := orgKindWords(c.in, c.most)
		if got != c.want || changed != c.wantChange {
			t.Errorf("orgKindWords(%q, %d) = %q, %v; want %q, %v", c.in, c.most, got, changed, c.want, c.wantChange)
		}
	}
}
