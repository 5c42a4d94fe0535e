package extract

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"blankett/corpus"
	"blankett/form"
)

var accuracyDir = flag.String("accuracy-dir", "", "corpus to measure (default: testdata/corpus)")

// score counts right and wrong values and their confidences.
type score struct {
	right, wrong         int
	confRight, confWrong float64
}

func (s *score) add(ok bool, conf float64) {
	if ok {
		s.right++
		s.confRight += conf
	} else {
		s.wrong++
		s.confWrong += conf
	}
}

func (s score) accuracy() float64  { return float64(s.right) / float64(max(1, s.right+s.wrong)) }
func (s score) meanRight() float64 { return s.confRight / float64(max(1, s.right)) }
func (s score) meanWrong() float64 { return s.confWrong / float64(max(1, s.wrong)) }

// report is the measurement over a corpus.
type report struct {
	byKey    map[string]*score // "kind/type/dpi"
	byType   map[string]*score // "type/dpi"
	classify score             // a document's kind and page range
	files    int
	misses   []string
}

func (r *report) field(kind form.Kind, ft form.FieldType, dpi int, ok bool, conf float64) {
	res := "digital"
	if dpi > 0 {
		res = fmt.Sprintf("%d dpi", dpi)
	}
	for _, k := range []string{string(kind) + " / " + string(ft) + " / " + res} {
		if r.byKey[k] == nil {
			r.byKey[k] = &score{}
		}
		r.byKey[k].add(ok, conf)
	}
	t := string(ft) + " / " + res
	if r.byType[t] == nil {
		r.byType[t] = &score{}
	}
	r.byType[t].add(ok, conf)
}

// measure extracts every file of a corpus and compares with its truth.
func measure(t *testing.T, e *Extractor, root string) *report {
	r := &report{byKey: map[string]*score{}, byType: map[string]*score{}}
	var paths []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".truth.json") {
			paths = append(paths, path)
		}
		return nil
	})
	sort.Strings(paths)
	for _, tp := range paths {
		var tr corpus.Truth
		b, _ := os.ReadFile(tp)
		if err := jsonUnmarshal(b, &tr); err != nil {
			t.Fatalf("%s: %v", tp, err)
		}
		path := filepath.Join(filepath.Dir(tp), filepath.Base(tr.File))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r.files++
		res, err := e.Extract(context.Background(), mediaOf(t, data), data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		for i, td := range tr.Documents {
			var d *Document
			if i < len(res.Documents) {
				d = &res.Documents[i]
			}
			classified := d != nil && d.Kind == td.Kind && len(res.Documents) == len(tr.Documents) &&
				(tr.Format == corpus.FormatPDFFillable || (d.FirstPage == td.FirstPage && d.LastPage == td.LastPage))
			r.classify.add(classified, 1)
			if !classified {
				r.misses = append(r.misses, fmt.Sprintf("%s doc %d: classification", filepath.Base(path), i+1))
				continue
			}
			dpi := 0
			if len(td.Pages) > 0 {
				dpi = td.Pages[0].DPI
			}
			for name, tf := range td.Fields {
				got := d.Fields[name]
				ok := got.Value == tf.Value
				r.field(td.Kind, tf.Type, dpi, ok, got.Confidence)
				if !ok {
					r.misses = append(r.misses, fmt.Sprintf("%s doc %d: %s = %q, want %q (conf %.2f)", filepath.Base(path), i+1, name, got.Value, tf.Value, got.Confidence))
				}
			}
		}
	}
	return r
}

func (r *report) print(w *os.File) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "field type / resolution\tvalues\taccuracy\tconf right\tconf wrong\t\n")
	keys := make([]string, 0, len(r.byType))
	for k := range r.byType {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := r.byType[k]
		fmt.Fprintf(tw, "%s\t%d\t%.2f %%\t%.2f\t%.2f\t\n", k, s.right+s.wrong, 100*s.accuracy(), s.meanRight(), s.meanWrong())
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "kind / field type / resolution\tvalues\taccuracy\tconf right\tconf wrong\t\n")
	keys = keys[:0]
	for k := range r.byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := r.byKey[k]
		fmt.Fprintf(tw, "%s\t%d\t%.2f %%\t%.2f\t%.2f\t\n", k, s.right+s.wrong, 100*s.accuracy(), s.meanRight(), s.meanWrong())
	}
	tw.Flush()
	var all score
	for _, s := range r.byType {
		all.right += s.right
		all.wrong += s.wrong
		all.confRight += s.confRight
		all.confWrong += s.confWrong
	}
	fmt.Fprintf(w, "\nfiles %d; classification and batch splitting %.2f %% (%d documents); all fields %.2f %%; mean confidence right %.2f, wrong %.2f\n",
		r.files, 100*r.classify.accuracy(), r.classify.right+r.classify.wrong, 100*all.accuracy(), all.meanRight(), all.meanWrong())
}

// TestAccuracy measures extraction on a corpus against its truth and prints
// the figures (`make accuracy` runs it on a freshly generated corpus).
// On the committed corpus it also holds the floor reached so far.
func TestAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole corpus")
	}
	root := *accuracyDir
	if root == "" {
		root = filepath.Join("..", "testdata", "corpus")
	}
	e := newTestExtractor(t)
	start := time.Now()
	r := measure(t, e, root)
	fmt.Printf("extraction accuracy on %s (%.0f s)\n", root, time.Since(start).Seconds())
	r.print(os.Stdout)
	for _, m := range r.misses {
		t.Log(m)
	}
	if r.classify.accuracy() < 1 {
		t.Errorf("classification and batch splitting %.2f %%, want 100 %%", 100*r.classify.accuracy())
	}
}
