package review

import (
	"net/url"
	"strings"
)

// safeNext keeps a post-login redirect on this site: it returns next only
// when it is a plain path (with an optional query) on this host, and ""
// otherwise. Browsers forgive a lot in a Location header (they drop tabs
// and newlines, read a backslash as a slash), so anything but printable
// ASCII is refused before parsing, and the parsed URL must have no scheme,
// host or user and a path that starts with exactly one slash.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 {
		return ""
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return ""
		}
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if !strings.HasPrefix(u.Path, "/") || strings.Contains(u.Path, "//") || strings.Contains(u.Path, "\\") {
		return ""
	}
	return next
}
