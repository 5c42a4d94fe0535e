package letter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// ErrPDF wraps failures (and panics) inside pdfcpu.
var ErrPDF = errors.New("letter: pdf")

var disableConfigDir sync.Once

// safely runs f, which calls pdfcpu, turning a panic into an error. It
// makes sure pdfcpu never looks for (or creates) its config folder.
func safely(what string, f func() error) (err error) {
	disableConfigDir.Do(api.DisableConfigDir)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: panic: %v", ErrPDF, what, r)
		}
	}()
	if err := f(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrPDF, what, err)
	}
	return nil
}

// config is pdfcpu's configuration for writing letters: no object or xref
// streams, so the info dictionary and the file ID stay plain text and can
// be made deterministic (see deterministic).
func config() *model.Configuration {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.WriteObjectStream = false
	conf.WriteXRefStream = false
	return conf
}

// Render lays l out as a PDF letter from sender. The same letter and
// sender give the same bytes.
func Render(l Letter, sender Sender) ([]byte, error) {
	var out []byte
	err := safely("render "+l.Kind, func() error {
		pages, err := layout(l, sender)
		if err != nil {
			return err
		}
		b, err := writePDF(pages)
		if err != nil {
			return err
		}
		out, err = deterministic(b, l.Date)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// writePDF builds the document with pdfcpu's model and writes it.
func writePDF(pages []page) ([]byte, error) {
	xt, err := pdfcpu.CreateXRefTableWithRootDict()
	if err != nil {
		return nil, err
	}
	root, err := xt.Catalog()
	if err != nil {
		return nil, err
	}
	regular, err := xt.IndRefForNewObject(coreFont(fontRegular))
	if err != nil {
		return nil, err
	}
	bold, err := xt.IndRefForNewObject(coreFont(fontBold))
	if err != nil {
		return nil, err
	}
	fonts := types.Dict{"F1": *regular, "F2": *bold}
	pagesDict := types.Dict{
		"Type":     types.Name("Pages"),
		"Count":    types.Integer(len(pages)),
		"MediaBox": types.RectForDim(pageWidth, pageHeight).Array(),
	}
	pagesRef, err := xt.IndRefForNewObject(pagesDict)
	if err != nil {
		return nil, err
	}
	kids := types.Array{}
	for _, p := range pages {
		sd, err := xt.NewStreamDictForBuf(contentStream(p))
		if err != nil {
			return nil, err
		}
		if err := sd.Encode(); err != nil {
			return nil, err
		}
		contents, err := xt.IndRefForNewObject(*sd)
		if err != nil {
			return nil, err
		}
		pageRef, err := xt.IndRefForNewObject(types.Dict{
			"Type":   types.Name("Page"),
			"Parent": *pagesRef,
			"Resources": types.Dict{
				"Font":    fonts,
				"ProcSet": types.Array{types.Name("PDF"), types.Name("Text")},
			},
			"Contents": *contents,
		})
		if err != nil {
			return nil, err
		}
		kids = append(kids, *pageRef)
	}
	pagesDict["Kids"] = kids
	root["Pages"] = *pagesRef
	xt.PageCount = len(pages)

	ctx := pdfcpu.CreateContext(xt, config())
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return nil, err
	}
	// pdfcpu writes the objects a dictionary refers to in Go's map order
	// (here: the two fonts), so the object order varies from run to run.
	return canonical(buf.Bytes())
}

// canonical rewrites a PDF with a classic cross-reference table so that
// its objects appear in object-number order, with the table and startxref
// recomputed. The objects' bytes are not touched.
func canonical(b []byte) ([]byte, error) {
	i := bytes.LastIndex(b, []byte("startxref"))
	if i < 0 {
		return nil, errors.New("canonical: no startxref")
	}
	f := bytes.Fields(b[i+len("startxref"):])
	if len(f) == 0 {
		return nil, errors.New("canonical: bad startxref")
	}
	xrefAt, err := strconv.Atoi(string(f[0]))
	if err != nil || xrefAt <= 0 || xrefAt >= i {
		return nil, fmt.Errorf("canonical: bad startxref %q", f[0])
	}
	t := bytes.Index(b[xrefAt:], []byte("trailer"))
	if t < 0 || !bytes.HasPrefix(b[xrefAt:], []byte("xref")) {
		return nil, errors.New("canonical: no classic xref table")
	}
	trailer := b[xrefAt+t : i] // "trailer << … >>" and its line end

	type entry struct{ num, off, gen int }
	var used []entry
	lines := bytes.Split(b[xrefAt+len("xref"):xrefAt+t], []byte("\n"))
	start, left := 0, 0
	for _, ln := range lines {
		f := bytes.Fields(ln)
		switch {
		case len(f) == 0:
			continue
		case left == 0 && len(f) == 2:
			var err1, err2 error
			start, err1 = strconv.Atoi(string(f[0]))
			left, err2 = strconv.Atoi(string(f[1]))
			if err := errors.Join(err1, err2); err != nil {
				return nil, fmt.Errorf("canonical: xref subsection %q: %w", ln, err)
			}
		case left > 0 && len(f) == 3:
			var e entry
			var err1, err2 error
			e.off, err1 = strconv.Atoi(string(f[0]))
			e.gen, err2 = strconv.Atoi(string(f[1]))
			if err := errors.Join(err1, err2); err != nil {
				return nil, fmt.Errorf("canonical: xref entry %q: %w", ln, err)
			}
			e.num = start
			if string(f[2]) == "n" {
				used = append(used, e)
			}
			start++
			left--
		default:
			return nil, fmt.Errorf("canonical: xref line %q", ln)
		}
	}
	if len(used) == 0 {
		return nil, errors.New("canonical: empty xref")
	}
	// Each object runs from its offset to the next object's (or the xref).
	byOff := append([]entry(nil), used...)
	slices.SortFunc(byOff, func(a, b entry) int { return a.off - b.off })
	body := map[int][]byte{}
	for k, e := range byOff {
		end := xrefAt
		if k+1 < len(byOff) {
			end = byOff[k+1].off
		}
		if e.off <= 0 || e.off >= end {
			return nil, fmt.Errorf("canonical: object %d at %d", e.num, e.off)
		}
		body[e.num] = b[e.off:end]
	}
	slices.SortFunc(used, func(a, b entry) int { return a.num - b.num })

	var out bytes.Buffer
	out.Write(b[:byOff[0].off]) // header
	offsets := map[int]int{}
	for _, e := range used {
		offsets[e.num] = out.Len()
		out.Write(body[e.num])
	}
	newXref := out.Len()
	// One subsection from 0, free entries for any gaps.
	maxNum := used[len(used)-1].num
	gens := map[int]int{}
	for _, e := range used {
		gens[e.num] = e.gen
	}
	fmt.Fprintf(&out, "xref\n0 %d\n", maxNum+1)
	for n := 0; n <= maxNum; n++ {
		if off, ok := offsets[n]; ok {
			fmt.Fprintf(&out, "%010d %05d n \n", off, gens[n])
		} else {
			fmt.Fprintf(&out, "%010d %05d f \n", 0, 65535)
		}
	}
	out.Write(trailer)
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", newXref)
	return out.Bytes(), nil
}

var (
	pdfDate = regexp.MustCompile(`/(CreationDate|ModDate)\s*\((D:[0-9]{14}[^)]*)\)`)
	pdfID   = regexp.MustCompile(`/ID\s*\[\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\]`)
)

// deterministic replaces what pdfcpu makes from the clock (creation and
// modification dates, the file ID) with values derived from the letter:
// its date, and a hash of the rest of the file. Each replacement has the
// original's length, so the cross-reference offsets stay right.
func deterministic(b []byte, day time.Time) ([]byte, error) {
	out := append([]byte(nil), b...)
	stamp := types.DateString(day.UTC())
	dates := pdfDate.FindAllSubmatchIndex(out, -1)
	for _, m := range dates {
		if m[5]-m[4] != len(stamp) {
			return nil, fmt.Errorf("unexpected date format %q", out[m[4]:m[5]])
		}
		copy(out[m[4]:m[5]], stamp)
	}
	ids := pdfID.FindAllSubmatchIndex(out, -1)
	if len(ids) != 1 || len(dates) == 0 {
		return nil, fmt.Errorf("expected one file ID and the info dates, found %d and %d", len(ids), len(dates))
	}
	m := ids[0]
	for _, g := range [][2]int{{m[2], m[3]}, {m[4], m[5]}} {
		for i := g[0]; i < g[1]; i++ {
			out[i] = '0'
		}
	}
	sum := sha256.Sum256(out)
	id := hex.EncodeToString(sum[:])
	for _, g := range [][2]int{{m[2], m[3]}, {m[4], m[5]}} {
		if g[1]-g[0] > len(id) {
			return nil, fmt.Errorf("file ID of %d digits", g[1]-g[0])
		}
		copy(out[g[0]:g[1]], id)
	}
	return out, nil
}

// Merge joins PDFs, in order, into one document for printing.
func Merge(pdfs [][]byte) ([]byte, error) {
	switch len(pdfs) {
	case 0:
		return nil, fmt.Errorf("%w: merge: no letters", ErrPDF)
	case 1:
		return append([]byte(nil), pdfs[0]...), nil
	}
	var out bytes.Buffer
	err := safely("merge", func() error {
		rs := make([]io.ReadSeeker, len(pdfs))
		for i, b := range pdfs {
			rs[i] = bytes.NewReader(b)
		}
		return api.MergeRaw(rs, &out, false, config())
	})
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// coreFont is the font dictionary of a standard Type 1 font in CP1252.
func coreFont(name string) types.Dict {
	return types.Dict{
		"Type":     types.Name("Font"),
		"Subtype":  types.Name("Type1"),
		"BaseFont": types.Name(name),
		"Encoding": types.Name("WinAnsiEncoding"),
	}
}
