package review_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"blankett/form"
	"blankett/storage"
)

// TestPersonExportPage: an admin gets a person's registry entries as a JSON
// attachment, by POST (the number is in no URL or log line); a reviewer
// may not; the export is audited without the number.
func TestPersonExportPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("ada", form.AccountAdmin)
	h.account("rita", form.AccountReviewer)

	admin := h.client()
	admin.login("ada")
	if resp, body := admin.do(http.MethodGet, "/admin/person", nil, nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="personnummer"`) {
		t.Fatalf("form page: %d", resp.StatusCode)
	}
	resp, body := admin.do(http.MethodPost, "/admin/person", url.Values{"personnummer": {ordererPnr}}, nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	var exp storage.PersonExport
	if err := json.Unmarshal([]byte(body), &exp); err != nil {
		t.Fatal(err)
	}
	if len(exp.Orderers) != 1 || exp.Orderers[0].Personnummer != ordererPnr || exp.Orderers[0].Name != "Anna Beställare" {
		t.Fatalf("orderers %+v", exp.Orderers)
	}
	if resp, _ := admin.do(http.MethodPost, "/admin/person", url.Values{"personnummer": {"12345"}}, nil); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid number: %d", resp.StatusCode)
	}

	reviewer := h.client()
	reviewer.login("rita")
	if resp, _ := reviewer.do(http.MethodPost, "/admin/person", url.Values{"personnummer": {ordererPnr}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("reviewer export: %d", resp.StatusCode)
	}

	log, err := storage.AuditLog(context.Background(), h.pool, storage.AuditFilter{Actor: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	exported := 0
	for _, e := range log {
		if e.Action == "person.exported" {
			exported++
			if strings.Contains(e.Detail+e.After, ordererPnr[2:]) {
				t.Fatalf("export audit names the person: %+v", e)
			}
		}
	}
	if exported != 1 {
		t.Fatalf("%d exports audited, want 1", exported)
	}
	for _, u := range h.requestedURLs() {
		if strings.Contains(u, ordererPnr[2:]) {
			t.Fatalf("personnummer in a URL: %s", u)
		}
	}
	if strings.Contains(h.logs.String(), ordererPnr[2:]) {
		t.Fatal("personnummer in the server's log")
	}
}
