package review_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/review"
	"blankett/storage"
)

func TestSecurity(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	h.account("post", form.AccountMailroom)
	h.account("adam", form.AccountAdmin)
	id := h.seed9445()

	t.Run("cross-site POST is refused", func(t *testing.T) {
		c := h.client()
		if resp := c.login("rita"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		for _, hdr := range []map[string]string{
			{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
			{"Origin": "https://evil.example", "Sec-Fetch-Site": ""},
			{"Origin": "", "Sec-Fetch-Site": "cross-site"},
			{"Origin": "", "Sec-Fetch-Site": ""}, // no origin at all: not from our pages
		} {
			resp, _ := c.do("POST", fmt.Sprintf("/documents/%d/decision", id), url.Values{"outcome": {"reject"}, "reason": {"x"}}, hdr)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%v: status %d, want 403", hdr, resp.StatusCode)
			}
		}
		if s := h.state(id); s != form.StateNeedsReview {
			t.Fatalf("state %s after refused POSTs", s)
		}
		// Login itself is a state change: no login from another site.
		resp, _ := h.client().do("POST", "/login", url.Values{"name": {"rita"}, "password": {password}},
			map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site login: %d", resp.StatusCode)
		}
	})

	t.Run("a session cookie from before login is not accepted after", func(t *testing.T) {
		c := h.client()
		c.login("rita")
		before := c.sessionCookie()
		if before == nil {
			t.Fatal("no session cookie")
		}
		if resp, _ := c.do("GET", "/queue", nil, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("queue with first session: %d", resp.StatusCode)
		}
		c.login("rita")
		after := c.sessionCookie()
		if after.Value == before.Value {
			t.Fatal("session id not renewed at login")
		}
		old := h.client()
		u, _ := url.Parse(h.srv.URL)
		old.http.Jar.SetCookies(u, []*http.Cookie{{Name: before.Name, Value: before.Value}})
		if resp, _ := old.do("GET", "/queue", nil, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("old cookie after login: %d, want a redirect to the login page", resp.StatusCode)
		}
		if resp, _ := old.do("POST", fmt.Sprintf("/documents/%d/decision", id), url.Values{"outcome": {"reject"}, "reason": {"x"}}, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("old cookie POST: %d, want 401", resp.StatusCode)
		}
		if resp, _ := c.do("GET", "/queue", nil, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("new cookie: %d", resp.StatusCode)
		}
		c.do("POST", "/logout", nil, nil)
		relogged := h.client()
		relogged.http.Jar.SetCookies(u, []*http.Cookie{{Name: after.Name, Value: after.Value}})
		if resp, _ := relogged.do("GET", "/queue", nil, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("cookie after logout: %d", resp.StatusCode)
		}
	})

	t.Run("cookie flags and headers", func(t *testing.T) {
		strict := newHarness(t, func(c *review.Config) { c.InsecureCookies = false })
		strict.account("rita", form.AccountReviewer)
		resp := strict.client().login("rita")
		set := resp.Header.Get("Set-Cookie")
		for _, want := range []string{"blankett_session=", "HttpOnly", "Secure", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(set, want) {
				t.Errorf("Set-Cookie %q lacks %s", set, want)
			}
		}
		resp, _ = h.client().do("GET", "/login", nil, nil)
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %s", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("CSP allows inline or eval: %q", csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no nosniff")
		}
	})

	t.Run("every route checks the role", func(t *testing.T) {
		reviewer, mailroom, admin, anon := h.client(), h.client(), h.client(), h.client()
		reviewer.login("rita")
		mailroom.login("post")
		admin.login("adam")
		doc := fmt.Sprintf("/documents/%d", id)
		cases := []struct {
			c      *client
			method string
			path   string
			want   int
		}{
			{mailroom, "GET", "/queue", 403},
			{mailroom, "GET", doc, 403},
			{mailroom, "GET", doc + "/pages/1", 403},
			{mailroom, "POST", doc + "/decision", 403},
			{mailroom, "POST", doc + "/fields/user_mobile", 403},
			{mailroom, "GET", "/audit", 403},
			{mailroom, "GET", "/registry", 403},
			{mailroom, "GET", "/mailroom", 200},
			{mailroom, "GET", doc + "/letters/1", 403},
			{mailroom, "GET", "/letters", 403},
			{mailroom, "POST", "/letters/print-batch", 403},
			{reviewer, "GET", "/audit", 403},
			{reviewer, "GET", "/accounts", 403},
			{reviewer, "POST", "/accounts", 403},
			{reviewer, "POST", "/registry/signatories", 403},
			{reviewer, "GET", "/mailroom", 403},
			{reviewer, "POST", "/mailroom/upload", 403},
			{reviewer, "GET", "/letters", 403},
			{reviewer, "POST", "/letters/print-batch", 403},
			{reviewer, "GET", doc + "/letters/1", 404}, // the document has no letters
			{reviewer, "GET", "/admin/jobs/", 404},     // no jobs UI in this harness
			{reviewer, "GET", "/queue", 200},
			{reviewer, "GET", doc, 200},
			{reviewer, "GET", doc + "/pages/1", 200},
			{reviewer, "GET", "/registry", 200},
			{admin, "GET", "/audit", 200},
			{admin, "GET", "/accounts", 200},
			{admin, "GET", "/letters", 200},
			{admin, "POST", "/letters/print-batch", 303}, // nothing to print
			{admin, "GET", doc, 200},
			{anon, "GET", "/queue", 303},
			{anon, "POST", doc + "/decision", 401},
			{anon, "GET", doc + "/letters/1", 303},
			{anon, "POST", "/letters/print-batch", 401},
		}
		for _, tc := range cases {
			var form url.Values
			if tc.method == "POST" {
				form = url.Values{"outcome": {"approve"}, "value": {"x"}}
			}
			resp, _ := tc.c.do(tc.method, tc.path, form, nil)
			if resp.StatusCode != tc.want {
				t.Errorf("%s %s as %p: %d, want %d", tc.method, tc.path, tc.c, resp.StatusCode, tc.want)
			}
		}
		if s := h.state(id); s != form.StateNeedsReview {
			t.Fatalf("state %s after refused decisions", s)
		}
	})

	t.Run("page images come through the server and are audited", func(t *testing.T) {
		c := h.client()
		c.login("rita")
		resp, body := c.do("GET", fmt.Sprintf("/documents/%d/pages/1", id), nil, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
			t.Fatalf("page image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		entries, err := storage.AuditLog(context.Background(), h.pool, storage.AuditFilter{Actor: "rita", DocumentID: id})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if !slices.Contains(actions, "document.page_viewed") || !slices.Contains(actions, "document.viewed") {
			t.Fatalf("audit actions %v", actions)
		}
	})

	t.Run("login rate limit", func(t *testing.T) {
		h.account("olle", form.AccountReviewer)
		c := h.client()
		for i := 0; i < 5; i++ {
			resp, _ := c.do("POST", "/login", url.Values{"name": {"olle"}, "password": {"fel lösenord"}}, nil)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, resp.StatusCode)
			}
		}
		if resp := c.login("olle"); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("after 5 failures: %d, want 429", resp.StatusCode)
		}
		// Another account from the same address is not locked yet.
		if resp := h.client().login("adam"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("other account: %d", resp.StatusCode)
		}
	})

	t.Run("idle sessions end", func(t *testing.T) {
		short := newHarness(t, func(c *review.Config) { c.SessionIdle = time.Second })
		short.account("rita", form.AccountReviewer)
		c := short.client()
		c.login("rita")
		if resp, _ := c.do("GET", "/queue", nil, nil); resp.StatusCode != 200 {
			t.Fatalf("fresh session: %d", resp.StatusCode)
		}
		time.Sleep(1500 * time.Millisecond)
		if resp, _ := c.do("GET", "/queue", nil, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("idle session: %d", resp.StatusCode)
		}
	})

	t.Run("API keeps its bearer token", func(t *testing.T) {
		c := h.client()
		resp, _ := c.do("GET", fmt.Sprintf("/api/v1/documents/%d", id), nil, map[string]string{"Authorization": "Bearer test-token"})
		if resp.StatusCode != 200 {
			t.Fatalf("API with token: %d", resp.StatusCode)
		}
		c.login("adam")
		resp, _ = c.do("GET", fmt.Sprintf("/api/v1/documents/%d", id), nil, nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("API with a session and no token: %d", resp.StatusCode)
		}
	})
}

// TestReviewFlow drives the pages with plain HTTP: correct, re-check,
// override, approve; propose and confirm a 9463.
func TestReviewFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	h.account("rolf", form.AccountReviewer)
	id := h.seed9445()
	if codes := h.findingCodes(id); !slices.Equal(codes, []string{"SMS_MOBILE_INVALID"}) {
		t.Fatalf("seeded findings %v", codes)
	}
	c := h.client()
	c.login("rita")

	resp, body := c.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "SMS_MOBILE_INVALID") || !strings.Contains(body, `class="zone low error"`) {
		t.Fatalf("document page: %d", resp.StatusCode)
	}
	// Approving with an unexplained error is refused.
	resp, _ = c.do("POST", fmt.Sprintf("/documents/%d/decision", id), url.Values{"outcome": {"approve"}}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("approve with error finding: %d", resp.StatusCode)
	}
	resp, body = c.do("POST", fmt.Sprintf("/documents/%d/fields/user_mobile", id), url.Values{"value": {"070-123 45 67"}},
		map[string]string{"HX-Request": "true"})
	if resp.StatusCode != 200 || strings.Contains(body, "SMS_MOBILE_INVALID") || !strings.Contains(body, "Inga avvikelser") {
		t.Fatalf("correction: %d %s", resp.StatusCode, body)
	}
	if codes := h.findingCodes(id); len(codes) != 0 {
		t.Fatalf("findings after correction %v", codes)
	}
	resp, _ = c.do("POST", fmt.Sprintf("/documents/%d/decision", id), url.Values{"outcome": {"approve"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || h.state(id) != form.StateApproved {
		t.Fatalf("approve: %d, state %s", resp.StatusCode, h.state(id))
	}

	// A 9463 needs a second reviewer.
	id2 := h.seed9463()
	if codes := h.findingCodes(id2); len(codes) != 0 {
		t.Fatalf("9463 findings %v", codes)
	}
	resp, _ = c.do("POST", fmt.Sprintf("/documents/%d/decision", id2), url.Values{"outcome": {"approve"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || h.state(id2) != form.StateNeedsReview {
		t.Fatalf("proposal: %d, state %s", resp.StatusCode, h.state(id2))
	}
	p, err := storage.OpenProposal(context.Background(), h.pool, id2)
	if err != nil {
		t.Fatal(err)
	}
	confirm := fmt.Sprintf("/documents/%d/proposals/%d/confirm", id2, p.ID)
	if resp, _ := c.do("POST", confirm, url.Values{}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("self-confirmation: %d, want 403", resp.StatusCode)
	}
	c2 := h.client()
	c2.login("rolf")
	if resp, _ := c2.do("POST", confirm, url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmation: %d", resp.StatusCode)
	}
	if h.state(id2) != form.StateApproved {
		t.Fatalf("9463 state %s", h.state(id2))
	}
	decs, err := storage.DocumentDecisions(context.Background(), h.pool, id2)
	if err != nil || len(decs) != 1 || decs[0].Actor != "rita" || decs[0].ConfirmedBy != "rolf" {
		t.Fatalf("decisions %+v %v", decs, err)
	}
}
