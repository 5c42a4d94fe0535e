package corpus

import "github.com/pdfcpu/pdfcpu/pkg/font"

// textWidth is the width of s in points in a core font or an installed
// TrueType face (trueTypeFills). Core fonts encode CP1252, which agrees
// with Latin-1 for å ä ö é, so runes index the metrics.
func textWidth(s, fontName string, size float64) float64 {
	var w int
	for _, r := range s {
		w += font.CharWidth(fontName, r)
	}
	return float64(w) * size / 1000
}
