package review

import (
	"strings"
	"testing"
	"time"

	"blankett/storage"
)

// TestDayChartSummary names the busiest day in Swedish.
func TestDayChartSummary(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	c := newDayChart([]storage.DayCount{
		{Day: day("2026-10-30"), Received: 4, Decided: 2},
		{Day: day("2026-10-31"), Received: 9, Decided: 5},
		{Day: day("2026-11-01"), Received: 3, Decided: 7},
	})
	if want := "Flest mottagna den 31 oktober: 9."; !strings.Contains(c.Summary, want) {
		t.Errorf("summary %q, want it to say %q", c.Summary, want)
	}
}
