package review_test

import (
	"blankett/form"
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// viewState is the page image's view: its viewBox, the full page, and
// how wide it is drawn.
type viewState struct {
	VX, VY, VW, VH float64
	W, H           float64
	Drawn, Column  float64
}

func pageView(t *testing.T, ctx context.Context) viewState {
	t.Helper()
	v := eval[[]float64](t, ctx, `(() => { const s = document.querySelector("svg.page");
		const b = s.getAttribute("viewBox").split(" ").map(Number), f = s.dataset.full.split(" ").map(Number);
		const col = s.closest(".page-figure").clientWidth;
		return [...b, f[2], f[3], s.getBoundingClientRect().width, col]; })()`)
	return viewState{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]}
}

// TestPageZoom: the page image fills its column; every zone zooms, a
// zone as wide as the page too; + and - zoom, 0 shows the whole page.
func TestPageZoom(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	id := h.seed9445()
	h.browserLogin(t, ctx, "rita", "#queue")
	step(t, ctx, "wide screen", chromedp.EmulateViewport(1600, 1000))
	step(t, ctx, "open", chromedp.Navigate(fmt.Sprintf("%s/documents/%d", h.srv.URL, id)))
	waitJS(t, ctx, "document page", `document.querySelector("svg.page image") && !document.getElementById("keys").hidden`)

	v := pageView(t, ctx)
	if v.Drawn < 0.95*(v.Column-20) || v.Drawn < 760 {
		t.Fatalf("the page image is %.0f px wide in a %.0f px column on a 1600 px screen", v.Drawn, v.Column)
	}
	t.Logf("page image %.0f px wide in a %.0f px column", v.Drawn, v.Column)
	fullScale := v.Drawn / v.W

	// Every zone zooms: the view is smaller than the page and the zone is
	// drawn larger than on the whole page, wide zones included.
	zones := eval[[][]float64](t, ctx, `Array.from(document.querySelectorAll("svg.page rect.zone")).map(r => ["x","y","width","height"].map(a => +r.getAttribute(a)))`)
	names := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("svg.page rect.zone")).map(r => r.dataset.field)`)
	widest := 0.0
	for i, name := range names {
		eval[bool](t, ctx, fmt.Sprintf(`(document.querySelector('li.field[data-field=%q]').focus(), true)`, name))
		z := pageView(t, ctx)
		zx, zy, zw, zh := zones[i][0], zones[i][1], zones[i][2], zones[i][3]
		if z.VW >= z.W && z.VH >= z.H {
			t.Errorf("%s: no zoom", name)
			continue
		}
		if zx < z.VX-0.5 || zy < z.VY-0.5 || zx+zw > z.VX+z.VW+0.5 || zy+zh > z.VY+z.VH+0.5 {
			t.Errorf("%s: zone %v not inside the view %v", name, zones[i], []float64{z.VX, z.VY, z.VW, z.VH})
		}
		if scale := z.Drawn / z.VW; scale < fullScale*1.001 && z.VH >= z.H*0.5 {
			t.Errorf("%s: drawn at %.2f px per image px, as on the whole page (%.2f)", name, scale, fullScale)
		}
		widest = max(widest, zw/z.W)
	}
	if widest < 0.6 {
		t.Fatalf("no wide zone to check (widest %.2f of the page)", widest)
	}

	// + zooms in around the view, - out, 0 shows the whole page.
	eval[bool](t, ctx, `(document.querySelector('li.field[data-field="user_mobile"]').focus(), true)`)
	before := pageView(t, ctx)
	press(t, ctx, "+")
	in := pageView(t, ctx)
	if in.VW >= before.VW {
		t.Fatalf("+ did not zoom in: %.0f -> %.0f", before.VW, in.VW)
	}
	press(t, ctx, "-", "-")
	out := pageView(t, ctx)
	if out.VW <= in.VW {
		t.Fatalf("- did not zoom out: %.0f -> %.0f", in.VW, out.VW)
	}
	press(t, ctx, "0")
	if whole := pageView(t, ctx); whole.VW != whole.W || whole.VH != whole.H {
		t.Fatalf("0 left the view at %v", whole)
	}
	if !eval[bool](t, ctx, `document.activeElement.matches('li.field[data-field="user_mobile"]')`) {
		t.Fatal("zoom keys moved focus")
	}
	press(t, ctx, "+")
	screenshot(t, ctx, "document-zoom-in.png")
	eval[bool](t, ctx, `(document.querySelector('li.field[data-field="org_name"]').focus(), true)`)
	screenshot(t, ctx, "document-wide-zone.png")
}
