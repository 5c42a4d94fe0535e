package corpus

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"blankett/form"
)

// Scan profiles of the mailroom world: how a page reached the scanner and
// how the scanner saved it. "office" is the committed corpus's scanner.
const (
	ProfileOffice      = "office"       // grey or 1-bit, 200–300 DPI, JPEG 40–90 or G4
	ProfileFax         = "fax"          // 150 DPI, 1-bit, G4, often blurred
	ProfilePoorJPEG    = "jpeg-poor"    // JPEG quality 20–30
	ProfileMinIsBlack  = "min-is-black" // 1-bit G4 stored white-is-one (TIFF photometric 1; PDF /Decode [1 0])
	ProfileStamp       = "stamp"        // colour: a red received-stamp and a blue pen mark over fields; some filled in blue
	ProfileBorder      = "border"       // dark scanner-lid borders and two hole punches
	ProfileLowContrast = "low-contrast" // faded ink and uneven light
)

// Profiles lists the scan profiles the generator draws from.
var Profiles = []string{ProfileOffice, ProfileFax, ProfilePoorJPEG, ProfileMinIsBlack, ProfileStamp, ProfileBorder, ProfileLowContrast}

// profileFormat is how a profile's pages are stored.
func profileFormat(p string, r *rand.Rand) scanFormat {
	switch p {
	case ProfileFax:
		return scanFormat{[]string{FormatPDFG4, FormatTIFFG4}[r.IntN(2)], 150, true, false}
	case ProfilePoorJPEG, ProfileStamp, ProfileLowContrast:
		return scanFormat{FormatPDFJPEG, 200, false, false}
	case ProfileMinIsBlack:
		return scanFormat{[]string{FormatPDFG4, FormatTIFFG4}[r.IntN(2)], 200, true, true}
	case ProfileBorder:
		return scanVariants[r.IntN(len(scanVariants))].f
	}
	return scanVariants[r.IntN(len(scanVariants))].f
}

// profileSpec draws a page's scan for a profile.
func profileSpec(p string, r *rand.Rand, f scanFormat) scanSpec {
	s := randomSpec(r, f)
	s.Profile = p
	switch p {
	case ProfileFax:
		s.Blur = r.IntN(2) == 0
	case ProfilePoorJPEG:
		s.JPEGQuality = 20 + r.IntN(11)
	case ProfileLowContrast:
		s.Contrast = 0.45 + 0.15*r.Float64()
		s.Light = 0.12 + 0.12*r.Float64()
		s.Blur = false
	case ProfileStamp:
		s.JPEGQuality = 55 + r.IntN(30)
	}
	return s
}

// punchHoles paints two hole punches, 80 mm apart along the left edge, on
// an upright page raster (black: the scanner's lid shows through).
func punchHoles(img *image.Gray, dpi int) {
	k := float64(dpi) / 72
	mm := 72 / 25.4 * k
	h := float64(img.Bounds().Dy())
	for _, y := range []float64{h/2 - 40*mm, h/2 + 40*mm} {
		stamp(img, 11*mm, y, 3*mm, 25)
	}
}

// darkBorders paints the scanner lid's dark bands along one or two edges.
func darkBorders(img *image.Gray, dpi int, r *rand.Rand) {
	mm := float64(dpi) / 25.4
	b := img.Bounds()
	band := func(rect image.Rectangle) {
		draw.Draw(img, rect.Intersect(b), &image.Uniform{color.Gray{Y: uint8(15 + r.IntN(30))}}, image.Point{}, draw.Src)
	}
	w := int((2 + 3*r.Float64()) * mm)
	band(image.Rect(b.Max.X-w, 0, b.Max.X, b.Max.Y))
	if r.IntN(2) == 0 {
		band(image.Rect(0, b.Max.Y-int((2+2*r.Float64())*mm), b.Max.X, b.Max.Y))
	} else {
		band(image.Rect(0, 0, int((1.5+2*r.Float64())*mm), b.Max.Y))
	}
}

// faxHeaderFormat is the line a sending fax machine prints over the top
// of each page it sends (its transmit terminal identification), as
// machines print it: the time it was sent, the sender's number and name,
// often the receiver's number, and the page's number among the pages
// sent, in one of a few machines' styles; a format of the page and the
// pages (see feed.faxHeader).
func faxHeaderFormat(sent time.Time, org string, r *rand.Rand) string {
	at := sent.Add(time.Duration(8*60+r.IntN(9*60)) * time.Minute)
	number := makeLandline(r)
	// A fax machine's letters are ASCII: FRAN for FRÅN.
	name := faxLetters.Replace(strings.ToUpper(org))
	switch r.IntN(4) {
	case 0:
		return at.Format("2006-01-02 15:04") + "  FRAN: " + number + "  TILL: 010-116 00 00  S. %[1]d/%[2]d"
	case 1:
		return at.Format("02/01/2006 15:04") + "  " + name + "  " + number + "  SID %03[1]d/%03[2]d"
	case 2:
		return strings.ToUpper(at.Format("Jan-02-2006 15:04")) + "  FROM: " + name + "  FAX " + number + "  P.%[1]d/%[2]d"
	}
	return at.Format("2006-01-02 15:04") + "  " + number + "  " + name + "  SIDA %[1]d AV %[2]d"
}

// FaxHeader is a page image as a fax machine sends it, with its line over
// the top (see printFaxHeader): for extraction's tests, the line of a
// machine in the style seed draws, sent from org as page n of m.
func FaxHeader(page *image.Gray, org string, n, m, dpi int, seed uint64) (*image.Gray, string) {
	r := rand.New(rand.NewPCG(seed, 0xfa))
	line := fmt.Sprintf(faxHeaderFormat(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), org, r), n, m)
	return printFaxHeader(page, line, dpi).(*image.Gray), line
}

// faxLetters spells a name's capitals in a fax machine's ASCII letters.
var faxLetters = strings.NewReplacer("Å", "A", "Ä", "A", "Ö", "O", "É", "E", "È", "E", "Ü", "U", "Ø", "O", "Æ", "AE")

// printFaxHeader prints a fax machine's line over the top of a page
// image as the machine sent it (after any turn of the sheet fed into it):
// small block letters, 2 mm from the top edge and 5 mm from the left. A
// page not grey (a colour scan: no fax) is returned as it is.
func printFaxHeader(page image.Image, line string, dpi int) image.Image {
	img, ok := page.(*image.Gray)
	if !ok {
		return page
	}
	out := image.NewGray(img.Rect)
	copy(out.Pix, img.Pix)
	mask := stampMask(line)
	k := float64(dpi) / 100 // the font's 13 pixels: about 3 mm
	mm := float64(dpi) / 25.4
	x0, y0 := int(5*mm), int(2*mm)
	b, mb := out.Bounds(), mask.Bounds()
	for y := 0; y < int(float64(mb.Dy())*k); y++ {
		for x := 0; x < int(float64(mb.Dx())*k); x++ {
			if mask.GrayAt(int(float64(x)/k), int(float64(y)/k)).Y < 128 {
				continue
			}
			if p := image.Pt(b.Min.X+x0+x, b.Min.Y+y0+y); p.In(b) {
				out.SetGray(p.X, p.Y, color.Gray{})
			}
		}
	}
	return out
}

// fadeAndLight lowers the contrast (ink comes out at paper-contrast
// times the difference) and lets the light fall off across the page.
func fadeAndLight(img *image.Gray, contrast, light float64, r *rand.Rand) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	ax, ay := r.Float64(), r.Float64()
	const paper = 248.0
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			i := y*img.Stride + x
			v := paper - (paper-float64(img.Pix[i]))*contrast
			// Light falls off away from one corner.
			d := math.Hypot((float64(x)/w-ax), (float64(y)/h-ay)) / math.Sqrt2
			img.Pix[i] = uint8(math.Max(0, v*(1-light*d)))
		}
	}
}

// forward maps a point of the upright page raster (pixels) to the scanned
// image that degrade makes of it with s (sw × sh: the raster's size).
func forward(s scanSpec, sw, sh int, x, y float64) (float64, float64) {
	k := float64(s.DPI) / 72
	cx, cy := float64(sw)/2, float64(sh)/2
	scale := s.Scale
	if scale == 0 {
		scale = 1
	}
	rx, ry := (x-cx)*scale+s.ShiftX*k, (y-cy)*scale+s.ShiftY*k
	th := s.Skew * math.Pi / 180
	cos, sin := math.Cos(th), math.Sin(th)
	ux, uy := cos*rx-sin*ry+cx, sin*rx+cos*ry+cy
	switch s.Turned {
	case 90:
		return float64(sh) - uy, ux
	case 180:
		return float64(sw) - ux, float64(sh) - uy
	case 270:
		return uy, float64(sw) - ux
	}
	return ux, uy
}

// inkColour paints colour over a grey scan, as ink on paper: each channel
// is the darker of the scan's and the ink's.
type inkColour struct{ r, g, b uint8 }

var (
	stampRed = inkColour{205, 45, 55}
	penBlue  = inkColour{40, 60, 175}
)

// colourScan turns a grey scan into colour and puts a red received-stamp
// over one text field and a blue pen mark over another. zones are the
// page's non-empty text fields (template points); written, when not
// empty, the zones whose ink (values, ticks, signatures) is a blue pen's;
// sw, sh the upright raster's size.
func colourScan(g *image.Gray, s scanSpec, sw, sh int, zones, written []form.Box, received string, r *rand.Rand) *image.RGBA {
	b := g.Bounds()
	out := image.NewRGBA(b)
	for i, v := range g.Pix {
		out.Pix[4*i], out.Pix[4*i+1], out.Pix[4*i+2], out.Pix[4*i+3] = v, v, v, 255
	}
	k := float64(s.DPI) / 72
	// A streak is the scanner's, drawn over the pen's ink: grey, not
	// blue.
	streaked := make([]bool, b.Dx())
	for _, st := range s.Streaks {
		x0, n := streakPixels(st, b.Dx(), s.DPI)
		for x := max(0, x0); x < min(b.Dx(), x0+n); x++ {
			streaked[x] = true
		}
	}
	for _, z := range written {
		// The ink inside the zone, its rules left black: as dark as
		// it was, in the pen's blue.
		for uy := (z.Y + 1.5) * k; uy < (z.Y+z.H-1.5)*k; uy += 0.5 {
			for ux := (z.X + 1.5) * k; ux < (z.X+z.W-1.5)*k; ux += 0.5 {
				fx, fy := forward(s, sw, sh, ux, uy)
				p := image.Pt(int(fx), int(fy))
				if !p.In(b) || streaked[p.X-b.Min.X] {
					continue
				}
				i := out.PixOffset(p.X, p.Y)
				v := g.Pix[g.PixOffset(p.X, p.Y)]
				if v == 255 || out.Pix[i] != out.Pix[i+2] {
					continue // paper, or blue already
				}
				ink := 255 - int(v)
				out.Pix[i] = uint8(255 - ink*(255-int(penBlue.r))/255)   // #nosec G115 -- between the ink's and 255
				out.Pix[i+1] = uint8(255 - ink*(255-int(penBlue.g))/255) // #nosec G115 -- between the ink's and 255
				out.Pix[i+2] = uint8(255 - ink*(255-int(penBlue.b))/255) // #nosec G115 -- between the ink's and 255
			}
		}
	}
	if len(zones) == 0 {
		return out
	}
	paint := func(x, y float64, rad float64, c inkColour) {
		for yy := int(y - rad); yy <= int(y+rad); yy++ {
			for xx := int(x - rad); xx <= int(x+rad); xx++ {
				if !image.Pt(xx, yy).In(b) || math.Hypot(float64(xx)-x, float64(yy)-y) > rad {
					continue
				}
				i := out.PixOffset(xx, yy)
				out.Pix[i] = min(out.Pix[i], c.r)
				out.Pix[i+1] = min(out.Pix[i+1], c.g)
				out.Pix[i+2] = min(out.Pix[i+2], c.b)
			}
		}
	}
	// The stamp: a double frame with INKOM and the date, about 50 × 18 mm,
	// tilted a little, its centre over a field's writing.
	z := zones[r.IntN(len(zones))]
	cx, cy := (z.X+z.W*(0.2+0.4*r.Float64()))*k, (z.Y+z.H/2)*k
	ang := (r.Float64()*2 - 1) * 8 * math.Pi / 180
	sw2, sh2 := 70*k, 25*k
	mask := stampMask("INKOM", received)
	mb := mask.Bounds()
	for py := -sh2; py <= sh2; py += 0.5 {
		for px := -sw2; px <= sw2; px += 0.5 {
			edge := math.Min(sw2-math.Abs(px), sh2-math.Abs(py))
			on := edge < 1.6*k || edge > 3.2*k && edge < 4.2*k
			if !on {
				mx := int((px + sw2*0.8) / (sw2 * 1.6) * float64(mb.Dx()))
				my := int((py + sh2*0.7) / (sh2 * 1.4) * float64(mb.Dy()))
				on = image.Pt(mx, my).In(mb) && mask.GrayAt(mx, my).Y > 0
			}
			if !on {
				continue
			}
			ux := cx + px*math.Cos(ang) - py*math.Sin(ang)
			uy := cy + px*math.Sin(ang) + py*math.Cos(ang)
			x, y := forward(s, sw, sh, ux, uy)
			paint(x, y, 0.5*k, stampRed)
		}
	}
	// The pen: a wavy stroke along another field's writing, as a reader
	// underlines or ticks off what they checked.
	z = zones[r.IntN(len(zones))]
	x0, x1 := (z.X+4)*k, (z.X+4+z.W*(0.3+0.4*r.Float64()))*k
	yb := (z.Y + z.H*(0.55+0.25*r.Float64())) * k
	for x := x0; x < x1; x += 0.5 {
		y := yb + math.Sin((x-x0)/(6*k))*1.5*k
		fx, fy := forward(s, sw, sh, x, y)
		paint(fx, fy, 0.6*k, penBlue)
	}
	return out
}

// stampMask renders the stamp's two lines of text, one bit a pixel.
func stampMask(lines ...string) *image.Gray {
	face := basicfont.Face7x13
	w := 0
	for _, l := range lines {
		w = max(w, font.MeasureString(face, l).Ceil())
	}
	img := image.NewGray(image.Rect(0, 0, w+2, 15*len(lines)))
	d := &font.Drawer{Dst: img, Src: image.White, Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(1, 12+15*i)
		d.DrawString(l)
	}
	return img
}

// Sample is one file of WriteSamples: a case reading must get right.
type Sample struct {
	Name string // file stem, e.g. "agreement-reversed"
	What string // what it shows
}

// streaksThrough is a streak each down the middle of d's first
// signature box, its first empty tick box and its first typed value of a
// number type (where a lost stroke makes another valid number): black,
// grey and pale.
func streaksThrough(t *form.Template, d doc) []streak {
	var out []streak
	seen := map[form.FieldType]bool{}
	for _, f := range t.Fields {
		var grey uint8
		switch {
		case seen[f.Type]:
			continue
		case f.Type == form.TypeSignature:
			grey = 30
		case f.Type == form.TypeCheckbox && d.values[f.Name] != "true":
			grey = 90
		case (f.Type == form.TypePersonnummer || f.Type == form.TypePhone) && d.values[f.Name] != "":
			grey = 150
		default:
			continue
		}
		seen[f.Type] = true
		out = append(out, streak{At: (f.Zone.X + f.Zone.W*0.5) / t.PageWidth, Width: 0.25, Grey: grey})
	}
	return out
}

// foldsThrough is a crease each through the middle of the line of d's
// first typed personnummer and of its first typed value of another type
// lower on the page, a dark one and a grey one, and a dark one down the
// middle of the sheet, each about half a millimetre wide.
func foldsThrough(t *form.Template, d doc) []fold {
	var out []fold
	var after float64
	for _, want := range []form.FieldType{form.TypePersonnummer, form.TypeText} {
		for _, f := range t.Fields {
			if f.Type != want || d.values[f.Name] == "" || f.Zone.Y < after {
				continue
			}
			grey := uint8(120)
			if len(out) > 0 {
				grey = 170
			}
			out = append(out, fold{At: (f.Zone.Y + f.Zone.H*0.55) / t.PageHeight, Width: 0.5, Grey: grey})
			after = f.Zone.Y + 3*f.Zone.H
			break
		}
	}
	return append(out, fold{At: 0.5, Width: 0.6, Grey: 115, Down: true})
}

// Samples are the files WriteSamples writes.
var Samples = []Sample{
	{"agreement-reversed", "a four-page agreement fed in reverse order"},
	{"9445-min-is-black", "a G4 TIFF saved min-is-black (photometric 1, one bits white)"},
	{"9445-stamp", "a red received-stamp and a blue pen mark over fields, colour JPEG"},
	{"9445-low-contrast", "faded ink and uneven light, signature block included"},
	{"9445-stamp-tiff", "the stamped colour page saved as a production scanner saves it: a TIFF, JPEG in strips of 16 rows (libtiff), YCbCr"},
	{"9445-keystone", "a page seen in perspective, its top edge a twentieth narrower than its foot and skewed, grey JPEG at 200 DPI"},
	{"9445-legal-g4", "a 1-bit page with hole punches and dust, scanned a little small and skewed on a Legal-size canvas at its corner, G4 in a PDF at 300 DPI"},
	{"9445-blue-pen", "filled in with a blue pen (values, ticks, signature), stamped in red, colour JPEG"},
	{"9445-streaks", "a sheet feeder's streaks down the page, black and grey, through the signature, an empty tick box and a typed value, grey JPEG at 300 DPI"},
	{"9445-folds", "a sheet folded for its envelope, skewed, its creases across it through the middle of a line of typed values (a personnummer among them) and through a name, and one down it through the middle of every line across the page, grey JPEG at 200 DPI"},
}

// WriteSamples writes the Samples with their truth into dir (one scan
// each, from the world of seed), deterministically: golden tests generate
// them rather than keep binary files.
func WriteSamples(ctx context.Context, seed int64, dir string) error {
	tpls, err := form.LoadTemplates()
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	today, _ := time.Parse("2006-01-02", DefaultDate)
	g := &generator{opts: Options{Seed: seed, OutDir: dir}, tpls: tpls, blanks: map[form.Kind][]byte{}, today: today}
	g.world = newWorld(g.rng("world", 0), g.rng("mail", 0), today, false)
	for _, s := range Samples {
		r := g.rng("sample/"+s.Name, 0)
		var d doc
		var f scanFormat
		var fd feed
		profile := ""
		switch s.Name {
		case "agreement-reversed":
			d = g.world.baseAgreement(r, g.world.unknown)
			d.name = "agreement_new_party"
			f, fd = scanFormat{FormatPDFJPEG, 200, false, false}, feed{order: "reversed"}
		case "9445-min-is-black":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f, profile = scanFormat{FormatTIFFG4, 200, true, true}, ProfileMinIsBlack
		case "9445-stamp":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f, profile = scanFormat{FormatPDFJPEG, 200, false, false}, ProfileStamp
		case "9445-blue-pen":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			d.blueInk = true
			f, profile = scanFormat{FormatPDFJPEG, 200, false, false}, ProfileStamp
		case "9445-stamp-tiff":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f, profile = scanFormat{FormatTIFFJPEG, 200, false, false}, ProfileStamp
		case "9445-legal-g4":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f, fd, profile = scanFormat{FormatPDFG4, 300, true, false}, feed{canvas: true}, ProfileBorder
		case "9445-keystone":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f = scanFormat{FormatPDFJPEG, 200, false, false}
		case "9445-streaks":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f = scanFormat{FormatPDFJPEG, 300, false, false}
		case "9445-folds":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f = scanFormat{FormatPDFJPEG, 200, false, false}
		case "9445-low-contrast":
			d = g.world.base9445(r, g.world.inForce)
			d.name = "valid_new"
			f, profile = scanFormat{FormatPDFJPEG, 200, false, false}, ProfileLowContrast
		}
		sc, err := g.scanDoc(ctx, d, 1, f.dpi, r, func(int) scanSpec {
			sp := profileSpec(profile, r, f)
			if profile == "" {
				sp = randomSpec(r, f)
			}
			if profile == ProfileLowContrast {
				sp.Contrast, sp.Light = 0.42, 0.22
			}
			if s.Name == "9445-keystone" {
				sp.Skew, sp.Keystone = 1.4, [2]float64{0.02, 0.05}
			}
			if s.Name == "9445-streaks" {
				// Fed nearly straight, so that each streak crosses
				// what it was drawn through.
				sp.Scale, sp.Skew, sp.ShiftX, sp.ShiftY = 1, 0.3, 0, 0
				sp.Streaks = streaksThrough(g.tplOf(d), d)
			}
			if s.Name == "9445-folds" {
				sp.Skew = 1.2
				sp.Folds = foldsThrough(g.tplOf(d), d)
			}
			if s.Name == "9445-legal-g4" {
				// Scale and skew off enough that a prior filling the
				// canvas's width puts the printed words well away.
				sp.Scale, sp.Skew, sp.ShiftX, sp.ShiftY = 0.98, 1.1, -8.7, -11.5
			}
			return sp
		})
		if err != nil {
			return fmt.Errorf("corpus: sample %s: %w", s.Name, err)
		}
		if err := g.writeFedScanFile(ctx, dir, s.Name, f, fd, r, []scanned{sc}); err != nil {
			return fmt.Errorf("corpus: sample %s: %w", s.Name, err)
		}
	}
	return nil
}
