package review_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"blankett/form"
	"blankett/storage"
)

// TestOverview checks the office's figures against what was put in the
// database, on the page and from storage.Overview.
func TestOverview(t *testing.T) {
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	waiting := h.seed9445()
	approved := h.seed9445()
	completion := h.seed9463()
	h.exec(`update documents set received_at = now() - interval '5 days' where id = $1`, waiting)
	h.exec(`update documents set received_at = now() - interval '2 days', state = 'approved' where id = $1`, approved)
	h.exec(`update documents set state = 'rejected' where id = $1`, completion)
	h.exec(`insert into decisions (document_id, outcome, actor, decided_at) values ($1, 'approved', 'rita', now() - interval '1 day')`, approved)
	h.exec(`insert into decisions (document_id, outcome, actor, request_completion) values ($1, 'rejected', 'rolf', true)`, completion)
	// Older than the 30 days: counted in the backlog, not per day.
	old := h.seed9445()
	h.exec(`update documents set received_at = now() - interval '40 days', state = 'done' where id = $1`, old)

	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	o, err := storage.Overview(context.Background(), h.pool, now, 30, loc)
	if err != nil {
		t.Fatal(err)
	}
	if o.Waiting != 1 {
		t.Errorf("waiting %d, want 1", o.Waiting)
	}
	if age := now.Sub(o.OldestWaiting); age < 5*24*time.Hour-time.Minute || age > 5*24*time.Hour+time.Minute {
		t.Errorf("oldest waiting received %v ago, want 5 days", age)
	}
	backlog := map[string]int64{}
	for _, b := range o.Backlog {
		backlog[string(b.State)+"/"+string(b.Kind)] = b.Count
	}
	for k, want := range map[string]int64{"needs_review/9445": 1, "approved/9445": 1, "rejected/9463": 1, "done/9445": 1} {
		if backlog[k] != want {
			t.Errorf("backlog %s = %d, want %d (all: %v)", k, backlog[k], want, backlog)
		}
	}
	if len(o.Days) != 30 || !o.Days[29].Day.Equal(time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)) {
		t.Fatalf("days: %d, last %v", len(o.Days), o.Days[len(o.Days)-1].Day)
	}
	got := map[string][2]int64{}
	var received, decided int64
	for _, d := range o.Days {
		got[d.Day.Format(time.DateOnly)] = [2]int64{d.Received, d.Decided}
		received += d.Received
		decided += d.Decided
	}
	day := func(ago time.Duration) string { return now.Add(-ago).In(loc).Format(time.DateOnly) }
	if received != 3 || decided != 2 {
		t.Errorf("received %d, decided %d in 30 days; want 3 and 2 (%v)", received, decided, got)
	}
	for _, c := range []struct {
		ago         time.Duration
		rec, decide int64
	}{{5 * 24 * time.Hour, 1, 0}, {2 * 24 * time.Hour, 1, 0}} {
		if g := got[day(c.ago)]; g[0] < c.rec || g[1] < c.decide {
			t.Errorf("%s: %v, want at least %d received, %d decided", day(c.ago), g, c.rec, c.decide)
		}
	}
	if got[day(24*time.Hour)][1] < 1 || got[day(0)][1] < 1 {
		t.Errorf("decisions per day %v", got)
	}
	// Received → first decision: a day for one, moments for the other.
	if o.Decided != 2 || o.MedianToDecision < 12*time.Hour-2*time.Minute || o.MedianToDecision > 12*time.Hour+2*time.Minute {
		t.Errorf("median to decision %v over %d, want 12 h over 2", o.MedianToDecision, o.Decided)
	}
	if len(o.Reviewers) != 2 || o.Reviewers[0].Total() != 1 {
		t.Fatalf("reviewers %+v", o.Reviewers)
	}
	for _, r := range o.Reviewers {
		if (r.Actor == "rita" && r.Approved != 1) || (r.Actor == "rolf" && r.Completion != 1) || (r.Actor != "rita" && r.Actor != "rolf") {
			t.Errorf("reviewer %+v", r)
		}
	}

	// The page shows the same figures.
	ctx := browser(t)
	h.browserLogin(t, ctx, "rita", "#queue")
	step(t, ctx, "overview", chromedp.Navigate(h.srv.URL+"/oversikt"))
	waitJS(t, ctx, "overview", `document.getElementById("day-chart")`)
	if n := eval[string](t, ctx, `document.getElementById("waiting-count").textContent`); n != "1" {
		t.Errorf("page says %s waiting", n)
	}
	if age := eval[string](t, ctx, `document.getElementById("oldest-age").textContent`); !strings.HasPrefix(age, "5 dagar") {
		t.Errorf("oldest age %q", age)
	}
	if cell := eval[string](t, ctx, `document.querySelector('#backlog tr[data-state="needs_review"] td:last-child').textContent`); cell != "1" {
		t.Errorf("backlog row needs_review total %q", cell)
	}
	if bars := eval[int](t, ctx, `document.querySelectorAll("#day-chart rect.bar.received").length`); bars != 30 {
		t.Errorf("%d received bars, want 30", bars)
	}
	tall := eval[int](t, ctx, `Array.from(document.querySelectorAll("#day-chart rect.bar.received")).filter(r => +r.getAttribute("height") > 0).length`)
	if tall != 3 {
		t.Errorf("%d days with received bars, want 3", tall)
	}
	if m := eval[string](t, ctx, `document.getElementById("median").textContent`); !strings.Contains(m, "12 timmar") {
		t.Errorf("median says %q", m)
	}
	if r := eval[string](t, ctx, `document.querySelector('#reviewers tr[data-actor="rolf"]').innerText`); !strings.Contains(strings.Join(strings.Fields(r), " "), "rolf 0 0 1 1") {
		t.Errorf("rolf's row %q", r)
	}
	desc := eval[string](t, ctx, `document.getElementById("chart-desc").textContent`)
	if !strings.Contains(desc, fmt.Sprintf("%d dokument mottagna och %d beslut", 3, 2)) {
		t.Errorf("chart description %q", desc)
	}
	screenshot(t, ctx, "overview.png")
}
