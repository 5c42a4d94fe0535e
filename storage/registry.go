package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"blankett/form"
)

// Every read and write of a personnummer column is in this file (and the
// registry pages' reads in review.go). The columns are sealed: see
// crypto.go; lookups go by the keyed hash.

// Registry is the office's registry in PostgreSQL. It answers
// validate.Registry's "as of" questions and records what approvals do.
type Registry struct {
	db Querier
}

// NewRegistry returns a registry on the pool.
func NewRegistry(db *DB) *Registry { return &Registry{db: db} }

// InTx returns a registry whose reads run in tx, e.g. to validate inside
// the transaction that records the result.
func (r *Registry) InTx(tx Tx) *Registry { return &Registry{db: tx} }

// date turns a calendar day into a query argument: nil for zero.
func date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	t = form.Day(t)
	return pgtype.Date{Time: t, Valid: true}
}

// day turns a scanned date into a calendar day, zero for null.
func day(d pgtype.Date) time.Time {
	if !d.Valid {
		return time.Time{}
	}
	y, m, dd := d.Time.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// Organisation reports whether the registry knows the org (every record
// of the registry is of an organisation it has a row for) and the name it
// knows it by ("" when none was given).
func (r *Registry) Organisation(ctx context.Context, orgnr string) (name string, known bool, err error) {
	err = r.db.QueryRow(ctx, `select name from organisations where org_number = $1`, orgnr).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("organisation %s: %w", orgnr, err)
	}
	return name, true, nil
}

// Signatories returns the firmatecknare of the org valid on asOf.
func (r *Registry) Signatories(ctx context.Context, orgnr string, asOf time.Time) ([]form.Signatory, error) {
	rows, err := r.db.Query(ctx, `
		select id, org_number, name, title, valid_from, valid_to, source, coalesce(source_document, 0)
		from signatories
		where org_number = $1
		  and (valid_from is null or valid_from <= $2)
		  and (valid_to is null or valid_to >= $2)
		order by id`, orgnr, date(asOf))
	if err != nil {
		return nil, fmt.Errorf("signatories of %s: %w", orgnr, err)
	}
	defer rows.Close()
	var out []form.Signatory
	for rows.Next() {
		var s form.Signatory
		var from, to pgtype.Date
		if err := rows.Scan(&s.ID, &s.OrgNumber, &s.Name, &s.Title, &from, &to, &s.Source, &s.SourceDocument); err != nil {
			return nil, fmt.Errorf("signatories of %s: %w", orgnr, err)
		}
		s.ValidFrom, s.ValidTo = day(from), day(to)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("signatories of %s: %w", orgnr, err)
	}
	return out, nil
}

const ordererColumns = `id, org_number, name, personnummer_enc, phone, email, valid_from, valid_to,
	case when removed_on <= $2 then removed_on end, coalesce(source_document, 0)`

func scanOrderers(rows pgx.Rows, c *Cipher) ([]form.Orderer, error) {
	defer rows.Close()
	var out []form.Orderer
	for rows.Next() {
		var o form.Orderer
		var from, to, removed pgtype.Date
		var enc []byte
		if err := rows.Scan(&o.ID, &o.OrgNumber, &o.Name, &enc, &o.Phone, &o.Email, &from, &to, &removed, &o.SourceDocument); err != nil {
			return nil, err
		}
		var err error
		if o.Personnummer, err = openPnr(c, enc); err != nil {
			return nil, fmt.Errorf("orderer %d: personnummer: %w", o.ID, err)
		}
		o.ValidFrom, o.ValidTo, o.Removed = day(from), day(to), day(removed)
		out = append(out, o)
	}
	return out, rows.Err()
}

// Orderers returns every orderer registration of the org made on or before
// asOf, expired ones included; a removal shows only if it took effect on or
// before asOf.
func (r *Registry) Orderers(ctx context.Context, orgnr string, asOf time.Time) ([]form.Orderer, error) {
	q, c := r.db, r.db.Cipher()
	rows, err := q.Query(ctx, `select `+ordererColumns+` from orderers
		where org_number = $1 and valid_from <= $2 order by valid_from, id`, orgnr, date(asOf))
	if err != nil {
		return nil, fmt.Errorf("orderers of %s: %w", orgnr, err)
	}
	out, err := scanOrderers(rows, c)
	if err != nil {
		return nil, fmt.Errorf("orderers of %s: %w", orgnr, err)
	}
	return out, nil
}

// OrderersByPersonnummer returns the person's orderer registrations, in
// any org, active on asOf.
func (r *Registry) OrderersByPersonnummer(ctx context.Context, pnr string, asOf time.Time) ([]form.Orderer, error) {
	q, c := r.db, r.db.Cipher()
	hashes, err := pnrHashes(c, pnr)
	if err != nil {
		return nil, fmt.Errorf("orderers by personnummer: %w", err)
	}
	rows, err := q.Query(ctx, `select `+ordererColumns+` from orderers
		where personnummer_hash = any($1) and valid_from <= $2 and valid_to >= $2
		  and (removed_on is null or removed_on > $2)
		order by valid_from, id`, hashes, date(asOf))
	if err != nil {
		return nil, fmt.Errorf("orderers by personnummer: %w", err)
	}
	out, err := scanOrderers(rows, c)
	if err != nil {
		return nil, fmt.Errorf("orderers by personnummer: %w", err)
	}
	return out, nil
}

const agreementColumns = `a.id, a.org_number, o.name, a.part_signed_on, a.countersigned_on, a.terminated_on,
	a.copies_received, coalesce(a.source_document, 0)`

func scanAgreements(rows pgx.Rows) ([]form.Agreement, error) {
	defer rows.Close()
	var out []form.Agreement
	for rows.Next() {
		var a form.Agreement
		var part, counter, term pgtype.Date
		if err := rows.Scan(&a.ID, &a.OrgNumber, &a.OrgName, &part, &counter, &term, &a.CopiesReceived, &a.SourceDocument); err != nil {
			return nil, err
		}
		a.PartSigned, a.Countersigned, a.Terminated = day(part), day(counter), day(term)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Agreements returns the org's agreements recorded on or before asOf.
func (r *Registry) Agreements(ctx context.Context, orgnr string, asOf time.Time) ([]form.Agreement, error) {
	rows, err := r.db.Query(ctx, `select `+agreementColumns+`
		from agreements a join organisations o using (org_number)
		where a.org_number = $1 and a.recorded_on <= $2 order by a.id`, orgnr, date(asOf))
	if err != nil {
		return nil, fmt.Errorf("agreements of %s: %w", orgnr, err)
	}
	out, err := scanAgreements(rows)
	if err != nil {
		return nil, fmt.Errorf("agreements of %s: %w", orgnr, err)
	}
	return out, nil
}

// AgreementsInForce lists the agreements in force on day d, one per
// organisation (the latest), ordered by organisation name: the list FK
// publishes.
func (r *Registry) AgreementsInForce(ctx context.Context, d time.Time) ([]form.Agreement, error) {
	rows, err := r.db.Query(ctx, `select * from (
		select distinct on (a.org_number) `+agreementColumns+`
		from agreements a join organisations o using (org_number)
		where a.countersigned_on <= $1 and (a.terminated_on is null or a.terminated_on > $1)
		order by a.org_number, a.countersigned_on desc, a.id desc) x
		order by name, org_number`, date(d))
	if err != nil {
		return nil, fmt.Errorf("agreements in force on %s: %w", d.Format(time.DateOnly), err)
	}
	out, err := scanAgreements(rows)
	if err != nil {
		return nil, fmt.Errorf("agreements in force on %s: %w", d.Format(time.DateOnly), err)
	}
	return out, nil
}

// UsersByPersonnummer returns the person's user records, in any org,
// active on asOf.
func (r *Registry) UsersByPersonnummer(ctx context.Context, pnr string, asOf time.Time) ([]form.User, error) {
	q, c := r.db, r.db.Cipher()
	hashes, err := pnrHashes(c, pnr)
	if err != nil {
		return nil, fmt.Errorf("users by personnummer: %w", err)
	}
	rows, err := q.Query(ctx, `select `+userColumns+` from users
		where personnummer_hash = any($1) and valid_from <= $2 and (valid_until is null or valid_until > $2)
		order by id`, hashes, date(asOf))
	if err != nil {
		return nil, fmt.Errorf("users by personnummer: %w", err)
	}
	out, err := scanUsers(rows, c)
	if err != nil {
		return nil, fmt.Errorf("users by personnummer: %w", err)
	}
	return out, nil
}

const userColumns = `id, org_number, name, personnummer_enc, email, mobile, phone, roles, login_methods,
	valid_from, valid_until, removed_on, coalesce(source_document, 0)`

func scanUsers(rows pgx.Rows, c *Cipher) ([]form.User, error) {
	defer rows.Close()
	var out []form.User
	for rows.Next() {
		var u form.User
		var roles, logins []string
		var from, until, removed pgtype.Date
		var enc []byte
		if err := rows.Scan(&u.ID, &u.OrgNumber, &u.Name, &enc, &u.Email, &u.Mobile, &u.Phone, &roles, &logins,
			&from, &until, &removed, &u.SourceDocument); err != nil {
			return nil, err
		}
		var err error
		if u.Personnummer, err = openPnr(c, enc); err != nil {
			return nil, fmt.Errorf("user %d: personnummer: %w", u.ID, err)
		}
		for _, x := range roles {
			u.Roles = append(u.Roles, form.Role(x))
		}
		for _, x := range logins {
			u.Login = append(u.Login, form.LoginMethod(x))
		}
		u.ValidFrom, u.ValidUntil, u.Removed = day(from), day(until), day(removed)
		out = append(out, u)
	}
	return out, rows.Err()
}

// ApplyPlan persists what an approval does to the registry (see
// validate.Changes), in the decision's transaction, and returns the changes
// made with their record ids. A plan whose document was applied before
// changes nothing the second time.
func ApplyPlan(ctx context.Context, tx Tx, plan form.RegistryPlan) ([]form.Change, error) {
	org := plan.Organisation
	if _, err := tx.Exec(ctx, `
		insert into organisations (org_number, name) values ($1, $2)
		on conflict (org_number) do update
		set name = case when excluded.name <> '' then excluded.name else organisations.name end,
		    updated_at = now()`, org.Number, org.Name); err != nil {
		return nil, fmt.Errorf("record organisation %s: %w", org.Number, err)
	}
	if plan.DocumentID != 0 {
		var done bool
		if err := tx.QueryRow(ctx, `select exists(select 1 from agreements where source_document = $1)
			or exists(select 1 from orderers where source_document = $1 or removed_by_document = $1)
			or exists(select 1 from users where source_document = $1)`, plan.DocumentID).Scan(&done); err != nil {
			return nil, fmt.Errorf("check registry for document %d: %w", plan.DocumentID, err)
		}
		if done {
			return nil, nil
		}
	}
	changes := make([]form.Change, 0, len(plan.Ops))
	for _, op := range plan.Ops {
		id, err := applyOp(ctx, tx, plan.DocumentID, op)
		if err != nil {
			return nil, fmt.Errorf("apply %s for %s: %w", op.Change.Kind, op.Change.OrgNumber, err)
		}
		ch := op.Change
		if id != 0 {
			ch.RecordID = id
		}
		changes = append(changes, ch)
	}
	return changes, nil
}

func docRef(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// applyOp persists one change and returns the id of the row it made or
// changed (0 when none).
func applyOp(ctx context.Context, tx Tx, docID int64, op form.RegistryOp) (int64, error) {
	var id int64
	switch op.Change.Kind {
	case form.ChangeAgreementRecorded:
		a := op.Agreement
		err := tx.QueryRow(ctx, `
			insert into agreements (org_number, part_signed_on, countersigned_on, copies_received, source_document, recorded_on)
			values ($1, $2, $3, $4, $5, $6) returning id`,
			a.OrgNumber, date(a.PartSigned), date(a.Countersigned), a.CopiesReceived, docRef(docID), date(op.Change.Date)).Scan(&id)
		return id, err
	case form.ChangeAgreementCopy:
		a := op.Agreement
		_, err := tx.Exec(ctx, `update agreements set copies_received = copies_received + $2,
			countersigned_on = coalesce(countersigned_on, $3) where id = $1`, a.ID, a.CopiesReceived, date(a.Countersigned))
		return a.ID, err
	case form.ChangeSignatoryAdded:
		s := op.Signatory
		err := tx.QueryRow(ctx, `
			insert into signatories (org_number, name, title, valid_from, source, source_document)
			values ($1, $2, $3, $4, $5, $6) returning id`,
			s.OrgNumber, s.Name, s.Title, date(s.ValidFrom), string(s.Source), docRef(docID)).Scan(&id)
		return id, err
	case form.ChangeOrdererAdded:
		o := op.Orderer
		enc, hash, err := sealedPnr(tx.Cipher(), o.Personnummer)
		if err != nil {
			return 0, err
		}
		err = tx.QueryRow(ctx, `
			insert into orderers (org_number, name, personnummer_enc, personnummer_hash, phone, email, valid_from, valid_to, source_document)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
			o.OrgNumber, o.Name, enc, hash, o.Phone, o.Email, date(o.ValidFrom), date(o.ValidTo), docRef(docID)).Scan(&id)
		return id, err
	case form.ChangeOrdererRemoved:
		o := op.Orderer
		_, err := tx.Exec(ctx, `update orderers set removed_on = $2, removal_reason = '9463', removed_by_document = $3
			where id = $1`, o.ID, date(o.Removed), docRef(docID))
		return o.ID, err
	case form.ChangeUserAdded, form.ChangeUserChanged, form.ChangeUserRemoved:
		return applyUser(ctx, tx, docID, op)
	}
	return 0, fmt.Errorf("unknown change %q", op.Change.Kind)
}

// applyUser closes the person's current record in the org on the change's
// day and, unless the user is removed, opens the new one.
func applyUser(ctx context.Context, tx Tx, docID int64, op form.RegistryOp) (int64, error) {
	u, d := op.User, op.Change.Date
	var removedOn any
	if op.Change.Kind == form.ChangeUserRemoved {
		removedOn = date(d)
	}
	hashes, err := pnrHashes(tx.Cipher(), u.Personnummer)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `
		update users set valid_until = $3, removed_on = $4
		where org_number = $1 and personnummer_hash = any($2) and valid_from <= $3
		  and (valid_until is null or valid_until > $3)`, u.OrgNumber, hashes, date(d), removedOn); err != nil {
		return 0, fmt.Errorf("close user record: %w", err)
	}
	if op.Change.Kind == form.ChangeUserRemoved {
		return 0, nil
	}
	enc, hash, err := sealedPnr(tx.Cipher(), u.Personnummer)
	if err != nil {
		return 0, err
	}
	roles := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, string(r))
	}
	logins := make([]string, 0, len(u.Login))
	for _, m := range u.Login {
		logins = append(logins, string(m))
	}
	var id int64
	err = tx.QueryRow(ctx, `
		insert into users (org_number, name, personnummer_enc, personnummer_hash, email, mobile, phone, roles, login_methods, valid_from, source_document)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
		u.OrgNumber, u.Name, enc, hash, u.Email, u.Mobile, u.Phone, roles, logins, date(u.ValidFrom), docRef(docID)).Scan(&id)
	return id, err
}

// AddOrderer records an orderer registration as it is (reference data or
// a test's seed), its personnummer sealed. The org must exist.
func (r *Registry) AddOrderer(ctx context.Context, o form.Orderer) (int64, error) {
	q, c := r.db, r.db.Cipher()
	enc, hash, err := sealedPnr(c, o.Personnummer)
	if err != nil {
		return 0, fmt.Errorf("add orderer to %s: %w", o.OrgNumber, err)
	}
	var id int64
	if err := q.QueryRow(ctx, `
		insert into orderers (org_number, name, personnummer_enc, personnummer_hash, phone, email, valid_from, valid_to, removed_on, source_document, source)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
		o.OrgNumber, o.Name, enc, hash, o.Phone, o.Email, date(o.ValidFrom), date(o.ValidTo), date(o.Removed), docRef(o.SourceDocument),
		cmp.Or(o.Source, form.SourceForm)).Scan(&id); err != nil {
		return 0, fmt.Errorf("add orderer to %s: %w", o.OrgNumber, err)
	}
	return id, nil
}

// Terminate ends the org's agreement on day d (from d on it is no longer
// in force) and with it the rights of the org's orderers the same day.
func (r *Registry) Terminate(ctx context.Context, tx Tx, orgnr string, d time.Time) error {
	n := orgnr
	d = form.Day(d)
	if _, err := tx.Exec(ctx, `update agreements set terminated_on = $2
		where org_number = $1 and (terminated_on is null or terminated_on > $2)`, n, date(d)); err != nil {
		return fmt.Errorf("terminate agreement of %s: %w", n, err)
	}
	if _, err := tx.Exec(ctx, `update orderers set removed_on = $2, removal_reason = 'termination'
		where org_number = $1 and valid_to >= $2 and (removed_on is null or removed_on > $2)`, n, date(d)); err != nil {
		return fmt.Errorf("end orderers of %s: %w", n, err)
	}
	return nil
}

// AddSignatories records firmatecknare from reference data (their orgs
// made when missing). A row already there (same org, name and dates) is
// counted as a duplicate, so importing the same list twice is harmless.
func AddSignatories(ctx context.Context, tx Tx, sigs []form.Signatory) (imported, duplicates int, err error) {
	for i, s := range sigs {
		if _, err := tx.Exec(ctx, `insert into organisations (org_number) values ($1) on conflict do nothing`, s.OrgNumber); err != nil {
			return 0, 0, fmt.Errorf("signatory %d: organisation: %w", i+1, err)
		}
		var exists bool
		if err := tx.QueryRow(ctx, `select exists(select 1 from signatories where org_number = $1 and lower(name) = lower($2)
			and valid_from is not distinct from $3 and valid_to is not distinct from $4)`,
			s.OrgNumber, s.Name, date(s.ValidFrom), date(s.ValidTo)).Scan(&exists); err != nil {
			return 0, 0, fmt.Errorf("signatory %d: %w", i+1, err)
		}
		if exists {
			duplicates++
			continue
		}
		source := s.Source
		if source == "" {
			source = form.SignatorySourceCSV
		}
		if _, err := tx.Exec(ctx, `insert into signatories (org_number, name, title, valid_from, valid_to, source)
			values ($1, $2, $3, $4, $5, $6)`, s.OrgNumber, s.Name, s.Title, date(s.ValidFrom), date(s.ValidTo), string(source)); err != nil {
			return 0, 0, fmt.Errorf("signatory %d: %w", i+1, err)
		}
		imported++
	}
	return imported, duplicates, nil
}

// TerminationRow is a recorded termination of an agreement.
type TerminationRow struct {
	ID             int64
	OrgNumber      string
	AgreementID    int64
	RequestedBy    string // "part" or "fk"
	Received       time.Time
	End            time.Time
	OverrideReason string
	RecordedBy     string
	RecordedAt     time.Time
}

// RecordTermination records a termination and ends the agreement on its
// end date (Terminate), audited, in tx.
func RecordTermination(ctx context.Context, tx Tx, t TerminationRow) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, `insert into terminations (org_number, agreement_id, requested_by, received_on, end_on, override_reason, recorded_by)
		values ($1, $2, $3, $4, $5, $6, $7) returning id`,
		t.OrgNumber, t.AgreementID, t.RequestedBy, date(t.Received), date(t.End), t.OverrideReason, t.RecordedBy).Scan(&id); err != nil {
		return 0, fmt.Errorf("record termination of %s: %w", t.OrgNumber, err)
	}
	if err := NewRegistry(nil).Terminate(ctx, tx, t.OrgNumber, t.End); err != nil {
		return 0, err
	}
	return id, Audit(ctx, tx, AuditEvent{Actor: t.RecordedBy, Action: "registry.terminated", Detail: t.OrgNumber,
		After: map[string]any{"termination": id, "agreement": t.AgreementID, "requested_by": t.RequestedBy,
			"received": t.Received.Format(time.DateOnly), "end": t.End.Format(time.DateOnly), "override": t.OverrideReason != ""}})
}

// Terminations lists the org's recorded terminations, newest first.
func Terminations(ctx context.Context, q Querier, orgnr string) ([]TerminationRow, error) {
	rows, err := q.Query(ctx, `select id, org_number, agreement_id, requested_by, received_on, end_on, override_reason, recorded_by, recorded_at
		from terminations where org_number = $1 order by id desc`, orgnr)
	if err != nil {
		return nil, fmt.Errorf("terminations of %s: %w", orgnr, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TerminationRow, error) {
		var t TerminationRow
		var rec, end pgtype.Date
		err := row.Scan(&t.ID, &t.OrgNumber, &t.AgreementID, &t.RequestedBy, &rec, &end, &t.OverrideReason, &t.RecordedBy, &t.RecordedAt)
		t.Received, t.End = day(rec), day(end)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("terminations of %s: %w", orgnr, err)
	}
	return out, nil
}
