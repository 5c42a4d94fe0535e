package review_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"blankett/form"
	"blankett/storage"
)

// TestTemplatesPage: an admin sees the built-in editions, uploads a
// template that is refused (the reason in Swedish beside the form, nothing
// stored, the server still serving), imports a good one, activates it and
// retires it.
func TestTemplatesPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.account("adam", form.AccountAdmin)
	admin := h.client()
	admin.login("adam")
	good, err := os.ReadFile("../testdata/editions/9445-002.json")
	if err != nil {
		t.Fatal(err)
	}
	second, err := form.ParseTemplate(good)
	if err != nil {
		t.Fatal(err)
	}
	upload := func(name string, body []byte) (*http.Response, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("template", name)
		fw.Write(body)
		mw.Close()
		req, _ := http.NewRequest("POST", h.srv.URL+"/blanketter", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", h.srv.URL)
		resp, err := admin.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	count := func() int {
		var n int
		if err := h.pool.QueryRow(t.Context(), `select count(*) from template_versions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	resp, body := admin.do("GET", "/blanketter", nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "FK 9445 (001)") || !strings.Contains(body, "Aktiv") || !strings.Contains(body, `for="mallfil"`) {
		t.Fatalf("page: %d\n%s", resp.StatusCode, body)
	}
	seeded := count()

	var m map[string]any
	if err := json.Unmarshal(good, &m); err != nil {
		t.Fatal(err)
	}
	fields := m["fields"].([]any)
	fields[0].(map[string]any)["zone"].(map[string]any)["y"] = 5000.0
	offPage, _ := json.Marshal(m)
	for _, c := range []struct {
		name, want string
		body       []byte
	}{
		{"halv.json", "inte korrekt JSON", good[:len(good)/3]},
		{"utanfor.json", "utanför sidan", offPage},
	} {
		resp, body := upload(c.name, c.body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) || !strings.Contains(body, `id="import-fel"`) ||
			!strings.Contains(body, `aria-describedby="import-fel"`) {
			t.Fatalf("%s: %d, want 422 with %q beside the upload\n%s", c.name, resp.StatusCode, c.want, body)
		}
	}
	if n := count(); n != seeded {
		t.Fatalf("refused uploads stored: %d versions, want %d", n, seeded)
	}
	if resp, _ := admin.do("GET", "/blanketter", nil, nil); resp.StatusCode != 200 {
		t.Fatalf("after refusals the page answers %d", resp.StatusCode)
	}

	if resp, _ := upload("9445-002.json", good); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/blanketter?klart=mall-importerad" {
		t.Fatalf("import: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = admin.do("GET", "/blanketter?klart=mall-importerad", nil, nil)
	if !strings.Contains(body, "Utkast") || !strings.Contains(body, "Aktivera FK 9445 (002) version 1") {
		t.Fatalf("after import:\n%s", body)
	}
	edition := url.Values{"kind": {string(second.Kind)}, "edition": {second.Edition}}
	zoneX := func(id int64, field string) string {
		t.Helper()
		_, body := admin.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil)
		m := regexp.MustCompile(`data-field="` + field + `"[^>]* x="([0-9.]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("document %d: no zone for %s", id, field)
		}
		return m[1]
	}
	act := url.Values{"kind": edition["kind"], "edition": edition["edition"], "from": {"2020-02-03"}}
	if resp, _ := admin.do("POST", "/blanketter/activate", act, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate: %d", resp.StatusCode)
	}
	state := func() (storage.TemplateState, string) {
		var s, from string
		if err := h.pool.QueryRow(t.Context(), `select state, coalesce(valid_from::text, '') from template_versions where edition = $1`, second.Edition).Scan(&s, &from); err != nil {
			t.Fatal(err)
		}
		return storage.TemplateState(s), from
	}
	if s, from := state(); s != storage.TemplateActive || from != "2020-02-03" {
		t.Fatalf("after activate: %s from %s", s, from)
	}
	if resp, body := admin.do("POST", "/blanketter/activate", url.Values{"kind": {"9445"}, "edition": {"FK 9445 (999)"}}, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ingen mall") {
		t.Fatalf("activate an edition there is none of: %d\n%s", resp.StatusCode, body)
	}
	// A document read with the second edition is drawn with its zones,
	// before and after the edition is retired.
	id := h.seed9445()
	h.exec(`update documents set edition = $2, fields = jsonb_set(fields, '{org_number}', (fields->'org_number') - 'box') where id = $1`, id, second.Edition)
	zone := mustZone(t, second, "org_number")
	want := fmt.Sprint(zone.X * (100.0 / 72)) // as the page computes it: zone × dpi/72
	if got := zoneX(id, "org_number"); got != want {
		t.Fatalf("org_number drawn at x %s, want the second edition's %s", got, want)
	}
	if resp, _ := admin.do("POST", "/blanketter/retire", edition, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", resp.StatusCode)
	}
	if s, _ := state(); s != storage.TemplateRetired {
		t.Fatalf("after retire: %s", s)
	}
	if got := zoneX(id, "org_number"); got != want {
		t.Fatalf("after retiring: org_number drawn at x %s, want the second edition's %s", got, want)
	}
	if resp, body := admin.do("POST", "/blanketter/retire", edition, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "redan avvecklad") {
		t.Fatalf("retire twice: %d\n%s", resp.StatusCode, body)
	}
	// An unclassified document: a reviewer picks the edition, and it is
	// queued to be read again as that edition.
	h.account("rita", form.AccountReviewer)
	reviewer := h.client()
	reviewer.login("rita")
	un := h.seed9445()
	h.exec(`update documents set state = 'unclassified', kind = '', fields = '{}', findings = '[]' where id = $1`, un)
	_, body = reviewer.do("GET", fmt.Sprintf("/documents/%d", un), nil, nil)
	if !strings.Contains(body, `id="classify"`) || !strings.Contains(body, `value="9445/FK 9445 (001)"`) || strings.Contains(body, `value="9445/`+second.Edition+`"`) {
		t.Fatalf("unclassified document page: the active editions to pick from are not offered\n%s", body)
	}
	if resp, _ := reviewer.do("POST", fmt.Sprintf("/documents/%d/classify", un), url.Values{"edition": {"9445/FK 9445 (999)"}}, nil); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("classify as an edition there is none of: %d", resp.StatusCode)
	}
	if resp, _ := reviewer.do("POST", fmt.Sprintf("/documents/%d/classify", un), url.Values{"edition": {"9445/FK 9445 (001)"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("classify: %d", resp.StatusCode)
	}
	if st := h.state(un); st != form.StateReceived {
		t.Fatalf("classified document is %s, want received (queued to be read)", st)
	}
	var args string
	if err := h.pool.QueryRow(t.Context(), `select args::text from river_job where kind = 'extract' and (args->>'document_id')::bigint = $1 order by id desc limit 1`, un).Scan(&args); err != nil ||
		!strings.Contains(args, `"edition": "FK 9445 (001)"`) {
		t.Fatalf("extract job for the classified document: %s (%v)", args, err)
	}
	if resp, _ := reviewer.do("POST", fmt.Sprintf("/documents/%d/classify", un), url.Values{"edition": {"9445/FK 9445 (001)"}}, nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("classify a document no longer unclassified: %d", resp.StatusCode)
	}

	_, body = admin.do("GET", "/audit", nil, nil)
	if !strings.Contains(body, "Blankettmall importerad") || !strings.Contains(body, "Blankettmall avvecklad") {
		t.Fatal("the audit log does not show the template changes")
	}
}

func mustZone(t *testing.T, tpl *form.Template, name string) form.Box {
	t.Helper()
	f, ok := tpl.Field(name)
	if !ok {
		t.Fatalf("%s has no field %s", tpl.ID(), name)
	}
	first, _ := form.LoadTemplate(tpl.Kind)
	if ff, ok := first.Field(name); ok && ff.Zone.X == f.Zone.X {
		t.Fatalf("%s is where it is on the first edition: the test could not tell them apart", name)
	}
	return f.Zone
}
