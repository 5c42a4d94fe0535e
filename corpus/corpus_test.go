package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"blankett/form"
)

var update = flag.Bool("update", false, "regenerate the committed corpus in ../testdata (corpus, forms, bad)")

// The committed corpus: go test ./corpus -run TestCommittedCorpus -update
const (
	committedSeed = 1
	committedOut  = "../testdata/corpus"
	committedForm = "../testdata/forms"
	committedBad  = "../testdata/bad"
)

func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdfinfo", "tiffcp", "opj_compress"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed (apt-get install poppler-utils libtiff-tools libopenjp2-tools)", tool)
		}
	}
}

func templates(t *testing.T) map[form.Kind]*form.Template {
	t.Helper()
	tpls, err := form.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	return tpls
}

var rePages = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pdfPages opens a PDF with poppler and returns its page count.
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v: %s", path, err, out)
	}
	m := rePages.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func TestBlankForms(t *testing.T) {
	needTools(t)
	for kind, tpl := range templates(t) {
		t.Run(string(kind), func(t *testing.T) {
			b, err := BlankPDF(tpl)
			if err != nil {
				t.Fatal(err)
			}
			// pdfcpu's raw output fails strict validation (core font dicts
			// without FirstChar/Widths, see LIBRARIES.md); canonical adds
			// them, so strict must pass.
			if err := ValidatePDF(b, true); err != nil {
				t.Fatalf("strict validation: %v", err)
			}
			p := filepath.Join(t.TempDir(), "blank.pdf")
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if n := pdfPages(t, p); n != len(tpl.Pages) {
				t.Fatalf("poppler sees %d pages, want %d", n, len(tpl.Pages))
			}
			imgs, err := rasterize(context.Background(), b, 72)
			if err != nil {
				t.Fatal(err)
			}
			checkAnchors(t, tpl, imgs, 72)
			// The AcroForm has every non-signature field, empty.
			got, err := ExportPDF(b)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tpl.Fields {
				v, ok := got[f.Name]
				switch {
				case f.Type == form.TypeSignature:
					if ok {
						t.Errorf("signature %s is an AcroForm field", f.Name)
					}
				case !ok:
					t.Errorf("field %s missing from the AcroForm", f.Name)
				case v != "" && v != "false":
					t.Errorf("blank field %s = %q", f.Name, v)
				}
			}
		})
	}
}

// checkAnchors verifies that each anchor is printed where the template says:
// ink inside each text anchor's box, corner marks solid black.
func checkAnchors(t *testing.T, tpl *form.Template, imgs []*image.Gray, dpi int) {
	t.Helper()
	k := float64(dpi) / 72
	for i, p := range tpl.Pages {
		img := imgs[i]
		for _, a := range p.Anchors {
			x0, y0 := int(a.Box.X*k), int(a.Box.Y*k)
			x1, y1 := int((a.Box.X+a.Box.W)*k), int((a.Box.Y+a.Box.H)*k)
			dark, total := 0, 0
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					total++
					if img.GrayAt(x, y).Y < 128 {
						dark++
					}
				}
			}
			frac := float64(dark) / float64(max(total, 1))
			switch a.Kind {
			case form.AnchorMark:
				if frac < 0.8 {
					t.Errorf("page %d: mark %s only %.0f%% black", p.Number, a.Name, frac*100)
				}
			case form.AnchorText:
				if frac < 0.08 {
					t.Errorf("page %d: anchor %s (%q) has %.0f%% ink in its box: text misplaced", p.Number, a.Name, a.Text, frac*100)
				}
			}
		}
	}
}

func TestFillExportRoundTrip(t *testing.T) {
	tpls := templates(t)
	g := &generator{opts: Options{Seed: 7}, tpls: tpls, today: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	g.world = newWorld(g.rng("world", 0), g.rng("mail", 0), g.today, false)
	for _, name := range []string{"valid_long_names", "valid_add_four_initials", "agreement_new_party", "sms_mobile_missing"} {
		for _, sc := range scenarios() {
			if sc.name != name {
				continue
			}
			t.Run(string(sc.kind)+"/"+name, func(t *testing.T) {
				d := sc.make(g.world, g.rng(name, 0))
				tpl := tpls[sc.kind]
				blank, err := BlankPDF(tpl)
				if err != nil {
					t.Fatal(err)
				}
				filled, err := FillPDF(tpl, blank, d.values)
				if err != nil {
					t.Fatal(err)
				}
				if err := ValidatePDF(filled, true); err != nil {
					t.Fatalf("filled PDF fails strict validation: %v", err)
				}
				got, err := ExportPDF(filled)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range tpl.Fields {
					if f.Type == form.TypeSignature {
						continue
					}
					want := d.values[f.Name]
					if f.Type == form.TypeCheckbox && want != "true" {
						want = "false"
					}
					if got[f.Name] != want {
						t.Errorf("%s: exported %q, filled %q", f.Name, got[f.Name], want)
					}
				}
			})
		}
	}
}

// TestGenerateDeterministic generates the quick corpus twice with the same
// seed and compares every byte, then checks the output like the committed
// corpus.
func TestGenerateDeterministic(t *testing.T) {
	needTools(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := Generate(context.Background(), Options{Seed: 42, OutDir: dir, Quick: true, Count: 3}); err != nil {
			t.Fatal(err)
		}
	}
	fa, fb := listFiles(t, a), listFiles(t, b)
	if strings.Join(fa, "\n") != strings.Join(fb, "\n") {
		t.Fatalf("file lists differ:\n%v\n%v", fa, fb)
	}
	for _, f := range fa {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}
	checkCorpus(t, a)
	// A different seed gives different people.
	c := t.TempDir()
	if err := Generate(context.Background(), Options{Seed: 43, OutDir: c, Quick: true}); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "registry.json"))
	y, _ := os.ReadFile(filepath.Join(c, "registry.json"))
	if bytes.Equal(x, y) {
		t.Error("seeds 42 and 43 gave the same registry")
	}
}

func listFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		r, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(r))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkCorpus checks every truth file in a corpus: it matches the schema,
// its file exists and has the pages it claims, page ranges tile the file,
// every template field is present.
func checkCorpus(t *testing.T, root string) {
	t.Helper()
	tpls := templates(t)
	schema, err := os.ReadFile(filepath.Join(root, "truth.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(schema, truthSchema) {
		t.Error("truth.schema.json differs from the generator's")
	}
	var reg Registry
	if b, err := os.ReadFile(filepath.Join(root, "registry.json")); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &reg); err != nil {
		t.Fatalf("registry.json: %v", err)
	}
	if len(reg.Organisations) == 0 || len(reg.Orderers) == 0 || len(reg.Agreements) == 0 || len(reg.Signatories) == 0 {
		t.Error("registry.json is missing a section")
	}
	n := 0
	for _, f := range listFiles(t, root) {
		if !strings.HasSuffix(f, ".truth.json") {
			continue
		}
		n++
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		var generic any
		if err := json.Unmarshal(b, &generic); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		errs, err := checkSchema(truthSchema, generic)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			t.Errorf("%s: %s", f, e)
		}
		var tr Truth
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		path := filepath.Join(root, filepath.FromSlash(tr.File))
		if strings.TrimSuffix(f, ".truth.json") != strings.TrimSuffix(tr.File, filepath.Ext(tr.File)) {
			t.Errorf("%s names file %s", f, tr.File)
		}
		switch {
		case strings.HasSuffix(path, ".pdf"):
			if got := pdfPages(t, path); got != tr.PageCount {
				t.Errorf("%s: poppler sees %d pages, truth says %d", tr.File, got, tr.PageCount)
			}
		case strings.HasSuffix(path, ".tif"):
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pages, err := tiffStrips(b)
			if err != nil {
				t.Fatalf("%s: %v", tr.File, err)
			}
			if len(pages) != tr.PageCount {
				t.Errorf("%s: %d pages, truth says %d", tr.File, len(pages), tr.PageCount)
			}
		}
		// Every page belongs to one form, is blank or is a cover letter;
		// a form's pages may come in any order, with blank sheets
		// between them.
		owner := make([]int, tr.PageCount+1)
		for _, p := range append(slices.Clone(tr.BlankPages), tr.CoverPages...) {
			if p < 1 || p > tr.PageCount || owner[p] != 0 {
				t.Errorf("%s: blank or cover page %d out of range or taken twice", tr.File, p)
				continue
			}
			owner[p] = -1
		}
		for di, d := range tr.Documents {
			lo, hi := tr.PageCount+1, 0
			for _, p := range d.Pages {
				if p.FilePage < 1 || p.FilePage > tr.PageCount || owner[p.FilePage] != 0 {
					t.Errorf("%s: %s page %d out of range or taken twice", tr.File, d.Kind, p.FilePage)
					continue
				}
				owner[p.FilePage] = di + 1
				lo, hi = min(lo, p.FilePage), max(hi, p.FilePage)
			}
			if d.FirstPage != lo || d.LastPage != hi {
				t.Errorf("%s: %s pages %d–%d, its pages span %d–%d", tr.File, d.Kind, d.FirstPage, d.LastPage, lo, hi)
			}
			if len(d.Fields) != len(tpls[d.Kind].Fields) {
				t.Errorf("%s: %s has %d fields, template %d", tr.File, d.Kind, len(d.Fields), len(tpls[d.Kind].Fields))
			}
		}
		for p := 1; p <= tr.PageCount; p++ {
			if owner[p] == 0 {
				t.Errorf("%s: page %d belongs to no form and is neither blank nor a cover letter", tr.File, p)
			}
		}
	}
	if n == 0 {
		t.Error("no truth files")
	}
	// Bad files: each named in the README.
	readme, err := os.ReadFile(filepath.Join(root, "bad", "README.md"))
	if err == nil {
		for name := range BadStates() {
			if !bytes.Contains(readme, []byte("`"+name+"`")) {
				t.Errorf("bad/README.md does not describe %s", name)
			}
		}
	}
}

// TestCommittedCorpus checks the committed corpus under testdata/. With
// -update it regenerates it first (about a minute).
func TestCommittedCorpus(t *testing.T) {
	needTools(t)
	if *update {
		for _, d := range []string{committedOut, committedForm, committedBad} {
			if err := os.RemoveAll(d); err != nil {
				t.Fatal(err)
			}
		}
		err := Generate(context.Background(), Options{Seed: committedSeed, OutDir: committedOut, FormsDir: committedForm, BadDir: committedBad})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(committedOut); err != nil {
		t.Skip("no committed corpus yet")
	}
	checkCorpus(t, committedOut)
	var total int64
	for _, d := range []string{committedOut, committedForm, committedBad} {
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				if info, err := e.Info(); err == nil {
					total += info.Size()
				}
			}
			return nil
		})
	}
	if total > 20<<20 {
		t.Errorf("committed corpus is %.1f MB, limit 20 MB", float64(total)/(1<<20))
	}
	t.Logf("committed corpus: %.1f MB", float64(total)/(1<<20))
}

// TestCommittedCorpusReproducible regenerates the committed corpus and
// compares it with what is checked in. Slow (about a minute): skipped with
// -short.
func TestCommittedCorpusReproducible(t *testing.T) {
	if testing.Short() || *update {
		t.Skip("slow; run without -short")
	}
	needTools(t)
	if _, err := os.Stat(committedOut); err != nil {
		t.Skip("no committed corpus yet")
	}
	// Rasters depend on the fonts poppler substitutes for the unembedded
	// Helvetica: the committed corpus was made with fonts-liberation.
	fontsOK := helveticaIsLiberation()
	if !fontsOK {
		t.Log("fc-match Helvetica is not Liberation Sans (apt-get install fonts-liberation): comparing only files that do not depend on rasterisation")
	}
	dir := t.TempDir()
	out, forms, bad := filepath.Join(dir, "corpus"), filepath.Join(dir, "forms"), filepath.Join(dir, "bad")
	if err := Generate(context.Background(), Options{Seed: committedSeed, OutDir: out, FormsDir: forms, BadDir: bad}); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{out, committedOut}, {forms, committedForm}, {bad, committedBad}} {
		got, want := listFiles(t, pair[0]), listFiles(t, pair[1])
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: file list differs from a fresh generation; run go test ./corpus -run TestCommittedCorpus -update", pair[1])
			continue
		}
		for _, f := range got {
			if rasterDerived(f) && !fontsOK {
				continue
			}
			x, _ := os.ReadFile(filepath.Join(pair[0], f))
			y, _ := os.ReadFile(filepath.Join(pair[1], f))
			if !bytes.Equal(x, y) {
				t.Errorf("%s/%s differs from a fresh generation", pair[1], f)
			}
		}
	}
}

func helveticaIsLiberation() bool {
	out, err := exec.Command("fc-match", "-f", "%{family}", "Helvetica").Output()
	return err == nil && strings.Contains(string(out), "Liberation Sans")
}

// rasterDerived reports whether a corpus file is made by rasterising a PDF
// (and so depends on poppler's version and the installed fonts).
func rasterDerived(f string) bool {
	switch {
	case strings.HasSuffix(f, ".truth.json"), strings.HasSuffix(f, ".json"), strings.HasSuffix(f, ".md"):
		return false
	case strings.HasSuffix(f, ".png"), strings.HasSuffix(f, ".tif"):
		return true
	case strings.HasPrefix(f, "scan/"), strings.HasPrefix(f, "batch/"), strings.HasPrefix(f, "extra/"):
		return true
	case f == "jpeg-named.pdf", f == "fk9999.pdf":
		return true
	}
	return false
}

// TestFillKidTickBoxes fills the tick boxes of a blank whose boxes'
// widgets are kids of their fields, as pdf-lib makes them (the outside
// 9445 drawn with it), which pdfcpu's FillForm refuses: ticked and not,
// each reads back as filled, and the text fields are filled beside them.
func TestFillKidTickBoxes(t *testing.T) {
	blank, err := os.ReadFile(filepath.Join("..", "extract", "testdata", "outside", "9445-pdflib-blank.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	ticks := map[string]bool{"chkSms": true, "chkNewUser": true, "chkChange": false}
	filled, set, err := tickKidBoxes(blank, ticks)
	if err != nil {
		t.Fatal(err)
	}
	for name := range ticks {
		if !set[name] {
			t.Errorf("%s: not set", name)
		}
	}
	got, err := ExportPDF(filled)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"chkSms": "true", "chkNewUser": "true", "chkChange": "false", "chkEid": "false"} {
		if got[name] != want {
			t.Errorf("%s: exported %q, want %q", name, got[name], want)
		}
	}
}
