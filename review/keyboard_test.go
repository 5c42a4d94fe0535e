package review_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"blankett/form"
	"blankett/storage"
)

// key is one physical key as a US keyboard sends it.
type key struct {
	name, code string
	vk         int64
	text       string // what its char event types; "" for keys that type nothing
	shift      bool
}

var namedKeys = map[string]key{
	"Enter":     {name: "Enter", code: "Enter", vk: 13, text: "\r"},
	"Escape":    {name: "Escape", code: "Escape", vk: 27},
	"Tab":       {name: "Tab", code: "Tab", vk: 9},
	"Backspace": {name: "Backspace", code: "Backspace", vk: 8},
	"End":       {name: "End", code: "End", vk: 35},
	"Space":     {name: " ", code: "Space", vk: 32, text: " "},
	"?":         {name: "?", code: "Slash", vk: 191, text: "?", shift: true},
	"+":         {name: "+", code: "Equal", vk: 187, text: "+", shift: true},
	"-":         {name: "-", code: "Minus", vk: 189, text: "-"},
}

func keyOf(s string) key {
	if k, ok := namedKeys[s]; ok {
		return k
	}
	r := []rune(s)[0]
	k := key{name: s, text: s}
	switch {
	case r >= 'a' && r <= 'z':
		k.code, k.vk = "Key"+strings.ToUpper(s), int64(unicode.ToUpper(r))
	case r >= 'A' && r <= 'Z':
		k.code, k.vk, k.shift = "Key"+s, int64(r), true
	case r >= '0' && r <= '9':
		k.code, k.vk = "Digit"+s, int64(r)
	}
	return k
}

// press presses keys as a keyboard does: rawKeyDown, then char for a key
// that types, then keyUp, so the page's preventDefault on keydown stops
// the character as it does in a real browser. (chromedp.KeyEvent sends
// keyDown and char the other way and types into the page regardless.)
// A name with a "Shift+" prefix holds Shift.
func press(t *testing.T, ctx context.Context, names ...string) {
	t.Helper()
	for _, name := range names {
		shift := false
		if rest, ok := strings.CutPrefix(name, "Shift+"); ok {
			name, shift = rest, true
		}
		k := keyOf(name)
		if shift && k.text != "" {
			k.name, k.text = strings.ToUpper(k.name), strings.ToUpper(k.text)
		}
		var mods int64
		if shift || k.shift {
			mods = int64(chromedp.ModifierShift)
		}
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeRawKeyDown, Key: k.name, Code: k.code,
			WindowsVirtualKeyCode: k.vk, NativeVirtualKeyCode: k.vk, Modifiers: mods}
		events := []input.DispatchKeyEventParams{down}
		if k.text != "" {
			c := down
			c.Type, c.Text, c.UnmodifiedText = input.DispatchKeyEventTypeChar, k.text, k.text
			events = append(events, c)
		}
		up := down
		up.Type = input.DispatchKeyEventTypeKeyUp
		events = append(events, up)
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		for _, ev := range events {
			if _, err := chromedp.Call(sctx, input.DispatchKeyEvent, ev); err != nil {
				cancel()
				t.Fatalf("press %s: %v", name, err)
			}
		}
		cancel()
	}
}

// typeText types text key by key.
func typeText(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	for _, r := range text {
		if r == ' ' {
			press(t, ctx, "Space")
			continue
		}
		press(t, ctx, string(r))
	}
}

// TestKeyHarness checks press against a case whose answer is known: a
// keydown the page cancels types nothing, one it lets through types its
// letter.
func TestKeyHarness(t *testing.T) {
	ctx := browser(t)
	step(t, ctx, "blank page", chromedp.Navigate("about:blank"))
	eval[bool](t, ctx, `(() => {
		const i = document.createElement("input"); i.id = "probe"; document.body.append(i);
		i.addEventListener("keydown", e => { if (e.key === "j") e.preventDefault(); });
		i.focus(); return true; })()`)
	press(t, ctx, "j", "x", "j", "Space", "y", "Shift+a")
	if got := eval[string](t, ctx, `document.getElementById("probe").value`); got != "x yA" {
		t.Fatalf("typed %q, want %q: the harness does not press keys as a keyboard does", got, "x yA")
	}
}

// storedFields is a document's stored values (personnummer unsealed).
func (h *harness) storedFields(id int64) form.Fields {
	h.t.Helper()
	d, err := storage.GetDocument(context.Background(), h.pool, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d.Fields
}

func activeField(t *testing.T, ctx context.Context) (row, control string) {
	t.Helper()
	got := eval[[]string](t, ctx, `(() => { const a = document.activeElement;
		const li = a && a.closest && a.closest("li.field");
		return [li ? li.dataset.field : "", a === li ? "row" : (a ? a.tagName.toLowerCase() : "")]; })()`)
	return got[0], got[1]
}

// TestBrowserKeys walks a document with the keys a reviewer uses, as a
// keyboard presses them, and then reads the database: nothing changed but
// the one value typed on purpose.
func TestBrowserKeys(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	id := h.seed9445()
	before := h.storedFields(id)

	h.browserLogin(t, ctx, "rita", "#queue")
	step(t, ctx, "open", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, id)))
	waitJS(t, ctx, "document page", `document.querySelector("li.field") && document.getElementById("keys") && !document.getElementById("keys").hidden`)
	names := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("li.field")).map(li => li.dataset.field)`)
	if len(names) < 6 {
		t.Fatalf("fields %v", names)
	}

	// J J J K: the second field's row has focus, no input does.
	press(t, ctx, "j", "j", "j", "k")
	if row, ctl := activeField(t, ctx); row != names[1] || ctl != "row" {
		t.Fatalf("after J J J K focus is on %q (%s), want the row of %q", row, ctl, names[1])
	}
	if !eval[bool](t, ctx, `document.querySelector("svg.page").getAttribute("viewBox") !== document.querySelector("svg.page").dataset.full`) {
		t.Fatal("J did not zoom to the field's zone")
	}
	// J walks every field in order, one at a time.
	for i := 2; i < len(names); i++ {
		press(t, ctx, "j")
		if row, ctl := activeField(t, ctx); row != names[i] || ctl != "row" {
			t.Fatalf("J number %d: focus on %q (%s), want the row of %q", i, row, ctl, names[i])
		}
	}
	press(t, ctx, "j")
	if row, _ := activeField(t, ctx); row != names[len(names)-1] {
		t.Fatalf("J past the last field moved to %q", row)
	}
	for range names {
		press(t, ctx, "k")
	}
	if row, ctl := activeField(t, ctx); row != names[0] || ctl != "row" {
		t.Fatalf("K back to the first field: %q (%s)", row, ctl)
	}
	press(t, ctx, "j")

	// Enter edits, Enter on the untouched value saves nothing, Esc leaves.
	press(t, ctx, "Enter")
	if row, ctl := activeField(t, ctx); row != names[1] || (ctl != "input" && ctl != "select") {
		t.Fatalf("Enter did not start editing: %q (%s)", row, ctl)
	}
	press(t, ctx, "Enter")
	if row, ctl := activeField(t, ctx); row != names[1] || ctl != "row" {
		t.Fatalf("Enter on an untouched value: focus %q (%s)", row, ctl)
	}
	note := eval[string](t, ctx, fmt.Sprintf(`document.querySelector('li.field[data-field=%q] .field-note').textContent`, names[1]))
	if !strings.Contains(note, "oförändrat") {
		t.Fatalf("no word that nothing was saved: %q", note)
	}
	press(t, ctx, "Enter", "Escape")
	if row, ctl := activeField(t, ctx); row != names[1] || ctl != "row" {
		t.Fatalf("Esc left focus on %q (%s), want the field's row", row, ctl)
	}

	// ? opens the help; a letter there does nothing; Enter on Stäng
	// closes it and focus returns to the field.
	press(t, ctx, "?")
	waitJS(t, ctx, "help open", `document.getElementById("keys-help").open`)
	help := eval[string](t, ctx, `document.getElementById("keys-help").textContent`)
	for _, k := range []string{"J", "K", "Enter", "Esc", "G", "A", "B", "N", "+", "-", "0", "?"} {
		if !strings.Contains(help, k) {
			t.Errorf("the help does not list %s", k)
		}
	}
	press(t, ctx, "g", "Enter")
	waitJS(t, ctx, "help closed", `!document.getElementById("keys-help").open`)
	if row, ctl := activeField(t, ctx); row != names[1] || ctl != "row" {
		t.Fatalf("after the help focus is on %q (%s)", row, ctl)
	}

	// Typing in a field types, shortcuts or not.
	for i := 0; activeFieldName(t, ctx) != "user_mobile"; i++ {
		if i > len(names) {
			t.Fatal("J never reached user_mobile")
		}
		press(t, ctx, "j")
	}
	press(t, ctx, "Enter")
	old := eval[string](t, ctx, `document.getElementById("f-user_mobile").value`)
	press(t, ctx, "End")
	for range []rune(old) {
		press(t, ctx, "Backspace")
	}
	typeText(t, ctx, "070-123 45 67")
	if v := eval[string](t, ctx, `document.getElementById("f-user_mobile").value`); v != "070-123 45 67" {
		t.Fatalf("typed value %q", v)
	}

	// N on the field's Spara button does not leave the page and its edit.
	press(t, ctx, "Tab")
	if !eval[bool](t, ctx, `document.activeElement.matches('li.field[data-field="user_mobile"] button.save')`) {
		t.Fatal("Tab from the value did not reach its Spara button")
	}
	if name := eval[string](t, ctx, `document.activeElement.getAttribute("aria-label")`); name != "Spara Mobiltelefon (Användare)" {
		t.Fatalf("Spara button named %q", name)
	}
	url := eval[string](t, ctx, `location.href`)
	press(t, ctx, "n", "j", "g")
	time.Sleep(300 * time.Millisecond)
	if u := eval[string](t, ctx, `location.href`); u != url {
		t.Fatalf("N on a button navigated to %s", u)
	}
	if v := eval[string](t, ctx, `document.getElementById("f-user_mobile").value`); v != "070-123 45 67" {
		t.Fatalf("value after N on the button: %q", v)
	}

	// Nor does a decision or the next-document link go ahead over it.
	eval[bool](t, ctx, `(document.getElementById("approve").click(), document.getElementById("next-doc").click(), true)`)
	time.Sleep(300 * time.Millisecond)
	if u := eval[string](t, ctx, `location.href`); u != url || h.state(id) != form.StateNeedsReview {
		t.Fatalf("approve or next document went ahead over an unsaved value: %s, %s", u, h.state(id))
	}
	if !eval[bool](t, ctx, `document.activeElement.id === "f-user_mobile" && document.querySelector('li.field[data-field="user_mobile"] .field-note').textContent.includes("Osparad")`) {
		t.Fatal("the unsaved value is not pointed out")
	}
	press(t, ctx, "Tab")

	// Enter in the changed field saves it; focus moves to the next row.
	press(t, ctx, "Shift+Tab", "Enter")
	waitJS(t, ctx, "saved", `document.querySelector('li.field[data-field="user_mobile"] .flag.corrected')`)
	if row, ctl := activeField(t, ctx); row == "" || ctl != "row" {
		t.Fatalf("after saving focus is on %q (%s)", row, ctl)
	}
	waitJS(t, ctx, "announced", `document.getElementById("live").textContent.includes("sparat")`)

	// Turned off, one-letter keys do nothing; the setting is kept.
	eval[bool](t, ctx, `(document.getElementById("keys-on").focus(), true)`)
	press(t, ctx, "Space")
	if eval[bool](t, ctx, `document.getElementById("keys-on").checked`) {
		t.Fatal("Space did not turn the shortcuts off")
	}
	rowBefore := eval[string](t, ctx, `(document.querySelector("li.field.active").focus(), document.activeElement.dataset.field)`)
	press(t, ctx, "j", "j")
	if row, _ := activeField(t, ctx); row != rowBefore {
		t.Fatalf("J moved to %q with the shortcuts off", row)
	}
	step(t, ctx, "reload", chromedp.Reload())
	waitJS(t, ctx, "reloaded", `document.getElementById("keys-on") && document.getElementById("keys") && !document.getElementById("keys").hidden`)
	if eval[bool](t, ctx, `document.getElementById("keys-on").checked`) {
		t.Fatal("the setting was not kept")
	}
	eval[bool](t, ctx, `(document.getElementById("keys-on").click(), true)`)

	// The database: one correction, of the value typed; nothing else.
	corr, err := storage.Corrections(context.Background(), h.pool, id)
	if err != nil || len(corr) != 1 || corr[0].Field != "user_mobile" {
		t.Fatalf("corrections %+v %v, want only user_mobile", corr, err)
	}
	after := h.storedFields(id)
	for name, v := range before {
		if name == "user_mobile" {
			continue
		}
		if a := after[name]; a.Value != v.Value || a.Raw != v.Raw {
			t.Errorf("%s changed from %q to %q", name, v.Value, a.Value)
		}
	}
	if m := after["user_mobile"].Value; m == before["user_mobile"].Value || !strings.Contains(strings.ReplaceAll(m, " ", ""), "1234567") {
		t.Errorf("user_mobile stored as %q", after["user_mobile"].Value)
	}
	screenshot(t, ctx, "document-keys.png")
}

func activeFieldName(t *testing.T, ctx context.Context) string {
	t.Helper()
	row, _ := activeField(t, ctx)
	return row
}
