package validate

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrEmail is returned for a string that is not a plain e-mail address.
var ErrEmail = errors.New("e-mail: not an address of the form name@domain.tld")

// ParseEmail checks a plain e-mail address (no display name, no comments,
// no quoted local part) and returns it trimmed and in lower case: mail
// systems do not tell an address's case apart (Anna.Svensson@Kommun.se
// and anna.svensson@kommun.se reach one mailbox), and one spelling lets
// the registry and the review compare them. The local part may hold
// letters, digits and !#$%&'*+/=?^_`{|}~.- (no leading, trailing or
// double dot), at most 64 bytes; the domain at least two labels of
// letters, digits and inner hyphens, the last at least two letters; the
// whole at most 254 bytes.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 254 || !utf8.ValidString(s) {
		return "", ErrEmail
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", ErrEmail
	}
	local, domain := strings.ToLower(s[:at]), strings.ToLower(s[at+1:])
	if len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", ErrEmail
	}
	for _, r := range local {
		if !(r < utf8.RuneSelf && (isASCIIAlnum(r) || strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", r))) {
			return "", ErrEmail
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", ErrEmail
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", ErrEmail
		}
		for _, r := range l {
			if !(r == '-' || isASCIIAlnum(r) || (r >= utf8.RuneSelf && unicode.IsLetter(r))) {
				return "", ErrEmail
			}
		}
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 {
		return "", ErrEmail
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return "", ErrEmail
		}
	}
	return local + "@" + domain, nil
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
