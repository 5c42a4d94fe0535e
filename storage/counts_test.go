package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestDocumentCountsKept: the counts per state and kind that the queue's
// tabs and the overview read (kept by a trigger, migration 0013) match a
// count of the table after inserts, changes of state and kind (one by
// one from several connections at once, some rolled back, and many in
// one statement) and deletes, and are folded into few rows as they go.
func TestDocumentCountsKept(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`insert into documents (sha256, object_key, filename, media_type, size_bytes, source, state, kind)
		select 'sha' || g, 'originals/' || g, 'f.pdf', 'application/pdf', 1, 'http', 'received', ''
		from generate_series(1, 400) g`)

	states := []string{"extracted", "needs_review", "approved", "rejected", "done", "unclassified", "waiting"}
	kinds := []string{"9445", "9463", "agreement", ""}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Go(func() {
			for i := range 150 {
				id := 1 + (w*150+i)%400
				tx, err := pool.Begin(ctx)
				if err != nil {
					errs <- err
					return
				}
				if _, err := tx.Exec(ctx, `update documents set state = $2, kind = $3 where id = $1`,
					id, states[(w+i)%len(states)], kinds[i%len(kinds)]); err != nil {
					_ = tx.Rollback(ctx)
					errs <- fmt.Errorf("document %d: %w", id, err)
					return
				}
				if i%7 == 0 {
					err = tx.Rollback(ctx)
				} else {
					err = tx.Commit(ctx)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	exec(`update documents set state = 'done' where state = 'approved'`)
	exec(`update documents set kind = '9445' where kind = '' and state = 'needs_review'`)
	exec(`update documents set filename = 'g.pdf' where id < 50`) // neither state nor kind: not counted again
	exec(`delete from documents where id > 380`)

	counted := func(sql string) map[string]int64 {
		t.Helper()
		rows, err := pool.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int64{}
		for rows.Next() {
			var key string
			var n int64
			if err := rows.Scan(&key, &n); err != nil {
				t.Fatal(err)
			}
			out[key] = n
		}
		return out
	}
	want := counted(`select state || '/' || kind, count(*) from documents group by state, kind`)
	got := counted(`select state || '/' || kind, sum(n) from document_counts group by state, kind having sum(n) <> 0`)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("kept counts per state and kind\n got %v\nwant %v", got, want)
	}
	byState, err := storage.CountByState(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for st, n := range byState {
		var in int64
		for key, m := range want {
			if len(key) > len(st) && key[:len(st)+1] == string(st)+"/" {
				in += m
			}
		}
		if n != in {
			t.Errorf("CountByState[%s] = %d, want %d", st, n, in)
		}
		total += n
	}
	if total != 380 || byState[form.StateReceived] == 0 {
		t.Errorf("CountByState %v: %d documents, want 380", byState, total)
	}
	var rows int
	if err := pool.QueryRow(ctx, `select count(*) from document_counts`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows > 200 {
		t.Errorf("%d rows of counts after about 1,500 changes: they are not folded", rows)
	}
}

// TestFsckRecounts: counts that are off (rows written with the triggers
// turned off, as a restore of data alone does) are reported by Fsck and
// set right by Recount.
func TestFsckRecounts(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	ctx := context.Background()
	for _, sql := range []string{
		`insert into documents (sha256, object_key, filename, media_type, size_bytes, source, state, kind)
			select 'sha' || g, 'originals/sha' || g, 'f.pdf', 'application/pdf', 1, 'http', 'done', '9445' from generate_series(1, 3) g`,
		`alter table documents disable trigger documents_insert_delete_counted`,
		`insert into documents (sha256, object_key, filename, media_type, size_bytes, source, state, kind)
			values ('sha9', 'originals/sha9', 'f.pdf', 'application/pdf', 1, 'http', 'needs_review', '9463')`,
		`alter table documents enable trigger documents_insert_delete_counted`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	opts := storage.FsckOptions{OrphanAge: -1}
	r, err := storage.Fsck(ctx, pool, blob, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Counts) != 1 || r.Counts[0].State != form.StateNeedsReview || r.Counts[0].Kind != form.Kind9463 ||
		r.Counts[0].Kept != 0 || r.Counts[0].Counted != 1 {
		t.Fatalf("counts off: %+v, want needs_review 9463 kept 0, counted 1", r.Counts)
	}
	if err := storage.Recount(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if r, err = storage.Fsck(ctx, pool, blob, opts); err != nil || len(r.Counts) != 0 {
		t.Fatalf("after Recount: counts off %+v (%v)", r.Counts, err)
	}
	counts, err := storage.CountByState(ctx, pool)
	if err != nil || counts[form.StateDone] != 3 || counts[form.StateNeedsReview] != 1 {
		t.Fatalf("after Recount: %v (%v)", counts, err)
	}
}
