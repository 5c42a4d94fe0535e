package review

import (
	"sync"
	"time"

	"blankett/storage"
)

// overviewTTL is how long the overview's figures are kept. Counting
// 100,000 documents takes longer than a page may; an office lead's
// figures may be a minute old.
const overviewTTL = time.Minute

// overviewCache keeps the last figures; one request counts them while
// the others wait for its answer.
type overviewCache struct {
	mu  sync.Mutex
	at  time.Time
	val storage.OfficeOverview
}

// get returns figures counted at most overviewTTL before now, counting
// them with load when they are older, and when they were counted. A
// failed count is not kept.
func (c *overviewCache) get(now time.Time, load func() (storage.OfficeOverview, error)) (storage.OfficeOverview, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && now.Sub(c.at) < overviewTTL && now.Sub(c.at) >= 0 {
		return c.val, c.at, nil
	}
	v, err := load()
	if err != nil {
		return storage.OfficeOverview{}, time.Time{}, err
	}
	c.val, c.at = v, now
	return v, now, nil
}
