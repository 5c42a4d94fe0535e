package extract

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"golang.org/x/image/bmp"
)

// TestEncodeBMP: the image handed to Tesseract is the zone, pixel for
// pixel, whatever its width (BMP rows are padded to four bytes) and
// wherever the zone lies in a larger image.
func TestEncodeBMP(t *testing.T) {
	big := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range big.Pix {
		big.Pix[i] = uint8(i * 7)
	}
	for _, r := range []image.Rectangle{big.Bounds(), image.Rect(3, 2, 16, 9), image.Rect(5, 5, 6, 7)} {
		zone := big.SubImage(r).(*image.Gray)
		got, err := bmp.Decode(bytes.NewReader(encodeBMP(zone)))
		if err != nil {
			t.Fatalf("%v: %v", r, err)
		}
		if got.Bounds().Dx() != r.Dx() || got.Bounds().Dy() != r.Dy() {
			t.Fatalf("%v: decoded %v", r, got.Bounds())
		}
		for y := range r.Dy() {
			for x := range r.Dx() {
				want := zone.GrayAt(r.Min.X+x, r.Min.Y+y).Y
				if g := color.GrayModel.Convert(got.At(x, y)).(color.Gray).Y; g != want {
					t.Fatalf("%v: pixel %d,%d is %d, want %d", r, x, y, g, want)
				}
			}
		}
	}
}
