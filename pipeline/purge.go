package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"blankett/storage"
)

// PurgeArgs is the periodic retention purge: documents past retention lose
// their files and personal data (storage.Purge). River runs periodic jobs
// on the elected leader only, so one process purges at a time.
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "purge" }

// InsertOpts keeps one purge queued at a time.
func (PurgeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// defaultPurgeInterval is how often the purge runs when Config.PurgeEvery
// is zero.
const defaultPurgeInterval = 6 * time.Hour

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	p *Pipeline
}

func (w *purgeWorker) Timeout(*river.Job[PurgeArgs]) time.Duration { return time.Hour }

func (w *purgeWorker) Work(ctx context.Context, job *river.Job[PurgeArgs]) error {
	blob, ok := w.p.blob.(storage.ObjectDeleter)
	if !ok {
		return river.JobCancel(errors.New("purge: the object store cannot delete objects"))
	}
	retention := storage.DefaultRetention()
	if w.p.cfg.Retention != nil {
		retention = *w.p.cfg.Retention
	}
	start := time.Now()
	done, err := storage.Purge(ctx, w.p.db, blob, retention, start, "retention")
	objects := 0
	for _, d := range done {
		objects += d.Objects
	}
	w.p.logger.InfoContext(ctx, "retention purge", "documents", len(done), "objects", objects, "ms", time.Since(start).Milliseconds())
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	return nil
}

// addPurge registers the purge worker and its periodic job (run at start
// and then every cfg.PurgeEvery) on a working client.
func (p *Pipeline) addPurge(workers *river.Workers, rc *river.Config) {
	river.AddWorker(workers, &purgeWorker{p: p})
	every := p.cfg.PurgeEvery
	if every <= 0 {
		every = defaultPurgeInterval
	}
	rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
}
