package review_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
)

// TestAuditFiltersAndExport: the audit page filters by account, document
// and dates, and exports the same selection as CSV in Swedish with
// personnummer masked; the export is audited.
func TestAuditFiltersAndExport(t *testing.T) {
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("ada", form.AccountAdmin)
	h.account("rita", form.AccountReviewer)
	id := h.seed9445()
	ctx := context.Background()
	for _, e := range []storage.AuditEvent{
		{Actor: "rita", Action: "document.corrected", DocumentID: id,
			Before: map[string]any{"field": "user_personnummer", "value": userPnr}, After: map[string]any{"field": "user_personnummer", "value": "191212121220"}},
		{Actor: "rita", Action: "document.viewed", DocumentID: id, Detail: "web"},
		{Actor: "rolf", Action: "document.viewed", DocumentID: id, Detail: "gammal"},
	} {
		if err := storage.Audit(ctx, h.pool, e); err != nil {
			t.Fatal(err)
		}
	}
	h.exec(`update audit_events set at = now() - interval '10 days' where actor = 'rolf'`)
	admin := h.client()
	admin.login("ada")
	// Dates are the office's days (Stockholm), whatever the machine's zone:
	// at 23:30 UTC it is already tomorrow there.
	now := time.Now().In(form.Stockholm())
	today := now.Format(time.DateOnly)
	weekAgo := now.AddDate(0, 0, -7).Format(time.DateOnly)

	_, body := admin.do("GET", "/audit?fran="+weekAgo+"&till="+today, nil, nil)
	if !strings.Contains(body, "Värde rättat") || strings.Contains(body, "gammal") {
		t.Errorf("dates from %s to %s: the recent event missing or the old one shown", weekAgo, today)
	}
	_, body = admin.do("GET", "/audit?till="+now.AddDate(0, 0, -9).Format(time.DateOnly), nil, nil)
	if !strings.Contains(body, "gammal") || strings.Contains(body, "Värde rättat") {
		t.Errorf("up to nine days ago: want only the old event")
	}
	_, body = admin.do("GET", "/audit?fran=igår", nil, nil)
	if !strings.Contains(body, "ÅÅÅÅ-MM-DD") {
		t.Errorf("a date that does not parse is not explained")
	}

	resp, body := admin.do("GET", fmt.Sprintf("/audit/export.csv?actor=rita&document=%d", id), nil, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v\n%s", err, body)
	}
	if len(rows) != 3 || rows[0][0] != "Tid" || rows[0][2] != "Händelse" {
		t.Fatalf("export rows %q", rows)
	}
	if rows[2][2] != "Värde rättat" || !strings.Contains(rows[2][4], "Fält: Personnummer") || !strings.Contains(rows[2][4], form.MaskPersonnummer(userPnr)) {
		t.Errorf("correction exported as %q", rows[2])
	}
	if strings.Contains(body, userPnr) || strings.Contains(body, "191212121220") || strings.Contains(body, "rolf") {
		t.Errorf("export holds a personnummer or an event outside the filter:\n%s", body)
	}
	var exported int
	if err := h.pool.QueryRow(ctx, `select count(*) from audit_events where action = 'audit.exported' and actor = 'ada' and detail like '%actor=rita%'`).Scan(&exported); err != nil || exported != 1 {
		t.Fatalf("export audited %d times (%v)", exported, err)
	}
	_, body = admin.do("GET", "/audit", nil, nil)
	if !strings.Contains(body, "Granskningslogg exporterad") || !strings.Contains(body, `href="/audit/export.csv"`) {
		t.Errorf("the audit page does not show the export or link to it")
	}
}

// TestAuditByPerson: the audit page shows the events about one person —
// on the documents that hold their personnummer, and searches for them —
// looked up by the number's keyed hash from a POST, never from a URL; the
// lookup is audited, the number is shown back masked, and the other
// filters and the export work with it.
func TestAuditByPerson(t *testing.T) {
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("ada", form.AccountAdmin)
	h.account("rita", form.AccountReviewer)
	ctx := context.Background()
	theirs, others := h.seed9445(), h.seed9445()
	for id, pnr := range map[int64]string{theirs: userPnr, others: ordererPnr} {
		err := h.pool.InTx(ctx, func(tx storage.Tx) error {
			doc, err := storage.LockDocument(ctx, tx, id)
			if err != nil {
				return err
			}
			v := form.Value{Name: "user_personnummer", Type: form.TypePersonnummer, Raw: pnr, Value: pnr, Confidence: 1}
			return storage.SaveCorrection(ctx, tx, doc, v, doc.Findings, "test")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	reviewer, admin := h.client(), h.client()
	reviewer.login("rita")
	admin.login("ada")
	for _, id := range []int64{theirs, others} {
		if resp, _ := reviewer.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil); resp.StatusCode != 200 {
			t.Fatalf("view %d: %d", id, resp.StatusCode)
		}
	}
	reviewer.do("POST", "/sok", url.Values{"q": {"19850704-1237"}}, nil)
	reviewer.do("POST", "/sok", url.Values{"q": {"19811218-9876"}}, nil) // the other person

	docsShown := func(body string) map[string]bool {
		out := map[string]bool{}
		for _, m := range regexp.MustCompile(`<a href="/audit\?document=(\d+)"`).FindAllStringSubmatch(body, -1) {
			out[m[1]] = true
		}
		return out
	}
	resp, body := admin.do("POST", "/audit", url.Values{"person": {"19850704-1237"}}, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("audit by person: %d", resp.StatusCode)
	}
	if docs := docsShown(body); !docs[fmt.Sprint(theirs)] || docs[fmt.Sprint(others)] || len(docs) != 1 {
		t.Errorf("events about the person: documents %v, want only %d", docs, theirs)
	}
	if n := strings.Count(body, `data-action="person.searched"`); n != 2 {
		t.Errorf("%d searches for the person shown, want rita's and this one (not the search for the other person)", n)
	}
	if !strings.Contains(body, "Visar händelser om personen 19850704-****") {
		t.Error("the page does not say whose events it shows, masked")
	}
	visible := regexp.MustCompile(`<input type="hidden"[^>]*>`).ReplaceAllString(body, "")
	if strings.Contains(visible, userPnr) || strings.Contains(visible, "19850704-1237") {
		t.Error("the personnummer is shown back unmasked")
	}

	// With another filter: only rita's events about the person.
	_, body = admin.do("POST", "/audit", url.Values{"person": {userPnr}, "actor": {"test"}}, nil)
	if strings.Contains(body, `data-action="document.viewed"`) || !strings.Contains(body, `data-action="document.corrected"`) {
		t.Error("the person and account filters together show another account's events")
	}

	_, body = admin.do("POST", "/audit", url.Values{"person": {"19850704-123"}}, nil)
	if !strings.Contains(body, "inte ett giltigt personnummer") || len(docsShown(body)) != 0 {
		t.Error("an incomplete personnummer is not explained, or events are shown")
	}

	resp, body = admin.do("POST", "/audit/export.csv", url.Values{"person": {"19850704-1237"}}, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export by person: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 3 {
		t.Fatalf("export by person: %d rows (%v)\n%s", len(rows), err, body)
	}
	for _, row := range rows[1:] {
		if row[3] != "" && row[3] != fmt.Sprint(theirs) {
			t.Errorf("exported an event of document %s, not the person's", row[3])
		}
	}

	h.personLookupsAudited(t, "ada", 3)
	h.noPersonnummerInURLs(t, "1237")
	if logs := h.logs.String(); strings.Contains(logs, userPnr) || strings.Contains(logs, "19850704-1237") {
		t.Error("the personnummer is in the server's log")
	}
}

// personLookupsAudited checks that actor's lookups of a person were
// audited n times, naming the person by a label, never by the number.
func (h *harness) personLookupsAudited(t *testing.T, actor string, n int) {
	t.Helper()
	var lookups int
	var detail string
	if err := h.pool.QueryRow(context.Background(), `select count(*), max(detail) from audit_events where action = 'person.searched' and actor = $1`, actor).
		Scan(&lookups, &detail); err != nil || lookups != n {
		t.Fatalf("%s's lookups of a person audited %d times, want %d (%v)", actor, lookups, n, err)
	}
	if personnummerPattern.MatchString(detail) || !strings.HasPrefix(detail, "person ") {
		t.Errorf("lookup audited as %q", detail)
	}
}

// noPersonnummerInURLs checks that no URL the server was asked for holds
// a personnummer, or the text part of one.
func (h *harness) noPersonnummerInURLs(t *testing.T, part string) {
	t.Helper()
	for _, u := range h.requestedURLs() {
		if personnummerPattern.MatchString(u) || strings.Contains(u, part) {
			t.Errorf("personnummer in URL %s", u)
		}
	}
}
