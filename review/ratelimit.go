package review

import (
	"bufio"
	"context"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"blankett/storage"
)

// loginPolicy decides how long a login attempt must wait after earlier
// failures. Three keys back off on their own:
//
//   - the account name from one client: after Limit failures it waits
//     PairBase, doubling with each further failure up to PairCap. Guessing
//     a password from one address is slow, and nobody else is affected.
//   - the account name from any client: only after 4×Limit failures, and
//     for at most NameCap (a minute), so failures from elsewhere never
//     lock the right password out for long; it still slows a guesser
//     spread over many addresses.
//   - the client, whatever name: after 10×Limit failures, like the pair
//     (password spraying from one address).
//
// An admin can end an account's back-off at once (POST
// /accounts/{id}/unlock).
type loginPolicy struct {
	Limit                 int
	Window                time.Duration
	PairBase, PairCap     time.Duration
	NameBase, NameCap     time.Duration
	ClientBase, ClientCap time.Duration
}

func newLoginPolicy(cfg Config) loginPolicy {
	base := cfg.LoginBackoff
	if base <= 0 {
		base = 30 * time.Second
	}
	return loginPolicy{
		Limit: cfg.LoginLimit, Window: cfg.LoginWindow,
		PairBase: base, PairCap: 15 * time.Minute,
		NameBase: base / 6, NameCap: time.Minute,
		ClientBase: base, ClientCap: 15 * time.Minute,
	}
}

// backoff is how long the next attempt waits after fails failures, given
// the limit that starts the back-off.
func backoff(fails, limit int, base, ceiling time.Duration) time.Duration {
	if fails < limit {
		return 0
	}
	d := base
	for i := limit; i < fails && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}

// wait is how long the attempt must still wait; 0 lets it be tried.
func (p loginPolicy) wait(a storage.LoginAttempt) time.Duration {
	left := func(f storage.LoginFailures, limit int, base, ceiling time.Duration) time.Duration {
		return max(backoff(f.Count, limit, base, ceiling)-f.Since, 0)
	}
	return max(left(a.Pair, p.Limit, p.PairBase, p.PairCap),
		left(a.Name, 4*p.Limit, p.NameBase, p.NameCap),
		left(a.Client, 10*p.Limit, p.ClientBase, p.ClientCap))
}

// retryAfter is a Retry-After value in whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

// hashSlots bounds how many password hashes run at once. Each argon2id
// hash takes 64 MiB, so unauthenticated logins could otherwise grow the
// heap without bound: an attempt waits a little for a slot and is then
// answered 503.
type hashSlots struct {
	slots chan struct{}
	wait  time.Duration
}

// passwordHashMemory is what one argon2id hash allocates (storage's
// parameters).
const passwordHashMemory = 64 << 20

// passwordHashThreads is how many cores one hash keeps busy (storage's
// parameters).
const passwordHashThreads = 2

// defaultHashSlots is as many hashes as the cores can run side by side,
// but no more than a sixteenth of the memory the process may use lets run
// at once, and at least one. The garbage collector frees a finished hash's
// memory only at its next cycle, so the heap may hold about twice the
// slots' memory.
func defaultHashSlots() int {
	n := min(runtime.NumCPU()/passwordHashThreads, int(memoryBudget()/16/passwordHashMemory))
	return max(n, 1)
}

// memoryBudget is GOMEMLIMIT when set, else the cgroup's limit, else the
// machine's memory.
func memoryBudget() int64 {
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		return l
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 2 << 30
}

func newHashSlots(n int, wait time.Duration) *hashSlots {
	if n <= 0 {
		n = defaultHashSlots()
	}
	if wait <= 0 {
		wait = 2 * time.Second
	}
	return &hashSlots{slots: make(chan struct{}, n), wait: wait}
}

// acquire takes a slot, waiting at most the slot wait; it reports false
// when none came free.
func (h *hashSlots) acquire(ctx context.Context) bool {
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// release frees the slot. It first runs the garbage collector, so that the
// finished hash's 64 MiB is free for the next one to reuse instead of
// being added to the heap beside it: a login is rare enough to afford a
// collection, and the process's memory stays within the slots' bound.
func (h *hashSlots) release() {
	runtime.GC()
	<-h.slots
}

// maxLoginBody is the most a login form may send: a name, a password and
// a return path.
const maxLoginBody = 8 << 10

// waitText says a wait in Swedish: "en minut", "3 minuter", "20 sekunder".
func waitText(d time.Duration) string {
	switch s := int(math.Ceil(d.Seconds())); {
	case s <= 1:
		return "en sekund"
	case s < 60:
		return strconv.Itoa(s) + " sekunder"
	case s < 120:
		return "en minut"
	default:
		return strconv.Itoa(int(math.Ceil(float64(s)/60))) + " minuter"
	}
}
