package pipeline

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"blankett/form"
	"blankett/storage"
)

// Metrics are the pipeline's Prometheus collectors: documents by state
// (read from PostgreSQL at each scrape, so every process reports the same
// truth), job run durations and uploads.
type Metrics struct {
	db          *storage.DB
	byState     *prometheus.Desc
	jobDuration *prometheus.HistogramVec
	ingested    *prometheus.CounterVec
}

func newMetrics(db *storage.DB) *Metrics {
	return &Metrics{
		db:      db,
		byState: prometheus.NewDesc("blankett_documents", "Documents by state.", []string{"state"}, nil),
		jobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "blankett_job_duration_seconds",
			Help:    "Run time of pipeline jobs by kind and outcome.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12),
		}, []string{"kind", "outcome"}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "blankett_uploads_total",
			Help: "Files received by source and resulting state.",
		}, []string{"source", "state"}),
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.byState
	m.jobDuration.Describe(ch)
	m.ingested.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := storage.CountByState(ctx, m.db)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.byState, err)
	} else {
		for _, s := range form.States {
			ch <- prometheus.MustNewConstMetric(m.byState, prometheus.GaugeValue, float64(counts[s]), string(s))
		}
	}
	m.jobDuration.Collect(ch)
	m.ingested.Collect(ch)
}
