package review

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"blankett/form"
	"blankett/storage"
)

type stateCount struct {
	State   form.State
	Count   int64
	Current bool
}

type queueData struct {
	State    form.State
	Kind     form.Kind
	Finding  string
	Counts   []stateCount
	Items    []storage.QueueItem
	NextPage string
	Kinds    []form.Kind
	Codes    []string
}

const queuePageSize = 50

// queue lists documents in one state (needs_review by default), oldest
// first, one keyset page at a time, with counts per state.
func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := storage.QueueFilter{State: form.State(q.Get("state")), Kind: form.Kind(q.Get("kind")), Finding: q.Get("finding"), Limit: queuePageSize}
	if !slices.Contains(form.States, f.State) {
		f.State = form.StateNeedsReview
	}
	if !f.Kind.Known() {
		f.Kind = ""
	}
	if _, ok := form.Codes[f.Finding]; !ok {
		f.Finding = ""
	}
	if after := q.Get("after"); after != "" {
		ts, id, ok := strings.Cut(after, "_")
		nanos, err1 := strconv.ParseInt(ts, 10, 64)
		n, err2 := strconv.ParseInt(id, 10, 64)
		if ok && err1 == nil && err2 == nil {
			f.AfterReceived, f.AfterID = time.Unix(0, nanos), n
		}
	}
	items, err := s.cfg.Queries.Queue(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.cfg.Queries.CountByState(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := queueData{State: f.State, Kind: f.Kind, Finding: f.Finding, Items: items,
		Kinds: []form.Kind{form.Kind9445, form.Kind9463, form.KindAgreement}}
	for _, st := range form.States {
		d.Counts = append(d.Counts, stateCount{State: st, Count: counts[st], Current: st == f.State})
	}
	for c := range form.Codes {
		d.Codes = append(d.Codes, c)
	}
	slices.Sort(d.Codes)
	if len(items) == queuePageSize {
		last := items[len(items)-1]
		v := url.Values{"state": {string(f.State)}, "after": {fmt.Sprintf("%d_%d", last.ReceivedAt.UnixNano(), last.ID)}}
		if f.Kind != "" {
			v.Set("kind", string(f.Kind))
		}
		if f.Finding != "" {
			v.Set("finding", f.Finding)
		}
		d.NextPage = "/queue?" + v.Encode()
	}
	s.page(w, r, "queue", s.newView(r, "Att granska", "queue", d))
}

// queueNext opens the next document awaiting review after {id}.
func (s *Server) queueNext(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errNotFound)
		return
	}
	next, err := s.cfg.Queries.NextInQueue(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if next == 0 {
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d", next), http.StatusSeeOther)
}
