package pipeline

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/validate"
)

// Reference lists the office loads from CSV, each with its columns in
// order. A header row (a first row whose first cell is not an org number
// and which names columns) is skipped. The separator is a comma or a
// semicolon (as Swedish spreadsheets write it); dates are YYYY-MM-DD or any
// form validate.ParseDate reads; empty dates are unbounded.
var (
	// SignatoryColumns: firmatecknare.
	SignatoryColumns = []string{"org_number", "name", "title", "valid_from", "valid_to"}
	// OrdererColumns: orderers who had rights when the agreement came into
	// force (§8, from SUS's own lists); valid_to defaults to two years
	// after valid_from.
	OrdererColumns = []string{"org_number", "name", "personnummer", "phone", "email", "valid_from", "valid_to"}
	// UserColumns: users who had access when the agreement came into force
	// (§8). roles and login_methods list names separated by spaces or "|":
	// samverkansadministrator, insatsansvarig, deltagaransvarig, susrapport;
	// sms, bankid, mobile_bankid, eid.
	UserColumns = []string{"org_number", "name", "personnummer", "email", "mobile", "phone", "roles", "login_methods", "valid_from"}
)

// RejectedRow is one CSV row that was not imported, with the reason. It
// never repeats the row's content.
type RejectedRow struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ImportReport says what an import did.
type ImportReport struct {
	What       string        `json:"what"`       // what the rows are, in Swedish plural: "firmatecknare"
	Rows       int           `json:"rows"`       // data rows read
	Imported   int           `json:"imported"`   // new rows in the registry
	Duplicates int           `json:"duplicates"` // rows already in the registry
	Rejected   []RejectedRow `json:"rejected"`
}

// String is the report for a person: counts and one line per rejected row.
func (r ImportReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rader lästa, %d %s importerade, %d fanns redan, %d avvisade\n",
		r.Rows, r.Imported, cmp.Or(r.What, "rader"), r.Duplicates, len(r.Rejected))
	for _, x := range r.Rejected {
		fmt.Fprintf(&b, "rad %d: %s\n", x.Line, x.Reason)
	}
	return b.String()
}

// ImportSignatories reads firmatecknare from CSV (SignatoryColumns) and
// records the valid rows, all in one transaction; invalid rows are
// reported, not imported. Rows already in the registry (same org, name,
// dates) are counted as duplicates, so importing a file twice is harmless.
// An error means the file could not be read or the database failed;
// nothing is imported then.
func (p *Pipeline) ImportSignatories(ctx context.Context, in io.Reader) (ImportReport, error) {
	sigs, rep, err := ParseSignatories(in)
	if err != nil {
		return ImportReport{}, err
	}
	return p.importRows(ctx, "signatories", rep, func(tx storage.Tx) (int, int, error) {
		return storage.AddSignatories(ctx, tx, sigs)
	})
}

// ImportOrderers loads the orderers who had rights when the Part's
// agreement came into force (§8), from CSV (OrdererColumns), as
// ImportSignatories does; they are recorded with the source "övergång".
func (p *Pipeline) ImportOrderers(ctx context.Context, in io.Reader) (ImportReport, error) {
	os, rep, err := ParseOrderers(in, time.Now())
	if err != nil {
		return ImportReport{}, err
	}
	return p.importRows(ctx, "orderers", rep, func(tx storage.Tx) (int, int, error) {
		return storage.AddTransitionOrderers(ctx, tx, os)
	})
}

// ImportUsers loads the users who had access when the Part's agreement
// came into force (§8), from CSV (UserColumns), as ImportOrderers does.
func (p *Pipeline) ImportUsers(ctx context.Context, in io.Reader) (ImportReport, error) {
	us, rep, err := ParseUsers(in, time.Now())
	if err != nil {
		return ImportReport{}, err
	}
	return p.importRows(ctx, "users", rep, func(tx storage.Tx) (int, int, error) {
		return storage.AddTransitionUsers(ctx, tx, us)
	})
}

func (p *Pipeline) importRows(ctx context.Context, what string, rep ImportReport, add func(storage.Tx) (int, int, error)) (ImportReport, error) {
	err := p.db.InTx(ctx, func(tx storage.Tx) error {
		var err error
		rep.Imported, rep.Duplicates, err = add(tx)
		return err
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import %s: %w", what, err)
	}
	return rep, nil
}

// ParseSignatories reads firmatecknare from CSV (SignatoryColumns): the
// valid rows, and a report of the rows read and the ones rejected, with
// the reason. An error means the file could not be read.
func ParseSignatories(in io.Reader) ([]form.Signatory, ImportReport, error) {
	var out []form.Signatory
	rep, err := readRows(in, SignatoryColumns, 2, func(r *row) {
		s := form.Signatory{OrgNumber: r.org(), Name: r.name(1), Title: r.text(2), ValidFrom: r.date(3), ValidTo: r.date(4),
			Source: form.SignatorySourceCSV}
		if r.noPersonnummerIn(2) && r.ordered(s.ValidFrom, s.ValidTo) && r.ok() {
			out = append(out, s)
		}
	})
	rep.What = "firmatecknare"
	return out, rep, err
}

// ParseOrderers reads §8 orderers from CSV (OrdererColumns), as
// ParseSignatories does; today reads two-digit years.
func ParseOrderers(in io.Reader, today time.Time) ([]form.Orderer, ImportReport, error) {
	var out []form.Orderer
	rep, err := readRows(in, OrdererColumns, 6, func(r *row) {
		o := form.Orderer{OrgNumber: r.org(), Name: r.name(1), Personnummer: r.personnummer(2, today),
			Phone: r.phone(3), Email: r.email(4), ValidFrom: r.required(5), ValidTo: r.date(6)}
		if o.ValidTo.IsZero() && !o.ValidFrom.IsZero() {
			o.ValidTo = form.OrdererValidTo(o.ValidFrom)
		}
		if r.ordered(o.ValidFrom, o.ValidTo) && r.ok() {
			out = append(out, o)
		}
	})
	rep.What = "beställare"
	return out, rep, err
}

// ParseUsers reads §8 users from CSV (UserColumns), as ParseSignatories
// does.
func ParseUsers(in io.Reader, today time.Time) ([]form.User, ImportReport, error) {
	var out []form.User
	rep, err := readRows(in, UserColumns, 9, func(r *row) {
		u := form.User{OrgNumber: r.org(), Name: r.name(1), Personnummer: r.personnummer(2, today),
			Email: r.email(3), Mobile: r.phone(4), Phone: r.phone(5), ValidFrom: r.required(8)}
		u.Roles = parseNames(r, 6, form.Roles, "roll")
		u.Login = parseNames(r, 7, form.LoginMethods, "inloggningssätt")
		if len(u.Roles) == 0 {
			r.reject("ingen roll angiven i kolumnen roles")
		}
		if r.ok() {
			out = append(out, u)
		}
	})
	rep.What = "användare"
	return out, rep, err
}

// parseNames reads the names in column i, each one of known.
func parseNames[T ~string](r *row, i int, known []T, what string) []T {
	out := []T{}
	for _, s := range strings.FieldsFunc(strings.ToLower(r.text(i)), func(c rune) bool { return c == '|' || c == ' ' || c == ',' }) {
		found := false
		for _, k := range known {
			if string(k) == s {
				out, found = append(out, k), true
			}
		}
		if !found {
			r.reject(fmt.Sprintf("okänt %s i kolumnen %s", what, r.columns[i]))
		}
	}
	return out
}

// row is one data row being parsed: its cells, and the first reason it
// is rejected, if any.
type row struct {
	line    int
	rec     []string
	columns []string
	reason  string
}

func (r *row) reject(reason string) {
	if r.reason == "" {
		r.reason = reason
	}
}

func (r *row) ok() bool { return r.reason == "" }

func (r *row) text(i int) string { return r.rec[i] }

// org is the row's organisation number (column 0), normalised.
func (r *row) org() string {
	org, err := validate.ParseOrgnr(r.rec[0])
	switch {
	case err == nil:
		return org
	case r.rec[0] == "":
		r.reject("organisationsnummer saknas")
	case errors.Is(err, validate.ErrOrgnrThird):
		r.reject("ogiltigt organisationsnummer: tredje siffran måste vara minst 2 (ett personnummer är inte ett organisationsnummer)")
	case errors.Is(err, validate.ErrOrgnrLuhn):
		r.reject("ogiltigt organisationsnummer: fel kontrollsiffra")
	default:
		r.reject("ogiltigt organisationsnummer: ska vara tio siffror, NNNNNN-NNNN")
	}
	return ""
}

// name is the person's name in column i: required, and never digits that
// look like an identity number.
func (r *row) name(i int) string {
	switch {
	case r.rec[i] == "":
		r.reject("namn saknas")
	case looksLikeIdentityNumber(r.rec[i]):
		r.reject("namnet innehåller siffror som liknar ett personnummer")
	}
	return r.rec[i]
}

// noPersonnummerIn refuses a row whose text column i holds what looks
// like an identity number (personnummer do not belong in that list).
func (r *row) noPersonnummerIn(i int) bool {
	if looksLikeIdentityNumber(r.rec[i]) {
		r.reject("en kolumn innehåller siffror som liknar ett personnummer; personnummer ska inte finnas i filen")
		return false
	}
	return true
}

func (r *row) personnummer(i int, today time.Time) string {
	if r.rec[i] == "" {
		r.reject("personnummer saknas")
		return ""
	}
	pnr, err := form.NormalisePersonnummer(r.rec[i], today)
	if err != nil {
		r.reject("ogiltigt personnummer eller samordningsnummer")
		return ""
	}
	return pnr
}

func (r *row) phone(i int) string {
	if r.rec[i] == "" {
		return ""
	}
	p, err := validate.ParsePhone(r.rec[i])
	if err != nil {
		r.reject(fmt.Sprintf("ogiltigt telefonnummer i kolumnen %s", r.columns[i]))
		return ""
	}
	return p.E164
}

func (r *row) email(i int) string {
	if r.rec[i] == "" {
		return ""
	}
	e, err := validate.ParseEmail(r.rec[i])
	if err != nil {
		r.reject(fmt.Sprintf("ogiltig e-postadress i kolumnen %s", r.columns[i]))
		return ""
	}
	return e
}

func (r *row) date(i int) time.Time {
	if r.rec[i] == "" {
		return time.Time{}
	}
	d, err := validate.ParseDate(r.rec[i], time.Now())
	if err != nil {
		r.reject(fmt.Sprintf("ogiltigt datum i kolumnen %s: skriv ÅÅÅÅ-MM-DD", r.columns[i]))
		return time.Time{}
	}
	return d
}

func (r *row) required(i int) time.Time {
	if r.rec[i] == "" {
		r.reject(fmt.Sprintf("datum saknas i kolumnen %s", r.columns[i]))
		return time.Time{}
	}
	return r.date(i)
}

func (r *row) ordered(from, to time.Time) bool {
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		r.reject("giltig till ligger före giltig från")
		return false
	}
	return true
}

// readRows reads CSV rows of columns (at least min of them) and hands each
// data row to parse, which takes it or rejects it; the report counts the
// rows and lists the rejected ones.
func readRows(in io.Reader, columns []string, min int, parse func(*row)) (ImportReport, error) {
	var rep ImportReport
	br := bufio.NewReader(in)
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) {
		return rep, fmt.Errorf("import: read: %w", err)
	}
	cr := csv.NewReader(br)
	if line, _, _ := strings.Cut(string(first), "\n"); strings.Count(line, ";") > strings.Count(line, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Rows++
			rep.Rejected = append(rep.Rejected, RejectedRow{Line: pe.Line, Reason: "raden kan inte läsas som CSV (" + pe.Err.Error() + ")"})
			continue
		}
		if err != nil {
			return ImportReport{}, fmt.Errorf("import: read: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if n == 0 && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // byte order mark
			if _, err := validate.ParseOrgnr(rec[0]); err != nil && isHeader(rec) {
				continue
			}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		rep.Rows++
		r := &row{line: line, columns: columns}
		if len(rec) < min || len(rec) > len(columns) {
			r.reject(fmt.Sprintf("fel antal kolumner: %d, ska vara %d–%d (%s)", len(rec), min, len(columns), strings.Join(columns, ", ")))
		} else {
			for len(rec) < len(columns) {
				rec = append(rec, "")
			}
			for i := range rec {
				rec[i] = strings.TrimSpace(rec[i])
			}
			r.rec = rec
			parse(r)
		}
		if !r.ok() {
			rep.Rejected = append(rep.Rejected, RejectedRow{Line: line, Reason: r.reason})
		}
	}
	return rep, nil
}

// isHeader reports whether a first row names columns rather than holding
// data.
func isHeader(rec []string) bool {
	h := strings.ToLower(strings.Join(rec, " "))
	for _, w := range []string{"org", "namn", "name"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}

// looksLikeIdentityNumber reports whether s holds ten or more digits.
func looksLikeIdentityNumber(s string) bool {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n >= 10
}
