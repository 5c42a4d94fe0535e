package review_test

import (
	"blankett/form"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFieldAsWritten: each field shows what was read as it stands on the
// paper beside the normalised value, and a zone with writing that could
// not be read says so.
func TestFieldAsWritten(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	id := h.seed9445()

	// What extraction keeps: the raw reading and the normalised value,
	// and an empty reading with confidence 0 where the zone had writing.
	fields := h.storedFields(id)
	set := func(name, raw, value string, conf float64) {
		v := fields[name]
		v.Raw, v.Value, v.Confidence = raw, value, conf
		fields[name] = v
	}
	set("user_personnummer", "19121212-1212", userPnr, 0.97)
	set("user_mobile", "070-383 11 65", "+46703831165", 0.97)
	set("user_phone", "", "", 0)
	fj, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	h.exec(`update documents set fields = $2 where id = $1`, id, fj)

	h.browserLogin(t, ctx, "rita", "#queue")
	step(t, ctx, "open", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, id)))
	waitJS(t, ctx, "document page", `document.querySelector("li.field")`)

	shown := func(name string) (value, raw string) {
		got := eval[[]string](t, ctx, fmt.Sprintf(`(() => { const li = document.querySelector('li.field[data-field=%q]');
			const r = li.querySelector(".read .raw"); return [li.querySelector(".value").value, r ? r.textContent : ""]; })()`, name))
		return got[0], got[1]
	}
	for _, c := range []struct{ field, value, raw string }{
		{"user_personnummer", userPnr, "19121212-1212"},
		{"user_mobile", "+46703831165", "070-383 11 65"},
		{"org_name", testOrgName, ""}, // read as it is normalised: nothing twice
	} {
		if v, r := shown(c.field); v != c.value || r != c.raw {
			t.Errorf("%s shows %q beside %q, want %q beside %q", c.field, r, v, c.raw, c.value)
		}
	}
	described := eval[string](t, ctx, `document.getElementById("f-user_mobile").getAttribute("aria-describedby")`)
	if !strings.Contains(described, "r-user_mobile") {
		t.Errorf("the raw reading does not describe the input (%q)", described)
	}

	// The unread zone.
	flag := eval[string](t, ctx, `(document.querySelector('li.field[data-field="user_phone"] .flag.unread') || {}).textContent || ""`)
	if !strings.Contains(flag, "Kunde inte läsas") {
		t.Fatalf("unread field flag %q", flag)
	}
	if !eval[bool](t, ctx, `document.querySelector('rect.zone[data-field="user_phone"]').classList.contains("unread")`) {
		t.Fatal("the unread zone is not marked on the page")
	}
	if eval[bool](t, ctx, `!!document.querySelector('li.field[data-field="user_phone"] .flag.low')`) {
		t.Fatal("an unread field is also called an uncertain reading")
	}
	// A field left empty on the paper is not called unread.
	if eval[bool](t, ctx, `!!document.querySelector('li.field[data-field="orderer_phone"] .flag.unread, li.field[data-field="login_eid"] .flag.unread')`) {
		t.Fatal("a read field is called unread")
	}
	step(t, ctx, "click the flag", chromedp.Click(chromedp.CSS(`li.field[data-field="user_phone"] .flag.unread`)))
	waitJS(t, ctx, "zoomed to it", `document.querySelector('rect.zone[data-field="user_phone"]').classList.contains("active")`)
	screenshot(t, ctx, "document-as-written.png")

	// Correcting the unread field clears the flag.
	press(t, ctx, "Enter")
	typeText(t, ctx, "08-123 456 78")
	press(t, ctx, "Enter")
	waitJS(t, ctx, "saved", `document.querySelector('li.field[data-field="user_phone"] .flag.corrected') && !document.querySelector('li.field[data-field="user_phone"] .flag.unread')`)
	if got := h.storedFields(id)["user_phone"]; got.Value == "" {
		t.Fatalf("user_phone stored as %+v", got)
	}
}
