package review_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/letter"
	"blankett/storage"
)

// addLetter renders a letter with paragraphs paragraphs (enough of them
// make a second page), puts it into the bucket and records it for a new
// decision on document doc, as the letters step would.
func (h *harness) addLetter(doc int64, kind, recipientKey, name string, paragraphs int) (storage.LetterRow, []byte) {
	h.t.Helper()
	ctx := context.Background()
	l := letter.Letter{Kind: kind, RecipientKey: recipientKey, Recipient: letter.Address{Name: name, Organisation: testOrgName,
		Street: "Storgatan 1", Postcode: "12345", Town: "Exempelby"},
		Date: time.Now(), Reference: fmt.Sprintf("SUS-2026-%06d", doc), Heading: "Besked om er blankett"}
	for i := range paragraphs {
		l.Paragraphs = append(l.Paragraphs, fmt.Sprintf("Stycke %d. Vi har tagit emot er blankett och prövat den mot registret för behörighetsadministration i SUS. Här står vad som händer härnäst och vad ni behöver göra.", i+1))
	}
	pdf, err := letter.Render(l, letter.DefaultSender())
	if err != nil {
		h.t.Fatal(err)
	}
	dec, err := storage.InsertDecision(ctx, h.pool, storage.Decision{DocumentID: doc, Outcome: form.StateApproved, Actor: "test"})
	if err != nil {
		h.t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	row := storage.LetterRow{DecisionID: dec, DocumentID: doc, Kind: kind, RecipientKey: recipientKey, RecipientName: name,
		ObjectKey: fmt.Sprintf("letters/%d/%s.pdf", dec, recipientKey), SHA256: hex.EncodeToString(sum[:]), SizeBytes: int64(len(pdf))}
	if err := h.blob.Put(ctx, row.ObjectKey, bytes.NewReader(pdf), row.SizeBytes, row.SHA256, "application/pdf"); err != nil {
		h.t.Fatal(err)
	}
	if row.ID, _, err = storage.InsertLetter(ctx, h.pool, row); err != nil {
		h.t.Fatal(err)
	}
	return row, pdf
}

var pdfinfoPages = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pdfPages is the page count pdfinfo gives for b.
func pdfPages(t *testing.T, b []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Fatal("pdfinfo (poppler-utils) is needed")
	}
	path := filepath.Join(t.TempDir(), "brev.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := pdfinfoPages.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %q", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestLetters: a document's letters on its page with downloads that go
// through the server and are audited; the admins' print batch of every
// unprinted letter, marked printed only once the PDF is built.
func TestLetters(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	h.account("post", form.AccountMailroom)
	h.account("adam", form.AccountAdmin)
	id, other := h.seed9445(), h.seed9463()
	toOrderer, ordererPDF := h.addLetter(id, letter.Kind9445ApprovedOrderer, letter.RecipientOrderer, "Anna Beställare", 1)
	toUser, userPDF := h.addLetter(id, letter.Kind9445ApprovedUser, letter.RecipientUser, "Tolvan Tolvansson", 40)
	elsewhere, elsewherePDF := h.addLetter(other, letter.Kind9463OrdererAdded, letter.OrdererRecipient(1), "Bertil Beställare", 1)
	ctx := context.Background()

	reviewer, mailroom, admin := h.client(), h.client(), h.client()
	reviewer.login("rita")
	mailroom.login("post")
	admin.login("adam")
	doc := fmt.Sprintf("/documents/%d", id)
	download := func(l storage.LetterRow) string { return fmt.Sprintf("%s/letters/%d", doc, l.ID) }

	t.Run("the document page lists its letters", func(t *testing.T) {
		resp, body := reviewer.do("GET", doc, nil, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("document page: %d", resp.StatusCode)
		}
		for _, want := range []string{"Brev", "Beställning godkänd, till beställaren (9445)", "Beställning godkänd, till användaren (9445)",
			"Anna Beställare", "Tolvan Tolvansson", "inte utskrivet", `href="` + download(toOrderer) + `"`, `href="` + download(toUser) + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("document page lacks %q", want)
			}
		}
		if strings.Contains(body, "Bertil Beställare") {
			t.Error("document page lists another document's letter")
		}
	})

	t.Run("a download is the letter as an attachment, audited", func(t *testing.T) {
		for _, tc := range []struct {
			l   storage.LetterRow
			pdf []byte
		}{{toOrderer, ordererPDF}, {toUser, userPDF}} {
			resp, body := reviewer.do("GET", download(tc.l), nil, nil)
			if resp.StatusCode != http.StatusOK || body != string(tc.pdf) {
				t.Fatalf("letter %d: %d, %d bytes, want %d", tc.l.ID, resp.StatusCode, len(body), len(tc.pdf))
			}
			for k, want := range map[string]string{
				"Content-Type":           "application/pdf",
				"Content-Disposition":    fmt.Sprintf(`attachment; filename="brev-%d.pdf"`, tc.l.ID),
				"X-Content-Type-Options": "nosniff",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("letter %d: %s %q, want %q", tc.l.ID, k, got, want)
				}
			}
		}
		if resp, _ := admin.do("GET", download(toUser), nil, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("admin download: %d", resp.StatusCode)
		}
		entries, err := storage.AuditLog(ctx, h.pool, storage.AuditFilter{Actor: "rita", DocumentID: id})
		if err != nil {
			t.Fatal(err)
		}
		downloads := 0
		for _, e := range entries {
			if e.Action == "letter.downloaded" {
				downloads++
			}
		}
		if downloads != 2 {
			t.Fatalf("%d letter.downloaded events for rita, want 2", downloads)
		}
	})

	t.Run("a letter of another document is not found", func(t *testing.T) {
		for _, path := range []string{download(elsewhere), doc + "/letters/999999", doc + "/letters/x"} {
			if resp, body := reviewer.do("GET", path, nil, nil); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "%PDF") {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}
		if resp, _ := reviewer.do("GET", fmt.Sprintf("/documents/%d/letters/%d", other, elsewhere.ID), nil, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("the letter under its own document: %d", resp.StatusCode)
		}
	})

	t.Run("mailroom and reviewers may not print, nor another site", func(t *testing.T) {
		for _, tc := range []struct {
			c            *client
			method, path string
		}{
			{mailroom, "GET", download(toOrderer)},
			{mailroom, "GET", "/letters"},
			{mailroom, "POST", "/letters/print-batch"},
			{reviewer, "GET", "/letters"},
			{reviewer, "POST", "/letters/print-batch"},
		} {
			if resp, body := tc.c.do(tc.method, tc.path, nil, nil); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "%PDF") {
				t.Errorf("%s %s: %d, want 403", tc.method, tc.path, resp.StatusCode)
			}
		}
		resp, body := admin.do("POST", "/letters/print-batch", nil, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "%PDF") {
			t.Errorf("cross-site print batch: %d, want 403", resp.StatusCode)
		}
		if left, _ := storage.UnprintedLetters(ctx, h.pool); len(left) != 3 {
			t.Fatalf("%d unprinted letters after refused batches, want 3", len(left))
		}
	})

	t.Run("the admins' page lists the unprinted letters", func(t *testing.T) {
		resp, body := admin.do("GET", "/letters", nil, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("letters page: %d", resp.StatusCode)
		}
		if !strings.Contains(body, "<strong>3</strong> brev väntar") || !strings.Contains(body, `action="/letters/print-batch"`) ||
			!strings.Contains(body, `href="/letters"`) {
			t.Fatalf("letters page:\n%s", body)
		}
		a, b, c := strings.Index(body, "Anna Beställare"), strings.Index(body, "Tolvan Tolvansson"), strings.Index(body, "Bertil Beställare")
		if a < 0 || b < a || c < b {
			t.Fatalf("letters not oldest first: %d %d %d", a, b, c)
		}
		if _, body := reviewer.do("GET", "/queue", nil, nil); strings.Contains(body, `href="/letters"`) {
			t.Error("a reviewer's navigation links to the print page")
		}
	})

	t.Run("a letter that does not match its SHA-256 stops the batch, nothing marked", func(t *testing.T) {
		bad := []byte("%PDF-1.7\nnot the letter\n")
		if err := h.blob.Put(ctx, elsewhere.ObjectKey, bytes.NewReader(bad), int64(len(bad)), "", "application/pdf"); err != nil {
			t.Fatal(err)
		}
		resp, body := admin.do("POST", "/letters/print-batch", nil, nil)
		if resp.StatusCode != http.StatusInternalServerError || strings.Contains(body, "%PDF") {
			t.Fatalf("batch with a changed letter: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if left, _ := storage.UnprintedLetters(ctx, h.pool); len(left) != 3 {
			t.Fatalf("%d unprinted letters after a failed batch, want 3", len(left))
		}
		if err := h.blob.Put(ctx, elsewhere.ObjectKey, bytes.NewReader(elsewherePDF), int64(len(elsewherePDF)), elsewhere.SHA256, "application/pdf"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("the print batch is one PDF of every unprinted letter, then marked printed", func(t *testing.T) {
		want := pdfPages(t, ordererPDF) + pdfPages(t, userPDF) + pdfPages(t, elsewherePDF)
		if want < 4 {
			t.Fatalf("the letters have %d pages together: the long one should have two or more", want)
		}
		resp, body := admin.do("POST", "/letters/print-batch", nil, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="brev-utskrift-`) {
			t.Fatalf("print batch: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
		if got := pdfPages(t, []byte(body)); got != want {
			t.Fatalf("batch has %d pages, the letters %d", got, want)
		}
		var batches []string
		for _, l := range []storage.LetterRow{toOrderer, toUser, elsewhere} {
			got, err := storage.GetLetter(ctx, h.pool, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PrintedAt.IsZero() || got.PrintBatch == "" {
				t.Errorf("letter %d not marked printed", l.ID)
			}
			batches = append(batches, got.PrintBatch)
		}
		if len(slices.Compact(slices.Clone(batches))) != 1 {
			t.Errorf("letters in batches %v, want one", batches)
		}
		entries, err := storage.AuditLog(ctx, h.pool, storage.AuditFilter{Actor: "adam"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(entries, func(e storage.AuditEntry) bool { return e.Action == "letters.batch_printed" }) {
			t.Error("the batch is not audited against the admin")
		}
		if _, body := reviewer.do("GET", doc, nil, nil); !strings.Contains(body, "utskrivet 20") {
			t.Error("the document page does not show its letters printed")
		}
	})

	t.Run("a second batch has nothing to print", func(t *testing.T) {
		resp, body := admin.do("POST", "/letters/print-batch", nil, nil)
		if resp.StatusCode != http.StatusSeeOther || strings.Contains(body, "%PDF") {
			t.Fatalf("second batch: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		resp, body = admin.do("GET", resp.Header.Get("Location"), nil, nil)
		if resp.StatusCode != http.StatusOK || strings.Count(body, "Inga brev att skriva ut.") < 1 {
			t.Fatalf("after the second batch: %d\n%s", resp.StatusCode, body)
		}
	})

	for _, u := range h.requestedURLs() {
		if strings.Contains(u, userPnr[2:]) || strings.Contains(u, ordererPnr[2:]) {
			t.Fatalf("personnummer in a URL: %s", u)
		}
	}
}
