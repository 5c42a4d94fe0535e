package review

// Internals the tests in package review_test check directly.
var (
	SafeNext   = safeNext
	ClientAddr = clientAddr
)
