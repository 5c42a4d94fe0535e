package review_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"blankett/review"
	"blankett/storage"
)

// rawPart is one part of a hand-made multipart body: its
// Content-Disposition is written as given, however broken.
type rawPart struct {
	disposition string
	body        []byte
}

const boundary = "blankettgrans"

func multipartBody(parts ...rawPart) []byte {
	var b bytes.Buffer
	for _, p := range parts {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: %s\r\nContent-Type: application/pdf\r\n\r\n", boundary, p.disposition)
		b.Write(p.body)
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

func postUpload(t *testing.T, h *harness, body []byte) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/documents", bytes.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("Authorization", "Bearer test-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("API answer Cache-Control %q, want no-store", cc)
	}
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (h *harness) counts() (docs, objects int) {
	h.t.Helper()
	ctx := context.Background()
	if err := h.pool.QueryRow(ctx, `select count(*) from documents`).Scan(&docs); err != nil {
		h.t.Fatal(err)
	}
	keys, err := h.blob.List(ctx, "originals/")
	if err != nil {
		h.t.Fatal(err)
	}
	return docs, len(keys)
}

func emptyDir(t *testing.T, dir string) {
	t.Helper()
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("%d spool files left in %s", len(left), dir)
	}
}

// TestUploadParts: every file of a multi-file upload gets its own answer,
// nothing is stored unanswered, and hostile file names are cleaned, not
// fatal.
func TestUploadParts(t *testing.T) {
	t.Parallel()
	spool := t.TempDir()
	h := newHarness(t, func(c *review.Config) { c.MaxUploadBytes, c.SpoolDir = 64<<10, spool })

	t.Run("a small file and an oversize one: each answered", func(t *testing.T) {
		code, out := postUpload(t, h, multipartBody(
			rawPart{`form-data; name="file"; filename="liten.pdf"`, fakePDF()},
			rawPart{`form-data; name="file"; filename="stor.pdf"`, bytes.Repeat(fakePDF(), 64)},
		))
		docs, _ := out["documents"].([]any)
		if code != http.StatusMultiStatus || len(docs) != 2 {
			t.Fatalf("answer %d %v, want 207 with two outcomes", code, out)
		}
		first, second := docs[0].(map[string]any), docs[1].(map[string]any)
		if first["status"] != 201.0 || first["id"] == nil || first["filename"] != "liten.pdf" {
			t.Errorf("small file: %v", first)
		}
		if second["status"] != 413.0 || second["id"] != nil || second["error"] == "" {
			t.Errorf("oversize file: %v", second)
		}
		if d, o := h.counts(); d != 1 || o != 1 {
			t.Errorf("%d documents, %d objects after the upload; want the small file only", d, o)
		}
		emptyDir(t, spool)
	})

	t.Run("each file stored as sent, read once to its spool", func(t *testing.T) {
		// Sizes around the buffers an upload passes through, and the
		// multipart reader's own.
		var parts []rawPart
		var sent [][]byte
		for i, size := range []int{1, 4095, 4097, 40 << 10, 64 << 10} {
			body := append(fakePDF(), bytes.Repeat([]byte{byte(i)}, size)...)[:size+9]
			copy(body, "%PDF-1.7\n")
			sent = append(sent, body)
			parts = append(parts, rawPart{fmt.Sprintf(`form-data; name="file"; filename="fil%d.pdf"`, i), body})
		}
		code, out := postUpload(t, h, multipartBody(parts...))
		docs, _ := out["documents"].([]any)
		if len(docs) != len(sent) {
			t.Fatalf("answer %d with %d outcomes for %d files: %v", code, len(docs), len(sent), out)
		}
		for i, d := range docs {
			doc := d.(map[string]any)
			if len(sent[i]) > 64<<10 {
				if doc["status"] != 413.0 {
					t.Errorf("file %d of %d bytes: %v, want 413", i, len(sent[i]), doc)
				}
				continue
			}
			stored, err := storage.GetDocument(context.Background(), h.pool, int64(doc["id"].(float64)))
			if err != nil {
				t.Fatalf("file %d: %v (%v)", i, err, doc)
			}
			rc, info, err := h.blob.Get(context.Background(), stored.ObjectKey)
			if err != nil {
				t.Fatalf("file %d: %v", i, err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			sum := sha256.Sum256(sent[i])
			if err != nil || !bytes.Equal(got, sent[i]) || info.SHA256 != hex.EncodeToString(sum[:]) || stored.SHA256 != info.SHA256 {
				t.Errorf("file %d of %d bytes: stored %d bytes (%v), SHA-256 %s recorded %s, want %x", i, len(sent[i]), len(got), err, info.SHA256, stored.SHA256, sum)
			}
		}
		emptyDir(t, spool)
	})

	t.Run("only an oversize file: 413, nothing stored", func(t *testing.T) {
		before, beforeObj := h.counts()
		code, out := postUpload(t, h, multipartBody(rawPart{`form-data; name="file"; filename="stor.pdf"`, bytes.Repeat(fakePDF(), 64)}))
		if code != http.StatusRequestEntityTooLarge || out["error"] == "" {
			t.Fatalf("answer %d %v", code, out)
		}
		if d, o := h.counts(); d != before || o != beforeObj {
			t.Errorf("an oversize file was stored")
		}
	})

	t.Run("hostile names", func(t *testing.T) {
		names := []string{
			`form-data; name="file"; filename="citat"tecken.pdf"`, // an unescaped quote: not parsable by MIME
			`form-data; name="file"; filename*=UTF-8''nul%00kodad.pdf`,
			"form-data; name=\"file\"; filename=\"fel\xff\xfeutf8.pdf\"",
			`form-data; name="file"; filename="../../etc/väg.pdf"`,
			"form-data; name=\"file\"; filename=\"tab\tulator.pdf\"",
			`form-data; name="file"; filename*=UTF-8''rad%0D%0Abrytning.pdf`,
			`form-data; name="file"; filename=""`,
		}
		var parts []rawPart
		for _, n := range names {
			parts = append(parts, rawPart{n, fakePDF()})
		}
		before, _ := h.counts()
		code, out := postUpload(t, h, multipartBody(parts...))
		docs, _ := out["documents"].([]any)
		if code != http.StatusCreated || len(docs) != len(names) {
			t.Fatalf("answer %d with %d outcomes for %d files: %v\n%s", code, len(docs), len(names), out, h.logs.String())
		}
		for i, d := range docs {
			doc := d.(map[string]any)
			name, _ := doc["filename"].(string)
			if doc["status"] != 201.0 || name == "" || !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\r\n/\\") {
				t.Errorf("file %d (%q): %v", i, names[i], doc)
			}
			id := int64(doc["id"].(float64))
			stored, err := storage.GetDocument(context.Background(), h.pool, id)
			if err != nil || stored.Filename != name {
				t.Errorf("file %d: stored as %q (%v), answered as %q", i, stored.Filename, err, name)
			}
		}
		if got := docs[0].(map[string]any)["filename"]; got != `citat"tecken.pdf` {
			t.Errorf("quoted name read as %q", got)
		}
		if got := docs[3].(map[string]any)["filename"]; got != "väg.pdf" {
			t.Errorf("path name read as %q", got)
		}
		if after, _ := h.counts(); after != before+len(names) {
			t.Errorf("%d documents made for %d files", after-before, len(names))
		}
		emptyDir(t, spool)
	})

	t.Run("a body cut off: 400, no ERROR, nothing stored", func(t *testing.T) {
		beforeDocs, beforeObj := h.counts()
		// A raw NUL in a part's header is a malformed request, not a fault.
		code, out := postUpload(t, h, multipartBody(rawPart{"form-data; name=\"file\"; filename=\"nul\x00byte.pdf\"", fakePDF()}))
		if code != http.StatusBadRequest {
			t.Fatalf("raw NUL in a part header: %d %v, want 400", code, out)
		}
		full := multipartBody(rawPart{`form-data; name="file"; filename="avbruten.pdf"`, bytes.Repeat(fakePDF(), 8)})
		code, out = postUpload(t, h, full[:len(full)/2]) // a whole request whose multipart ends in the middle
		if code != http.StatusBadRequest {
			t.Fatalf("cut-off multipart: %d %v, want 400", code, out)
		}
		// A connection closed in the middle of its body.
		conn, err := net.Dial("tcp", strings.TrimPrefix(h.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-token\r\n"+
			"Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n", boundary, len(full))
		conn.Write(full[:len(full)/2])
		conn.(*net.TCPConn).CloseWrite()
		answer, _ := io.ReadAll(conn)
		conn.Close()
		if !bytes.HasPrefix(answer, []byte("HTTP/1.1 400")) {
			t.Errorf("aborted body answered %q, want 400", firstLine(answer))
		}
		time.Sleep(100 * time.Millisecond)
		if d, o := h.counts(); d != beforeDocs || o != beforeObj {
			t.Errorf("an aborted upload left %d documents and %d objects", d-beforeDocs, o-beforeObj)
		}
		if strings.Contains(h.logs.String(), "level=ERROR") {
			t.Errorf("aborted uploads logged an ERROR:\n%s", h.logs.String())
		}
		emptyDir(t, spool)
	})
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\r\n")
	return s
}

// trickle opens a connection, sends head and then one byte of body every
// interval until the server closes the connection; it returns how long
// the server kept it open.
func trickle(t *testing.T, addr, head string, interval time.Duration) time.Duration {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Error(err)
		return 0
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(io.Discard, conn) // until the server closes it
	}()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return time.Since(start)
		case <-tick.C:
			_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
			_, _ = conn.Write([]byte("x"))
		case <-time.After(time.Minute):
			return time.Minute
		}
	}
}

// TestSlowClients: 100 connections trickling upload bytes are closed by
// the upload's deadline or minimum rate, and their spool files removed; a
// login body trickled is closed by the server's read timeout.
func TestSlowClients(t *testing.T) {
	t.Parallel()
	uploadHead := func(addr string) string {
		return fmt.Sprintf("POST /api/v1/documents HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer test-token\r\n"+
			"Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: 10000000\r\n\r\n"+
			"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"långsam.pdf\"\r\n\r\n%%PDF-1.7\n", addr, boundary, boundary)
	}
	for _, tc := range []struct {
		name    string
		timeout time.Duration
		rate    int64
		within  time.Duration
	}{
		{"deadline", 2 * time.Second, 0, 6 * time.Second},
		{"minimum rate", time.Hour, 1000, 12 * time.Second}, // a quarter of the deadline, at most 10 s, of grace
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spool := t.TempDir()
			h := newHarness(t, func(c *review.Config) {
				c.SpoolDir, c.UploadTimeout, c.UploadMinRate = spool, tc.timeout, tc.rate
			})
			addr := strings.TrimPrefix(h.srv.URL, "http://")
			const n = 100
			held := make([]time.Duration, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					held[i] = trickle(t, addr, uploadHead(addr), 300*time.Millisecond)
				}()
			}
			wg.Wait()
			longest := time.Duration(0)
			for _, d := range held {
				longest = max(longest, d)
			}
			t.Logf("%d trickling uploads: the longest was held %s", n, longest.Round(time.Millisecond))
			if longest > tc.within {
				t.Errorf("a trickling upload was held %s, want at most %s", longest, tc.within)
			}
			time.Sleep(200 * time.Millisecond)
			emptyDir(t, spool)
			if d, o := h.counts(); d != 0 || o != 0 {
				t.Errorf("slow uploads left %d documents, %d objects", d, o)
			}
		})
	}

	t.Run("login body", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, nil)
		ts := httptest.NewUnstartedServer(nil)
		ts.Config = review.NewHTTPServer(h.server, review.Timeouts{Read: time.Second})
		ts.Start()
		defer ts.Close()
		addr := strings.TrimPrefix(ts.URL, "http://")
		body := url.Values{"name": {"olle"}, "password": {"fel lösenord"}}.Encode()
		head := fmt.Sprintf("POST /login HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
			"Content-Length: %d\r\n\r\n", addr, addr, len(body)+100)
		held := trickle(t, addr, head, 300*time.Millisecond)
		t.Logf("a trickled login body was held %s", held.Round(time.Millisecond))
		if held > 3*time.Second {
			t.Errorf("a trickled login body was held %s, want about the 1 s read timeout", held)
		}
		def := review.NewHTTPServer(h.server, review.Timeouts{})
		if def.ReadTimeout <= 0 || def.WriteTimeout <= 0 || def.IdleTimeout <= 0 || def.ReadHeaderTimeout <= 0 {
			t.Errorf("default server timeouts: %+v", review.DefaultTimeouts)
		}
	})
}

// TestAPIHeadersAndMetrics: API answers are not cached; /metrics needs
// the token; basic auth takes only the fixed user name.
func TestAPIHeadersAndMetrics(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *review.Config) { c.Metrics = prometheus.NewRegistry() })
	get := func(path string, set func(*http.Request)) *http.Response {
		req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
		if set != nil {
			set(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get("/metrics", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d, want 401", resp.StatusCode)
	}
	if resp := get("/metrics", func(r *http.Request) { r.Header.Set("Authorization", "Bearer test-token") }); resp.StatusCode != 200 {
		t.Errorf("/metrics with the token: %d", resp.StatusCode)
	}
	if resp := get("/metrics", func(r *http.Request) { r.SetBasicAuth(review.BasicAuthUser, "test-token") }); resp.StatusCode != 200 {
		t.Errorf("/metrics with basic auth: %d", resp.StatusCode)
	}
	for _, user := range []string{"", "admin", "vem som helst"} {
		if resp := get("/api/v1/documents/1", func(r *http.Request) { r.SetBasicAuth(user, "test-token") }); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("basic auth as %q with the token: %d, want 401", user, resp.StatusCode)
		}
	}
	resp := get("/api/v1/documents/999999", func(r *http.Request) { r.Header.Set("Authorization", "Bearer test-token") })
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("API answer Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
}
