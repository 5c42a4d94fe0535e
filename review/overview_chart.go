package review

import (
	"fmt"
	"math"

	"blankett/form"
	"blankett/storage"
)

// dayChart is a bar chart of documents received and decided per day,
// drawn by the template as inline SVG: no script, no build step.
type dayChart struct {
	Width, Height               float64
	PlotX, PlotY, PlotW, PlotH  float64
	Received, Decided           []chartBar
	Ticks                       []chartTick // horizontal grid lines with their numbers
	Dates                       []chartTick // a date under every few days
	Max                         int64
	TotalReceived, TotalDecided int64
	Summary                     string // the chart in words, for its description
}

type chartBar struct {
	X, Y, W, H float64
	Title      string
}

type chartTick struct {
	X, Y  float64
	Label string
}

// niceCeiling is the smallest 1, 2 or 5 times a power of ten that is at
// least n (and at least 1), so grid lines fall on round numbers.
func niceCeiling(n int64) int64 {
	if n <= 1 {
		return 1
	}
	p := int64(math.Pow(10, math.Floor(math.Log10(float64(n)))))
	for _, m := range []int64{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

// newDayChart lays out the days' bars: for each day the received bar on
// the left and the decided bar on the right.
func newDayChart(days []storage.DayCount) dayChart {
	c := dayChart{Width: 760, Height: 260, PlotX: 44, PlotY: 12}
	c.PlotW, c.PlotH = c.Width-c.PlotX-8, c.Height-c.PlotY-34
	var peak int64
	var peakDay string
	for _, d := range days {
		c.TotalReceived += d.Received
		c.TotalDecided += d.Decided
		if d.Received > peak {
			peak, peakDay = d.Received, fmt.Sprintf("%d %s", d.Day.Day(), form.MonthNames[d.Day.Month()-1])
		}
		c.Max = max(c.Max, d.Received, d.Decided)
	}
	top := niceCeiling(c.Max)
	step := top / 4
	if step == 0 || top < 4 {
		step = 1
	}
	for v := int64(0); v <= top; v += step {
		c.Ticks = append(c.Ticks, chartTick{X: c.PlotX, Y: c.PlotY + c.PlotH - c.PlotH*float64(v)/float64(top), Label: fmt.Sprint(v)})
	}
	if len(days) == 0 {
		c.Summary = "Inga dagar att visa."
		return c
	}
	slot := c.PlotW / float64(len(days))
	barW := math.Max(1, slot*0.38)
	every := max(1, len(days)/6)
	for i, d := range days {
		x := c.PlotX + slot*float64(i)
		date := d.Day.Format("2006-01-02")
		h := c.PlotH * float64(d.Received) / float64(top)
		c.Received = append(c.Received, chartBar{X: x + slot*0.1, Y: c.PlotY + c.PlotH - h, W: barW, H: h,
			Title: fmt.Sprintf("%s: %d mottagna", date, d.Received)})
		h = c.PlotH * float64(d.Decided) / float64(top)
		c.Decided = append(c.Decided, chartBar{X: x + slot*0.1 + barW, Y: c.PlotY + c.PlotH - h, W: barW, H: h,
			Title: fmt.Sprintf("%s: %d beslutade", date, d.Decided)})
		if (len(days)-1-i)%every == 0 {
			c.Dates = append(c.Dates, chartTick{X: x + slot/2, Y: c.PlotY + c.PlotH + 18, Label: d.Day.Format("2/1")})
		}
	}
	c.Summary = fmt.Sprintf("%d dagar från %s till %s: %d dokument mottagna och %d beslut.",
		len(days), days[0].Day.Format("2006-01-02"), days[len(days)-1].Day.Format("2006-01-02"), c.TotalReceived, c.TotalDecided)
	if peak > 0 {
		c.Summary += fmt.Sprintf(" Flest mottagna den %s: %d.", peakDay, peak)
	}
	return c
}
