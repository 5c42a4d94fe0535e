package corpus

import (
	"encoding/binary"
)

// jbig2Embedded wraps one page's CCITT G4 (T.6) data as a JBIG2 stream in
// the embedded organisation a PDF's JBIG2Decode filter takes, the way many
// office scanners store a 1-bit page in a "compact" PDF: a page
// information segment and one immediate lossless generic region coded
// with MMR, which is T.6 itself (ITU T.88, 6.2.6). The file header and the
// end-of-page and end-of-file segments are left out, as ISO 32000 (7.4.7)
// asks. dpi and ydpi are the page's density (ydpi 0: as dpi).
func jbig2Embedded(g4 []byte, w, h, dpi, ydpi int) []byte {
	if ydpi == 0 {
		ydpi = dpi
	}
	perMetre := func(d int) uint32 { return uint32(float64(d)/0.0254 + 0.5) }
	var b []byte
	segment := func(number uint32, kind byte, data []byte) {
		b = binary.BigEndian.AppendUint32(b, number)
		b = append(b, kind, // flags: the type; a one-byte page association
			0x00, // refers to no segment
			1)    // page 1
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, data...)
	}
	var page []byte
	page = binary.BigEndian.AppendUint32(page, uint32(w))
	page = binary.BigEndian.AppendUint32(page, uint32(h))
	page = binary.BigEndian.AppendUint32(page, perMetre(dpi))
	page = binary.BigEndian.AppendUint32(page, perMetre(ydpi))
	page = append(page, 0x01, 0x00, 0x00) // eventually lossless; white by default; not striped
	segment(0, 48, page)                  // page information
	var region []byte
	region = binary.BigEndian.AppendUint32(region, uint32(w))
	region = binary.BigEndian.AppendUint32(region, uint32(h))
	region = binary.BigEndian.AppendUint32(region, 0) // x
	region = binary.BigEndian.AppendUint32(region, 0) // y
	region = append(region, 0x00)                     // combined by OR
	region = append(region, 0x01)                     // MMR
	region = append(region, g4...)
	segment(1, 39, region) // immediate lossless generic region
	return b
}
