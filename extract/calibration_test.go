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
// with a check digit is coarseCheckedCeiling at most: never sure either.
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
	written, capped, checked := 0, 0, 0
	for name, v := range res.Documents[0].Fields {
		if v.Value == "" || v.Type == form.TypeCheckbox || v.Type == form.TypeSignature {
			continue
		}
		written++
		ceiling := coarseCeiling
		if v.Type == form.TypePersonnummer || v.Type == form.TypeOrgnr {
			ceiling = coarseCheckedCeiling
			checked++
			if v.Flagged() {
				t.Errorf("%s read from a fax at %.3f: a number passing its check digit, want it not flagged", name, v.Confidence)
			}
		}
		if v.Confidence > ceiling {
			t.Errorf("%s (%s) read from a fax at %.3f, over %.3f", name, v.Type, v.Confidence, ceiling)
		}
		if v.Confidence == ceiling {
			capped++
		}
	}
	if written < 10 || capped == 0 || checked < 2 {
		t.Errorf("%d written values read, %d of them at the ceiling, %d numbers with a check digit: want the page read", written, capped, checked)
	}
}
