package storage

import (
	"context"
	"fmt"
	"time"

	"blankett/form"
)

// OfficeOverview is what the office lead's overview shows: the backlog
// now, and what came in and was decided over the last days.
type OfficeOverview struct {
	// Since and Until bound the days counted: [Since, Until), midnight to
	// midnight in the office's time zone.
	Since, Until time.Time
	// Backlog counts today's documents per state and form kind.
	Backlog []BacklogCount
	// Waiting documents await review; OldestWaiting is when the oldest of
	// them was received (zero when none waits).
	Waiting       int64
	OldestWaiting time.Time
	// Days has one entry per day from Since, oldest first.
	Days []DayCount
	// MedianToDecision is the median time from receipt to a document's
	// first decision, over the documents first decided in the period;
	// Decided is how many those are.
	MedianToDecision time.Duration
	Decided          int64
	// Reviewers counts each reviewer's decisions in the period, most
	// first.
	Reviewers []ReviewerCount
}

// BacklogCount is how many documents of a kind are in a state.
type BacklogCount struct {
	State form.State
	Kind  form.Kind
	Count int64
}

// DayCount is one day's received documents (forms: a split batch counts
// as its parts) and decisions.
type DayCount struct {
	Day               time.Time
	Received, Decided int64
}

// ReviewerCount is one reviewer's decisions by outcome.
type ReviewerCount struct {
	Actor                          string
	Approved, Rejected, Completion int64
}

// Total is all of the reviewer's decisions.
func (r ReviewerCount) Total() int64 { return r.Approved + r.Rejected + r.Completion }

// Overview reads the office's figures for the days days up to and
// including now's day in loc.
func Overview(ctx context.Context, q Querier, now time.Time, days int, loc *time.Location) (OfficeOverview, error) {
	if days < 1 {
		days = 1
	}
	local := now.In(loc)
	until := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc)
	since := time.Date(local.Year(), local.Month(), local.Day()-days+1, 0, 0, 0, 0, loc)
	o := OfficeOverview{Since: since, Until: until}

	// The backlog from the counts a trigger keeps (migration 0013), the
	// oldest waiting document from the index documents_state_received.
	rows, err := q.Query(ctx, `select state, kind, sum(n)::bigint from document_counts
		group by state, kind having sum(n) <> 0 order by state, kind`)
	if err != nil {
		return o, fmt.Errorf("overview: backlog: %w", err)
	}
	for rows.Next() {
		var b BacklogCount
		if err := rows.Scan(&b.State, &b.Kind, &b.Count); err != nil {
			rows.Close()
			return o, fmt.Errorf("overview: backlog: %w", err)
		}
		o.Backlog = append(o.Backlog, b)
		if b.State == form.StateNeedsReview {
			o.Waiting += b.Count
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return o, fmt.Errorf("overview: backlog: %w", err)
	}

	var oldest *time.Time
	if err := q.QueryRow(ctx, `select min(received_at) from documents where state = $1`, form.StateNeedsReview).
		Scan(&oldest); err != nil {
		return o, fmt.Errorf("overview: waiting: %w", err)
	}
	if oldest != nil {
		o.OldestWaiting = *oldest
	}

	byDay := map[string]*DayCount{}
	for d := 0; d < days; d++ {
		day := time.Date(since.Year(), since.Month(), since.Day()+d, 0, 0, 0, 0, loc)
		o.Days = append(o.Days, DayCount{Day: day})
	}
	for i := range o.Days {
		byDay[o.Days[i].Day.Format(time.DateOnly)] = &o.Days[i]
	}
	count := func(what, sql string, set func(*DayCount, int64), args ...any) error {
		rows, err := q.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("overview: %s per day: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			var day string
			var n int64
			if err := rows.Scan(&day, &n); err != nil {
				return fmt.Errorf("overview: %s per day: %w", what, err)
			}
			if dc := byDay[day]; dc != nil {
				set(dc, n)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("overview: %s per day: %w", what, err)
		}
		return nil
	}
	// Received: a count per day and state from the index
	// documents_state_received, midnight to midnight in loc. A split
	// batch is not counted: its forms are.
	var states []string
	for _, st := range form.States {
		if st != form.StateSplit {
			states = append(states, string(st))
		}
	}
	if err := count("received", `select to_char($1::date + g.i, 'YYYY-MM-DD'),
			(select count(*) from documents where state = any($3::text[])
				and received_at >= (($1::date + g.i)::timestamp at time zone $2)
				and received_at < (($1::date + g.i + 1)::timestamp at time zone $2))
		from generate_series(0, $4::int - 1) g(i)`,
		func(d *DayCount, n int64) { d.Received = n }, since.Format(time.DateOnly), loc.String(), states, days); err != nil {
		return o, err
	}
	// Decided: grouped by the day as a date, which is cheaper per row than
	// formatting it; the thirty days are then formatted.
	if err := count("decided", `select to_char(day, 'YYYY-MM-DD'), n from (
			select (decided_at at time zone $3)::date as day, count(*) as n from decisions
			where decided_at >= $1 and decided_at < $2 group by 1) d`,
		func(d *DayCount, n int64) { d.Decided = n }, since, until, loc.String()); err != nil {
		return o, err
	}

	var median *float64
	// Each decision knows its document's receipt and whether it was the
	// document's first (migration 0013): the period's decisions alone.
	if err := q.QueryRow(ctx, `select percentile_cont(0.5) within group (order by extract(epoch from decided_at - received_at)), count(*)
		from decisions where decided_at >= $1 and decided_at < $2 and first_for_document`, since, until).Scan(&median, &o.Decided); err != nil {
		return o, fmt.Errorf("overview: time to decision: %w", err)
	}
	if median != nil {
		o.MedianToDecision = time.Duration(*median * float64(time.Second)).Round(time.Minute)
	}

	rows, err = q.Query(ctx, `select actor,
			count(*) filter (where outcome = 'approved'),
			count(*) filter (where outcome = 'rejected' and not request_completion),
			count(*) filter (where request_completion)
		from decisions where decided_at >= $1 and decided_at < $2
		group by actor order by count(*) desc, actor`, since, until)
	if err != nil {
		return o, fmt.Errorf("overview: reviewers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ReviewerCount
		if err := rows.Scan(&r.Actor, &r.Approved, &r.Rejected, &r.Completion); err != nil {
			return o, fmt.Errorf("overview: reviewers: %w", err)
		}
		o.Reviewers = append(o.Reviewers, r)
	}
	if err := rows.Err(); err != nil {
		return o, fmt.Errorf("overview: reviewers: %w", err)
	}
	return o, nil
}
