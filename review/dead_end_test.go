package review_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"blankett/form"
	"blankett/pipeline"
)

// TestDocumentStates: a document with nothing read says why, with the
// file's name, size and reason, instead of a green "Inga avvikelser" and
// an empty field list; a form split from a batch links to the batch.
func TestDocumentStates(t *testing.T) {
	src := axeSource(t)
	ctx := browser(t)
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	h.account("post", form.AccountMailroom)
	original := fakePDF()
	res, err := h.pipe.Ingest(context.Background(), pipeline.Upload{Filename: "trasig.pdf", Source: "http", Actor: "test", Body: bytes.NewReader(original)})
	if err != nil {
		t.Fatal(err)
	}
	bad := res.DocumentID
	h.exec(`update documents set state = 'unreadable', state_message = 'Filen är skadad och kan inte öppnas.' where id = $1`, bad)
	part := h.seed9445()
	h.exec(`update documents set parent_id = $2, page_from = 3, page_to = 4 where id = $1`, part, bad)

	h.browserLogin(t, ctx, "rita", "#queue")
	step(t, ctx, "unreadable", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, bad)))
	waitJS(t, ctx, "page", `document.getElementById("state-box")`)
	box := eval[string](t, ctx, `document.getElementById("state-box").innerText`)
	for _, want := range []string{"Filen kunde inte läsas", "trasig.pdf", "2,0 kB", "Filen är skadad"} {
		if !strings.Contains(box, want) {
			t.Errorf("the unreadable document's page does not say %q: %q", want, box)
		}
	}
	if eval[bool](t, ctx, `!!document.querySelector(".ok-text, #keys, ol.fields, a.skip[href='#fields-title']")`) {
		t.Error("an unreadable document shows \"Inga avvikelser\", the key bar or an empty field list")
	}
	axeCheck(t, ctx, src, "unreadable document")

	// The original: a reviewer gets it, and it is audited; the mailroom
	// does not.
	href := eval[string](t, ctx, `document.getElementById("original").getAttribute("href")`)
	reviewer, post := h.client(), h.client()
	reviewer.login("rita")
	post.login("post")
	resp, body := reviewer.do("GET", href, nil, nil)
	if resp.StatusCode != 200 || body != string(original) || !strings.Contains(resp.Header.Get("Content-Disposition"), "trasig.pdf") {
		t.Fatalf("reviewer's download: %d, %d bytes, %q", resp.StatusCode, len(body), resp.Header.Get("Content-Disposition"))
	}
	var audited int
	if err := h.pool.QueryRow(context.Background(), `select count(*) from audit_events where action = 'document.original_downloaded' and actor = 'rita' and document_id = $1`, bad).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("download audited %d times (%v)", audited, err)
	}
	if resp, body := post.do("GET", href, nil, nil); resp.StatusCode != 403 || strings.Contains(body, "%PDF") {
		t.Fatalf("mailroom's download: %d", resp.StatusCode)
	}
	screenshot(t, ctx, "unreadable.png")

	// Unclassified: said in words, with the file and the original.
	h.exec(`update documents set state = 'unclassified', state_message = 'Sidorna liknar ingen känd blankett.' where id = $1`, bad)
	step(t, ctx, "unclassified", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, bad)))
	waitJS(t, ctx, "unclassified page", `document.getElementById("state-box")`)
	if box := eval[string](t, ctx, `document.getElementById("state-box").innerText`); !strings.Contains(box, "Blanketten känns inte igen") || !strings.Contains(box, "liknar ingen känd") || !strings.Contains(box, "Hämta originalfilen") {
		t.Errorf("the unclassified document's page says %q", box)
	}
	screenshot(t, ctx, "unclassified.png")

	// The batch lists its parts, each part links back.
	h.exec(`update documents set state = 'split', state_message = '' where id = $1`, bad)
	step(t, ctx, "batch", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, bad)))
	waitJS(t, ctx, "batch page", `document.getElementById("state-box")`)
	parts := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#parts li")).map(li => li.querySelector("a").getAttribute("href") + " " + li.textContent)`)
	if len(parts) != 1 || !strings.HasPrefix(parts[0], fmt.Sprintf("/documents/%d ", part)) || !strings.Contains(parts[0], "sidorna 3–4") || !strings.Contains(parts[0], "9445") {
		t.Errorf("the batch lists its parts as %q", parts)
	}
	axeCheck(t, ctx, src, "split batch")
	screenshot(t, ctx, "split.png")

	step(t, ctx, "part", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, part)))
	waitJS(t, ctx, "part page", `document.getElementById("parent")`)
	if link := eval[string](t, ctx, `document.querySelector("#parent a").getAttribute("href")`); link != fmt.Sprintf("/documents/%d", bad) {
		t.Errorf("link to the batch %q", link)
	}
	if txt := eval[string](t, ctx, `document.getElementById("parent").textContent`); !strings.Contains(txt, "sidorna 3–4") {
		t.Errorf("part says %q", txt)
	}
}

// TestQueueTabs: the queue's tabs are the states that have documents (and
// the review queue); the unreadable list shows file names; the review list
// says how long the oldest has waited.
func TestQueueTabs(t *testing.T) {
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	waiting := h.seed9445()
	h.exec(`update documents set received_at = now() - interval '3 days 2 hours' where id = $1`, waiting)
	res, err := h.pipe.Ingest(context.Background(), pipeline.Upload{Filename: "kaffefläck.tif", Source: "http", Actor: "test", Body: bytes.NewReader(fakePDF())})
	if err != nil {
		t.Fatal(err)
	}
	h.exec(`update documents set state = 'unreadable' where id = $1`, res.DocumentID)
	c := h.client()
	c.login("rita")

	_, body := c.do("GET", "/queue", nil, nil)
	if !strings.Contains(body, `id="oldest"`) || !strings.Contains(body, "har väntat 3 dagar och 2 timmar") {
		t.Errorf("the review list does not say how long the oldest waited")
	}
	for _, want := range []string{"state=needs_review", "state=unreadable"} {
		if !strings.Contains(body, want) {
			t.Errorf("no tab %s", want)
		}
	}
	for _, empty := range []string{"state=approved", "state=rejected", "state=duplicate"} {
		if strings.Contains(body, empty) {
			t.Errorf("a tab for %s, which has no documents", empty)
		}
	}
	_, body = c.do("GET", "/queue?state=unreadable", nil, nil)
	if !strings.Contains(body, "kaffefläck.tif") || strings.Contains(body, "<th>Organisation</th>") {
		t.Errorf("the unreadable list does not show the file name instead of organisation and person")
	}
}

// TestDocumentClose: an unreadable document is closed with a note, which
// is kept and audited; a document in review cannot be closed so.
func TestDocumentClose(t *testing.T) {
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	res, err := h.pipe.Ingest(context.Background(), pipeline.Upload{Filename: "tom.pdf", Source: "http", Actor: "test", Body: bytes.NewReader(fakePDF())})
	if err != nil {
		t.Fatal(err)
	}
	bad := res.DocumentID
	h.exec(`update documents set state = 'unreadable', state_message = 'Filen är tom.' where id = $1`, bad)
	inReview := h.seed9445()
	c := h.client()
	c.login("rita")

	if _, body := c.do("GET", fmt.Sprintf("/documents/%d", bad), nil, nil); !strings.Contains(body, `action="/documents/`+fmt.Sprint(bad)+`/close"`) {
		t.Fatal("the unreadable document offers no way to close it")
	}
	if resp, _ := c.do("POST", fmt.Sprintf("/documents/%d/close", bad), url.Values{"note": {"  "}}, nil); resp.StatusCode != 422 {
		t.Fatalf("close without a note: %d", resp.StatusCode)
	}
	resp, _ := c.do("POST", fmt.Sprintf("/documents/%d/close", bad), url.Values{"note": {"Avsändaren har fått besked per telefon."}}, nil)
	if resp.StatusCode != 303 || h.state(bad) != form.StateDone {
		t.Fatalf("close: %d, state %s", resp.StatusCode, h.state(bad))
	}
	var audited int
	if err := h.pool.QueryRow(context.Background(), `select count(*) from audit_events where action = 'document.state' and actor = 'rita'
		and document_id = $1 and after->>'state' = 'done' and detail like '%besked per telefon%'`, bad).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("close audited %d times (%v)", audited, err)
	}
	if _, body := c.do("GET", fmt.Sprintf("/documents/%d?klart=avslutat", bad), nil, nil); !strings.Contains(body, "Avslutat") || !strings.Contains(body, "besked per telefon") {
		t.Error("the closed document does not show its note")
	}
	if resp, _ := c.do("POST", fmt.Sprintf("/documents/%d/close", inReview), url.Values{"note": {"x"}}, nil); resp.StatusCode != 409 || h.state(inReview) != form.StateNeedsReview {
		t.Fatalf("closing a document in review: %d, %s", resp.StatusCode, h.state(inReview))
	}
}
