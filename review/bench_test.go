package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// BenchmarkReviewPages measures the server time of the queue page and the
// document page and the overview with 100,000 documents in the database, and prints the
// 95th percentiles. The goal is under 50 ms each.
//
//	go test ./review/ -run '^$' -bench ReviewPages -benchtime 300x
func BenchmarkReviewPages(b *testing.B) {
	h := newHarness(b, nil)
	h.account("rita", form.AccountReviewer)
	ctx := context.Background()

	tmpl, err := form.LoadTemplate(form.Kind9445)
	if err != nil {
		b.Fatal(err)
	}
	fields := form.Fields{}
	for _, f := range tmpl.Fields {
		z := f.Zone
		fields[f.Name] = form.Value{Name: f.Name, Type: f.Type, Raw: "värde", Value: "värde", Confidence: 0.9, Page: 1, Box: &z}
	}
	fields["user_personnummer"] = form.Value{Name: "user_personnummer", Type: form.TypePersonnummer, Value: userPnr, Raw: userPnr, Confidence: 0.9}
	findings := []form.Finding{{Code: "SMS_MOBILE_INVALID", Severity: form.SeverityError, Field: "user_mobile", Message: "Mobilnumret är inte ett giltigt svenskt mobilnummer."},
		{Code: "ORDERER_NOT_REGISTERED", Severity: form.SeverityError, Field: "orderer_name", Message: "Beställaren är inte registrerad.",
			Evidence: map[string]string{"org_number": testOrg, "as_of": "2026-01-01"}}}
	fj, _ := json.Marshal(fields)
	fi, _ := json.Marshal(findings)
	pages, _ := json.Marshal([]storage.Page{{Page: 1, TemplatePage: 1, Key: "pages/x/1.jpg", Width: 1240, Height: 1754, DPI: 150}})

	start := time.Now()
	h.exec(`
		insert into documents (sha256, object_key, filename, media_type, size_bytes, source, state, kind, fields, findings, pages, received_at)
		select md5(g::text) || md5((-g)::text), 'originals/' || g, 'skanning-' || g || '.pdf', 'application/pdf', 200000, 'http',
			(array['needs_review', 'done', 'done', 'rejected', 'approved', 'unreadable', 'needs_review', 'done'])[1 + g % 8],
			(array['9445', '9445', '9463', 'agreement'])[1 + g % 4],
			jsonb_set(jsonb_set($1::jsonb, '{org_name,value}', to_jsonb('Kommun ' || g % 290)),
				'{org_number,value}', to_jsonb(case when g % 290 = 0 then '`+testOrg+`' else '2120' || lpad((g % 290)::text, 3, '0') || '-000' end)),
			case when g % 3 = 0 then $2::jsonb else '[]'::jsonb end, $3::jsonb,
			now() - make_interval(secs => 100000 - g)
		from generate_series(1, 100000) g`, string(fj), string(fi), string(pages))
	h.exec(`vacuum analyze documents`)
	fmt.Printf("inserted 100000 documents in %s\n", time.Since(start).Round(time.Millisecond))

	acc, err := pipeline.Authenticate(ctx, h.pool, "rita", password)
	if err != nil {
		b.Fatal(err)
	}
	token, err := storage.CreateSession(ctx, h.pool, acc.ID, "", storage.SessionPolicy{Idle: time.Hour, Absolute: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	rows, err := h.pool.Query(ctx, `select id from documents where state = 'needs_review' order by random() limit 500`)
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()

	serve := func(path string) time.Duration {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: "blankett_session", Value: token})
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.server.ServeHTTP(rec, req)
		d := time.Since(t0)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
		return d
	}
	search := func(q string) time.Duration {
		req := httptest.NewRequest("POST", "/sok", strings.NewReader(url.Values{"q": {q}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(&http.Cookie{Name: "blankett_session", Value: token})
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.server.ServeHTTP(rec, req)
		d := time.Since(t0)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "dokument för") {
			b.Fatalf("search %q: %d", q, rec.Code)
		}
		return d
	}
	searches := []struct{ name, q string }{
		{"search, organisation number", testOrg},
		{"search, part of a name", "Kommun 17"},
		{"search, personnummer", "19121212-1212"},
		{"search, document number", "4711"},
	}
	pagesToTime := []struct{ name, path string }{
		{"queue", "/queue"},
		{"queue, filtered by kind and finding", "/queue?state=needs_review&kind=9445&finding=SMS_MOBILE_INVALID"},
		{"queue, done", "/queue?state=done"},
		{"overview", "/oversikt"},
	}
	// The overview counts afresh once a minute; say what that costs.
	fmt.Printf("%-42s %6.2f ms (100,000 documents; then kept a minute)\n", "overview page, counted afresh:", ms(serve("/oversikt")))
	for i := 0; i < 10; i++ { // warm the caches
		for _, p := range pagesToTime {
			serve(p.path)
		}
		serve(fmt.Sprintf("/documents/%d", ids[i]))
	}
	times := map[string][]time.Duration{}
	i := 0
	for b.Loop() {
		for _, p := range pagesToTime {
			times[p.name] = append(times[p.name], serve(p.path))
		}
		times["document"] = append(times["document"], serve(fmt.Sprintf("/documents/%d", ids[i%len(ids)])))
		for _, s := range searches {
			times[s.name] = append(times[s.name], search(s.q))
		}
		i++
	}
	for _, name := range []string{"queue", "queue, filtered by kind and finding", "queue, done", "overview", "document",
		"search, organisation number", "search, part of a name", "search, personnummer", "search, document number"} {
		ds := times[name]
		slices.Sort(ds)
		p50, p95 := ds[len(ds)/2], ds[(len(ds)*95+99)/100-1]
		fmt.Printf("%-42s n=%d p50 %6.2f ms  p95 %6.2f ms (100,000 documents)\n", name+" page:", len(ds), ms(p50), ms(p95))
		if p95 > 50*time.Millisecond {
			b.Errorf("%s page: p95 %.2f ms, want under 50 ms", name, ms(p95))
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
