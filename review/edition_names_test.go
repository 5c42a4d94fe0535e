package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"blankett/corpus"
	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// TestEditionWithOtherFieldNamesInReview: documents read with editions
// whose every field has another name than the built-in editions' (same
// roles) show their organisation and person in the queue, are found by
// organisation number and by part of the organisation's name, and the
// audit page labels their fields as their own edition does. The audit
// page names a person searched for in words, never by a code.
func TestEditionWithOtherFieldNamesInReview(t *testing.T) {
	h := newHarness(t, nil)
	h.account("ada", form.AccountAdmin)
	ctx := context.Background()
	const (
		org     = "212000-1355"
		orgName = "Renbergs kommun"
		label   = "Organisationens namn enligt den omdöpta utgåvan"
	)

	// The renamed editions, imported and activated as an office does it;
	// the 9445's organisation name gets a label no built-in edition has.
	builtin, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	renamed := map[form.Kind]*form.Template{}
	for _, kind := range []form.Kind{form.Kind9445, form.Kind9463, form.KindAgreement} {
		first, ok := builtin.Primary(kind)
		if !ok {
			t.Fatalf("no built-in %s", kind)
		}
		r, err := corpus.OtherNames(first)
		if err != nil {
			t.Fatal(err)
		}
		if kind == form.Kind9445 {
			for i := range r.Fields {
				if r.Fields[i].Role == form.FieldOrgName {
					r.Fields[i].Label, r.Fields[i].Section = label, ""
				}
			}
		}
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.pipe.ImportTemplate(ctx, body, "ada"); err != nil {
			t.Fatalf("import %s: %v", r.ID(), err)
		}
		if _, err := h.pipe.ActivateTemplate(ctx, r.Kind, r.Edition, time.Time{}, "ada"); err != nil {
			t.Fatalf("activate %s: %v", r.ID(), err)
		}
		renamed[kind] = r
	}

	// One document of each kind, read with its renamed edition and stored
	// as extraction stores it (personnummer sealed), awaiting review.
	type roleRow struct {
		role form.FieldRole
		row  int
	}
	seed := func(kind form.Kind, values map[roleRow]string) int64 {
		t.Helper()
		res, err := h.pipe.Ingest(ctx, pipeline.Upload{Filename: "skanning.pdf", Source: "http", Actor: "test", Body: bytes.NewReader(fakePDF())})
		if err != nil {
			t.Fatal(err)
		}
		tmpl := renamed[kind]
		fields := form.Fields{}
		for rr, v := range values {
			f, _, ok := tmpl.ByRole(rr.role, rr.row)
			if !ok {
				t.Fatalf("%s has no field of role %s row %d", tmpl.ID(), rr.role, rr.row)
			}
			if first, _ := builtin.Primary(kind); first.RoleField(rr.role, rr.row) == f.Name {
				t.Fatalf("%s: %s is also a built-in name", tmpl.ID(), f.Name)
			}
			zone := f.Zone
			fields[f.Name] = form.Value{Name: f.Name, Role: f.Role, Row: f.Row, Type: f.Type, Raw: v, Value: v, Confidence: 0.99, Page: f.Page, Box: &zone}
		}
		if _, err := storage.RecordExtraction(ctx, h.pool, storage.Extraction{DocumentID: res.DocumentID, Version: 1, Engine: "test",
			Kind: kind, Edition: tmpl.Edition, Fields: fields}); err != nil {
			t.Fatal(err)
		}
		h.exec(`update documents set state = 'needs_review', findings = '[]' where id = $1`, res.DocumentID)
		return res.DocumentID
	}
	order := seed(form.Kind9445, map[roleRow]string{
		{form.FieldOrgName, 0}: orgName, {form.FieldOrgNumber, 0}: org,
		{form.FieldUserName, 0}: "Tolvan Tolvansson", {form.FieldUserPersonnummer, 0}: userPnr,
	})
	orderers := seed(form.Kind9463, map[roleRow]string{
		{form.FieldOrgName, 0}: orgName, {form.FieldOrgNumber, 0}: org,
		{form.FieldOrdererRowName, 1}: "Bertil Beställare", {form.FieldOrdererRowPersonnummer, 1}: newOrdererPnr,
	})
	agreement := seed(form.KindAgreement, map[roleRow]string{
		{form.FieldOrgName, 0}: orgName, {form.FieldOrgNumber, 0}: org,
		{form.FieldSignatoryName, 0}: "Sara Firmatecknare",
	})

	c := h.client()
	c.login("ada")
	// row is the table row of document id on a page.
	row := func(body string, id int64) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<tr[^>]*>\s*<td><a href="/documents/` + fmt.Sprint(id) + `" class="doc-link".*?</tr>`).FindString(body)
		if m == "" {
			t.Fatalf("no row for document %d", id)
		}
		return m
	}
	people := map[int64][]string{
		order:     {"Tolvan Tolvansson", form.MaskPersonnummer(userPnr)},
		orderers:  {"Bertil Beställare", form.MaskPersonnummer(newOrdererPnr)},
		agreement: {"Sara Firmatecknare"}, // the firmatecknare, who has no personnummer on the form
	}
	shows := func(where, body string, name string) {
		t.Helper()
		for id, person := range people {
			r := row(body, id)
			for _, want := range append([]string{name, org}, person...) {
				if !strings.Contains(r, want) {
					t.Errorf("%s: document %d's row does not show %q:\n%s", where, id, want, r)
				}
			}
		}
	}

	_, body := c.do("GET", "/queue", nil, nil)
	shows("queue", body, orgName)

	found := func(q string, want int) string {
		t.Helper()
		resp, body := c.do("POST", "/sok", url.Values{"q": {q}}, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("search %q: %d", q, resp.StatusCode)
		}
		if n := strings.Count(body, `class="doc-link"`); n != want {
			t.Errorf("search %q found %d documents, want %d", q, n, want)
		}
		return body
	}
	shows("search by organisation number", found(org, 3), orgName)
	shows("search by organisation number without the dash", found(strings.ReplaceAll(org, "-", ""), 3), orgName)
	shows("search by part of the name", found("renbergs", 3), orgName)

	// A correction of the organisation's name, by the renamed field: the
	// queue and the name search follow it, and the audit page labels the
	// field as the document's edition does.
	nameField := renamed[form.Kind9445].RoleField(form.FieldOrgName, 0)
	if resp, _ := c.do("POST", fmt.Sprintf("/documents/%d/fields/%s", order, nameField), url.Values{"value": {"Renbergs kommunförbund"}}, nil); resp.StatusCode >= 400 {
		t.Fatalf("correct %s: %d", nameField, resp.StatusCode)
	}
	_, body = c.do("GET", "/queue", nil, nil)
	if r := row(body, order); !strings.Contains(r, "Renbergs kommunförbund") {
		t.Errorf("queue after the correction:\n%s", r)
	}
	if body := found("kommunförbund", 1); !strings.Contains(body, fmt.Sprintf(`href="/documents/%d"`, order)) {
		t.Errorf("search for the corrected name does not find document %d", order)
	}
	_, body = c.do("GET", fmt.Sprintf("/audit?document=%d", order), nil, nil)
	corrected := regexp.MustCompile(`(?s)<tr data-action="document.corrected">.*?</tr>`).FindString(body)
	if !strings.Contains(corrected, label) || strings.Contains(corrected, nameField) {
		t.Errorf("audit page: the correction of %s is not labelled %q by its edition:\n%s", nameField, label, corrected)
	}

	// A search for a person is audited and shown in words: with the
	// number masked when the log is filtered by that person, and without
	// any code either way.
	if resp, _ := c.do("POST", "/sok", url.Values{"q": {userPnr[:8] + "-" + userPnr[8:]}}, nil); resp.StatusCode != 200 {
		t.Fatalf("search for a person: %d", resp.StatusCode)
	}
	code := regexp.MustCompile(`person [0-9a-f]{12}`)
	_, body = c.do("GET", "/audit", nil, nil)
	searched := regexp.MustCompile(`(?s)<tr data-action="person.searched">.*?</tr>`).FindString(body)
	if !strings.Contains(searched, "en person (personnummer visas inte)") || code.MatchString(body) {
		t.Errorf("audit page names a person searched for as:\n%s", searched)
	}
	_, body = c.do("POST", "/audit", url.Values{"person": {userPnr}}, nil)
	searched = regexp.MustCompile(`(?s)<tr data-action="person.searched">.*?</tr>`).FindString(body)
	if !strings.Contains(searched, "personnummer "+form.MaskPersonnummer(userPnr)) || code.MatchString(body) {
		t.Errorf("audit page filtered by the person names them as:\n%s", searched)
	}
	_, body = c.do("GET", "/audit/export.csv", nil, nil)
	if code.MatchString(body) || !strings.Contains(body, "en person (personnummer visas inte)") {
		t.Error("the audit export names a person by a code")
	}
	h.noPersonnummerInURLs(t, userPnr[8:])
}
