package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"

	"blankett/form"
)

// FsckOptions tunes a consistency check.
type FsckOptions struct {
	// StuckAfter is how long a document may stay in a state the pipeline
	// works on (received, extracted, approved, rejected) without a live
	// job before it is taken for stuck. Default one hour.
	StuckAfter time.Duration
	// OrphanAge is how old an object without a row must be before it is
	// taken for an orphan. Younger ones may belong to an upload in flight
	// (its object is put before its row commits); they are counted but are
	// not problems. Default one hour; a negative value makes every object
	// old enough (tests, with no upload running).
	OrphanAge time.Duration
}

func (o *FsckOptions) defaults() {
	if o.StuckAfter <= 0 {
		o.StuckAfter = time.Hour
	}
	if o.OrphanAge == 0 {
		o.OrphanAge = time.Hour
	}
	if o.OrphanAge < 0 {
		o.OrphanAge = 0
	}
}

// StoredObject is one object as listed.
type StoredObject struct {
	Key          string
	Size         int64
	LastModified time.Time
}

// MissingObject is a row whose object is not in the bucket.
type MissingObject struct {
	DocumentID int64
	LetterID   int64      // letters only
	State      form.State // the document's state
	Key        string
}

// StuckDocument is a document that waits for a step no job will run.
type StuckDocument struct {
	ID                int64
	State             form.State
	ExtractionVersion int
	DecisionID        int64 // approved or rejected: the latest decision
	UpdatedAt         time.Time
}

// FsckReport is what Fsck found.
type FsckReport struct {
	Objects, Documents, Letters int

	// Objects without rows, old enough to be orphans.
	Orphans []StoredObject
	// Objects without rows too young to judge (an upload may be in flight).
	YoungOrphans []StoredObject
	// Objects outside originals/, pages/ and letters/: not Blankett's, left alone.
	Foreign []StoredObject

	// Rows without objects.
	MissingOriginals []MissingObject
	MissingPages     []MissingObject
	MissingLetters   []MissingObject

	Stuck []StuckDocument

	// Counts kept per state and kind (migration 0013) that differ from a
	// count of the documents.
	Counts []CountDrift
}

// CountDrift is a state and kind whose kept count is not the documents'.
type CountDrift struct {
	State         form.State
	Kind          form.Kind
	Kept, Counted int64
}

// Problems counts what needs attention. Young orphans, foreign objects and
// the missing originals of documents already marked unreadable are not
// problems.
func (r FsckReport) Problems() int {
	n := len(r.Orphans) + len(r.MissingPages) + len(r.MissingLetters) + len(r.Stuck) + len(r.Counts)
	for _, m := range r.MissingOriginals {
		if m.State != form.StateUnreadable {
			n++
		}
	}
	return n
}

// Clean reports whether nothing needs attention.
func (r FsckReport) Clean() bool { return r.Problems() == 0 }

// liveJobStates are River job states in which a job will still run.
var liveJobStates = []string{"available", "pending", "running", "retryable", "scheduled"}

// Fsck compares the bucket with the database: objects without rows, rows
// without objects, and documents stuck in a state the pipeline works on
// for longer than opts.StuckAfter with no live River job for them. It
// reads only; see DeleteOrphan and MarkOriginalMissing for repairs.
func Fsck(ctx context.Context, q Querier, blob *Blob, opts FsckOptions) (FsckReport, error) {
	opts.defaults()
	var r FsckReport
	// List first: an object put after the listing cannot be taken for an
	// orphan, and a row committed after it is confirmed with Stat below.
	objects, err := blob.listObjects(ctx)
	if err != nil {
		return r, fmt.Errorf("fsck: %w", err)
	}
	r.Objects = len(objects)
	present := make(map[string]bool, len(objects))
	for _, o := range objects {
		present[o.Key] = true
	}

	originals := map[string]bool{} // object keys named by documents
	docSHAs := map[string]bool{}   // pages/<sha>/… belong to the document with that sha256
	pageKeys := map[string]bool{}  // page images named by a document or one of its extractions
	rows, err := q.Query(ctx, `select id, sha256, object_key, state, pages from documents where purged_at is null order by id`)
	if err != nil {
		return r, fmt.Errorf("fsck: read documents: %w", err)
	}
	type docRow struct {
		id    int64
		key   string
		state form.State
		pages []form.PageImage
	}
	var docs []docRow
	for rows.Next() {
		var d docRow
		var sha string
		if err := rows.Scan(&d.id, &sha, &d.key, &d.state, &d.pages); err != nil {
			rows.Close()
			return r, fmt.Errorf("fsck: read documents: %w", err)
		}
		docs = append(docs, d)
		docSHAs[sha] = true
		originals[d.key] = true
		for _, p := range d.pages {
			pageKeys[p.Key] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("fsck: read documents: %w", err)
	}
	r.Documents = len(docs)

	letterKeys := map[string]bool{}
	rows, err = q.Query(ctx, `select id, coalesce(document_id, 0), object_key from letters order by id`)
	if err != nil {
		return r, fmt.Errorf("fsck: read letters: %w", err)
	}
	var letters []MissingObject
	for rows.Next() {
		var l MissingObject
		if err := rows.Scan(&l.LetterID, &l.DocumentID, &l.Key); err != nil {
			rows.Close()
			return r, fmt.Errorf("fsck: read letters: %w", err)
		}
		letters = append(letters, l)
		letterKeys[l.Key] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("fsck: read letters: %w", err)
	}
	r.Letters = len(letters)

	// Objects without rows.
	cutoff := time.Now().Add(-opts.OrphanAge)
	for _, o := range objects {
		owned, known := owner(o.Key, originals, docSHAs, letterKeys)
		switch {
		case !known:
			r.Foreign = append(r.Foreign, o)
		case owned:
		case o.LastModified.After(cutoff):
			r.YoungOrphans = append(r.YoungOrphans, o)
		default:
			r.Orphans = append(r.Orphans, o)
		}
	}

	// Rows without objects: what the listing lacks is confirmed one by one
	// (its row may have committed after the listing).
	missing := func(key string) (bool, error) {
		if present[key] {
			return false, nil
		}
		_, err := blob.Stat(ctx, key)
		if errors.Is(err, ErrNotFound) {
			return true, nil
		}
		return false, err
	}
	stateOf := map[int64]form.State{}
	for _, d := range docs {
		stateOf[d.id] = d.state
		if m, err := missing(d.key); err != nil {
			return r, fmt.Errorf("fsck: document %d: %w", d.id, err)
		} else if m {
			r.MissingOriginals = append(r.MissingOriginals, MissingObject{DocumentID: d.id, State: d.state, Key: d.key})
		}
		for _, p := range d.pages {
			if m, err := missing(p.Key); err != nil {
				return r, fmt.Errorf("fsck: document %d: %w", d.id, err)
			} else if m {
				r.MissingPages = append(r.MissingPages, MissingObject{DocumentID: d.id, State: d.state, Key: p.Key})
			}
		}
	}
	for _, l := range letters {
		if m, err := missing(l.Key); err != nil {
			return r, fmt.Errorf("fsck: letter %d: %w", l.LetterID, err)
		} else if m {
			l.State = stateOf[l.DocumentID]
			r.MissingLetters = append(r.MissingLetters, l)
		}
	}

	r.Stuck, err = stuckDocuments(ctx, q, opts.StuckAfter)
	if err != nil {
		return r, err
	}
	if r.Counts, err = countDrift(ctx, q); err != nil {
		return r, err
	}
	return r, nil
}

// countDrift compares the kept counts with a count of the documents, both
// in one statement's snapshot.
func countDrift(ctx context.Context, q Querier) ([]CountDrift, error) {
	rows, err := q.Query(ctx, `
		select coalesce(k.state, c.state), coalesce(k.kind, c.kind), coalesce(k.n, 0), coalesce(c.n, 0)
		from (select state, kind, sum(n)::bigint as n from document_counts group by state, kind having sum(n) <> 0) k
		full join (select state, kind, count(*) as n from documents group by state, kind) c on c.state = k.state and c.kind = k.kind
		where k.n is distinct from c.n
		order by 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("fsck: counts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CountDrift, error) {
		var d CountDrift
		err := row.Scan(&d.State, &d.Kind, &d.Kept, &d.Counted)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("fsck: counts: %w", err)
	}
	return out, nil
}

// Recount sets the kept counts per state and kind to a count of the
// documents (after a restore of data alone, or rows written with the
// triggers turned off). Writers of documents wait until it is done, so
// no change is counted twice or lost.
func Recount(ctx context.Context, db *DB) error {
	return db.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Exec(ctx, `lock table documents in share mode`); err != nil {
			return fmt.Errorf("recount documents: %w", err)
		}
		if _, err := tx.Exec(ctx, `delete from document_counts`); err != nil {
			return fmt.Errorf("recount documents: %w", err)
		}
		if _, err := tx.Exec(ctx, `insert into document_counts (state, kind, n)
			select state, kind, count(*) from documents group by state, kind`); err != nil {
			return fmt.Errorf("recount documents: %w", err)
		}
		return nil
	})
}

// owner reports whether an object's row exists (owned) and whether the key
// is one Blankett makes at all (known).
func owner(key string, originals, docSHAs, letterKeys map[string]bool) (owned, known bool) {
	switch kind, sha := keyKind(key); kind {
	case "original":
		return originals[key], true
	case "pages":
		// Older versions are kept with their extraction, so the document
		// owns them all.
		return docSHAs[sha], true
	case "letter":
		return letterKeys[key], true
	}
	return false, false
}

// stuckDocuments lists documents waiting in a state the pipeline works on
// for longer than after, with no live job naming them.
func stuckDocuments(ctx context.Context, q Querier, after time.Duration) ([]StuckDocument, error) {
	rows, err := q.Query(ctx, `
		select d.id, d.state, d.extraction_version, d.updated_at,
			coalesce((select max(id) from decisions where document_id = d.id), 0)
		from documents d
		where d.state = any($1) and d.purged_at is null and d.updated_at < now() - make_interval(secs => $2)
			and not exists (select 1 from river_job j
				where j.args->>'document_id' = d.id::text and j.state::text = any($3))
		order by d.id`,
		[]string{string(form.StateReceived), string(form.StateExtracted), string(form.StateApproved), string(form.StateRejected)},
		after.Seconds(), liveJobStates)
	if err != nil {
		return nil, fmt.Errorf("fsck: stuck documents: %w", err)
	}
	defer rows.Close()
	var out []StuckDocument
	for rows.Next() {
		var s StuckDocument
		if err := rows.Scan(&s.ID, &s.State, &s.ExtractionVersion, &s.UpdatedAt, &s.DecisionID); err != nil {
			return nil, fmt.Errorf("fsck: stuck documents: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fsck: stuck documents: %w", err)
	}
	return out, nil
}

// StillStuck reports, inside the caller's transaction, whether a document is
// still in state with no live job naming it: the check a repair makes
// again, with the document's row locked, before it queues a job.
func StillStuck(ctx context.Context, q Querier, id int64, state form.State) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `
		select exists (select 1 from documents d where d.id = $1 and d.state = $2)
			and not exists (select 1 from river_job j
				where j.args->>'document_id' = $1::bigint::text and j.state::text = any($3))`,
		id, state, liveJobStates).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("document %d: still stuck: %w", id, err)
	}
	return ok, nil
}

// MissingOriginalMessage is what a document whose original vanished from
// the object store says to people.
const MissingOriginalMessage = "Originalfilen saknas i arkivet och dokumentet kan inte läsas. Be avsändaren skicka blanketten igen."

// originalLostFrom are the states from which a document whose original is
// gone is marked unreadable: decided documents keep their decision.
var originalLostFrom = []form.State{form.StateReceived, form.StateExtracted, form.StateNeedsReview, form.StateUnclassified}

// MarkOriginalMissing marks a document whose original is gone as
// unreadable, with a Swedish message, audited. It reports false when the
// document is in a state it is not marked from (decided, done, split).
func MarkOriginalMissing(ctx context.Context, q Querier, id int64, actor string) (bool, error) {
	return Advance(ctx, q, Transition{DocumentID: id, From: originalLostFrom, To: form.StateUnreadable,
		Message: MissingOriginalMessage, Actor: actor})
}

// DeleteOrphan removes an object that has no row, after checking again
// that none has appeared and that the object is still older than age.
// It reports whether it deleted.
func DeleteOrphan(ctx context.Context, q Querier, blob *Blob, key string, age time.Duration) (bool, error) {
	var owned bool
	var err error
	switch kind, sha := keyKind(key); kind {
	case "original":
		err = q.QueryRow(ctx, "select exists(select 1 from documents where object_key = $1 and purged_at is null)", key).Scan(&owned)
	case "pages":
		err = q.QueryRow(ctx, "select exists(select 1 from documents where sha256 = $1 and purged_at is null)", sha).Scan(&owned)
	case "letter":
		err = q.QueryRow(ctx, "select exists(select 1 from letters where object_key = $1)", key).Scan(&owned)
	default:
		return false, fmt.Errorf("delete orphan %s: not a key Blankett makes", key)
	}
	if err != nil {
		return false, fmt.Errorf("delete orphan %s: %w", key, err)
	}
	if owned {
		return false, nil
	}
	st, err := blob.client.StatObject(ctx, blob.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return false, nil
		}
		return false, fmt.Errorf("delete orphan %s: %w", key, err)
	}
	if time.Since(st.LastModified) < age {
		return false, nil
	}
	if err := blob.Delete(ctx, key); err != nil {
		return false, fmt.Errorf("delete orphan: %w", err)
	}
	return true, nil
}

// listObjects lists every object in the bucket with its size and age.
func (b *Blob) listObjects(ctx context.Context) ([]StoredObject, error) {
	var out []StoredObject
	for o := range b.client.ListObjects(ctx, b.bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("list objects: %w", o.Err)
		}
		out = append(out, StoredObject{Key: o.Key, Size: o.Size, LastModified: o.LastModified})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
