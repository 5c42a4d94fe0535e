package form

import (
	"testing"
)

// FuzzParseTemplate feeds template loading arbitrary JSON: it must never
// panic, and what it accepts must pass its own checks again.
func FuzzParseTemplate(f *testing.F) {
	for _, name := range []string{"templates/9445.json", "templates/9463.json", "templates/agreement.json"} {
		b, err := templateFS.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"kind":"9445","pages":[{"number":1}],"fields":[{"name":"a","type":"text","page":9}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tpl, err := ParseTemplate(b)
		if err != nil {
			return
		}
		if err := tpl.Check(); err != nil {
			t.Fatalf("accepted a template that fails its check: %v", err)
		}
		for _, fl := range tpl.Fields {
			if fl.Page < 1 || fl.Page > len(tpl.Pages) {
				t.Fatalf("field %s on page %d of %d", fl.Name, fl.Page, len(tpl.Pages))
			}
		}
	})
}
