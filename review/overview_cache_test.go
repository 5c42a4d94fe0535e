package review

import (
	"errors"
	"testing"
	"time"

	"blankett/storage"
)

func TestOverviewCache(t *testing.T) {
	var c overviewCache
	loads := 0
	load := func() (storage.OfficeOverview, error) {
		loads++
		return storage.OfficeOverview{Waiting: int64(loads)}, nil
	}
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		after   time.Duration
		waiting int64
	}{{0, 1}, {30 * time.Second, 1}, {overviewTTL - time.Second, 1}, {overviewTTL, 2}, {overviewTTL + time.Second, 2}, {-time.Hour, 3}} {
		o, at, err := c.get(t0.Add(step.after), load)
		if err != nil || o.Waiting != step.waiting {
			t.Fatalf("after %v: waiting %d (%v), want %d", step.after, o.Waiting, err, step.waiting)
		}
		if at.IsZero() {
			t.Fatal("no time counted")
		}
	}
	boom := errors.New("database gone")
	c = overviewCache{}
	if _, _, err := c.get(t0, func() (storage.OfficeOverview, error) { return storage.OfficeOverview{}, boom }); !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	if o, _, err := c.get(t0, load); err != nil || o.Waiting == 0 {
		t.Fatalf("a failed count was kept: %+v %v", o, err)
	}
}
