package corpus

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"strings"
)

// The files of issue 15's findings: active content the old byte scan did
// not see, and a text PDF that was refused as a bomb.

// javascriptHexNamePDF hides a JavaScript open action behind #xx escapes
// in its names (/J#61vaScript is /JavaScript, /J#53 is /JS): no plain
// "/JavaScript" appears in the file.
func javascriptHexNamePDF() []byte {
	content := "BT /F1 18 Tf 72 760 Td (FK 9445 Beställning användare i SUS) Tj ET"
	return rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /S /J#61vaScript /J#53 (app.alert\\('dold'\\);) >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}, "")
}

// javascriptObjStmPDF keeps a plain JavaScript open action inside a
// compressed object stream (PDF 1.5), where no byte scan sees it.
func javascriptObjStmPDF() []byte {
	content := "BT /F1 18 Tf 72 760 Td (FK 9463 Anmälan behörig beställare i SUS) Tj ET"
	return objectStreamPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /S /JavaScript /JS (this.submitForm\\('http://example.invalid/'\\);) >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}, map[int]bool{5: true, 6: true})
}

// embeddedFilePDF carries an attached file in its EmbeddedFiles name tree.
func embeddedFilePDF() []byte {
	content := "BT /F1 18 Tf 72 760 Td (FK 9445 Beställning användare i SUS) Tj ET"
	payload := "MZ inte ett riktigt program"
	return rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(bilaga.exe) 5 0 R] >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 7 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Filespec /F (bilaga.exe) /UF (bilaga.exe) /EF << /F 6 0 R >> >>",
		fmt.Sprintf("<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream", len(payload), payload),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}, "")
}

// textPDF is an n-page PDF of plain text (vector pages, no images), a few
// kilobytes in all: rasterised at 300 DPI its pages are far more pixels
// than its bytes, and must not be taken for a decompression bomb.
func textPDF(n int) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"", // the page tree, below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var kids []string
	for p := 1; p <= n; p++ {
		var c strings.Builder
		fmt.Fprintf(&c, "BT /F1 11 Tf 72 780 Td 14 TL (Protokoll från nämndens sammanträde, sida %d av %d) Tj", p, n)
		for l := 0; l < 6; l++ {
			c.WriteString(" T* (Nämnden beslutade att lägga informationen till handlingarna.) Tj")
		}
		c.WriteString(" ET")
		pageObj := len(objs) + 1
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", pageObj+1),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(latin1(c.String())), latin1(c.String())))
		kids = append(kids, fmt.Sprintf("%d 0 R", pageObj))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return rawPDF(objs, "")
}

// latin1 writes s in WinAnsi (Latin-1 for Swedish letters), as the
// Helvetica font's encoding expects.
func latin1(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 256 {
			b.WriteByte(byte(r))
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// objectStreamPDF writes objects 1..n as PDF 1.5 with a cross-reference
// stream; the objects in compressed go into one Flate-compressed object
// stream (object n+1; the xref stream is n+2).
func objectStreamPDF(objs []string, compressed map[int]bool) []byte {
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	n := len(objs)
	stmNr, xrefNr := n+1, n+2
	type entry struct {
		typ      byte
		off, idx int
	}
	entries := make([]entry, xrefNr+1)
	var head, body bytes.Buffer
	idx := 0
	for i, o := range objs {
		nr := i + 1
		if compressed[nr] {
			fmt.Fprintf(&head, "%d %d ", nr, body.Len())
			body.WriteString(o)
			body.WriteString("\n")
			entries[nr] = entry{typ: 2, off: stmNr, idx: idx}
			idx++
			continue
		}
		entries[nr] = entry{typ: 1, off: buf.Len()}
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", nr, o)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(head.Bytes())
	zw.Write(body.Bytes())
	zw.Close()
	entries[stmNr] = entry{typ: 1, off: buf.Len()}
	fmt.Fprintf(&buf, "%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n", stmNr, idx, head.Len(), z.Len())
	buf.Write(z.Bytes())
	buf.WriteString("\nendstream\nendobj\n")
	entries[xrefNr] = entry{typ: 1, off: buf.Len()}
	var rows bytes.Buffer
	for i, e := range entries {
		gen := uint16(0)
		if i == 0 {
			gen = 0xffff
		}
		rows.WriteByte(e.typ)
		binary.Write(&rows, binary.BigEndian, uint32(e.off))
		if e.typ == 2 {
			gen = uint16(e.idx)
		}
		binary.Write(&rows, binary.BigEndian, gen)
	}
	x := entries[xrefNr].off
	fmt.Fprintf(&buf, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n", xrefNr, xrefNr+1, rows.Len())
	buf.Write(rows.Bytes())
	fmt.Fprintf(&buf, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", x)
	return buf.Bytes()
}

// DynamicXFAPDF is a dynamic XFA form as a form designer saves it: its
// form only as XFA (no form fields), its one page the placeholder that
// only Adobe's programs replace with the form.
func DynamicXFAPDF() []byte {
	placeholder := "BT /F1 12 Tf 72 770 Td (Please wait... If this message is not eventually replaced by the proper contents of the document, your PDF viewer may not be able to display this type of document.) Tj ET"
	xfa := `<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"/></xdp:xdp>`
	return rawPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(placeholder), placeholder),
		"<< /Fields [] /XFA 7 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(xfa), xfa),
	}, "")
}
