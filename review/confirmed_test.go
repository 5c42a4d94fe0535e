package review_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"blankett/form"
)

// TestRegistryConfirmsFlaggedName: a name read unsurely that the registry
// holds letter for letter for the form's organisation is not flagged as
// an uncertain reading: the page says it matches the registry. One a
// letter off the registry's stays flagged, as read, and the page shows
// the registry's spelling beside it.
func TestRegistryConfirmsFlaggedName(t *testing.T) {
	h := newHarness(t, nil)
	id := h.seedNearName("orderer_name", "signer_name", "user_name")
	c := h.client()
	c.login("rita")
	resp, page := c.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("document page: %d", resp.StatusCode)
	}
	field := func(name string) string {
		m := regexp.MustCompile(`(?s)<li class="field[^"]*" data-field="` + name + `".*?</li>`).FindString(page)
		if m == "" {
			t.Fatalf("no field %s on the page", name)
		}
		return m
	}
	flagged := regexp.MustCompile(`class="flag low"`)
	spelt := regexp.MustCompile(`I registret står: <span class="registered">Anna Beställare<`)
	confirmed := regexp.MustCompile(`class="flag confirmed">Stämmer med registret<`)
	for _, c := range []struct {
		name                   string
		low, registered, shown bool
	}{
		{"orderer_name", false, true, false}, // the registry's spelling
		{"signer_name", true, false, true},   // a letter off it: as read, flagged, the registry's shown
		{"user_name", true, false, false},    // no such user in the registry
		{"org_number", false, false, false},  // read surely: nothing to say
	} {
		li := field(c.name)
		if got := flagged.MatchString(li); got != c.low {
			t.Errorf("%s flagged %v, want %v", c.name, got, c.low)
		}
		if got := confirmed.MatchString(li); got != c.registered {
			t.Errorf("%s shown as matching the registry %v, want %v", c.name, got, c.registered)
		}
		if got := spelt.MatchString(li); got != c.shown {
			t.Errorf("%s shown beside the registry's spelling %v, want %v", c.name, got, c.shown)
		}
	}
}

// TestRegistryContradictsSureName: a name read surely but a mark off the
// registry's spelling (every model may lose the same mark) is flagged
// all the same, the registry's spelling beside it; one read surely as the
// registry has it is not.
func TestRegistryContradictsSureName(t *testing.T) {
	h := newHarness(t, nil)
	id := h.seedNearName() // every field read surely
	c := h.client()
	c.login("rita")
	resp, page := c.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("document page: %d", resp.StatusCode)
	}
	for _, c := range []struct {
		name string
		want bool
	}{
		{"signer_name", true},
		{"orderer_name", false},
	} {
		li := regexp.MustCompile(`(?s)<li class="field[^"]*" data-field="` + c.name + `".*?</li>`).FindString(page)
		if li == "" {
			t.Fatalf("no field %s on the page", c.name)
		}
		low := regexp.MustCompile(`class="flag low"`).MatchString(li)
		shown := regexp.MustCompile(`I registret står: <span class="registered">Anna Beställare<`).MatchString(li)
		if low != c.want || shown != c.want {
			t.Errorf("%s: flagged %v, registry's spelling shown %v; want both %v", c.name, low, shown, c.want)
		}
	}
}

// TestUseRegisteredSpelling: by keyboard, a reviewer takes the registry's
// spelling shown beside a flagged name: it is saved as the field's value,
// a correction like any typed one.
func TestUseRegisteredSpelling(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, nil)
	id := h.seedNearName("signer_name")
	h.browserLogin(t, ctx, "rita", "#queue")
	step(t, ctx, "open", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, id)))
	waitJS(t, ctx, "the registry's spelling", `document.querySelector('li.field[data-field="signer_name"] .use-registered')`)
	// The row, then its input, its save button and the registry's spelling.
	step(t, ctx, "click the spelling", chromedp.Click(chromedp.CSS(`li.field[data-field="signer_name"] .registered`)))
	waitJS(t, ctx, "the row focused", `document.activeElement === document.querySelector('li.field[data-field="signer_name"]')`)
	press(t, ctx, "Tab", "Tab", "Tab")
	if !eval[bool](t, ctx, `document.activeElement.classList.contains("use-registered")`) {
		t.Fatalf("focus on %q, not the registry's spelling", eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 120)`))
	}
	press(t, ctx, "Enter")
	waitJS(t, ctx, "saved", `document.querySelector('li.field[data-field="signer_name"] .flag.corrected')`)
	if got := h.storedFields(id)["signer_name"].Value; got != "Anna Beställare" {
		t.Fatalf("signer_name stored as %q, want the registry's Anna Beställare", got)
	}
}

// seedNearName seeds the registry, a reviewer rita and a 9445 whose
// orderer is named as registered and whose signer, the same person, a
// mark off (Anna Bestallare), the fields low read unsurely.
func (h *harness) seedNearName(low ...string) int64 {
	h.t.Helper()
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	return h.seed(form.Kind9445, map[string]string{
		"order_new": "true", "org_name": testOrgName, "org_number": testOrg,
		"user_name": "Tolvan Tolvansson", "user_personnummer": userPnr,
		"orderer_name": "Anna Beställare", "signer_name": "Anna Bestallare",
		"sign_place": "Exempelby", "sign_date": today(), "signature": "true",
	}, low...)
}
