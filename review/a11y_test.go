package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"blankett/form"
	"blankett/storage"
)

// axeSource is axe-core's script, installed from npm by
// scripts/services.sh. Without it the accessibility tests fail in CI and
// are skipped elsewhere.
func axeSource(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("BLANKETT_AXE"), "../.local/tools/axe-core/node_modules/axe-core/axe.min.js"} {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	msg := "axe-core not found: run scripts/services.sh (it installs axe-core from npm into .local/tools/axe-core)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe-core's WCAG 2.0/2.1 A and AA rules on the page as it
// is and fails the test for every violation.
func axeCheck(t *testing.T, ctx context.Context, src, what string) {
	t.Helper()
	if !eval[bool](t, ctx, `typeof window.axe === "object"`) {
		// Injected through the DevTools protocol, which the page's
		// Content-Security-Policy does not govern.
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err := chromedp.Run(sctx, chromedp.Evaluate[bool](src+";true"))
		cancel()
		if err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
	}
	out := eval[string](t, ctx, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + n.failureSummary)}))))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe answer %q: %v", out, err)
	}
	for _, v := range vs {
		t.Errorf("axe on %s: %s (%s): %s\n\t%s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	if len(vs) == 0 {
		t.Logf("axe on %s: no WCAG 2.1 A/AA violation", what)
	}
}

// tabTo presses Tab until focus is on the element selector finds.
func tabTo(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	for i := 0; i < 60; i++ {
		if eval[bool](t, ctx, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, selector)) {
			return
		}
		press(t, ctx, "Tab")
	}
	t.Fatalf("60 presses of Tab never reached %s (focus on %s)", selector,
		eval[string](t, ctx, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "nothing"`))
}

// contrast is the WCAG contrast ratio of a CSS colour against white.
const contrastJS = `((css) => {
	const m = css.match(/[\d.]+/g).map(Number);
	const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
	const L = 0.2126 * lin(m[0]) + 0.7152 * lin(m[1]) + 0.0722 * lin(m[2]);
	return 1.05 / (L + 0.05);
})`

// TestAccessibility runs axe-core on every page and state a reviewer, the
// mailroom and an administrator see, checks contrast of focus rings and
// borders, the skip link, reflow at 320 px, the 404 page and the favicon.
func TestAccessibility(t *testing.T) {
	src := axeSource(t)
	ctx := browser(t)
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	h.account("post", form.AccountMailroom)
	h.account("ada", form.AccountAdmin)
	id := h.seed9445()
	h.seed9463()

	// Logged out: the login page and the 404 page.
	step(t, ctx, "login page", chromedp.Navigate(h.srv.URL+"/login"))
	axeCheck(t, ctx, src, "login")
	step(t, ctx, "unknown path", chromedp.Navigate(h.srv.URL+"/finns/inte"))
	if body := eval[string](t, ctx, `document.querySelector("main h1").textContent + "|" + document.documentElement.lang`); body != "Sidan finns inte|sv" {
		t.Fatalf("404 page: %q", body)
	}
	axeCheck(t, ctx, src, "404 (logged out)")
	resp, _ := h.client().do("GET", "/finns/inte", nil, nil)
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("404: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, body := h.client().do("GET", "/favicon.ico", nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<svg") {
		t.Fatalf("favicon: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// The reviewer: queue, document, the document's states, 404.
	h.browserLogin(t, ctx, "rita", "#queue")
	axeCheck(t, ctx, src, "queue")
	name := eval[string](t, ctx, fmt.Sprintf(`document.querySelector('a.doc-link[href="/documents/%d"]').getAttribute("aria-label")`, id))
	if !strings.Contains(name, fmt.Sprint(id)) || !strings.Contains(name, "Öppna dokument") || !strings.Contains(name, testOrgName) {
		t.Fatalf("queue link named %q", name)
	}
	step(t, ctx, "document", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, id)))
	waitJS(t, ctx, "document page", `document.querySelector("li.field") && !document.getElementById("keys").hidden`)
	axeCheck(t, ctx, src, "document")
	// Every control is named by what it acts on, and no two alike.
	names := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("button.save")).map(b => b.getAttribute("aria-label"))`)
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] || !strings.HasPrefix(n, "Spara ") {
			t.Errorf("Spara button named %q (twice, or not by its field)", n)
		}
		seen[n] = true
	}
	if !seen["Spara E-postadress (Användare)"] || !seen["Spara E-postadress (Behörig beställare)"] {
		t.Errorf("the two e-mail fields are not told apart: %v", names)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("h3.field-section").length`); n < 5 {
		t.Errorf("%d section headings in the field list", n)
	}

	// Skip link: the first Tab stop, and it leads to the fields.
	press(t, ctx, "Tab")
	if s := eval[string](t, ctx, `document.activeElement.textContent`); s != "Till huvudinnehållet" {
		t.Fatalf("first Tab stop %q, want the skip link", s)
	}
	press(t, ctx, "Tab")
	if s := eval[string](t, ctx, `document.activeElement.getAttribute("href")`); s != "#fields-title" {
		t.Fatalf("second Tab stop %q, want the link to the fields", s)
	}
	press(t, ctx, "Enter")
	waitJS(t, ctx, "skipped", `location.hash === "#fields-title"`)

	// Focus ring and borders: at least 3:1 against white.
	for _, sel := range []string{"#f-org_name", "#approve", "#reason"} {
		ring := eval[float64](t, ctx, fmt.Sprintf(`(document.querySelector(%q).focus(), %s(getComputedStyle(document.activeElement).outlineColor))`, sel, contrastJS))
		border := eval[float64](t, ctx, fmt.Sprintf(`%s(getComputedStyle(document.querySelector(%q)).borderTopColor)`, contrastJS, sel))
		width := eval[string](t, ctx, fmt.Sprintf(`getComputedStyle(document.querySelector(%q)).outlineStyle`, sel))
		if ring < 3 || border < 3 || width == "none" {
			t.Errorf("%s: focus ring %.1f:1 (%s), border %.1f:1 against white, want 3:1", sel, ring, width, border)
		}
	}

	// A field in error: text and aria-invalid, not colour alone.
	if !eval[bool](t, ctx, `document.querySelector('#f-user_mobile').getAttribute("aria-invalid") === "true"`) {
		t.Error("the field the rules found wrong has no aria-invalid")
	}
	if txt := eval[string](t, ctx, `document.getElementById("e-user_mobile").textContent`); !strings.Contains(txt, "Fel:") {
		t.Errorf("the error beside the field says %q, want a text cue", txt)
	}

	// A refused save: the error beside the field, focus kept there.
	eval[bool](t, ctx, `(document.getElementById("f-org_name").value = "x".repeat(600), true)`)
	eval[bool](t, ctx, `(document.getElementById("f-org_name").focus(), true)`)
	press(t, ctx, "Enter")
	waitJS(t, ctx, "save refused", `document.querySelector('li.field[data-field="org_name"] .field-note.error')`)
	if !eval[bool](t, ctx, `document.activeElement.id === "f-org_name" && document.activeElement.getAttribute("aria-invalid") === "true"`) {
		t.Fatal("after a refused save focus left the field or it is not marked invalid")
	}
	if txt := eval[string](t, ctx, `document.querySelector('li.field[data-field="org_name"] .field-note').textContent`); !strings.Contains(txt, "Fel:") || !strings.Contains(txt, "för långt") {
		t.Fatalf("error beside the field: %q", txt)
	}
	waitJS(t, ctx, "announced", `document.getElementById("live").textContent.includes("för långt")`)
	axeCheck(t, ctx, src, "document with a refused save")
	screenshot(t, ctx, "document-save-refused.png")
	press(t, ctx, "Escape")
	if v := eval[string](t, ctx, `document.getElementById("f-org_name").value`); v != testOrgName {
		t.Fatalf("Esc left %q in the field", v)
	}

	// A decision missing its reason: said beside the box, nothing sent.
	eval[bool](t, ctx, `(document.getElementById("reject").click(), true)`)
	waitJS(t, ctx, "reason marked", `document.getElementById("reason").getAttribute("aria-invalid") === "true" && document.activeElement.id === "reason"`)
	if s := h.state(id); s != form.StateNeedsReview {
		t.Fatalf("state %s after a refused decision", s)
	}
	axeCheck(t, ctx, src, "document with a missing reason")

	// The help dialog, and a zoomed field.
	eval[bool](t, ctx, `(document.querySelector('li.field[data-field="org_name"]').focus(), true)`)
	press(t, ctx, "?")
	waitJS(t, ctx, "help", `document.getElementById("keys-help").open`)
	axeCheck(t, ctx, src, "document with the help open")
	screenshot(t, ctx, "document-help.png")
	press(t, ctx, "Escape")
	waitJS(t, ctx, "help closed, focus back", `!document.getElementById("keys-help").open && document.activeElement.matches('li.field[data-field="org_name"]')`)

	// The overview.
	step(t, ctx, "overview", chromedp.Navigate(h.srv.URL+"/oversikt"))
	waitJS(t, ctx, "overview", `document.getElementById("day-chart")`)
	axeCheck(t, ctx, src, "overview")

	// Search, with results.
	step(t, ctx, "search", chromedp.Navigate(h.srv.URL+"/sok"))
	waitJS(t, ctx, "search form", `document.activeElement && document.activeElement.id === "q"`)
	typeText(t, ctx, "Exempelby")
	press(t, ctx, "Enter")
	waitJS(t, ctx, "results", `document.getElementById("results")`)
	axeCheck(t, ctx, src, "search results")
	screenshot(t, ctx, "search.png")

	// 404 while logged in: the layout with the menu.
	step(t, ctx, "unknown path", chromedp.Navigate(h.srv.URL+"/documents/1/finns-inte"))
	if !eval[bool](t, ctx, `!!document.querySelector("nav.main a[href='/queue']") && document.title.startsWith("Sidan finns inte")`) {
		t.Fatal("404 page for a logged-in reviewer has no menu")
	}
	axeCheck(t, ctx, src, "404 (reviewer)")

	// Reflow at 320 px: the menu and Logga ut on screen, no sideways
	// scrolling of the page.
	for _, path := range []string{"/queue", fmt.Sprintf("/documents/%d", id)} {
		step(t, ctx, "narrow", chromedp.EmulateViewport(320, 640), chromedp.Navigate(h.srv.URL+path))
		waitJS(t, ctx, "loaded", `document.readyState === "complete"`)
		got := eval[[]float64](t, ctx, `[document.documentElement.scrollWidth,
			document.querySelector("form.who button").getBoundingClientRect().right,
			Math.max(...Array.from(document.querySelectorAll("nav.main a")).map(a => a.getBoundingClientRect().right))]`)
		if got[0] > 320 || got[1] > 320 || got[2] > 320 {
			wide := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 321 && !(e.parentElement && e.parentElement.closest(".table-wrap"))).slice(0, 6).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
			t.Errorf("%s at 320 px: page %v px wide, Logga ut ends at %v, menu at %v; too wide: %v", path, got[0], got[1], got[2], wide)
		}
		screenshot(t, ctx, "reflow-320"+strings.ReplaceAll(path, "/", "-")+".png")
	}
	step(t, ctx, "wide again", chromedp.EmulateViewport(1440, 1000))
	h.browserLogout(t, ctx)

	// The mailroom.
	h.browserLogin(t, ctx, "post", "#dropzone")
	axeCheck(t, ctx, src, "mailroom")
	h.browserLogout(t, ctx)

	// The administrator's audit page.
	h.browserLogin(t, ctx, "ada", "#queue")
	step(t, ctx, "audit", chromedp.Navigate(h.srv.URL+"/audit"))
	waitJS(t, ctx, "audit page", `document.querySelector("#audit")`)
	axeCheck(t, ctx, src, "audit")
	audit := eval[string](t, ctx, `document.getElementById("audit").textContent`)
	for _, want := range []string{"Dokument visat", "Inloggning", "Status", "Dokument mottaget"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit page does not say %q", want)
		}
	}
	for _, raw := range []string{"document.viewed", "account.login", `{"`} {
		if strings.Contains(audit, raw) {
			t.Errorf("the audit page shows %q", raw)
		}
	}
	screenshot(t, ctx, "audit.png")

	// Filtered by a person, by keyboard: the number goes in a POST.
	eval[bool](t, ctx, `(document.getElementById("person").focus(), true)`)
	typeText(t, ctx, "19850704-1237")
	press(t, ctx, "Enter")
	waitJS(t, ctx, "audit by person", `document.getElementById("audit-person-shown")`)
	if shown := eval[string](t, ctx, `document.getElementById("audit-person-shown").textContent`); !strings.Contains(shown, "19850704-****") {
		t.Errorf("the audit page filtered by person says %q", shown)
	}
	if u := eval[string](t, ctx, `location.href`); strings.Contains(u, "1237") {
		t.Errorf("the personnummer is in the address %s", u)
	}
	axeCheck(t, ctx, src, "audit by person")
	screenshot(t, ctx, "audit-person.png")

	// The administrator's form editions: every button named by the
	// edition it acts on, no two alike; the upload labelled.
	step(t, ctx, "templates", chromedp.Navigate(h.srv.URL+"/blanketter"))
	waitJS(t, ctx, "templates page", `document.querySelector("#mallfil")`)
	axeCheck(t, ctx, src, "templates")
	buttons := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("main button")).map(b => b.textContent.trim())`)
	seenButton := map[string]bool{}
	for _, b := range buttons {
		if seenButton[b] {
			t.Errorf("two buttons named %q on the templates page", b)
		}
		seenButton[b] = true
	}
	if !seenButton["Aktivera FK 9445 (001) version 1"] || !seenButton["Avveckla FK 9445 (001)"] || !seenButton["Importera mallen"] {
		t.Errorf("templates page buttons: %q", buttons)
	}
}

// TestKeyboardOnly uploads a file, corrects a field and decides a
// document with nothing but the keyboard.
func TestKeyboardOnly(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	h.account("post", form.AccountMailroom)
	id := h.seed9445()

	keyLogin := func(name string) {
		step(t, ctx, "login page", chromedp.Navigate(h.srv.URL+"/login"))
		waitJS(t, ctx, "name focused", `document.activeElement && document.activeElement.id === "name"`)
		typeText(t, ctx, name)
		press(t, ctx, "Tab")
		typeText(t, ctx, password)
		press(t, ctx, "Enter")
		waitJS(t, ctx, "logged in", `location.pathname !== "/login"`)
	}
	keyLogout := func() {
		tabTo(t, ctx, "form.who button")
		press(t, ctx, "Enter")
		waitJS(t, ctx, "logged out", `location.pathname === "/login"`)
	}

	// The mailroom: Tab to the file button, Enter opens the file chooser.
	keyLogin("post")
	waitJS(t, ctx, "mailroom", `document.getElementById("files")`)
	file := filepath.Join(t.TempDir(), "tangentbord.pdf")
	if err := os.WriteFile(file, fakePDF(), 0o644); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chooser := chromedp.Events(cctx, page.FileChooserOpened)
	if _, err := chromedp.Call(ctx, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, "#files")
	if !eval[bool](t, ctx, `getComputedStyle(document.getElementById("files-label")).outlineStyle !== "none"`) {
		t.Error("the focused file button shows no focus ring")
	}
	press(t, ctx, "Enter")
	opened := make(chan page.EventFileChooserOpened, 1)
	go func() {
		for ev, err := range chooser {
			if err == nil {
				opened <- ev
			}
			return
		}
	}()
	select {
	case ev := <-opened:
		if _, err := chromedp.Call(ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{file}, BackendNodeID: ev.BackendNodeID}); err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Enter on the file button opened no file chooser")
	}
	waitJS(t, ctx, "uploaded", `document.querySelector("#progress li") && document.querySelector("#progress li").textContent.includes("Nr ")`)
	waitJS(t, ctx, "announced", `document.getElementById("live").textContent.includes("tangentbord.pdf")`)
	screenshot(t, ctx, "mailroom-keyboard.png")
	keyLogout()

	// The reviewer: open the document from the queue, correct the mobile
	// number, approve.
	keyLogin("rita")
	tabTo(t, ctx, fmt.Sprintf(`a.doc-link[href="/documents/%d"]`, id))
	press(t, ctx, "Enter")
	waitJS(t, ctx, "document", `document.querySelector("li.field") && !document.getElementById("keys").hidden`)
	for i := 0; activeFieldName(t, ctx) != "user_mobile"; i++ {
		if i > 40 {
			t.Fatal("J never reached the mobile number")
		}
		press(t, ctx, "j")
	}
	press(t, ctx, "Enter", "End")
	for range []rune(eval[string](t, ctx, `document.getElementById("f-user_mobile").value`)) {
		press(t, ctx, "Backspace")
	}
	typeText(t, ctx, "070-123 45 67")
	press(t, ctx, "Enter")
	waitJS(t, ctx, "saved", `document.querySelector('li.field[data-field="user_mobile"] .flag.corrected') && !document.querySelector('li.finding.error')`)
	press(t, ctx, "g")
	waitJS(t, ctx, "approve focused", `document.activeElement.id === "approve"`)
	press(t, ctx, "Enter")
	waitJS(t, ctx, "decided", `location.search.includes("klart=beslut")`)
	if s := h.state(id); s != form.StateApproved {
		t.Fatalf("state %s, want approved", s)
	}
	corr, err := storage.Corrections(context.Background(), h.pool, id)
	if err != nil || len(corr) != 1 || corr[0].Field != "user_mobile" || corr[0].Actor != "rita" {
		t.Fatalf("corrections %+v %v", corr, err)
	}
	ups, err := storage.UploadsBy(context.Background(), h.pool, "post", 10)
	if err != nil || len(ups) != 1 || ups[0].Filename != "tangentbord.pdf" {
		t.Fatalf("uploads %+v %v", ups, err)
	}
}
