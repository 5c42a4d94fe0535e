// Package extract turns a received file into pages, the form kind and the
// field values with their confidence, page and box.
package extract

import "bytes"

// Media types Blankett accepts.
const (
	MediaPDF  = "application/pdf"
	MediaTIFF = "image/tiff"
	MediaPNG  = "image/png"
	MediaJPEG = "image/jpeg"
)

// SniffLen is how many leading bytes Sniff needs.
const SniffLen = 1024

// Sniff names the media type of a file from its first bytes (at least
// SniffLen where the file is that long), whatever its name says. It reports
// ok=false for anything that is not PDF, TIFF, PNG or JPEG.
func Sniff(head []byte) (mediaType string, ok bool) {
	switch {
	case len(head) >= 8 && bytes.Equal(head[:8], []byte("\x89PNG\r\n\x1a\n")):
		return MediaPNG, true
	case len(head) >= 3 && bytes.Equal(head[:3], []byte{0xff, 0xd8, 0xff}):
		return MediaJPEG, true
	case len(head) >= 4 && (bytes.Equal(head[:4], []byte("II*\x00")) || bytes.Equal(head[:4], []byte("MM\x00*"))):
		return MediaTIFF, true
	case len(head) >= 4 && (bytes.Equal(head[:4], []byte("II+\x00")) || bytes.Equal(head[:4], []byte("MM\x00+"))):
		return MediaTIFF, true // BigTIFF
	}
	// PDF readers accept the header anywhere in the first kilobyte.
	if i := bytes.Index(head, []byte("%PDF-")); i >= 0 && i < SniffLen-5 {
		return MediaPDF, true
	}
	return "", false
}
