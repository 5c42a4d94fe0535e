package letter

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// docInfo is what the document information dictionary and the XMP
// metadata say about a PDF. PDF/A wants the two to agree.
type docInfo struct {
	Title    string
	Author   string // the authority
	Producer string
	Date     time.Time // creation and modification, UTC
}

// srgbCondition names the output condition of the sRGB ICC profile.
const srgbCondition = "sRGB IEC61966-2.1"

// archival turns fpdf's output into PDF/A-2b. fpdf (go-pdf/fpdf v0.9.0)
// embeds and subsets the TrueType fonts with a ToUnicode map, but it cannot
// reference XMP metadata or an output intent from the catalog and writes
// no file ID. So the file is rewritten here, keeping every object fpdf
// made except its information dictionary and catalog:
//
//   - the header gets the binary comment line PDF/A requires (ISO
//     19005-2, 6.1.2);
//   - a new catalog points to an XMP metadata stream (pdfaid:part 2,
//     pdfaid:conformance B) and to an output intent (GTS_PDFA1) with the
//     sRGB ICC profile, and drops fpdf's empty EmbeddedFiles tree;
//   - the information dictionary is written again so that its entries
//     match the XMP ones (6.6.2.3);
//   - the trailer gets a file ID, a hash of the file, so the same letter
//     gives the same bytes.
//
// It relies on fpdf's layout: one classic cross-reference table, the page
// tree as object 1, and a trailer naming /Root and /Info.
func archival(raw []byte, info docInfo, icc []byte) ([]byte, error) {
	objs, root, infoNum, err := pdfObjects(raw)
	if err != nil {
		return nil, fmt.Errorf("pdf/a: %w", err)
	}
	maxNum := 0
	for n := range objs {
		maxNum = max(maxNum, n)
	}
	xmpNum, iccNum, intentNum := maxNum+1, maxNum+2, maxNum+3

	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(icc); err != nil {
		return nil, fmt.Errorf("pdf/a: compress ICC profile: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("pdf/a: compress ICC profile: %w", err)
	}
	xmp := xmpPacket(info)

	objs[root] = []byte(fmt.Sprintf("<< /Type /Catalog /Pages 1 0 R /Lang (sv-SE) /Metadata %d 0 R /OutputIntents [%d 0 R] >>", xmpNum, intentNum))
	objs[infoNum] = []byte(fmt.Sprintf("<< /Title %s /Author %s /Producer %s /CreationDate (%s) /ModDate (%s) >>",
		pdfText(info.Title), pdfText(info.Author), pdfText(info.Producer), pdfDate(info.Date), pdfDate(info.Date)))
	objs[xmpNum] = append([]byte(fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n", len(xmp))), append(xmp, "\nendstream"...)...)
	objs[iccNum] = append([]byte(fmt.Sprintf("<< /N 3 /Filter /FlateDecode /Length %d >>\nstream\n", z.Len())), append(z.Bytes(), "\nendstream"...)...)
	objs[intentNum] = []byte(fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (%s) /Info (%s) /DestOutputProfile %d 0 R >>",
		srgbCondition, srgbCondition, iccNum))

	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	offsets := make(map[int]int, len(nums))
	for _, n := range nums {
		offsets[n] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n", n)
		out.Write(bytes.TrimSpace(objs[n]))
		out.WriteString("\nendobj\n")
	}
	last := nums[len(nums)-1]
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", last+1)
	for n := 1; n <= last; n++ {
		if off, ok := offsets[n]; ok {
			fmt.Fprintf(&out, "%010d 00000 n \n", off)
		} else {
			out.WriteString("0000000000 65535 f \n")
		}
	}
	// The file ID hashes everything before the trailer.
	sum := sha256.Sum256(out.Bytes())
	id := strings.ToUpper(hex.EncodeToString(sum[:16]))
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n",
		last+1, root, infoNum, id, id, xref)
	return out.Bytes(), nil
}

// pdfObjects splits a PDF with one classic cross-reference table into its
// objects' bodies (what stands between "N 0 obj" and "endobj"), and
// returns the numbers of the catalog and the information dictionary.
func pdfObjects(b []byte) (objs map[int][]byte, root, info int, err error) {
	i := bytes.LastIndex(b, []byte("startxref"))
	if i < 0 {
		return nil, 0, 0, errors.New("no startxref")
	}
	f := bytes.Fields(b[i+len("startxref"):])
	if len(f) == 0 {
		return nil, 0, 0, errors.New("bad startxref")
	}
	xrefAt, err := strconv.Atoi(string(f[0]))
	if err != nil || xrefAt <= 0 || xrefAt >= i || !bytes.HasPrefix(b[xrefAt:], []byte("xref")) {
		return nil, 0, 0, fmt.Errorf("bad startxref %q", f[0])
	}
	t := bytes.Index(b[xrefAt:], []byte("trailer"))
	if t < 0 {
		return nil, 0, 0, errors.New("no trailer")
	}
	trailer := string(b[xrefAt+t : i])
	if root, err = trailerRef(trailer, "/Root"); err != nil {
		return nil, 0, 0, err
	}
	if info, err = trailerRef(trailer, "/Info"); err != nil {
		return nil, 0, 0, err
	}

	type entry struct{ num, off int }
	var used []entry
	start, left := 0, 0
	for _, ln := range bytes.Split(b[xrefAt+len("xref"):xrefAt+t], []byte("\n")) {
		f := bytes.Fields(ln)
		switch {
		case len(f) == 0:
		case left == 0 && len(f) == 2:
			var err1, err2 error
			start, err1 = strconv.Atoi(string(f[0]))
			left, err2 = strconv.Atoi(string(f[1]))
			if err := errors.Join(err1, err2); err != nil {
				return nil, 0, 0, fmt.Errorf("xref subsection %q: %w", ln, err)
			}
		case left > 0 && len(f) == 3:
			off, err := strconv.Atoi(string(f[0]))
			if err != nil {
				return nil, 0, 0, fmt.Errorf("xref entry %q: %w", ln, err)
			}
			if string(f[2]) == "n" {
				used = append(used, entry{start, off})
			}
			start++
			left--
		default:
			return nil, 0, 0, fmt.Errorf("xref line %q", ln)
		}
	}
	if len(used) == 0 {
		return nil, 0, 0, errors.New("empty xref")
	}
	slices.SortFunc(used, func(a, b entry) int { return a.off - b.off })
	objs = make(map[int][]byte, len(used))
	for k, e := range used {
		end := xrefAt
		if k+1 < len(used) {
			end = used[k+1].off
		}
		if e.off <= 0 || e.off >= end {
			return nil, 0, 0, fmt.Errorf("object %d at %d", e.num, e.off)
		}
		body := b[e.off:end]
		head := fmt.Sprintf("%d 0 obj", e.num)
		if !bytes.HasPrefix(body, []byte(head)) {
			return nil, 0, 0, fmt.Errorf("object %d does not start with %q", e.num, head)
		}
		body = bytes.TrimSpace(body[len(head):])
		body, ok := bytes.CutSuffix(body, []byte("endobj"))
		if !ok {
			return nil, 0, 0, fmt.Errorf("object %d has no endobj", e.num)
		}
		objs[e.num] = body
	}
	if objs[root] == nil || objs[info] == nil || objs[1] == nil {
		return nil, 0, 0, errors.New("catalog, information dictionary or page tree missing")
	}
	return objs, root, info, nil
}

// trailerRef returns the object number of an indirect reference in the
// trailer, e.g. "/Root 12 0 R".
func trailerRef(trailer, key string) (int, error) {
	_, after, ok := strings.Cut(trailer, key)
	if !ok {
		return 0, fmt.Errorf("trailer has no %s", key)
	}
	f := strings.Fields(after)
	if len(f) < 3 || f[2] != "R" {
		return 0, fmt.Errorf("trailer %s is not a reference", key)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("trailer %s: bad object number %q", key, f[0])
	}
	return n, nil
}

// pdfText writes s as a PDF text string: UTF-16BE with a byte order mark,
// in hex, so any character survives.
func pdfText(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// pdfDate is a PDF date in UTC, e.g. D:20260302000000Z.
func pdfDate(t time.Time) string { return "D:" + t.UTC().Format("20060102150405") + "Z" }

// xmpPacket is the XMP metadata: the PDF/A identification and the same
// title, author, producer and dates as the information dictionary.
func xmpPacket(info docInfo) []byte {
	e := html.EscapeString
	date := info.Date.UTC().Format("2006-01-02T15:04:05Z")
	return []byte(`<?xpacket begin="` + "\uFEFF" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + e(info.Title) + `</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>` + e(info.Author) + `</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>sv-SE</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>` + e(info.Producer) + `</pdf:Producer>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreateDate>` + date + `</xmp:CreateDate>
<xmp:ModifyDate>` + date + `</xmp:ModifyDate>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
}
