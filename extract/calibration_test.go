package extract

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"blankett/form"
)

// TestCoarseScanNeverSure: a page scanned as coarsely as a fax reads its
// written values at coarseCeiling at most, calibrated: the calibration's
// bins hold values of finer scans too, and would show a fax's phone
// number read at coarseConfidence as right 0.986 of the time. A number
// with a check digit is coarseCheckedCeiling at most: never sure either;
// and a phone number or a date another model read the same is too, not
// flagged: the page holds such values, and at least one must be.
func TestCoarseScanNeverSure(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a page")
	}
	e := newTestExtractor(t)
	ctx := context.Background()
	img := firstPage(t, "../testdata/corpus/scan/9445-valid-new.pdf")
	var fax bytes.Buffer
	if err := png.Encode(&fax, scaleToDPI(img, 150)); err != nil {
		t.Fatal(err)
	}
	res, err := e.Extract(ctx, MediaPNG, fax.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 {
		t.Fatalf("read as %v, want one document", summary(res))
	}
	written, capped, checked, seconded := 0, 0, 0, 0
	for name, v := range res.Documents[0].Fields {
		if v.Value == "" || v.Type == form.TypeCheckbox || v.Type == form.TypeSignature {
			continue
		}
		written++
		ceiling := coarseCeiling
		switch v.Type {
		case form.TypePersonnummer, form.TypeOrgnr:
			ceiling = coarseCheckedCeiling
			checked++
			if v.Flagged() {
				t.Errorf("%s read from a fax at %.3f: a number passing its check digit, want it not flagged", name, v.Confidence)
			}
		case form.TypePhone, form.TypeDate:
			// Up to coarseCheckedCeiling where another model read
			// the same.
			ceiling = coarseCheckedCeiling
			if !v.Flagged() {
				seconded++
			}
		}
		if v.Confidence > ceiling {
			t.Errorf("%s (%s) read from a fax at %.3f, over %.3f", name, v.Type, v.Confidence, ceiling)
		}
		if v.Confidence == ceiling || v.Confidence == coarseCeiling {
			capped++
		}
	}
	if written < 10 || capped == 0 || checked < 2 || seconded == 0 {
		t.Errorf("%d written values read, %d of them at a ceiling, %d numbers with a check digit, %d phone numbers and dates another model read the same: want the page read", written, capped, checked, seconded)
	}
}
