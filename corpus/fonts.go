package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/font"
)

// trueTypeFills are the TrueType faces, besides the PDF core fonts, that a
// mailroom's forms arrive typed in (a word processor's sans, serif,
// monospaced and narrow faces: Carlito has Calibri's shapes and widths,
// Word's default; Liberation Serif Times New Roman's; Open Sans is a
// humanist sans like the system faces of office desktops), by the
// PostScript name pdfcpu installs them under, from Debian's
// fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation,
// fonts-crosextra-carlito and fonts-open-sans (scripts/services.sh
// installs them).
var trueTypeFills = []struct{ name, file string }{
	{"DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
	{"DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"},
	{"DejaVuSansMono", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"},
	{"DejaVuSansCondensed", "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf"},
	{"LiberationSansNarrow", "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf"},
	{"LiberationSerif", "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"},
	{"Carlito", "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf"},
	{"OpenSans", "/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf"},
}

// installTrueTypeFills installs trueTypeFills for pdfcpu to embed, once
// per process, into the user's cache folder (pdfcpu's configuration
// folder is disabled, see pdfguard). Each is installed into a folder of
// its own and moved in whole, so that processes generating at once never
// read one half written.
var installTrueTypeFills = sync.OnceValue(func() error {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "blankett", "fonts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("fonts: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, "install-")
	if err != nil {
		return fmt.Errorf("fonts: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range trueTypeFills {
		if err := safely("install font "+f.name, func() error { return font.InstallTrueTypeFont(tmp, f.file) }); err != nil {
			return fmt.Errorf("%w (fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation, fonts-crosextra-carlito and fonts-open-sans installed?)", err)
		}
		gob := f.name + ".gob"
		if err := os.Rename(filepath.Join(tmp, gob), filepath.Join(dir, gob)); err != nil {
			return fmt.Errorf("fonts: %s installed under another name: %w", f.file, err)
		}
	}
	font.UserFontDir = dir
	if err := font.LoadUserFonts(); err != nil {
		return fmt.Errorf("fonts: load: %w", err)
	}
	return nil
})
