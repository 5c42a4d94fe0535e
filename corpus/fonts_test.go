package corpus

import (
	"context"
	"math"
	"testing"

	"blankett/form"
)

// TestTrueTypeFills: a value typed in each of the word processor's faces
// is printed in that face, at the width its metrics give (the mono face
// wider than the sans, the narrow and condensed ones narrower), Swedish
// letters and all.
func TestTrueTypeFills(t *testing.T) {
	needTools(t)
	tpl := templates(t)[form.Kind9445]
	var field form.Field
	for _, f := range tpl.Fields {
		if f.Type == form.TypeText && f.Page == 1 && f.Zone.W >= 200 {
			field = f
			break
		}
	}
	if field.Name == "" {
		t.Fatal("no wide text field on the 9445's first page")
	}
	const value, dpi = "Åsa Öberg-Häll", 150
	k := float64(dpi) / 72
	widths := map[string]float64{}
	for _, face := range append([]string{"Helvetica"}, func() (names []string) {
		for _, f := range trueTypeFills {
			names = append(names, f.name)
		}
		return names
	}()...) {
		style := fillStyle{Font: face, Size: 11, Tick: "x"}
		blank, err := flatPDF(tpl, nil, style)
		if err != nil {
			t.Fatalf("%s: %v", face, err)
		}
		filled, err := flatPDF(tpl, map[string]string{field.Name: value}, style)
		if err != nil {
			t.Fatalf("%s: %v", face, err)
		}
		pages, err := rasterize(context.Background(), filled, dpi)
		if err != nil {
			t.Fatal(err)
		}
		empty, err := rasterize(context.Background(), blank, dpi)
		if err != nil {
			t.Fatal(err)
		}
		// The ink the value added, within its zone.
		img, bare := pages[0], empty[0]
		minX, maxX := math.MaxInt, -1
		z := field.Zone
		for y := int(z.Y * k); y < int((z.Y+z.H)*k); y++ {
			for x := int(z.X * k); x < int((z.X+z.W)*k); x++ {
				i := img.PixOffset(x, y)
				if img.Pix[i] < 128 && bare.Pix[i] >= 128 {
					minX, maxX = min(minX, x), max(maxX, x)
				}
			}
		}
		if maxX < 0 {
			t.Errorf("%s: no value printed", face)
			continue
		}
		got, want := float64(maxX-minX+1)/k, textWidth(value, face, float64(fitSize(value, z.W-8, style)))
		if math.Abs(got-want) > 0.12*want {
			t.Errorf("%s: printed %.1f pt wide, its metrics say %.1f", face, got, want)
		}
		widths[face] = got
	}
	t.Logf("widths in points: %v", widths)
	if !(widths["DejaVuSansMono"] > widths["DejaVuSans"] && widths["DejaVuSans"] > widths["DejaVuSansCondensed"] && widths["Helvetica"] > widths["LiberationSansNarrow"]) {
		t.Errorf("the faces' widths do not differ as theirs do: %v", widths)
	}
}
