package pipeline

import (
	"bufio"
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

// SignatoryColumns are the columns of a signatory CSV file, in order:
// organisationsnummer, name, title, valid from, valid to. A header row
// (any first row whose first cell is not an org number and which names
// these columns) is skipped. The separator is a comma or a semicolon (as
// Swedish spreadsheets write it); dates are YYYY-MM-DD or any form
// validate.ParseDate reads; empty dates are unbounded.
var SignatoryColumns = []string{"org_number", "name", "title", "valid_from", "valid_to"}

// RejectedRow is one CSV row that was not imported, with the reason. It
// never repeats the row's content.
type RejectedRow struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ImportReport says what an import did.
type ImportReport struct {
	Rows       int           `json:"rows"`       // data rows read
	Imported   int           `json:"imported"`   // new signatories
	Duplicates int           `json:"duplicates"` // rows already in the registry
	Rejected   []RejectedRow `json:"rejected"`
}

// String is the report for a person: counts and one line per rejected row.
func (r ImportReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rader lästa, %d firmatecknare importerade, %d fanns redan, %d avvisade\n",
		r.Rows, r.Imported, r.Duplicates, len(r.Rejected))
	for _, x := range r.Rejected {
		fmt.Fprintf(&b, "rad %d: %s\n", x.Line, x.Reason)
	}
	return b.String()
}

// ImportSignatories reads firmatecknare from CSV (see SignatoryColumns)
// and records the valid rows, all in one transaction; invalid rows are
// reported, not imported. Rows already in the registry (same org, name,
// dates) are counted as duplicates, so importing a file twice is harmless.
// An error means the file could not be read or the database failed;
// nothing is imported then.
func (p *Pipeline) ImportSignatories(ctx context.Context, in io.Reader) (ImportReport, error) {
	sigs, rep, err := ParseSignatories(in)
	if err != nil {
		return ImportReport{}, err
	}
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		var err error
		rep.Imported, rep.Duplicates, err = storage.AddSignatories(ctx, tx, sigs)
		return err
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import signatories: %w", err)
	}
	return rep, nil
}

// ParseSignatories reads firmatecknare from CSV (see SignatoryColumns):
// the valid rows, and a report of the rows read and the ones rejected,
// with the reason. An error means the file could not be read.
func ParseSignatories(in io.Reader) ([]form.Signatory, ImportReport, error) {
	var rep ImportReport
	br := bufio.NewReader(in)
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, rep, fmt.Errorf("import signatories: read: %w", err)
	}
	cr := csv.NewReader(br)
	if line, _, _ := strings.Cut(string(first), "\n"); strings.Count(line, ";") > strings.Count(line, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	type row struct {
		line               int
		org, name, title   string
		validFrom, validTo time.Time
	}
	var rows []row
	today := time.Now()
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
			return nil, ImportReport{}, fmt.Errorf("import signatories: read: %w", err)
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
		reject := func(reason string) { rep.Rejected = append(rep.Rejected, RejectedRow{Line: line, Reason: reason}) }
		if len(rec) < 2 || len(rec) > len(SignatoryColumns) {
			reject(fmt.Sprintf("fel antal kolumner: %d, ska vara 2–%d (%s)", len(rec), len(SignatoryColumns), strings.Join(SignatoryColumns, ", ")))
			continue
		}
		for len(rec) < len(SignatoryColumns) {
			rec = append(rec, "")
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		org, err := validate.ParseOrgnr(rec[0])
		if err != nil {
			switch {
			case rec[0] == "":
				reject("organisationsnummer saknas")
			case errors.Is(err, validate.ErrOrgnrThird):
				reject("ogiltigt organisationsnummer: tredje siffran måste vara minst 2 (ett personnummer är inte ett organisationsnummer)")
			case errors.Is(err, validate.ErrOrgnrLuhn):
				reject("ogiltigt organisationsnummer: fel kontrollsiffra")
			default:
				reject("ogiltigt organisationsnummer: ska vara tio siffror, NNNNNN-NNNN")
			}
			continue
		}
		if rec[1] == "" {
			reject("namn saknas")
			continue
		}
		if looksLikeIdentityNumber(rec[1]) || looksLikeIdentityNumber(rec[2]) {
			reject("namn eller titel innehåller siffror som liknar ett personnummer; personnummer ska inte finnas i filen")
			continue
		}
		x := row{line: line, org: org, name: rec[1], title: rec[2]}
		bad := false
		for i, dst := range []*time.Time{&x.validFrom, &x.validTo} {
			if rec[3+i] == "" {
				continue
			}
			d, err := validate.ParseDate(rec[3+i], today)
			if err != nil {
				reject(fmt.Sprintf("ogiltigt datum i kolumnen %s: skriv ÅÅÅÅ-MM-DD", SignatoryColumns[3+i]))
				bad = true
				break
			}
			*dst = d
		}
		if bad {
			continue
		}
		if !x.validFrom.IsZero() && !x.validTo.IsZero() && x.validTo.Before(x.validFrom) {
			reject("giltig till ligger före giltig från")
			continue
		}
		rows = append(rows, x)
	}

	sigs := make([]form.Signatory, len(rows))
	for i, x := range rows {
		sigs[i] = form.Signatory{OrgNumber: x.org, Name: x.name, Title: x.title, ValidFrom: x.validFrom, ValidTo: x.validTo,
			Source: form.SignatorySourceCSV}
	}
	return sigs, rep, nil
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
