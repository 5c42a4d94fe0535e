package extract

import (
	"context"
	"slices"
	"strings"
	"testing"

	"blankett/corpus"
	"blankett/form"
)

func TestForeignWords(t *testing.T) {
	cases := []struct {
		read, fra string
		conf      []float64
		others    []string
		want      string
		taken     []bool
	}{
		// Marked vowels in the place of the French model's letters.
		{"Mikaéäl Leféevre", "Mikaël Lefèvre", []float64{0.91, 0.92}, nil, "Mikaël Lefèvre", []bool{true, true}},
		{"Mikaäaöl Lefévre", "Mikaël Lefèvre", []float64{0.92, 0.92}, nil, "Mikaël Lefèvre", []bool{true, true}},
		// Another marked letter only when another reading saw an e there.
		{"Anna Lefövre", "Anna Lefèvre", []float64{0.9, 0.9}, []string{"Anna Lefévre"}, "Anna Lefèvre", []bool{false, true}},
		{"Anna Lefövre", "Anna Lefèvre", []float64{0.9, 0.9}, []string{"Anna Lefövre"}, "Anna Lefövre", nil},
		{"Ömer N&ss", "Ömer Næss", []float64{0.9, 0.9}, []string{"Ömer Næss"}, "Ömer Næss", []bool{false, true}},
		// A plain letter only when another reading saw a mark over it.
		{"Agnes Lind", "Agnès Lind", []float64{0.9, 0.9}, []string{"Agnes Lind"}, "Agnes Lind", nil},
		{"Agnes Lind", "Agnès Lind", []float64{0.9, 0.9}, []string{"Agnés Lind"}, "Agnès Lind", []bool{true, false}},
		// Two dots or a ring never give way to the French model's u or a.
		{"Per Möller", "Per Müller", []float64{0.95, 0.95}, []string{"Per Müller"}, "Per Möller", nil},
		{"Åsa Berg", "Àsa Berg", []float64{0.95, 0.95}, nil, "Åsa Berg", nil},
		{"Bo Ärlig", "Bo Àrlig", []float64{0.95, 0.95}, []string{"Bo Àrlig"}, "Bo Ärlig", nil},
		// Nor a letter another model voted in.
		{"Sigrún Berg", "Sigrün Berg", []float64{0.9, 0.9}, []string{"Sigrún Berg"}, "Sigrún Berg", nil},
		// Parts of a hyphenated word are judged apart.
		{"Cördoba-Leféevre", "Cérdoba-Lefèvre", []float64{0.9}, nil, "Cördoba-Lefèvre", []bool{true}},
		// Other letters must agree, and the French word must be sure.
		{"Mikaéöt Lefèvre", "Mikaël Lefèvre", []float64{0.9, 0.9}, nil, "Mikaéöt Lefèvre", []bool{false, true}},
		{"Mikaéäl Lefèvre", "Mikaël Lefèvre", []float64{0.5, 0.9}, nil, "Mikaéäl Lefèvre", []bool{false, true}},
		// A word the letter merge took already counts as taken.
		{"Mikaël Leféevre", "Mikaël Lefèvre", []float64{0.91, 0.92}, nil, "Mikaël Lefèvre", []bool{true, true}},
		{"Frangois Dubois", "François Dubois", []float64{0.85, 0.9}, nil, "François Dubois", []bool{true, false}},
	}
	for _, c := range cases {
		got, taken := foreignWords(c.read, c.fra, c.conf, c.others)
		if got != c.want || !slices.Equal(taken, c.taken) {
			t.Errorf("foreignWords(%q, %q, %v, %q) = %q, %v; want %q, %v", c.read, c.fra, c.conf, c.others, got, taken, c.want, c.taken)
		}
	}
}

func TestWithoutTaken(t *testing.T) {
	if got := withoutTaken("Mikaël Lefèvre-Berg", "Mikaël Lefèvre-Berg", []bool{false, true}); got != "Mikaël" {
		t.Errorf("withoutTaken = %q, want %q", got, "Mikaël")
	}
}

func TestVoteLatin(t *testing.T) {
	none := func(string) bool { return false }
	cases := []struct {
		name        string
		raw         string
		conf        float64
		lat         string
		latConf     float64
		readings    []string
		unexplained func(string) bool
		want        string
		wantConf    float64
		confirmed   bool
	}{
		{"sure agreement confirms", "Björg Holmér", 0.7, "Björg Holmér", 0.95, nil, none, "Björg Holmér", latinAgreed, true},
		{"agreement never lowers", "Björg Holmér", 0.97, "Björg Holmér", 0.95, nil, none, "Björg Holmér", 0.97, true},
		{"fair agreement leaves it", "Björg Holmér", 0.7, "Björg Holmér", 0.8, nil, none, "Björg Holmér", 0.7, false},
		{"marks unexplained: no confirmation", "Mikael Lefèvre", 0.78, "Mikael Lefèvre", 0.96, nil,
			func(string) bool { return true }, "Mikael Lefèvre", 0.78, false},
		{"sure disagreement replaces", "Mikaéäl Lefèvre", 0.43, "Mikaël Lefèvre", 0.95, nil, none, "Mikaël Lefèvre", latinTaken, false},
		{"replaced, in doubt where marks stay unexplained", "Nöria Berg", 0.9, "Núria Berg", 0.92, nil,
			func(s string) bool { return s == "Núria Berg" }, "Núria Berg", secondLook, false},
		{"sure but only marks lost: kept, in doubt", "Adne Sørensen", 0.9, "Adne Sorensen", 0.91, nil, none, "Adne Sørensen", secondLook, false},
		{"fair disagreement: doubt", "Björg Holmér", 0.92, "Bjorg Holmér", 0.75, nil, none, "Björg Holmér", secondLook, false},
		{"fair, one of the other readings: taken in doubt", "Bjürg Holmér", 0.8, "Björg Holmér", 0.88,
			[]string{"Björg Holmér"}, none, "Björg Holmér", secondLook, false},
		{"sure, plain Swedish letters differ: doubt", "Örjan Öberg", 0.55, "Ötjan Öberg", 0.9, nil, none, "Örjan Öberg", 0.55, false},
		{"sure, plain Swedish letters differ: doubt, lowered", "Örjan Öberg", 0.92, "Ötjan Öberg", 0.9, nil, none, "Örjan Öberg", secondLook, false},
		// Two marks over the line: the Swedish reading has one i, the
		// Latin-script reading two.
		{"sure, plain letters, the marks tell: taken in doubt", "Elf Danielsson", 0.89, "Elif Danielsson", 0.93, nil,
			func(s string) bool { return marksOf(s) < 2 }, "Elif Danielsson", secondLook, false},
		{"sure, plain letters, marks the Swedish reading explains: kept", "Elif Danielsson", 0.89, "Elf Danielsson", 0.93, nil,
			func(s string) bool { return marksOf(s) < 2 }, "Elif Danielsson", secondLook, false},
		{"fair, a letter only it has where the chain misread one: taken in doubt", "Ahmed WeiR", 0.76, "Ahmed Weiß", 0.89,
			[]string{"Ahmed Weif3", "Ahmed Wei"}, none, "Ahmed Weiß", 0.76, false},
		{"weak, a letter only it has where the chain read a digit: taken in doubt", "Ahmed Weif3", 0.93, "Ahmed Weiß", 0.49,
			nil, none, "Ahmed Weiß", secondLook, false},
		{"weak, a letter only it has where the chain read a name: ignored", "Ahmed Weiss", 0.93, "Ahmed Weiß", 0.49,
			nil, none, "Ahmed Weiss", 0.93, false},
		{"fair, a letter only it has, and another apart: that letter taken, the other left, in doubt", "Dariush Guämundsdöttir", 0.5, "Dariush Guðmundsdóttir", 0.88,
			nil, none, "Dariush Guðmundsdöttir", 0.5, false},
		{"weak, a name the list has with a letter only it has: taken in doubt", "Dariush Guämundsdöttir", 0.5, "Dariush Guðmundsdóttir", 0.0,
			nil, none, "Dariush Guðmundsdóttir", 0.5, false},
		{"weak, a letter only it has in a name the list lacks, and another apart: doubt", "Dariush Guämundsdöttir", 0.5, "Dariush Guðmundsdéttir", 0.6,
			nil, none, "Dariush Guämundsdöttir", 0.5, false},
		{"weak: ignored", "Björg Holmér", 0.92, "Bjorg Hulrmet", 0.2, nil, none, "Björg Holmér", 0.92, false},
		{"nothing read: ignored", "Björg Holmér", 0.92, "", 0.95, nil, none, "Björg Holmér", 0.92, false},
	}
	for _, c := range cases {
		got, conf, ok := voteLatin(c.raw, c.conf, c.lat, c.latConf, c.readings, c.unexplained)
		if got != c.want || conf != c.wantConf || ok != c.confirmed {
			t.Errorf("%s: voteLatin(%q, %q) = %q, %.2f, %v; want %q, %.2f, %v", c.name, c.raw, c.lat, got, conf, ok, c.want, c.wantConf, c.confirmed)
		}
	}
}

func TestLatinOnlyMerged(t *testing.T) {
	for _, c := range []struct {
		raw, lat string
		odd      bool
		want     string // "" for none
	}{
		{"Ahmed WeiR", "Ahmed Weiß", false, "Ahmed Weiß"},
		{"Ahmed Weil3", "Ahmed Weiß", false, "Ahmed Weiß"},
		{"Anna Gudmundsdottir", "Anna Guðmundsdottir", false, "Anna Guðmundsdottir"},
		{"Ahmed WeiR", "Ahmed weiß", false, "Ahmed Weiß"},                                     // the chain's W
		{"Ahmed Weif3", "Ahmed Weiß", true, "Ahmed Weiß"},                                     // a digit: odd
		{"Ahmed WeiB", "Ahmed Weiß", true, "Ahmed Weiß"},                                      // a capital after small letters: odd
		{"Ahmed Weiss", "Ahmed Weiß", true, ""},                                               // a name of its own
		{"Ahmed Weiss", "Ahmed Weiß", false, "Ahmed Weiß"},                                    // fairly read: taken
		{"Ahmed Weil3", "Ahmed Weib", false, ""},                                              // b is anyone's
		{"Dariush Guämundsdöttir", "Dariush Guðmundsdóttir", false, "Dariush Guðmundsdöttir"}, // ó for ö left to the votes over marks
		{"Dariush Guämundsdöttir", "Dariush Guðmundsdóttir", true, ""},                        // weakly read: alike but for it
		{"Jéröme Böra", "Jérôme Þóra", false, "Jéröme Þöra"},                                  // another word apart
		{"Jéröme Bra", "Jérôme Þóra", false, ""},                                              // not as long: no place to put it
		{"Ahmed WeiRRRR", "Ahmed Weiß", false, ""},                                            // too much for one letter
		{"Ahmed Weiß", "Ahmed Weiß", false, ""},
		{"Ahmed", "Ahmed Weiß", false, ""},
	} {
		got, ok := latinOnlyMerged(c.raw, c.lat, c.odd)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("latinOnlyMerged(%q, %q, %v) = %q, %v; want %q", c.raw, c.lat, c.odd, got, ok, c.want)
		}
	}
}

func TestBeyondSwedish(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Örjan", "Ötjan", false},
		{"Mikaé&l", "Mikaël", true},
		{"Mige", "Müge", true},
		{"Björg", "Bjärg", false},
		{"Hëlène", "Hélène", true},
		{"Anna Berg", "Anna Berg", false},
	} {
		if got := beyondSwedish(c.a, c.b); got != c.want {
			t.Errorf("beyondSwedish(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestLostMarks(t *testing.T) {
	for _, c := range []struct {
		raw, lat string
		want     bool
	}{
		{"Adne Sørensen", "Adne Sorensen", true},
		{"Åsa Öberg", "Asa Oberg", true},
		{"Asa Oberg", "Åsa Öberg", false}, // marks gained, not lost
		{"Mikaël", "Mikael", true},
		{"Mikaël", "Mikaöl", false},
		{"Noël", "Noël", false},
		{"Noël", "Noë", false},
	} {
		if got := lostMarks(c.raw, c.lat); got != c.want {
			t.Errorf("lostMarks(%q, %q) = %v, want %v", c.raw, c.lat, got, c.want)
		}
	}
}

// TestLatinLetters takes a letter beyond Swedish only where the
// Latin-script model and another model both read it: the French model, or
// the Spanish model over a letter the Swedish model read marked.
func TestLatinLetters(t *testing.T) {
	for _, c := range []struct{ raw, fra, spa, lat, want string }{
		{"Jéröme O'Connor", "Jérôme O'Connor", "", "Jérôme 0 Connor", "Jérôme O'Connor"},
		{"Jéröme O'Connor", "Jérôme O'Connor", "", "Jéröme O'Connor", "Jéröme O'Connor"}, // the French model alone
		{"Wilma Bäckström", "Wilma Bäckstrôm", "", "Wilma Bäckström", "Wilma Bäckström"},
		{"Noel Lefevre", "Noël Lefèvre", "", "Noël Lefèvre", "Noël Lefèvre"},
		{"Yvonne Holm", "Yvonné Holm", "", "Yvonné Holm", "Yvonne Holm"}, // é is the Swedish model's to read
		// The Spanish model's á and ó over the Swedish model's å and ö;
		// not its í over a plain i, nor its Ó where the Latin-script
		// model read Ö.
		{"Maria José Fernåndez de Cördoba-Öst", "Maria José Fernândez de Cérdoba-Ost", "María José Fernández de Córdoba-Óst", "María José Fernández de Córdoba-Öst", "Maria José Fernández de Córdoba-Öst"},
		{"Hodan Hernåndez-Åkerlund", "Hodan Hernändez-Akerlund", "Hodan Hernández-Akerlund", "Hodan Hernández-Åkerlund", "Hodan Hernández-Åkerlund"},
		{"Yasmin Lovås", "Yasmin Lovàs", "Yasmin Lovás", "Yasmin Lovås", "Yasmin Lovås"},
	} {
		if got := latinLetters(c.raw, c.lat, c.fra, c.spa); got != c.want {
			t.Errorf("latinLetters(%q, %q, %q, %q) = %q, want %q", c.raw, c.lat, c.fra, c.spa, got, c.want)
		}
	}
}

// TestNameSigns takes the word two other models agree on where the
// Swedish model read a sign no name holds, and nothing else.
func TestNameSigns(t *testing.T) {
	for _, c := range []struct {
		raw   string
		votes []string
		want  string
	}{
		{"&sa O'Brien", []string{"Æsa O'Brien", "Æsa O'Brien", "Asa O'Brien"}, "Æsa O'Brien"},
		{"4sa O'Brien", []string{"Æsa O'Brien", "Æsa O'Brien", "Sa O'Brien"}, "Æsa O'Brien"},
		{"4sa O'Brien", []string{"Æsa O'Brien", "Asa O'Brien"}, "4sa O'Brien"},                // no two agree
		{"&sa O'Brien", []string{"Æsa O'Brien", "Æsa O Brien", "&sa O'Brien"}, "&sa O'Brien"}, // words out of place, a sign
		{"Asa O'Brien", []string{"Æsa O'Brien", "Æsa O'Brien"}, "Asa O'Brien"},                // letters: not this rule's
	} {
		if got := nameSigns(c.raw, c.votes); got != c.want {
			t.Errorf("nameSigns(%q, %q) = %q, want %q", c.raw, c.votes, got, c.want)
		}
	}
}

// TestLettersBeyondSwedishRead fills the person names of a form with
// letters of Latin-1 that no Swedish word has (Icelandic ð and Þ, German
// ß), prints and scans it, and reads them back: the Swedish model has
// none of them and reads ö and P, and the Latin-script model that votes
// on names may only give the letters the text field's character set lets
// it (it gave Guðrún as Gurún, its ð struck out).
func TestLettersBeyondSwedishRead(t *testing.T) {
	set, _ := editionsSet(t)
	e := newTestExtractor(t)
	e.UseSet(set)
	tpl := set.Editions(form.Kind9445)[0]
	blank, err := corpus.BlankPDF(tpl)
	if err != nil {
		t.Fatal(err)
	}
	values, sigs := rawValues(truthSamples(t, form.Kind9445, 1)[0])
	names := []string{"Þóra Guðmundsdóttir", "Guðrún Weiß"}
	want := map[string]string{}
	for _, f := range tpl.Fields {
		if f.Type == form.TypeText && f.Role.PersonName() {
			values[f.Name] = names[len(want)%len(names)]
			want[f.Name] = values[f.Name]
		}
	}
	if len(want) < 2 {
		t.Fatalf("%s has %d person names, want 2 or more", tpl.ID(), len(want))
	}
	d := scanAndRead(t, e, tpl, blank, values, sigs, 300, 3)
	for name, w := range want {
		if got := d.Fields[name]; got.Value != w {
			t.Errorf("%s = %q (conf %.2f), want %q", name, got.Value, got.Confidence, w)
		}
	}
}

// blank9445 is a test extractor, the 9445's first edition and its blank
// fillable PDF, for tests that fill, print, scan and read it.
func blank9445(t *testing.T) (*Extractor, *form.Template, []byte) {
	t.Helper()
	e := newTestExtractor(t)
	tpl := e.Set().Editions(form.Kind9445)[0]
	blank, err := corpus.BlankPDF(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return e, tpl, blank
}

// scanAndRead fills blank (tpl's fillable PDF) with values, prints,
// signs (sigs) and scans it at dpi as seed draws, and reads the scan: its
// one document.
func scanAndRead(t *testing.T, e *Extractor, tpl *form.Template, blank []byte, values, sigs map[string]string, dpi int, seed uint64) Document {
	t.Helper()
	ctx := context.Background()
	filled, err := corpus.FillAndScan(ctx, tpl, blank, values, sigs, dpi, seed)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Extract(ctx, MediaPDF, filled.Scan)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 {
		t.Fatalf("read as %v", summary(res))
	}
	return res.Documents[0]
}

// TestContactsAsWritten fills a form's e-mail addresses as mail programs
// show them, capitals starting the name's parts (Anna.Svensson@), and its
// telephone numbers with a slash after the area code or +46 (0), prints
// and scans it at 200 and 300 DPI, and reads them back: each address in
// lower case, each number in E.164. The e-mail character set had no
// capitals, and the model read Anna.Svensson as nna.vensson or worse.
func TestContactsAsWritten(t *testing.T) {
	t.Parallel() // the test OCR pool has an engine for each of two readers
	if testing.Short() {
		t.Skip("OCR of scans")
	}
	e, tpl, blank := blank9445(t)
	addresses := []string{"Karin.Holm@Region.se", "Per-Olof.Lind@kommun.se"}
	phones := []string{"08/123 45 67", "+46 (0)70-412 50 04"}
	for i, dpi := range []int{200, 300} {
		values, sigs := rawValues(truthSamples(t, form.Kind9445, 2)[i])
		want := map[string]string{}
		var mails, numbers int
		for _, f := range tpl.Fields {
			switch f.Type {
			case form.TypeEmail:
				values[f.Name] = addresses[(mails+i)%2]
				want[f.Name] = strings.ToLower(values[f.Name])
				mails++
			case form.TypePhone:
				values[f.Name] = phones[(numbers+i)%2]
				want[f.Name] = map[string]string{phones[0]: "+4681234567", phones[1]: "+46704125004"}[values[f.Name]]
				numbers++
			}
		}
		d := scanAndRead(t, e, tpl, blank, values, sigs, dpi, uint64(5+i))
		for name, w := range want {
			if got := d.Fields[name]; got.Value != w {
				t.Errorf("%d DPI: %s = %q (conf %.2f), want %q", dpi, name, got.Value, got.Confidence, w)
			}
		}
	}
}

// TestDateDotsLost: a date whose dots the scan lost (22.2.26 on a fax,
// read as 22 2 26) is read as its three groups of digits with dots
// between, flagged for a person; before, it was left unread.
func TestDateDotsLost(t *testing.T) {
	t.Parallel() // the test OCR pool has an engine for each of two readers
	if testing.Short() {
		t.Skip("OCR of scans")
	}
	e, tpl, blank := blank9445(t)
	values, sigs := rawValues(truthSamples(t, form.Kind9445, 1)[0])
	var date string
	for _, f := range tpl.Fields {
		if f.Type == form.TypeDate {
			date = f.Name
			values[date] = "22 2 26"
		}
	}
	if date == "" {
		t.Fatal("the 9445 has no date field")
	}
	d := scanAndRead(t, e, tpl, blank, values, sigs, 200, 11)
	if got := d.Fields[date]; got.Value != "2026-02-22" || !got.Flagged() {
		t.Errorf("%s = %q (raw %q, conf %.2f), want 2026-02-22, flagged", date, got.Value, got.Raw, got.Confidence)
	}
}

func TestLatinListedMerged(t *testing.T) {
	for _, c := range []struct {
		raw, lat string
		want     string // "" for none
	}{
		{"Marisol Guämundsdöttir", "Marisol Guðmundsdóttir", "Marisol Guðmundsdóttir"},
		{"Pora Andersson", "Þóra Anderssom", "Þóra Andersson"},      // the other word stays the chain's
		{"Maryam Forsberg", "Maryàm Forsþerg", ""},                  // a listed surname, and Forsþerg no name
		{"Ana Córdoba", "Ana Córdoþba", ""},                         // not as long
		{"Marisol Guämundsdöttir", "Marisol Guðmundsdittir", ""},    // no name the list has
		{"Marisol Guämundsdättir", "Marisol Guðmundsdóttir", ""},    // another letter apart
		{"Marisol Guämundsdöttir", "Marisol Guðmundsdóttir Li", ""}, // words not matched
	} {
		got, ok := latinListedMerged(c.raw, c.lat)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("latinListedMerged(%q, %q) = %q, %v; want %q", c.raw, c.lat, got, ok, c.want)
		}
	}
}
