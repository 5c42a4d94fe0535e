package review_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/review"
	"blankett/storage"
	"blankett/storage/storagetest"
	"blankett/validate"
)

const password = "korrekt häst batteri"

// Test data: valid numbers that belong to nobody real.
const (
	testOrg       = "212000-0142"
	testOrgName   = "Exempelby kommun"
	userPnr       = "198507041237" // an adult: the rules flag ages under 16 and over 100
	ordererPnr    = "198112189876"
	newOrdererPnr = "198505051238"
)

// syncBuffer collects the server's log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// harness is a real server on a fresh database and bucket.
type harness struct {
	t      testing.TB
	pool   *storage.DB
	blob   *storage.Blob
	pipe   *pipeline.Pipeline
	server *review.Server
	cfg    review.Config
	srv    *httptest.Server
	logs   *syncBuffer
	mu     sync.Mutex
	urls   []string // every URL the server was asked for
}

func newHarness(t testing.TB, tweak func(*review.Config)) *harness {
	t.Helper()
	pool, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	h := &harness{t: t, pool: pool, blob: blob, logs: &syncBuffer{}}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var err error
	h.pipe, err = pipeline.New(pool, blob, nil, logger, pipeline.Config{SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := review.Config{DB: pool, Queries: pool, Ingester: h.pipe, Blob: blob, Logger: logger, APIToken: "test-token",
		Reviewing: h.pipe, Accounts: h.pipe, Letters: h.pipe, InsecureCookies: true}
	if tweak != nil {
		tweak(&cfg)
	}
	h.cfg = cfg
	h.server = review.NewServer(cfg)
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.urls = append(h.urls, r.URL.String())
		h.mu.Unlock()
		h.server.ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) requestedURLs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.urls...)
}

func (h *harness) account(name string, role form.AccountRole) {
	h.t.Helper()
	if _, err := pipeline.CreateAccount(context.Background(), h.pool, name, role, password, "test"); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) exec(sql string, args ...any) {
	h.t.Helper()
	if _, err := h.pool.Exec(context.Background(), sql, args...); err != nil {
		h.t.Fatalf("%s: %v", sql, err)
	}
}

// seedRegistry gives the test org an agreement in force, a registered
// orderer and a known firmatecknare.
func (h *harness) seedRegistry() {
	h.exec(`insert into organisations (org_number, name) values ($1, $2)`, testOrg, testOrgName)
	h.exec(`insert into agreements (org_number, part_signed_on, countersigned_on, copies_received, recorded_on)
		values ($1, current_date - 400, current_date - 390, 2, current_date - 390)`, testOrg)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if _, err := storage.NewRegistry(h.pool).AddOrderer(context.Background(), form.Orderer{OrgNumber: testOrg, Name: "Anna Beställare",
		Personnummer: ordererPnr, Phone: "+46701234567", Email: "anna@exempelby.se",
		ValidFrom: today.AddDate(0, 0, -100), ValidTo: today.AddDate(0, 0, 600)}); err != nil {
		h.t.Fatal(err)
	}
	h.exec(`insert into signatories (org_number, name, title, source) values ($1, 'Sara Firmatecknare', 'Kommundirektör', 'csv')`, testOrg)
}

func fakePDF() []byte {
	b := make([]byte, 2048)
	_, _ = rand.Read(b)
	copy(b, "%PDF-1.7\n")
	return b
}

// seed ingests a file through the pipeline and then sets what extraction
// would have found (kind, fields with zones, a page image) and the rules'
// findings, in state needs_review.
func (h *harness) seed(kind form.Kind, values map[string]string, lowConfidence ...string) int64 {
	h.t.Helper()
	ctx := context.Background()
	res, err := h.pipe.Ingest(ctx, pipeline.Upload{Filename: "skanning.pdf", Source: "http", Actor: "test", Body: bytes.NewReader(fakePDF())})
	if err != nil {
		h.t.Fatal(err)
	}
	tmpl, err := form.LoadTemplate(kind)
	if err != nil {
		h.t.Fatal(err)
	}
	fields := form.Fields{}
	for _, f := range tmpl.Fields {
		v, ok := values[f.Name]
		if !ok {
			if f.Type != form.TypeCheckbox {
				continue
			}
			v = "false"
		}
		zone := f.Zone
		conf := 0.96
		for _, low := range lowConfidence {
			if low == f.Name {
				conf = 0.62
			}
		}
		fields[f.Name] = form.Value{Name: f.Name, Role: f.Role, Row: f.Row, Type: f.Type, Raw: v, Value: v, Confidence: conf, Page: f.Page, Box: &zone}
	}
	png, err := os.ReadFile(fmt.Sprintf("../testdata/forms/%s-1.png", kind))
	if err != nil {
		h.t.Fatal(err)
	}
	key := fmt.Sprintf("pages/%d/1.png", res.DocumentID)
	if err := h.blob.Put(ctx, key, bytes.NewReader(png), int64(len(png)), "", "image/png"); err != nil {
		h.t.Fatal(err)
	}
	pages, _ := json.Marshal([]storage.Page{{Page: 1, TemplatePage: 1, Key: key, Width: 827, Height: 1170, DPI: 100}})
	v, err := validate.NewValidator(storage.NewRegistry(h.pool))
	if err != nil {
		h.t.Fatal(err)
	}
	findings, err := v.Validate(ctx, form.Document{ID: res.DocumentID, Kind: kind, Received: time.Now(), Fields: fields})
	if err != nil {
		h.t.Fatal(err)
	}
	if findings == nil {
		findings = []form.Finding{}
	}
	fj, _ := json.Marshal(fields)
	fi, _ := json.Marshal(findings)
	h.exec(`update documents set kind = $2, fields = $3, findings = $4, pages = $5, state = 'needs_review' where id = $1`,
		res.DocumentID, string(kind), fj, fi, pages)
	return res.DocumentID
}

func today() string { return time.Now().Format("2006-01-02") }

// seed9445 is a user order choosing SMS login with a landline number, read
// with low confidence: the rules flag it.
func (h *harness) seed9445() int64 {
	return h.seed(form.Kind9445, map[string]string{
		"order_new": "true", "org_name": testOrgName, "org_number": testOrg,
		"user_name": "Tolvan Tolvansson", "user_personnummer": userPnr, "user_email": "tolvan@exempelby.se",
		"user_mobile": "08-123 456 78", "login_sms": "true", "role_susrapport": "true",
		"orderer_name": "Anna Beställare", "orderer_phone": "070-123 45 67", "orderer_email": "anna@exempelby.se",
		"sign_place": "Exempelby", "sign_date": today(), "signature": "true", "signer_name": "Anna Beställare",
	}, "user_mobile")
}

// seed9463 names a new orderer, signed by a known firmatecknare.
func (h *harness) seed9463() int64 {
	return h.seed(form.Kind9463, map[string]string{
		"org_name": testOrgName, "org_number": testOrg,
		"orderer1_add": "true", "orderer1_name": "Bertil Beställare", "orderer1_personnummer": newOrdererPnr,
		"orderer1_phone": "070-765 43 21", "orderer1_email": "bertil@exempelby.se",
		"sign_place": "Exempelby", "sign_date": today(), "signer_title": "Kommundirektör", "signature": "true",
		"signer_name": "Sara Firmatecknare",
	})
}

func (h *harness) findingCodes(id int64) []string {
	h.t.Helper()
	d, err := storage.GetDocument(context.Background(), h.pool, id)
	if err != nil {
		h.t.Fatal(err)
	}
	var codes []string
	for _, f := range d.Findings {
		codes = append(codes, f.Code)
	}
	return codes
}

func (h *harness) state(id int64) form.State {
	h.t.Helper()
	d, err := storage.GetDocument(context.Background(), h.pool, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d.State
}

// client is a browser-like HTTP client: a cookie jar, no redirects
// followed, and the same-origin headers a browser sends on a POST.
type client struct {
	h    *harness
	http *http.Client
}

func (h *harness) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (c *client) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	c.h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.h.srv.URL+path, body)
	if err != nil {
		c.h.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method == http.MethodPost {
		req.Header.Set("Origin", c.h.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *client) login(name string) *http.Response {
	c.h.t.Helper()
	resp, _ := c.do("POST", "/login", url.Values{"name": {name}, "password": {password}}, nil)
	return resp
}

func (c *client) sessionCookie() *http.Cookie {
	u, _ := url.Parse(c.h.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "blankett_session" {
			return ck
		}
	}
	return nil
}
