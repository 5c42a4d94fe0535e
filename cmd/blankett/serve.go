package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"riverqueue.com/riverui"

	"blankett/review"
)

func runServe(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	workers := fs.Int("workers", -1, "jobs worked at once in this process (default BLANKETT_WORKERS, else the number of cores; 0: none)")
	addr := fs.String("addr", "", "listen address (default BLANKETT_HTTP_ADDR, else 127.0.0.1:8080)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	if *workers < 0 {
		*workers = cfg.Pipeline.Workers
	}
	a, err := openApp(ctx, logger, cfg, *workers)
	if err != nil {
		return err
	}
	defer a.close()
	if *addr == "" {
		*addr = a.cfg.HTTPAddr
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	return a.serve(ctx, ln, nil)
}

// serve runs the HTTP server and the workers until ctx ends, then shuts
// both down gracefully. ready, if set, is called once the server listens.
func (a *app) serve(ctx context.Context, ln net.Listener, ready func(url string)) error {
	handler, jobsUI, err := a.handler(ctx, true)
	if err != nil {
		return err
	}
	if err := jobsUI.Start(ctx); err != nil {
		return fmt.Errorf("start jobs UI: %w", err)
	}
	if err := a.pipeline.Start(ctx); err != nil {
		return err
	}
	srv := review.NewHTTPServer(handler, review.Timeouts{})
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	a.logger.Info("serving", "url", url, "workers", a.pipeline.Workers())
	if ready != nil {
		ready(url)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	}
	return a.shutdown(srv)
}

func (a *app) shutdown(srv *http.Server) error {
	a.logger.Info("shutting down: finishing jobs in flight")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	if srv != nil {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
	}
	if err := a.pipeline.Stop(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// handler builds the HTTP routes; full adds the API and the jobs UI, which
// a worker process does not serve.
func (a *app) handler(ctx context.Context, full bool) (http.Handler, *riverui.Handler, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(a.pipeline.Metrics(), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cfg := review.Config{DB: a.db, Queries: a.db, Blob: a.blob, Metrics: reg, Logger: a.logger, APIToken: a.cfg.APIToken,
		TrustedProxies: a.cfg.HTTP.TrustedProxies, UploadTimeout: a.cfg.HTTP.UploadTimeout, UploadMinRate: a.cfg.HTTP.UploadMinRate,
		MaxUploadBytes: a.cfg.Pipeline.MaxUploadBytes, SpoolDir: a.cfg.Pipeline.SpoolDir}
	if !full {
		return review.NewServer(cfg), nil, nil
	}
	jobsUI, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(a.pipeline.River(), nil),
		Logger:    a.logger,
		Prefix:    "/admin/jobs",
	})
	if err != nil {
		return nil, nil, fmt.Errorf("jobs UI: %w", err)
	}
	cfg.Ingester = a.pipeline
	cfg.Jobs = jobsUI
	cfg.APIToken = a.cfg.APIToken
	cfg.Reviewing = a.pipeline
	cfg.Accounts = a.pipeline
	cfg.Letters = a.pipeline
	// Plain-http development only: BLANKETT_INSECURE_COOKIES=true drops the
	// session cookie's Secure flag.
	cfg.InsecureCookies = os.Getenv("BLANKETT_INSECURE_COOKIES") == "true"
	return review.NewServer(cfg), jobsUI, nil
}

func runWorker(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	workers := fs.Int("workers", -1, "jobs worked at once (default BLANKETT_WORKERS, else the number of cores)")
	addr := fs.String("addr", "", "serve /healthz, /readyz and /metrics here (default: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	if *workers < 0 {
		*workers = cfg.Pipeline.Workers
	}
	if *workers == 0 {
		return errors.New("a worker needs at least one worker slot (--workers)")
	}
	a, err := openApp(ctx, logger, cfg, *workers)
	if err != nil {
		return err
	}
	defer a.close()
	var srv *http.Server
	if *addr != "" {
		h, _, err := a.handler(ctx, false)
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", *addr, err)
		}
		srv = review.NewHTTPServer(h, review.Timeouts{})
		go func() { _ = srv.Serve(ln) }()
	}
	if err := a.pipeline.Start(ctx); err != nil {
		return err
	}
	logger.Info("worker started", "workers", *workers)
	<-ctx.Done()
	return a.shutdown(srv)
}

func runMigrate(ctx context.Context, logger *slog.Logger, args []string) error {
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	a.close()
	logger.Info("migrations applied")
	return nil
}
