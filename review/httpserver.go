package review

import (
	"net/http"
	"time"
)

// Timeouts bound how long a connection may hold the server. Zero fields
// take the defaults of DefaultTimeouts.
type Timeouts struct {
	ReadHeader time.Duration // the request line and headers
	Read       time.Duration // the whole request, body included (uploads set their own deadline)
	Write      time.Duration // from the end of the headers to the end of the answer
	Idle       time.Duration // a kept-alive connection between requests
}

// DefaultTimeouts: a request has 20 seconds to arrive whole (a login form
// is a few hundred bytes) and 2 minutes to be answered. Uploads replace
// both with their own deadline and minimum rate (Config.UploadTimeout,
// Config.UploadMinRate).
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 20 * time.Second, Write: 2 * time.Minute, Idle: 2 * time.Minute}

// NewHTTPServer is an http.Server for h with read, write and idle
// timeouts, so that no slow or silent client keeps a connection, a
// goroutine or a spool file for long.
func NewHTTPServer(h http.Handler, t Timeouts) *http.Server {
	d := DefaultTimeouts
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: pick(t.ReadHeader, d.ReadHeader),
		ReadTimeout:       pick(t.Read, d.Read),
		WriteTimeout:      pick(t.Write, d.Write),
		IdleTimeout:       pick(t.Idle, d.Idle),
		MaxHeaderBytes:    64 << 10,
	}
}
