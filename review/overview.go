package review

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"blankett/form"
	"blankett/storage"
)

// overviewDays is how many days the overview counts.
const overviewDays = 30

type backlogRow struct {
	State  form.State
	Counts []int64 // per kind in overviewData.Kinds
	Total  int64
}

type overviewData struct {
	O         storage.OfficeOverview
	Chart     dayChart
	Kinds     []form.Kind
	Backlog   []backlogRow
	OldestAge string // how long the oldest waiting document has waited, in words
	Median    string // the median time to a decision, in words
	CountedAt time.Time
}

// overview is the office lead's page (/oversikt): the backlog by state
// and form, the oldest waiting document, received and decided per day for
// 30 days as a chart, the median time to a decision and the decisions
// per reviewer.
func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	o, at, err := s.overviewFigures.get(now, func() (storage.OfficeOverview, error) {
		return s.cfg.Queries.Overview(r.Context(), now, overviewDays, form.Stockholm())
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := overviewData{O: o, Chart: newDayChart(o.Days), Median: inWords(o.MedianToDecision), CountedAt: at}
	if !o.OldestWaiting.IsZero() {
		d.OldestAge = inWords(now.Sub(o.OldestWaiting))
	}
	d.Kinds, d.Backlog = backlogTable(o.Backlog)
	s.page(w, r, "overview", s.newView(r, "Översikt", "overview", d))
}

// backlogTable arranges the counts as one row per state (in the order
// documents move) and one column per kind.
func backlogTable(counts []storage.BacklogCount) ([]form.Kind, []backlogRow) {
	kindSeen := map[form.Kind]bool{}
	for _, c := range counts {
		kindSeen[c.Kind] = true
	}
	var kinds []form.Kind
	for _, k := range []form.Kind{form.Kind9445, form.Kind9463, form.KindAgreement} {
		if kindSeen[k] {
			kinds = append(kinds, k)
			delete(kindSeen, k)
		}
	}
	var rest []form.Kind
	for k := range kindSeen {
		rest = append(rest, k)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	kinds = append(kinds, rest...)
	col := map[form.Kind]int{}
	for i, k := range kinds {
		col[k] = i
	}
	rowOf := map[form.State]*backlogRow{}
	var rows []backlogRow
	for _, st := range form.States {
		rows = append(rows, backlogRow{State: st, Counts: make([]int64, len(kinds))})
	}
	for i := range rows {
		rowOf[rows[i].State] = &rows[i]
	}
	for _, c := range counts {
		row := rowOf[c.State]
		if row == nil {
			rows = append(rows, backlogRow{State: c.State, Counts: make([]int64, len(kinds))})
			row = &rows[len(rows)-1]
			rowOf[c.State] = row
		}
		row.Counts[col[c.Kind]] += c.Count
		row.Total += c.Count
	}
	kept := rows[:0]
	for _, r := range rows {
		if r.Total > 0 {
			kept = append(kept, r)
		}
	}
	return kinds, kept
}

// inWords says a duration in days and hours, or hours and minutes.
func inWords(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%d %s och %d %s", days, plural(days, "dag", "dagar"), hours, plural(hours, "timme", "timmar"))
	case days > 0:
		return fmt.Sprintf("%d %s", days, plural(days, "dag", "dagar"))
	case hours > 0:
		m := int(d % time.Hour / time.Minute)
		return fmt.Sprintf("%d %s och %d min", hours, plural(hours, "timme", "timmar"), m)
	}
	return fmt.Sprintf("%d min", max(1, int(d/time.Minute)))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
