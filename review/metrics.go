package review

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// BasicAuthUser is the only user name HTTP basic auth accepts with the API
// token as its password.
const BasicAuthUser = "blankett"

// MetricsHandler serves Prometheus metrics with no check of its own, for
// a listen address of its own that only the monitoring reaches. The
// server's /metrics wraps it in the API token check.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}
