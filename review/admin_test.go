package review_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"blankett/form"
	"blankett/storage"
)

func TestAdminPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("adam", form.AccountAdmin)
	h.account("rita", form.AccountReviewer)
	id := h.seed9445()
	admin := h.client()
	admin.login("adam")

	t.Run("registry: an organisation's history, personnummer masked", func(t *testing.T) {
		resp, body := admin.do("GET", "/registry", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, testOrgName) || !strings.Contains(body, "Gäller") {
			t.Fatalf("registry: %d", resp.StatusCode)
		}
		resp, body = admin.do("GET", "/registry/"+testOrg, nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Anna Beställare") || !strings.Contains(body, "Sara Firmatecknare") ||
			!strings.Contains(body, "19811218-****") || strings.Contains(body, ordererPnr) {
			t.Fatalf("organisation page: %d\n%s", resp.StatusCode, body)
		}
	})

	t.Run("signatory CSV import shows its report", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("csv", "firmatecknare.csv")
		io.WriteString(fw, "org_number;name;title;valid_from;valid_to\n"+testOrg+";Nils Nilsson;Ordförande;2024-01-01;\n"+testOrg+";;;;\n")
		mw.Close()
		req, _ := http.NewRequest("POST", h.srv.URL+"/registry/signatories", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", h.srv.URL)
		resp, err := admin.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(b)
		if resp.StatusCode != 200 || !strings.Contains(body, "1 firmatecknare importerade") || !strings.Contains(body, "Rad 3") {
			t.Fatalf("import: %d\n%s", resp.StatusCode, body)
		}
	})

	t.Run("audit log: who saw and changed what, masked", func(t *testing.T) {
		reviewer := h.client()
		reviewer.login("rita")
		reviewer.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil)
		reviewer.do("POST", fmt.Sprintf("/documents/%d/fields/user_personnummer", id), url.Values{"value": {"19811218-9876"}}, nil) // another person than the one read
		resp, body := admin.do("GET", fmt.Sprintf("/audit?document=%d", id), nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Dokument visat") || !strings.Contains(body, "Värde rättat") ||
			!strings.Contains(body, "rita") {
			t.Fatalf("audit page: %d\n%s", resp.StatusCode, body)
		}
		if strings.Contains(body, userPnr) || strings.Contains(body, "19850704-1237") || strings.Contains(body, "9876") {
			t.Fatal("audit page shows a personnummer")
		}
	})

	t.Run("accounts: create, disable", func(t *testing.T) {
		resp, _ := admin.do("POST", "/accounts", url.Values{"name": {"post"}, "role": {"mailroom"}, "password": {password}, "password2": {password}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		mail := h.client()
		if resp := mail.login("post"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("new account login: %d", resp.StatusCode)
		}
		accs, _ := storage.ListAccounts(t.Context(), h.pool)
		var postID int64
		for _, a := range accs {
			if a.Name == "post" {
				postID = a.ID
			}
		}
		resp, _ = admin.do("POST", fmt.Sprintf("/accounts/%d/disable", postID), url.Values{}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: %d", resp.StatusCode)
		}
		if resp, _ := mail.do("GET", "/mailroom", nil, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disabled account still in: %d", resp.StatusCode)
		}
	})
}
