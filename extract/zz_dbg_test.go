package extract

import (
	"image"
	"image/png"
	"os"
	"slices"
	"testing"
)

func TestZZDbg(t *testing.T) {
	f, _ := os.Open("/tmp/dump/orderer2_name-0.png")
	im, _ := png.Decode(f)
	g := im.(*image.Gray)
	k := 300.0 / 72
	comps := components(g)
	var heights []int
	var letters []component
	for _, c := range comps {
		if letterSized(c, k) {
			letters = append(letters, c)
			heights = append(heights, c.box.Dy())
		}
	}
	slices.Sort(heights)
	xh := float64(heights[len(heights)/4])
	t.Log("xh", xh, heights)
	for _, c := range comps {
		if !letterSized(c, k) {
			best := notMark
			for _, l := range letters {
				best = max(best, markOn(c, l, g, xh))
			}
			t.Log(c.box, c.area, best)
		}
	}
}
