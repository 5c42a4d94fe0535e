package review_test

import (
	"blankett/form"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRouteRoleMatrix walks every role-checked route for every role and
// for no session: a role the route does not admit gets 403, a visitor
// without a session is sent to log in (GET) or refused (POST), and an
// admitted role gets past the check. Placeholders name a document, account
// and letter that do not exist, so no request changes anything.
func TestRouteRoleMatrix(t *testing.T) {
	h := newHarness(t, nil)
	h.account("rita", form.AccountReviewer)
	h.account("post", form.AccountMailroom)
	h.account("adam", form.AccountAdmin)
	clients := map[form.AccountRole]*client{form.AccountReviewer: h.client(), form.AccountMailroom: h.client(), form.AccountAdmin: h.client()}
	clients[form.AccountReviewer].login("rita")
	clients[form.AccountMailroom].login("post")
	clients[form.AccountAdmin].login("adam")
	anon := h.client()

	// Who may use what: the matrix the server must match. A new route
	// needs a row here.
	var (
		all       = []form.AccountRole{form.AccountAdmin, form.AccountReviewer, form.AccountMailroom}
		reviewers = []form.AccountRole{form.AccountAdmin, form.AccountReviewer}
		mailroom  = []form.AccountRole{form.AccountAdmin, form.AccountMailroom}
		admin     = []form.AccountRole{form.AccountAdmin}
	)
	expected := map[string][]form.AccountRole{
		"POST /logout":                                  all,
		"GET /queue":                                    reviewers,
		"GET /queue/next/{id}":                          reviewers,
		"GET /oversikt":                                 reviewers,
		"GET /sok":                                      reviewers,
		"POST /sok":                                     reviewers,
		"GET /documents/{id}":                           reviewers,
		"GET /documents/{id}/pages/{page}":              reviewers,
		"GET /documents/{id}/original":                  reviewers,
		"POST /documents/{id}/close":                    reviewers,
		"POST /documents/{id}/classify":                 reviewers,
		"POST /documents/{id}/fields/{field}":           reviewers,
		"POST /documents/{id}/decision":                 reviewers,
		"POST /documents/{id}/proposals/{pid}/confirm":  reviewers,
		"POST /documents/{id}/proposals/{pid}/withdraw": reviewers,
		"GET /documents/{id}/letters/{lid}":             reviewers,
		"GET /registry":                                 reviewers,
		"GET /registry/{org}":                           reviewers,
		"POST /registry/{org}/termination":              reviewers,
		"GET /registry/in-force.pdf":                    reviewers,
		"POST /registry/signatories":                    admin,
		"GET /mailroom":                                 mailroom,
		"GET /mailroom/uploads":                         mailroom,
		"POST /mailroom/upload":                         mailroom,
		"GET /audit":                                    admin,
		"POST /audit":                                   admin,
		"GET /audit/export.csv":                         admin,
		"POST /audit/export.csv":                        admin,
		"GET /letters":                                  admin,
		"POST /letters/print-batch":                     admin,
		"/admin/person":                                 admin,
		"GET /accounts":                                 admin,
		"POST /accounts":                                admin,
		"POST /accounts/{id}/disable":                   admin,
		"POST /accounts/{id}/enable":                    admin,
		"POST /accounts/{id}/unlock":                    admin,
		"GET /blanketter":                               admin,
		"POST /blanketter":                              admin,
		"POST /blanketter/activate":                     admin,
		"POST /blanketter/retire":                       admin,
	}
	routes := h.server.Routes()
	for _, route := range routes {
		want, ok := expected[route.Pattern]
		if !ok {
			t.Errorf("route %s has no row in the matrix", route.Pattern)
			continue
		}
		delete(expected, route.Pattern)
		if !sameRoles(route.Roles, want) {
			t.Errorf("route %s admits %v, the matrix says %v", route.Pattern, route.Roles, want)
		}
	}
	for pattern := range expected {
		t.Errorf("the matrix names %s, which the server does not serve", pattern)
	}
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	for _, route := range routes {
		method, path, ok := strings.Cut(route.Pattern, " ")
		if !ok {
			method, path = "", route.Pattern // any method: try both
		}
		path = placeholder.ReplaceAllString(path, "999999")
		methods := []string{method}
		if method == "" {
			methods = []string{http.MethodGet, http.MethodPost}
		}
		for _, m := range methods {
			if m == http.MethodPost && path == "/logout" {
				continue // would end the session the rest of the walk uses; tested in security_test.go
			}
			for role, c := range clients {
				resp, _ := c.do(m, path, nil, nil)
				admitted := slices.Contains(route.Roles, role)
				switch {
				case !admitted && resp.StatusCode != http.StatusForbidden:
					t.Errorf("%s %s as %s: %d, want 403", m, path, role, resp.StatusCode)
				case admitted && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode >= 500):
					t.Errorf("%s %s as %s (admitted): %d", m, path, role, resp.StatusCode)
				}
			}
			resp, _ := anon.do(m, path, nil, nil)
			want := http.StatusUnauthorized
			if m == http.MethodGet {
				want = http.StatusSeeOther
			}
			if resp.StatusCode != want {
				t.Errorf("%s %s without a session: %d, want %d", m, path, resp.StatusCode, want)
			}
		}
	}

	// The routes that check something else than a role.
	for _, tc := range []struct {
		c      *client
		method string
		path   string
		want   int
	}{
		{anon, "GET", "/healthz", 200},
		{anon, "GET", "/login", 200},
		{anon, "GET", "/api/v1/documents/1", 401},
		{anon, "POST", "/api/v1/documents", 401},
		{clients[form.AccountAdmin], "GET", "/api/v1/documents/1", 401}, // the API takes the token, not a session
	} {
		if resp, _ := tc.c.do(tc.method, tc.path, nil, nil); resp.StatusCode != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
	}
}

func sameRoles(a, b []form.AccountRole) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
