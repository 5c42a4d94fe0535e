package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"blankett/corpus"
	"blankett/form"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// outsideEdition makes an edition nobody told Blankett about: the second
// 9445 edition moved on the page and renumbered (003), as its blank
// fillable PDF. want is its template, which only the test knows.
func outsideEdition(t *testing.T) (blank []byte, want *form.Template) {
	t.Helper()
	b, err := os.ReadFile("../testdata/editions/9445-002.json")
	if err != nil {
		t.Fatal(err)
	}
	var tpl form.Template
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	tpl.Edition = "FK 9445 (003)"
	const dx, dy = 12, 18
	move := func(b *form.Box) { b.X += dx; b.Y += dy }
	for i := range tpl.Pages {
		p := &tpl.Pages[i]
		for j := range p.Texts {
			p.Texts[j].Text = strings.ReplaceAll(p.Texts[j].Text, "(002)", "(003)")
			p.Texts[j].X += dx
			p.Texts[j].Y += dy
		}
		for j := range p.Rects {
			move(&p.Rects[j].Box)
		}
		p.Words = nil
	}
	for i := range tpl.Fields {
		move(&tpl.Fields[i].Zone)
	}
	blank, err = corpus.BlankPDF(&tpl)
	if err != nil {
		t.Fatal(err)
	}
	return blank, &tpl
}

// TestDraftAddsEditionAtRunTime drafts a template from an unknown
// edition's blank fillable PDF, applies a person's role mapping, adds it to
// the active set of a running extractor (no rebuild) beside the other
// 9445 editions, and reads a filled digital sample and a scan of it.
func TestDraftAddsEditionAtRunTime(t *testing.T) {
	ctx := context.Background()
	blank, src := outsideEdition(t)
	draft, notes, err := Draft(ctx, blank, DraftOptions{Kind: form.Kind9445, Edition: "FK 9445 (003)", FormNumber: "FK 9445"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		t.Log("draft: " + n)
	}
	if draft.Recognition.PageMark == "" || draft.Pages[0].Mark != "1 (1)" {
		t.Errorf("page mark not found: %q %q", draft.Recognition.PageMark, draft.Pages[0].Mark)
	}
	if len(draft.Recognition.Where) < 2 {
		t.Errorf("recognition areas %v", draft.Recognition.Where)
	}
	// The person's mapping: each PDF field's role, and our names for them.
	m := RoleMapping{Roles: map[string]form.FieldRole{}, Rename: map[string]string{}}
	for _, f := range src.Fields {
		if f.Type == form.TypeSignature {
			m.Roles["signature"] = f.Role
			continue
		}
		m.Roles[f.PDFName] = f.Role
		m.Rename[f.PDFName] = f.Name
	}
	if err := ApplyRoles(draft, m); err != nil {
		t.Fatalf("the draft with its role mapping is refused: %v", err)
	}
	for _, f := range src.Fields {
		got, ok := draft.Field(f.Name)
		if !ok {
			t.Errorf("draft lacks %s", f.Name)
			continue
		}
		if f.Type != form.TypeSignature && (got.Type != f.Type || got.Role != f.Role) {
			t.Errorf("%s: drafted %s %s, want %s %s", f.Name, got.Type, got.Role, f.Type, f.Role)
		}
	}
	// Stored and loaded as an administrator would.
	doc, err := json.Marshal(draft)
	if err != nil {
		t.Fatal(err)
	}
	added, err := form.ParseTemplate(doc)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := editionsSet(t)
	e := newTestExtractor(t)
	e.UseSet(set)
	if set, err = set.With(added); err != nil {
		t.Fatal(err)
	}
	e.UseSet(set)
	if n := len(e.Set().Editions(form.Kind9445)); n != 3 {
		t.Fatalf("%d editions of 9445 active, want 3", n)
	}
	td := truthSamples(t, form.Kind9445, 3)[2]
	values, sigs := rawValues(td)
	f, err := corpus.FillAndScan(ctx, added, blank, values, sigs, 300, 7)
	if err != nil {
		t.Fatal(err)
	}
	right, all := 0, 0
	for _, in := range []struct {
		what string
		data []byte
	}{{"digital", f.PDF}, {"scan", f.Scan}} {
		res, err := e.Extract(ctx, MediaPDF, in.data)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Documents) != 1 || res.Documents[0].Edition != "FK 9445 (003)" {
			t.Fatalf("%s read as %v", in.what, summary(res))
		}
		for name, tf := range td.Fields {
			want := tf.Value
			if in.what == "digital" && tf.Type == form.TypeSignature {
				want = "false"
			}
			got := res.Documents[0].Fields[name]
			all++
			if got.Value == want {
				right++
			} else {
				t.Logf("%s: %s = %q, want %q (conf %.2f)", in.what, name, got.Value, want, got.Confidence)
				if in.what == "digital" {
					t.Errorf("digital %s read wrong", name)
				}
			}
		}
	}
	if float64(right) < 0.95*float64(all) {
		t.Errorf("%d of %d fields read right", right, all)
	}
}

// TestDraftedReadsAsWritten drafts each second edition from its blank
// fillable PDF alone, maps its roles as a person would (from the
// hand-written template, which stands for the person's knowledge of the
// form), and reads the same scans with the draft and with the
// hand-written template: the draft, its recognition data and its anchors
// found by the program, reads every page and as many fields right.
func TestDraftedReadsAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 24 scans")
	}
	ctx := context.Background()
	_, added := editionsSet(t)
	e := newTestExtractor(t)
	counts := tally{}
	for _, src := range added {
		blank, err := corpus.BlankPDF(src)
		if err != nil {
			t.Fatal(err)
		}
		draft, _, err := Draft(ctx, blank, DraftOptions{Kind: src.Kind, Edition: src.Edition, FormNumber: src.FormNumber, Title: src.Title})
		if err != nil {
			t.Fatal(err)
		}
		m := RoleMapping{Roles: map[string]form.FieldRole{}, Rename: map[string]string{}, Rows: map[string]int{}, Repeats: src.Repeats}
		// The drafted signature zones, in the order of the page, are the
		// written ones in that order.
		var draftSigs []form.Field
		for _, f := range draft.Fields {
			if f.Type == form.TypeSignature {
				draftSigs = append(draftSigs, f)
			}
		}
		var writtenSigs []form.Field
		for _, f := range src.Fields {
			if f.Type == form.TypeSignature {
				writtenSigs = append(writtenSigs, f)
			}
		}
		byPlace := func(fs []form.Field) {
			sort.Slice(fs, func(i, j int) bool {
				return fs[i].Page < fs[j].Page || fs[i].Page == fs[j].Page && fs[i].Zone.Y < fs[j].Zone.Y
			})
		}
		byPlace(draftSigs)
		byPlace(writtenSigs)
		if len(draftSigs) != len(writtenSigs) {
			t.Errorf("%s: %d signature zones drafted, %d written", src.ID(), len(draftSigs), len(writtenSigs))
		}
		for i := range min(len(draftSigs), len(writtenSigs)) {
			m.Roles[draftSigs[i].Name] = writtenSigs[i].Role
			m.Rename[draftSigs[i].Name] = writtenSigs[i].Name
		}
		for _, f := range src.Fields {
			if f.Type == form.TypeSignature {
				continue
			}
			n := f.PDFName
			if n == "" {
				n = f.Name
			}
			m.Roles[n] = f.Role
			m.Rename[n] = f.Name
			if f.Row > 0 {
				m.Rows[n] = f.Row
			}
		}
		if err := ApplyRoles(draft, m); err != nil {
			t.Fatalf("%s: the draft with its role mapping is refused: %v", src.ID(), err)
		}
		doc, err := json.Marshal(draft)
		if err != nil {
			t.Fatal(err)
		}
		drafted, err := form.ParseTemplate(doc)
		if err != nil {
			t.Fatalf("%s: %v", src.ID(), err)
		}
		samples := truthSamples(t, src.Kind, 4)
		for i, td := range samples {
			values, sigs := rawValues(td)
			f, err := corpus.FillAndScan(ctx, src, blank, values, sigs, []int{200, 300}[i%2], uint64(50+i))
			if err != nil {
				t.Fatal(err)
			}
			for _, as := range []struct {
				what string
				tpl  *form.Template
			}{{"written", src}, {"drafted", drafted}} {
				set, err := form.NewSet(as.tpl)
				if err != nil {
					t.Fatal(err)
				}
				e.UseSet(set)
				res, err := e.Extract(ctx, MediaPDF, f.Scan)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Documents) != 1 || res.Documents[0].Edition != src.Edition {
					t.Errorf("%s %s sample %d: read as %v", as.what, src.ID(), i+1, summary(res))
					continue
				}
				for name, tf := range td.Fields {
					got := res.Documents[0].Fields[name]
					counts.add(src.Edition+" "+as.what, got.Value == tf.Value, got.Confidence)
					if got.Value != tf.Value {
						t.Logf("%s %s sample %d: %s = %q, want %q (conf %.2f)", as.what, src.ID(), i+1, name, got.Value, tf.Value, got.Confidence)
					}
				}
			}
		}
	}
	t.Logf("scans read: %s", counts)
	for k, s := range counts {
		if strings.HasSuffix(k, "drafted") && s.accuracy() < 0.95 {
			t.Errorf("%s: %.1f %% of fields read right, want ≥ 95 %%", k, 100*s.accuracy())
		}
	}
}

// TestForeignMadeEdition adds editions drawn outside the project, by
// another PDF library (reportlab; testdata/outside/make9445.py): labels on
// the left of their fields, widgets that draw their own frames, other
// fonts, the form number bottom right and the page mark "Sida 1 (1)", no
// corner marks; in the second, the kind of order is one radio group; the
// 9463 has its orderers in a table whose column heads are its labels. As
// an administrator would: template draft of its blank PDF, roles for the
// fields draft left without one, and nothing else. Samples are the
// committed corpus's 9445 values filled into it, as fillable PDFs and as
// scans.
// TestDraftSignatureOnLine: where a signature's label is printed under the
// line it is written on (the pdf-lib agreement, page 3: the lines at 302
// points from the top, the labels under them), the proposed zone is the
// space above the line, not the space under the label.
func TestDraftSignatureOnLine(t *testing.T) {
	draft := draftOutsideAgreement(t)
	const line = 302.0
	n := 0
	for _, f := range draft.Fields {
		if f.Type != form.TypeSignature {
			continue
		}
		n++
		z := f.Zone
		if z.Y > line-24 || z.Y+z.H < line || z.Y+z.H > line+8 || z.W < 200 {
			t.Errorf("%s: zone %+v, want the space above the line at %.0f, as wide as it", f.Name, z, line)
		}
	}
	if n != 2 {
		t.Errorf("%d signature zones proposed, want 2", n)
	}
}

// TestDraftProposesKindRoles: roles are proposed from labels only among
// those of the edition's kind (no user's name on an agreement, for the
// label "Namnförtydligande" the signer's name has already taken), and
// Försäkringskassan's own signing block gets its roles from its labels.
func TestDraftProposesKindRoles(t *testing.T) {
	draft := draftOutsideAgreement(t)
	kind := form.KindAgreement.Roles()
	for _, f := range draft.Fields {
		if f.Role != "" && !slices.Contains(kind, f.Role) {
			t.Errorf("%s: role %s proposed, which no agreement has", f.Name, f.Role)
		}
	}
	for name, want := range map[string]form.FieldRole{
		"FK_Ort": form.FieldFKSignPlace, "FK_Datum": form.FieldFKSignDate, "FK_Fortydligande": form.FieldFKSignerName,
		"Part_Ort": form.FieldSignPlace, "Part_Fortydligande": form.FieldSignerName,
	} {
		if f, ok := draft.Field(name); !ok || f.Role != want {
			t.Errorf("%s: role %q proposed, want %s", name, f.Role, want)
		}
	}
}

// draftOutsideAgreement drafts the agreement drawn with pdf-lib
// (testdata/outside/makeagreement.mjs), with no role mapping.
func draftOutsideAgreement(t *testing.T) *form.Template {
	t.Helper()
	blank, err := os.ReadFile(filepath.Join("testdata", "outside", "agreement-pdflib-blank.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	draft, _, err := Draft(context.Background(), blank, DraftOptions{Kind: form.KindAgreement, Edition: "Överenskommelse SUS (003)", FormNumber: "Överenskommelse SUS"})
	if err != nil {
		t.Fatal(err)
	}
	return draft
}

func TestForeignMadeEdition(t *testing.T) {
	if testing.Short() {
		t.Skip("reads eighteen scans")
	}
	// The role mappings a person writes for what the drafts leave open
	// (testdata/outside/*.roles.json, also used by `make accuracy`): on
	// the 9445s, the fields whose labels ("Telefon", "E-post" under
	// "Beställare") do not tell whose they are; on the 9463, the
	// orderers' table, four rows of one repeating group; on the
	// agreement drawn with pdf-lib (makeagreement.mjs: three pages,
	// labels left of their fields, the signatures on lines with their
	// labels under them), every field, its two signing blocks' told
	// apart by name only.
	m9445, m9463, mAgreement := outsideRoles(t, "9445-reportlab"), outsideRoles(t, "9463-reportlab"), outsideRoles(t, "agreement-pdflib")
	// The 9445 drawn with pdf-lib (make9445pdflib.mjs: labels above
	// fields ruled underneath, two columns, comb fields, tick boxes whose
	// widgets are their fields' kids, the signature on a line under a
	// section headed "Underskrift"): only the work phone is left open.
	// The same form laid out as Försäkringskassan lays out its own
	// (--boxed: each label small in its cell's top left corner, tick
	// boxes right of their labels, the form number turned up the left
	// margin) is mapped alike.
	m9445pdflib := outsideRoles(t, "9445-pdflib")
	// The same agreement with its fields named as a form designer such as
	// Adobe LiveCycle names them, each under its page's subform under the
	// form's root (makeagreement.mjs --hierarchical).
	mHierarchical := RoleMapping{Roles: map[string]form.FieldRole{}}
	for name, role := range mAgreement.Roles {
		page := 1
		if strings.HasPrefix(name, "FK_") || slices.Contains([]string{"Part_Ort", "Part_Datum", "Part_Fortydligande"}, name) {
			page = 3
		}
		if strings.HasPrefix(name, "signature") {
			mHierarchical.Roles[name] = role
			continue
		}
		mHierarchical.Roles[fmt.Sprintf("form1[0].Sida%d[0].%s[0]", page, name)] = role
	}
	for _, c := range []struct {
		blank      string
		kind       form.Kind
		formNumber string
		edition    string
		roles      RoleMapping
	}{
		{"9445-reportlab-blank.pdf", form.Kind9445, "FK 9445", "FK 9445 (003)", m9445},
		{"9445-reportlab-radio-blank.pdf", form.Kind9445, "FK 9445", "FK 9445 (004)", m9445},
		{"9445-pdflib-blank.pdf", form.Kind9445, "FK 9445", "FK 9445 (005)", m9445pdflib},
		{"9445-pdflib-boxed-blank.pdf", form.Kind9445, "FK 9445", "FK 9445 (006)", m9445pdflib},
		{"9463-reportlab-blank.pdf", form.Kind9463, "FK 9463", "FK 9463 (003)", m9463},
		{"agreement-pdflib-blank.pdf", form.KindAgreement, "Överenskommelse SUS", "Överenskommelse SUS (003)", mAgreement},
		{"agreement-pdflib-hierarchical-blank.pdf", form.KindAgreement, "Överenskommelse SUS", "Överenskommelse SUS (004)", mHierarchical},
	} {
		t.Run(c.edition, func(t *testing.T) { foreignMadeEdition(t, c.blank, c.kind, c.formNumber, c.edition, c.roles) })
	}
}

// outsideRoles reads the role mapping testdata/outside/name.roles.json.
func outsideRoles(t *testing.T, name string) RoleMapping {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "outside", name+".roles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m RoleMapping
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func foreignMadeEdition(t *testing.T, file string, kind form.Kind, formNumber, edition string, m RoleMapping) {
	ctx := context.Background()
	blank, err := os.ReadFile(filepath.Join("testdata", "outside", file))
	if err != nil {
		t.Fatal(err)
	}
	draft, _, err := Draft(ctx, blank, DraftOptions{Kind: kind, Edition: edition, FormNumber: formNumber})
	if err != nil {
		t.Fatal(err)
	}
	if err := ApplyRoles(draft, m); err != nil {
		t.Fatalf("the draft with its role mapping is refused: %v", err)
	}
	doc, err := json.Marshal(draft)
	if err != nil {
		t.Fatal(err)
	}
	drafted, err := form.ParseTemplate(doc)
	if err != nil {
		t.Fatalf("the drafted template is refused: %v", err)
	}
	builtin, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	set, err := builtin.With(drafted)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := builtin.Primary(kind)
	e := newTestExtractor(t)
	e.UseSet(set)
	counts := tally{}
	for i, td := range truthSamples(t, kind, 6) {
		// The sample's values, by role, under the drafted edition's
		// names; a radio group's is the option whose role is ticked.
		values, sigs, want := map[string]string{}, map[string]string{}, map[string]string{}
		for _, f := range drafted.Fields {
			if f.Type == form.TypeRadio {
				values[f.Name], want[f.Name] = "", ""
				for _, o := range f.Options {
					if of, _, ok := first.ByRole(o.Role, f.Row); ok && td.Fields[of.Name].Value == "true" {
						values[f.Name], want[f.Name] = o.Value, o.Value
					}
				}
				continue
			}
			if of, _, ok := first.ByRole(f.Role, f.Row); ok {
				values[f.Name] = td.Fields[of.Name].Raw
				want[f.Name] = td.Fields[of.Name].Value
				if s := td.Fields[of.Name].Signature; s != "" {
					sigs[f.Name] = s
				}
			}
		}
		filled, err := corpus.FillAndScan(ctx, drafted, blank, values, sigs, []int{200, 300}[i%2], uint64(70+i))
		if err != nil {
			t.Fatal(err)
		}
		for _, sample := range []struct {
			what string
			data []byte
		}{{"fillable", filled.PDF}, {"scan", filled.Scan}} {
			res, err := e.Extract(ctx, MediaPDF, sample.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Documents) != 1 || res.Documents[0].Edition != drafted.Edition {
				t.Errorf("%s %d: read as %v, want one %s", sample.what, i+1, summary(res), drafted.Edition)
				continue
			}
			for name, w := range want {
				if f, _ := drafted.Field(name); f.Type == form.TypeSignature && sample.what == "fillable" {
					continue // signed by hand on paper only
				}
				got := res.Documents[0].Fields[name]
				counts.add(sample.what, got.Value == w, got.Confidence)
				if got.Value != w {
					t.Logf("%s %d: %s = %q, want %q (conf %.2f)", sample.what, i+1, name, got.Value, w, got.Confidence)
				}
			}
		}
	}
	t.Logf("%s read: %s", edition, counts)
	if s := counts["fillable"]; s == nil || s.accuracy() < 1 {
		t.Errorf("fillable PDFs: not every field read right")
	}
	if s := counts["scan"]; s == nil || s.accuracy() < 0.97 {
		t.Errorf("scans: under 97 %% of fields read right")
	}
}

// TestDraftPageFrame drafts a blank whose page's user space is not the
// page as shown: its origin off the lower left corner (a MediaBox of
// [-50 -50 W H], as a tool that adds a margin writes it), or the page
// turned a quarter (Rotate 90, as landscape pages may be). Every field's
// zone is where the page shows it: 50 points right of where it is on the
// blank without the margin, or turned with the page. (Signatures are left
// out of the turned page's check: their zones are fitted to the printed
// line they are signed on, which a sideways page shows upright.)
func TestDraftPageFrame(t *testing.T) {
	ctx := context.Background()
	blank, err := os.ReadFile(filepath.Join("testdata", "outside", "9445-reportlab-blank.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	opts := DraftOptions{Kind: form.Kind9445, Edition: "FK 9445 (003)", FormNumber: "FK 9445"}
	plain, _, err := Draft(ctx, blank, opts)
	if err != nil {
		t.Fatal(err)
	}
	const margin = 50
	conf := model.NewDefaultConfiguration()
	for _, c := range []struct {
		what    string
		change  func(in io.ReadSeeker, out io.Writer) error
		w, h    float64
		turned  bool
		movedBy float64
	}{
		{"a margin", func(in io.ReadSeeker, out io.Writer) error {
			boxes, err := model.ParsePageBoundaries(fmt.Sprintf("media:[%d %d %.2f %.2f]", -margin, -margin, plain.PageWidth, plain.PageHeight), types.POINTS)
			if err != nil {
				return err
			}
			return api.AddBoxes(in, out, nil, boxes, conf)
		}, plain.PageWidth + margin, plain.PageHeight + margin, false, margin},
		{"turned a quarter", func(in io.ReadSeeker, out io.Writer) error {
			return api.Rotate(in, out, 90, nil, conf)
		}, plain.PageHeight, plain.PageWidth, true, 0},
	} {
		t.Run(c.what, func(t *testing.T) {
			var changed bytes.Buffer
			if err := c.change(bytes.NewReader(blank), &changed); err != nil {
				t.Fatal(err)
			}
			got, _, err := Draft(ctx, changed.Bytes(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.PageWidth-c.w) > 0.5 || math.Abs(got.PageHeight-c.h) > 0.5 {
				t.Errorf("page %.1f × %.1f, want %.1f × %.1f", got.PageWidth, got.PageHeight, c.w, c.h)
			}
			at := map[string]form.Box{}
			for _, f := range got.Fields {
				at[f.Name] = f.Zone
			}
			for _, f := range plain.Fields {
				z := f.Zone
				want := form.Box{X: z.X + c.movedBy, Y: z.Y, W: z.W, H: z.H}
				if c.turned {
					if f.Type == form.TypeSignature {
						continue
					}
					want = form.Box{X: plain.PageHeight - z.Y - z.H, Y: z.X, W: z.H, H: z.W}
				}
				z, ok := at[f.Name]
				if !ok || math.Abs(z.X-want.X) > 1 || math.Abs(z.Y-want.Y) > 1 || math.Abs(z.W-want.W) > 1 || math.Abs(z.H-want.H) > 1 {
					t.Errorf("%s at %+v, want %+v", f.Name, z, want)
				}
			}
		})
	}
}

// TestDraftSignatureUnderHeading drafts the 9445 drawn with pdf-lib,
// whose signing section is headed "Underskrift" and signed on a line
// with "Beställarens underskrift" printed under it: the one signature
// zone is over that line, where a hand signs, not under the heading.
func TestDraftSignatureUnderHeading(t *testing.T) {
	draft := draftOutside9445(t, "9445-pdflib-blank.pdf", "FK 9445 (005)")
	var sigs []form.Field
	for _, f := range draft.Fields {
		if f.Type == form.TypeSignature {
			sigs = append(sigs, f)
		}
	}
	if len(sigs) != 1 {
		t.Fatalf("%d signature zones proposed, want 1: %+v", len(sigs), sigs)
	}
	// The line is printed 700 points from the top, from 50 to 300.
	if z := sigs[0].Zone; z.Y > 680 || z.Y+z.H < 700 || z.X > 55 || z.X+z.W < 290 || sigs[0].Label != "Beställarens underskrift" {
		t.Errorf("signature zone %+v labelled %q, want one over the line at 700 pt labelled \"Beställarens underskrift\"", z, sigs[0].Label)
	}
}

// TestDraftTurnedFormNumber drafts the 9445 laid out as Försäkringskassan
// lays out its forms (make9445pdflib.mjs --boxed), its form number and
// edition turned up the left margin: the page is recognised first where
// they are printed, read turned upright.
func TestDraftTurnedFormNumber(t *testing.T) {
	draft := draftOutside9445(t, "9445-pdflib-boxed-blank.pdf", "FK 9445 (006)")
	where := draft.Recognition.Where
	// "FK 9445 (006)" runs up the page from 782 to 730 points from the
	// top, 22 to 30 from the left.
	if len(where) == 0 || where[0].Turned != 90 || where[0].X > 22 || where[0].X+where[0].W < 30 || where[0].Y > 731 || where[0].Y+where[0].H < 781 {
		t.Fatalf("recognition read first at %+v, want the form number up the left margin, turned 90 degrees", where)
	}
	for _, b := range where[1:] {
		if b.Turned != 0 || b.H > b.W {
			t.Errorf("recognition reads %+v as well: no other turned text is printed", b)
		}
	}
	// Its words do not place the page: the title's line, printed 88
	// points from the top from 50 to 276, is read with it.
	if len(where) < 2 || where[1].Y > 80 || where[1].Y+where[1].H < 88 || where[1].X > 52 || where[1].X+where[1].W < 270 {
		t.Errorf("recognition reads %+v, want the title's line second", where)
	}
	// An edition printed upright is read upright.
	if w := draftOutside9445(t, "9445-pdflib-blank.pdf", "FK 9445 (005)").Recognition.Where; len(w) == 0 || w[0].Turned != 0 {
		t.Errorf("the (005) read first at %+v, want upright", w)
	}
}

// TestTurnedMarkTellsEditions has two editions of 9445 laid out alike
// active at once (make9445pdflib.mjs, and --boxed: the same title, words
// and fields), one printing its form number and edition upright at the
// top, the other turned up the left margin. Each scan is read as its own
// edition: the turned mark is read turned upright.
func TestTurnedMarkTellsEditions(t *testing.T) {
	if testing.Short() {
		t.Skip("reads four scans")
	}
	ctx := context.Background()
	builtin, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	first, _ := builtin.Primary(form.Kind9445)
	set := builtin
	var editions []*form.Template
	var blanks [][]byte
	for _, c := range []struct{ blank, edition string }{{"9445-pdflib", "FK 9445 (005)"}, {"9445-pdflib-boxed", "FK 9445 (006)"}} {
		drafted, blank := draftedOutside(t, c.blank, form.Kind9445, "FK 9445", c.edition, "9445-pdflib")
		if set, err = set.With(drafted); err != nil {
			t.Fatal(err)
		}
		editions, blanks = append(editions, drafted), append(blanks, blank)
	}
	e := newTestExtractor(t)
	e.UseSet(set)
	for i, td := range truthSamples(t, form.Kind9445, 2) {
		for j, ed := range editions {
			values := map[string]string{}
			for _, f := range ed.Fields {
				if of, _, ok := first.ByRole(f.Role, f.Row); ok {
					values[f.Name] = td.Fields[of.Name].Raw
				}
			}
			filled, err := corpus.FillAndScan(ctx, ed, blanks[j], values, nil, []int{200, 300}[i], uint64(90+2*i+j))
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Extract(ctx, MediaPDF, filled.Scan)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Documents) != 1 || res.Documents[0].Edition != ed.Edition {
				t.Errorf("scan %d of %s: read as %v", i+1, ed.Edition, summary(res))
			}
		}
	}
}

// draftOutside9445 drafts the 9445 drawn outside the project in
// testdata/outside/file as edition, with no role mapping.
func draftOutside9445(t *testing.T, file, edition string) *form.Template {
	t.Helper()
	blank, err := os.ReadFile(filepath.Join("testdata", "outside", file))
	if err != nil {
		t.Fatal(err)
	}
	draft, _, err := Draft(context.Background(), blank, DraftOptions{Kind: form.Kind9445, Edition: edition, FormNumber: "FK 9445"})
	if err != nil {
		t.Fatal(err)
	}
	return draft
}

// outsideSet is the built-in editions, the second editions and those of
// the editions drawn outside the project named (testdata/outside: the
// blank's name), drafted with their role mappings as
// scripts/outside-editions.sh drafts them for `make accuracy`, all active
// at once.
func outsideSet(t *testing.T, names ...string) *form.Set {
	t.Helper()
	set, _ := editionsSet(t)
	for _, c := range []struct{ blank, roles, formNumber, edition string }{
		{"9445-reportlab", "9445-reportlab", "FK 9445", "FK 9445 (003)"},
		{"9445-pdflib", "9445-pdflib", "FK 9445", "FK 9445 (005)"},
		{"9445-pdflib-boxed", "9445-pdflib", "FK 9445", "FK 9445 (006)"},
		{"9463-reportlab", "9463-reportlab", "FK 9463", "FK 9463 (003)"},
		{"agreement-pdflib", "agreement-pdflib", "Överenskommelse SUS", "Överenskommelse SUS (003)"},
	} {
		if !slices.Contains(names, c.blank) {
			continue
		}
		kind := form.Kind9445
		switch {
		case strings.HasPrefix(c.blank, "9463"):
			kind = form.Kind9463
		case strings.HasPrefix(c.blank, "agreement"):
			kind = form.KindAgreement
		}
		drafted, _ := draftedOutside(t, c.blank, kind, c.formNumber, c.edition, c.roles)
		var err error
		if set, err = set.With(drafted); err != nil {
			t.Fatal(err)
		}
	}
	return set
}

// draftedOutside drafts the edition drawn outside the project in
// testdata/outside/name-blank.pdf with the role mapping roles, as
// scripts/outside-editions.sh drafts it, and returns the template as a
// set takes it, and its blank.
func draftedOutside(t *testing.T, name string, kind form.Kind, formNumber, edition, roles string) (*form.Template, []byte) {
	t.Helper()
	blank, err := os.ReadFile(filepath.Join("testdata", "outside", name+"-blank.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	draft, _, err := Draft(context.Background(), blank, DraftOptions{Kind: kind, Edition: edition, FormNumber: formNumber})
	if err != nil {
		t.Fatal(err)
	}
	if err := ApplyRoles(draft, outsideRoles(t, roles)); err != nil {
		t.Fatal(err)
	}
	doc, err := json.Marshal(draft)
	if err != nil {
		t.Fatal(err)
	}
	drafted, err := form.ParseTemplate(doc)
	if err != nil {
		t.Fatalf("%s refused: %v", edition, err)
	}
	return drafted, blank
}

// TestPageTellsItsPageByItsMark reads the outside agreement (003) scanned
// turned, 1-bit and faint (a development corpus's; testdata/pages), with
// the built-in, second and (003) editions active: the probe reads its
// page 2's foot, where every page prints the form's name alike, and
// hardly a word of its own, and the first edition's page 1 was guessed,
// which two words fitted; the page was taken for a cover letter naming
// the form. Its page mark ("Sida 2/3", printed apart from the form's
// name) is then read where the editions of its kind print theirs, and
// names the page.
func TestPageTellsItsPageByItsMark(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a scan of three pages")
	}
	data := readTestFile(t, filepath.Join("testdata", "pages", "agreement-003-page-mark-only.pdf"))
	e := newTestExtractor(t)
	e.UseSet(outsideSet(t, "agreement-pdflib"))
	res, err := e.Extract(context.Background(), MediaPDF, data)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(res); len(res.Documents) != 1 || res.Documents[0].Edition != "Överenskommelse SUS (003)" || res.Documents[0].FirstPage != 1 || res.Documents[0].LastPage != 3 {
		t.Errorf("read as %v, want one agreement (003) of pages 1-3", got)
	}
}
