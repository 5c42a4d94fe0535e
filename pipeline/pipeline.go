// Package pipeline chains Blankett's steps as River jobs: ingest → extract →
// validate → (a reviewer decides) → letters. It is the only place steps are
// chained: each step records its result and inserts the next step's job in
// one PostgreSQL transaction, and completes its own job in that same
// transaction, so a crash never loses or repeats a step.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"blankett/extract"
	"blankett/form"
	"blankett/letter"
	"blankett/storage"
)

// Config tunes a pipeline.
type Config struct {
	// Workers is how many jobs this process works at once; 0 makes a client
	// that only inserts jobs (an ingest-only process).
	Workers int
	// MaxUploadBytes is the largest file ingest accepts (default 50 MiB).
	MaxUploadBytes int64
	// SpoolDir holds uploads while they are hashed ("" = the system's).
	SpoolDir string
	// StepTimeout bounds one run of a step (default 10 minutes).
	StepTimeout time.Duration
	// MaxAttempts is how often a failing step is tried before it is
	// discarded and listed by `blankett jobs failed` (default 8).
	MaxAttempts int
	// RescueAfter is how long a job may stay running before it is taken
	// for stuck (its worker died) and run again (default StepTimeout + 1m).
	RescueAfter time.Duration
	// StepDelay slows every step down by this much. It exists for fault
	// tests and crash-recovery drills (a worker killed mid-batch), never
	// for production.
	StepDelay time.Duration
	// SingleReview lets one reviewer approve an agreement or a 9463 alone;
	// by default a second reviewer must confirm such an approval.
	SingleReview bool
	// Retention and PurgeEvery drive the periodic purge (purge.go): nil is
	// storage.DefaultRetention, zero is every six hours.
	Retention  *storage.Retention
	PurgeEvery time.Duration
}

func (c *Config) defaults() {
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 50 << 20
	}
	if c.StepTimeout <= 0 {
		c.StepTimeout = 10 * time.Minute
	}
	if c.RescueAfter < c.StepTimeout {
		c.RescueAfter = c.StepTimeout + time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
}

// Extractor reads a file: its forms, their kinds, editions, fields and
// pages, with the editions of set (the active set, asked for per job). A
// non-empty edition reads every page as that edition of kind (it must be
// in set). An *extract.InputError means the file itself cannot be read.
type Extractor interface {
	ExtractWith(ctx context.Context, mediaType string, data []byte, set *form.Set, kind form.Kind, edition string) (*extract.Result, error)
}

// Pipeline ingests files and runs the steps.
type Pipeline struct {
	db      *storage.DB
	blob    Blob
	river   *river.Client[pgx.Tx]
	logger  *slog.Logger
	cfg     Config
	reader  Extractor
	sender  letter.Sender
	metrics *Metrics
	// templates caches the active set of editions.
	templates activeSets
}

// Blob is what the pipeline needs of the object store.
type Blob interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, sha256hex, contentType string) error
	Get(ctx context.Context, key string) (io.ReadCloser, storage.ObjectInfo, error)
	Stat(ctx context.Context, key string) (storage.ObjectInfo, error)
}

// New builds a pipeline. ex reads files; it may be nil only for a process
// that works no jobs (cfg.Workers 0: ingest and commands). Call Start to
// work jobs and Stop to finish.
func New(db *storage.DB, blob Blob, ex Extractor, logger *slog.Logger, cfg Config) (*Pipeline, error) {
	cfg.defaults()
	if cfg.Workers > 0 && ex == nil {
		return nil, errors.New("new pipeline: workers need an extractor")
	}
	p := &Pipeline{db: db, blob: blob, logger: logger, cfg: cfg, reader: ex, sender: letter.DefaultSender(), metrics: newMetrics(db)}
	workers := river.NewWorkers()
	river.AddWorker(workers, &extractWorker{p: p})
	river.AddWorker(workers, &validateWorker{p: p})
	river.AddWorker(workers, &lettersWorker{p: p})
	rc := &river.Config{
		Logger:               logger,
		Workers:              workers,
		MaxAttempts:          cfg.MaxAttempts,
		JobTimeout:           cfg.StepTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		ErrorHandler:         &errorHandler{logger: logger},
	}
	if cfg.Workers > 0 {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		p.addPurge(workers, rc)
	}
	client, err := river.NewClient(riverpgxv5.New(db.Pool()), rc)
	if err != nil {
		return nil, fmt.Errorf("new pipeline: river client: %w", err)
	}
	p.river = client
	return p, nil
}

// River is the job client, for the jobs UI and commands.
func (p *Pipeline) River() *river.Client[pgx.Tx] { return p.river }

// Metrics are the pipeline's Prometheus collectors.
func (p *Pipeline) Metrics() *Metrics { return p.metrics }

// Start begins working jobs. It returns at once.
func (p *Pipeline) Start(ctx context.Context) error {
	if p.cfg.Workers <= 0 {
		return nil
	}
	events, cancel := p.river.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	go func() {
		defer cancel()
		for ev := range events {
			if ev.Job != nil && ev.JobStats != nil {
				p.metrics.jobDuration.WithLabelValues(ev.Job.Kind, string(ev.Kind)).Observe(ev.JobStats.RunDuration.Seconds())
			}
		}
	}()
	if err := p.river.Start(ctx); err != nil {
		return fmt.Errorf("start pipeline: %w", err)
	}
	return nil
}

// Stop lets jobs in flight finish until ctx ends; jobs still running then
// are cancelled and go back to the queue to be retried.
func (p *Pipeline) Stop(ctx context.Context) error {
	if p.cfg.Workers <= 0 {
		return nil
	}
	err := p.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		p.logger.Warn("jobs still running at shutdown; cancelling them so they are retried")
		hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		err = p.river.StopAndCancel(hard)
	}
	if err != nil {
		return fmt.Errorf("stop pipeline: %w", err)
	}
	return nil
}

type errorHandler struct{ logger *slog.Logger }

func (h *errorHandler) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	h.logger.WarnContext(ctx, "job failed", "job_id", job.ID, "kind", job.Kind, "attempt", job.Attempt, "error", err)
	return nil
}

func (h *errorHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.logger.ErrorContext(ctx, "job panicked", "job_id", job.ID, "kind", job.Kind, "attempt", job.Attempt, "panic", fmt.Sprint(panicVal))
	return nil
}

// Workers is how many jobs this process works at once.
func (p *Pipeline) Workers() int { return p.cfg.Workers }
