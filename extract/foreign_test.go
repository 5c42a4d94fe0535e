package extract

import (
	"slices"
	"testing"
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
