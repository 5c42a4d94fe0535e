package form

// AccountRole is what an account may do in the review web app.
type AccountRole string

// Account roles.
const (
	AccountAdmin    AccountRole = "admin"    // accounts, registry, operations; may also review
	AccountReviewer AccountRole = "reviewer" // reviews and decides
	AccountMailroom AccountRole = "mailroom" // uploads and sees statuses
)

// Valid reports whether r is a known role.
func (r AccountRole) Valid() bool {
	return r == AccountAdmin || r == AccountReviewer || r == AccountMailroom
}

// Title is the role's Swedish name.
func (r AccountRole) Title() string {
	switch r {
	case AccountAdmin:
		return "Administratör"
	case AccountReviewer:
		return "Handläggare"
	case AccountMailroom:
		return "Postöppning"
	}
	return string(r)
}
