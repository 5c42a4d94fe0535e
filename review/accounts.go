package review

import (
	"net/http"
	"strconv"
	"strings"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

type accountsData struct {
	Accounts []storage.Account
	Roles    []form.AccountRole
	Min      int
}

func (s *Server) accountsView(r *http.Request) (view, error) {
	accs, err := s.cfg.Queries.ListAccounts(r.Context())
	if err != nil {
		return view{}, err
	}
	return s.newView(r, "Konton", "accounts", accountsData{Accounts: accs, Min: pipeline.MinPasswordLength,
		Roles: []form.AccountRole{form.AccountReviewer, form.AccountMailroom, form.AccountAdmin}}), nil
}

// accountList lists accounts with a form for a new one.
func (s *Server) accountList(w http.ResponseWriter, r *http.Request) {
	v, err := s.accountsView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, "accounts", v)
}

// accountCreate adds an account.
func (s *Server) accountCreate(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	role := form.AccountRole(r.PostFormValue("role"))
	pw := r.PostFormValue("password")
	switch {
	case name == "" || !role.Valid():
		s.fail(w, r, invalid("Ange ett namn och en roll."))
		return
	case pw != r.PostFormValue("password2"):
		s.fail(w, r, invalid("Lösenorden är inte lika."))
		return
	}
	if s.cfg.Accounts == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Konton kan inte läggas till här."})
		return
	}
	if _, err := s.cfg.Accounts.CreateAccount(r.Context(), name, role, pw, actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/accounts?klart=konto", http.StatusSeeOther)
}

func (s *Server) accountSetDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errNotFound)
		return
	}
	if disabled && id == session(r).Account.ID {
		s.fail(w, r, invalid("Du kan inte stänga av ditt eget konto."))
		return
	}
	if err := s.cfg.DB.SetAccountDisabled(r.Context(), id, disabled, actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/accounts?klart=konto", http.StatusSeeOther)
}

// accountDisable stops an account and ends its sessions.
func (s *Server) accountDisable(w http.ResponseWriter, r *http.Request) {
	s.accountSetDisabled(w, r, true)
}

// accountEnable lets an account log in again.
func (s *Server) accountEnable(w http.ResponseWriter, r *http.Request) {
	s.accountSetDisabled(w, r, false)
}
