package review_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"blankett/form"
	"blankett/review"
	"blankett/storage"
)

// rssBytes is this process's resident set size.
func rssBytes(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// loginAs posts a login from the client address from (sent as
// X-Forwarded-For; the harness trusts 127.0.0.1 as a proxy when asked).
func loginAs(h *harness, name, pw, from string) *http.Response {
	h.t.Helper()
	hdr := map[string]string{}
	if from != "" {
		hdr["X-Forwarded-For"] = from
	}
	resp, _ := h.client().do("POST", "/login", url.Values{"name": {name}, "password": {pw}}, hdr)
	return resp
}

// parallelLogins posts n wrong logins at once; name and from give each
// one's account name and client address. It returns the count of each
// status and the process's RSS growth at its peak.
func parallelLogins(t *testing.T, h *harness, n int, name, from func(i int) string) (map[int]int, int64) {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	before := rssBytes(t)
	var peak int64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			peak = max(peak, rssBytes(t))
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	codes := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest("POST", h.srv.URL+"/login", strings.NewReader(url.Values{"name": {name(i)}, "password": {"fel lösenord"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", h.srv.URL)
			req.Header.Set("X-Forwarded-For", from(i))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	close(stop)
	<-sampled
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	t.Logf("answers %v; RSS %d MB before, peak %d MB (+%d MB)", count, before>>20, peak>>20, (peak-before)>>20)
	return count, peak - before
}

// TestLoginUnderLoad sends 50 wrong logins at once, for one account and
// for fifty: no more than the limit are tried for one account, the rest
// are refused with 429, and the process does not grow by a password hash
// per attempt (at most a few hashes run at once).
func TestLoginUnderLoad(t *testing.T) {
	h := newHarness(t, func(c *review.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	h.account("olle", form.AccountReviewer)
	const n = 50
	t.Run("one account", func(t *testing.T) {
		count, grew := parallelLogins(t, h, n, func(int) string { return "olle" }, func(int) string { return "198.51.100.7" })
		if count[http.StatusUnauthorized] > 5 {
			t.Errorf("%d attempts were tried (401), want at most 5 (the limit)", count[http.StatusUnauthorized])
		}
		if count[http.StatusTooManyRequests]+count[http.StatusServiceUnavailable] != n-count[http.StatusUnauthorized] {
			t.Errorf("answers %v: every attempt beyond the limit must be refused (429, or 503 when busy)", count)
		}
		if count[http.StatusTooManyRequests] < n-5 {
			t.Errorf("answers %v: want at least %d refused with 429", count, n-5)
		}
		if grew > 200<<20 {
			t.Errorf("RSS grew by %d MB, want < 200 MB", grew>>20)
		}
	})
	t.Run("fifty accounts", func(t *testing.T) {
		count, grew := parallelLogins(t, h, n, func(i int) string { return fmt.Sprintf("namn%d", i) },
			func(i int) string { return fmt.Sprintf("192.0.2.%d", i+1) })
		if count[http.StatusUnauthorized] == 0 || count[http.StatusUnauthorized]+count[http.StatusServiceUnavailable] != n {
			t.Errorf("answers %v: want 401 for the attempts tried and 503 for the rest", count)
		}
		if grew > 200<<20 {
			t.Errorf("RSS grew by %d MB under %d parallel password checks, want < 200 MB", grew>>20, n)
		}
	})
}

// TestLoginHashSlots: with one slot and a short wait, parallel logins for
// different accounts from different clients are answered 503 rather than
// hashed all at once.
func TestLoginHashSlots(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *review.Config) {
		c.HashSlots, c.HashWait = 1, time.Millisecond
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	const n = 8
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- loginAs(h, fmt.Sprintf("nobody%d", i), "fel lösenord", fmt.Sprintf("192.0.2.%d", i+1)).StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if count[http.StatusServiceUnavailable] == 0 || count[http.StatusUnauthorized] == 0 || count[401]+count[503] != n {
		t.Fatalf("answers %v: want some 401 and some 503 with one hash slot", count)
	}
}

// TestLoginBackoff: failures from one client do not lock the account for
// others; the back-off ends by itself, and an admin can end it at once.
func TestLoginBackoff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *review.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		// Long enough that a login checked under the race detector on a
		// busy machine (a second or more each) still falls inside it.
		c.LoginBackoff = 8 * time.Second
	})
	h.account("olle", form.AccountReviewer)
	h.account("adam", form.AccountAdmin)
	const attacker, owner = "198.51.100.7", "203.0.113.9"
	for i := range 5 {
		if resp := loginAs(h, "olle", "fel lösenord", attacker); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, resp.StatusCode)
		}
	}
	resp := loginAs(h, "olle", password, attacker)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("right password from the guessing client: %d (Retry-After %q), want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp := loginAs(h, "olle", password, owner); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("right password from another client: %d, want 303", resp.StatusCode)
	}
	// The proxy's own address is not the client: a header naming another
	// client from behind the trusted proxy is a different client.
	time.Sleep(8100 * time.Millisecond)
	if resp := loginAs(h, "olle", password, attacker); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the back-off: %d, want 303", resp.StatusCode)
	}

	// Lock it again and let an admin unlock it.
	for range 6 {
		loginAs(h, "olle", "fel lösenord", attacker)
	}
	if resp := loginAs(h, "olle", password, attacker); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("locked again: %d", resp.StatusCode)
	}
	admin := h.client()
	admin.login("adam")
	var id int64
	if err := h.pool.QueryRow(context.Background(), `select id from accounts where name = 'olle'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if resp, _ := admin.do("POST", fmt.Sprintf("/accounts/%d/unlock", id), url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: %d", resp.StatusCode)
	}
	if resp := loginAs(h, "olle", password, attacker); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after unlock: %d, want 303", resp.StatusCode)
	}
	entries, err := storage.AuditLog(context.Background(), h.pool, storage.AuditFilter{Actor: "adam"})
	if err != nil {
		t.Fatal(err)
	}
	unlocked := false
	for _, e := range entries {
		unlocked = unlocked || e.Action == "account.unlocked"
	}
	if !unlocked {
		t.Fatal("the unlock is not audited")
	}
}

// TestLoginClientAddress: X-Forwarded-For counts only from a trusted
// proxy; a client that sends it itself is still limited by its own
// address.
func TestLoginClientAddress(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil) // no trusted proxies
	h.account("olle", form.AccountReviewer)
	for i := range 5 {
		if resp := loginAs(h, "olle", "fel lösenord", fmt.Sprintf("192.0.2.%d", i+1)); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, resp.StatusCode)
		}
	}
	if resp := loginAs(h, "olle", password, "192.0.2.200"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("forged X-Forwarded-For from an untrusted peer escaped the limit: %d", resp.StatusCode)
	}

	proxies, err := review.ParseTrustedProxies(" 10.0.0.0/8, 127.0.0.1 ,::1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := review.ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Fatal("a bad prefix was accepted")
	}
	for _, tc := range []struct {
		peer, xff, want string
	}{
		{"192.0.2.1:4000", "198.51.100.1", "192.0.2.1"},                       // untrusted peer: header ignored
		{"127.0.0.1:4000", "198.51.100.1", "198.51.100.1"},                    // trusted proxy
		{"127.0.0.1:4000", "6.6.6.6, 198.51.100.1, 10.1.2.3", "198.51.100.1"}, // forged left part skipped
		{"127.0.0.1:4000", "", "127.0.0.1"},                                   // no header: the proxy itself
		{"127.0.0.1:4000", "garbage", "127.0.0.1"},                            // unparsable
		{"[::1]:4000", "2001:db8::1", "2001:db8::1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := review.ClientAddr(r, proxies); got != tc.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", tc.peer, tc.xff, got, tc.want)
		}
	}
}

// TestLoginBodyLimit: a login form larger than a few kilobytes is refused
// before it is parsed.
func TestLoginBodyLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	resp, _ := h.client().do("POST", "/login", url.Values{"name": {"olle"}, "password": {strings.Repeat("x", 64<<10)}}, nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("64 KiB login: %d, want 413", resp.StatusCode)
	}
}

// TestSafeNext: the return path after login stays on this site.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/queue":                  "/queue",
		"/documents/12?filter=a":  "/documents/12?filter=a",
		"":                        "",
		"/\t/evil.example/":       "",
		"/\n/evil.example/":       "",
		"//evil.example/":         "",
		"/\\evil.example/":        "",
		"\\\\evil.example":        "",
		"https://evil.example/":   "",
		"http:/evil.example":      "",
		"javascript:alert(1)":     "",
		"/%5Cevil.example":        "",
		"/%2F%2Fevil.example":     "",
		"evil.example":            "",
		" /queue":                 "",
		"/queue\x00":              "",
		"/k\u00f6":                "",
		"/ok/../..//evil.example": "",
	} {
		if got := review.SafeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
	// And through the login: the redirect goes home, not off-site.
	h := newHarness(t, nil)
	h.account("rita", form.AccountReviewer)
	for _, next := range []string{"/\t/evil.example/", "//evil.example", "/\\evil.example"} {
		resp, _ := h.client().do("POST", "/login", url.Values{"name": {"rita"}, "password": {password}, "next": {next}}, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("next=%q: %d Location %q, want 303 to /", next, resp.StatusCode, loc)
		}
	}
}
