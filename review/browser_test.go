package review_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"blankett/form"
	"blankett/storage"
)

// artefacts is where screenshots are kept (git-ignored).
const artefacts = "../testdata/artefacts"

// chromium finds Debian's chromium. Without it the browser tests fail in
// CI and are skipped elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("BLANKETT_CHROMIUM"), "/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	msg := "chromium not found: apt-get install -y chromium (or set BLANKETT_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browser starts a headless Chromium with a fresh profile.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// step runs actions with a time limit.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err := chromedp.Do(sctx, actions...)
	for try := 0; err != nil && staleNode(err) && try < 3; try++ {
		// The page swapped its body (htmx) between finding the node and
		// acting on it: as a person would, act again on the page as it
		// now stands.
		time.Sleep(200 * time.Millisecond)
		err = chromedp.Do(sctx, actions...)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// staleNode reports whether err is the browser's answer to an action on a
// node that left the page after it was found.
func staleNode(err error) bool {
	return strings.Contains(err.Error(), "Could not find node with given id")
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS waits until a JavaScript expression is true. (chromedp.Poll
// would need eval, which the page's Content-Security-Policy forbids.)
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			url := eval[string](t, ctx, "location.href")
			t.Fatalf("%s: waited 15 s for %s (at %s, error %v)", what, expr, url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(artefacts, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artefacts, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func (h *harness) browserLogin(t *testing.T, ctx context.Context, name, landing string) {
	t.Helper()
	step(t, ctx, "login page "+name,
		chromedp.Navigate(h.srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
	)
	waitJS(t, ctx, "logged in as "+name, fmt.Sprintf(`document.querySelector(%q)`, landing))
}

func (h *harness) browserLogout(t *testing.T, ctx context.Context) {
	t.Helper()
	step(t, ctx, "logout", chromedp.Click(chromedp.CSS("form.who button")))
	waitJS(t, ctx, "logged out", `location.pathname === "/login"`)
}

// personnummerPattern: 12 digits, or 10 with a separator.
var personnummerPattern = regexp.MustCompile(`\b\d{12}\b|\b\d{8}[-+]\d{4}\b|\b\d{6}[-+]\d{4}\b`)

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	h.account("rolf", form.AccountReviewer)
	h.account("post", form.AccountMailroom)
	id9445 := h.seed9445()
	id9463 := h.seed9463()
	other := h.seed(form.Kind9445, map[string]string{
		"order_change": "true", "org_name": testOrgName, "org_number": testOrg,
		"user_name": "Karin Karlsson", "user_personnummer": "198505051238", "user_email": "karin@exempelby.se",
		"login_bankid": "true", "role_insatsansvarig": "true",
		"orderer_name": "Okänd Person", "sign_place": "Exempelby", "sign_date": today(), "signature": "true",
	}, "user_name")

	// Log in and open the queue.
	h.browserLogin(t, ctx, "rita", "#queue")
	html := eval[string](t, ctx, "document.body.innerHTML")
	if !strings.Contains(html, "19850704-****") || strings.Contains(html, userPnr) {
		t.Fatal("queue does not mask the personnummer")
	}
	screenshot(t, ctx, "queue.png")

	// Open the scanned 9445: the page image with its zones.
	step(t, ctx, "open 9445", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a.doc-link[href="/documents/%d"]`, id9445))))
	waitJS(t, ctx, "document page", `document.querySelector('svg.page rect.zone[data-field="user_mobile"]')`)
	waitJS(t, ctx, "page image loaded", `fetch(document.querySelector("svg.page image").getAttribute("href")).then(r => r.ok)`)
	if !eval[bool](t, ctx, `document.querySelector('li.field[data-field="user_mobile"]').classList.contains("low")`) {
		t.Fatal("low confidence value not marked")
	}
	if !eval[bool](t, ctx, `!!document.querySelector('li.finding[data-code="SMS_MOBILE_INVALID"] dl.evidence') || !!document.querySelector('li.finding[data-code="SMS_MOBILE_INVALID"]')`) {
		t.Fatal("finding not shown")
	}
	screenshot(t, ctx, "document.png")

	// Clicking a field's zone zooms to it and shows the field (its row,
	// not its input: nothing is typed into it by accident).
	step(t, ctx, "click zone", chromedp.Click(chromedp.CSS(`rect.zone[data-field="user_mobile"]`)))
	waitJS(t, ctx, "zoomed", `document.querySelector("svg.page").getAttribute("viewBox") !== document.querySelector("svg.page").dataset.full`)
	waitJS(t, ctx, "field shown", `document.activeElement && document.activeElement.matches('li.field[data-field="user_mobile"]')`)
	screenshot(t, ctx, "document-zoomed.png")

	// Keyboard: Esc shows the whole page and keeps focus; J moves to the
	// next field's row.
	press(t, ctx, "Escape")
	waitJS(t, ctx, "whole page", `document.querySelector("svg.page").getAttribute("viewBox") === document.querySelector("svg.page").dataset.full`)
	waitJS(t, ctx, "Esc keeps focus", `document.activeElement.matches('li.field[data-field="user_mobile"]')`)
	press(t, ctx, "j")
	waitJS(t, ctx, "J shows the next field", `document.activeElement && document.activeElement.matches("li.field") && document.activeElement.dataset.field !== "user_mobile"`)

	// Correct the mobile number, typed as a person types it over what
	// was read: the finding goes away at once.
	step(t, ctx, "focus the mobile number", chromedp.Click(chromedp.ID("f-user_mobile")))
	press(t, ctx, "End")
	for range eval[int](t, ctx, `document.getElementById("f-user_mobile").value.length`) {
		press(t, ctx, "Backspace")
	}
	typeText(t, ctx, "070-123 45 67")
	if got := eval[string](t, ctx, `document.getElementById("f-user_mobile").value`); got != "070-123 45 67" {
		t.Fatalf("the mobile number typed reads %q", got)
	}
	step(t, ctx, "save the field", chromedp.Click(chromedp.CSS(`li.field[data-field="user_mobile"] button.save`)))
	waitJS(t, ctx, "finding updated", `!document.querySelector('li.finding[data-code="SMS_MOBILE_INVALID"]') && document.querySelector('li.field[data-field="user_mobile"] .flag.corrected')`)
	if !eval[bool](t, ctx, `!!window.htmx && document.querySelector("#panel .notice.ok") !== null && location.search === ""`) {
		t.Fatal("the correction did not go through htmx (is htmx blocked?)")
	}
	if codes := h.findingCodes(id9445); len(codes) != 0 {
		t.Fatalf("findings after correction: %v", codes)
	}
	corr, err := storage.Corrections(context.Background(), h.pool, id9445)
	if err != nil || len(corr) != 1 || corr[0].Actor != "rita" || corr[0].Field != "user_mobile" {
		t.Fatalf("corrections %+v %v", corr, err)
	}
	screenshot(t, ctx, "document-corrected.png")

	// Approve: the next document opens.
	step(t, ctx, "approve", chromedp.Click(chromedp.ID("approve")))
	waitJS(t, ctx, "approved", `location.search.includes("klart=beslut")`)
	if s := h.state(id9445); s != form.StateApproved {
		t.Fatalf("9445 state %s", s)
	}

	// The 9463 changes the registry: rita proposes, rolf confirms.
	step(t, ctx, "open 9463", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, id9463)))
	waitJS(t, ctx, "9463 page", `document.querySelector("#approve")`)
	step(t, ctx, "propose", chromedp.Click(chromedp.ID("approve")))
	waitJS(t, ctx, "proposed", `location.search.includes("klart=forslag")`)
	if s := h.state(id9463); s != form.StateNeedsReview {
		t.Fatalf("9463 state %s after a proposal", s)
	}
	if eval[bool](t, ctx, `!!document.querySelector("#confirm")`) {
		t.Fatal("the proposer is offered to confirm")
	}
	h.browserLogout(t, ctx)
	h.browserLogin(t, ctx, "rolf", "#queue")
	step(t, ctx, "open 9463 as rolf", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, id9463)))
	waitJS(t, ctx, "confirm button", `document.querySelector("#confirm")`)
	screenshot(t, ctx, "proposal.png")
	step(t, ctx, "confirm", chromedp.Click(chromedp.ID("confirm")))
	waitJS(t, ctx, "confirmed", `location.search.includes("klart=bekraftat")`)
	decs, err := storage.DocumentDecisions(context.Background(), h.pool, id9463)
	if err != nil || len(decs) != 1 || decs[0].Actor != "rita" || decs[0].ConfirmedBy != "rolf" || h.state(id9463) != form.StateApproved {
		t.Fatalf("9463 decisions %+v %v, state %s", decs, err, h.state(id9463))
	}
	var orderers int
	if err := h.pool.QueryRow(context.Background(), `select count(*) from orderers where name = 'Bertil Beställare'`).Scan(&orderers); err != nil || orderers != 1 {
		t.Fatalf("orderer registered: %d %v", orderers, err)
	}
	h.browserLogout(t, ctx)

	// The mailroom uploads, and is refused a decision.
	h.browserLogin(t, ctx, "post", "#dropzone")
	file := filepath.Join(t.TempDir(), "inskannad.pdf")
	if err := os.WriteFile(file, fakePDF(), 0o644); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "upload", chromedp.SetUploadFiles(chromedp.ID("files"), []string{file}))
	waitJS(t, ctx, "uploaded", `document.querySelector("#progress li") && document.querySelector("#progress li").textContent.includes("Nr ")`)
	waitJS(t, ctx, "upload listed", `document.querySelector("#uploads") && document.querySelector("#uploads").textContent.includes("inskannad.pdf")`)
	screenshot(t, ctx, "mailroom.png")
	status := eval[int](t, ctx, fmt.Sprintf(`fetch("/documents/%d/decision", {method: "POST", body: new URLSearchParams({outcome: "reject", reason: "x"})}).then(r => r.status)`, other))
	if status != 403 {
		t.Fatalf("mailroom decision: status %d, want 403", status)
	}
	step(t, ctx, "mailroom opens a document", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, other)))
	if body := eval[string](t, ctx, "document.body.textContent"); !strings.Contains(body, "Din roll") {
		t.Fatal("mailroom saw a document page")
	}
	if s := h.state(other); s != form.StateNeedsReview {
		t.Fatalf("state %s after the mailroom's attempt", s)
	}

	// No personnummer in any URL or log line.
	for _, u := range h.requestedURLs() {
		if personnummerPattern.MatchString(u) {
			t.Errorf("personnummer in URL %s", u)
		}
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "path=/documents/") {
		t.Fatalf("server logged no requests: %q", logs)
	}
	for _, line := range strings.Split(logs, "\n") {
		if personnummerPattern.MatchString(line) {
			t.Errorf("personnummer in log line %q", line)
		}
	}
	t.Logf("%d URLs and %d log lines checked", len(h.requestedURLs()), strings.Count(logs, "\n"))
}
