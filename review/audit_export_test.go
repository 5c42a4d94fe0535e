package review_test

import (
	"context"
	"encoding/csv"
	"fmt"
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
	today := time.Now().Format(time.DateOnly)
	weekAgo := time.Now().AddDate(0, 0, -7).Format(time.DateOnly)

	_, body := admin.do("GET", "/audit?fran="+weekAgo+"&till="+today, nil, nil)
	if !strings.Contains(body, "Värde rättat") || strings.Contains(body, "gammal") {
		t.Errorf("dates from %s to %s: the recent event missing or the old one shown", weekAgo, today)
	}
	_, body = admin.do("GET", "/audit?till="+time.Now().AddDate(0, 0, -9).Format(time.DateOnly), nil, nil)
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
