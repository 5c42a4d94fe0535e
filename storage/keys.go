package storage

import (
	"fmt"
	"strings"
)

// The layout of the bucket: every object key Blankett makes is built and
// read here.
const (
	originalsPrefix = "originals/"
	pagesPrefix     = "pages/"
	lettersPrefix   = "letters/"
)

// OriginalKey is where a received file is kept: under its SHA-256, so the
// same bytes are one object.
func OriginalKey(sha256hex string) string { return originalsPrefix + sha256hex }

// PageKey is where a page image of a document (by its file's SHA-256) is
// kept, per extraction version and page of the file.
func PageKey(docSHA256 string, version, filePage int) string {
	return fmt.Sprintf("%s%s/v%d/%d.jpg", pagesPrefix, docSHA256, version, filePage)
}

// pagesOf is the prefix of every page image of a document.
func pagesOf(docSHA256 string) string { return pagesPrefix + docSHA256 + "/" }

// DecisionLetterKey is where a decision's letter to one recipient is
// kept. It depends only on the decision and the recipient, so a rerun of
// the letters step after a crash overwrites the object a failed run left
// instead of adding a second one.
func DecisionLetterKey(decisionID int64, recipientKey string) string {
	return fmt.Sprintf("%s%d/%s.pdf", lettersPrefix, decisionID, strings.ReplaceAll(recipientKey, ":", "-"))
}

// TerminationLetterKey is where the letter confirming a termination is
// kept.
func TerminationLetterKey(terminationID int64, recipientKey string) string {
	return fmt.Sprintf("%stermination-%d/%s.pdf", lettersPrefix, terminationID, strings.ReplaceAll(recipientKey, ":", "-"))
}

// keyKind says which kind of object key is: "original", "pages" (with its
// document's SHA-256), "letter", or "" for a key Blankett does not make.
func keyKind(key string) (kind, docSHA256 string) {
	switch {
	case strings.HasPrefix(key, originalsPrefix):
		return "original", ""
	case strings.HasPrefix(key, pagesPrefix):
		sha, _, _ := strings.Cut(strings.TrimPrefix(key, pagesPrefix), "/")
		return "pages", sha
	case strings.HasPrefix(key, lettersPrefix):
		return "letter", ""
	}
	return "", ""
}
