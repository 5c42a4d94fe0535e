package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"blankett/form"
	"blankett/validate"
)

// Every read and write of a personnummer column is in this file (and the
// registry pages' reads in review.go). The columns are sealed: see
// crypto.go; lookups go by the keyed hash.

// ErrInvalidDocument is returned by Apply when an approved document lacks
// what the registry needs (a valid org number, a valid personnummer).
var ErrInvalidDocument = errors.New("document cannot be applied to the registry")

var _ validate.Registry = (*Registry)(nil)

// Registry is the office's registry in PostgreSQL. It answers
// validate.Registry's "as of" questions and records what approvals do.
type Registry struct {
	db Querier
}

// NewRegistry returns a registry on the pool.
func NewRegistry(pool *pgxpool.Pool) *Registry { return &Registry{db: pool} }

// InTx returns a registry whose reads run in tx, e.g. to validate inside
// the transaction that records the result.
func (r *Registry) InTx(tx pgx.Tx) *Registry { return &Registry{db: tx} }

// date turns a calendar day into a query argument: nil for zero.
func date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	t = validate.Day(t)
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
	q, c, release, err := onConn(ctx, r.db)
	if err != nil {
		return nil, fmt.Errorf("orderers of %s: %w", orgnr, err)
	}
	defer release()
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
	q, c, release, err := onConn(ctx, r.db)
	if err != nil {
		return nil, fmt.Errorf("orderers by personnummer: %w", err)
	}
	defer release()
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
		return nil, fmt.Errorf("agreements in force on %s: %w", d.Format(validate.DateLayout), err)
	}
	out, err := scanAgreements(rows)
	if err != nil {
		return nil, fmt.Errorf("agreements in force on %s: %w", d.Format(validate.DateLayout), err)
	}
	return out, nil
}

// UsersByPersonnummer returns the person's user records, in any org,
// active on asOf.
func (r *Registry) UsersByPersonnummer(ctx context.Context, pnr string, asOf time.Time) ([]form.User, error) {
	q, c, release, err := onConn(ctx, r.db)
	if err != nil {
		return nil, fmt.Errorf("users by personnummer: %w", err)
	}
	defer release()
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

// fieldValue is a field's normalised value, else what was read, trimmed.
func fieldValue(doc form.Document, name string) string {
	v := doc.Fields[name]
	if s := strings.TrimSpace(v.Value); s != "" {
		return s
	}
	return strings.TrimSpace(v.Raw)
}

func fieldChecked(doc form.Document, name string) bool {
	switch strings.ToLower(fieldValue(doc, name)) {
	case "true", "1", "x", "ja", "yes", "on", "checked":
		return true
	}
	return false
}

// phoneValue is a phone field in E.164 when it parses, else as written.
func phoneValue(doc form.Document, name string) string {
	v := fieldValue(doc, name)
	if p, err := validate.ParsePhone(v); err == nil {
		return p.E164
	}
	return v
}

func emailValue(doc form.Document, name string) string {
	v := fieldValue(doc, name)
	if e, err := validate.ParseEmail(v); err == nil {
		return e
	}
	return v
}

func (r *Registry) docOrg(ctx context.Context, tx pgx.Tx, doc form.Document) (string, error) {
	orgnr, err := validate.ParseOrgnr(fieldValue(doc, "org_number"))
	if err != nil {
		return "", fmt.Errorf("%w: org number: %w", ErrInvalidDocument, err)
	}
	if _, err := tx.Exec(ctx, `
		insert into organisations (org_number, name) values ($1, $2)
		on conflict (org_number) do update
		set name = case when excluded.name <> '' then excluded.name else organisations.name end,
		    updated_at = now()`, orgnr, fieldValue(doc, "org_name")); err != nil {
		return "", fmt.Errorf("record organisation %s: %w", orgnr, err)
	}
	return orgnr, nil
}

// Apply records what the approval of doc, decided at decidedAt, does to
// the registry. It runs in the decision's transaction tx. See ApplyChanges.
func (r *Registry) Apply(ctx context.Context, tx pgx.Tx, doc form.Document, decidedAt time.Time) error {
	_, err := r.ApplyChanges(ctx, tx, doc, decidedAt)
	return err
}

// ApplyChanges is Apply returning the changes made (for the audit trail
// and the letters). Everything takes effect on the decision day:
//   - agreement: recorded, in force from FK's countersignature date
//     (fk_sign_date, else the decision day); a further signed copy of an
//     agreement already recorded (same org, same Part signing date) adds to
//     its copies instead. The firmatecknare it names (signatory_name, else
//     part_signer_name) becomes a known signatory of the org from the
//     Part's signing date.
//   - 9463: each added person becomes an orderer for two years from the
//     decision day; each removed person stops being one that day.
//   - 9445: new records the user; change closes the current record and
//     opens one with the form's values; remove closes it.
//
// Applying the same document twice changes nothing the second time.
func (r *Registry) ApplyChanges(ctx context.Context, tx pgx.Tx, doc form.Document, decidedAt time.Time) ([]form.Change, error) {
	var changes []form.Change
	var err error
	switch doc.Kind {
	case form.KindAgreement:
		changes, err = r.applyAgreement(ctx, tx, doc, validate.Day(decidedAt))
	case form.Kind9463:
		changes, err = r.apply9463(ctx, tx, doc, validate.Day(decidedAt))
	case form.Kind9445:
		changes, err = r.apply9445(ctx, tx, doc, validate.Day(decidedAt))
	default:
		err = fmt.Errorf("%w: unknown kind %q", ErrInvalidDocument, doc.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("apply document %d (%s): %w", doc.ID, doc.Kind, err)
	}
	return changes, nil
}

func (r *Registry) applied(ctx context.Context, tx pgx.Tx, table string, docID int64) (bool, error) {
	if docID == 0 {
		return false, nil
	}
	var done bool
	err := tx.QueryRow(ctx, `select exists(select 1 from `+table+` where source_document = $1)`, docID).Scan(&done)
	if err != nil {
		return false, fmt.Errorf("check %s for document %d: %w", table, docID, err)
	}
	return done, nil
}

func docRef(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (r *Registry) applyAgreement(ctx context.Context, tx pgx.Tx, doc form.Document, d time.Time) ([]form.Change, error) {
	orgnr, err := r.docOrg(ctx, tx, doc)
	if err != nil {
		return nil, err
	}
	if done, err := r.applied(ctx, tx, "agreements", doc.ID); err != nil || done {
		return nil, err
	}
	partSigned, _ := validate.ParseDate(fieldValue(doc, "part_sign_date"), d)
	counter, err := validate.ParseDate(fieldValue(doc, "fk_sign_date"), d)
	if err != nil || counter.After(d) {
		counter = d
	}
	copies := 1
	if n, err := strconv.Atoi(fieldValue(doc, validate.FieldCopies)); err == nil && n >= 0 {
		copies = n
	}
	var changes []form.Change
	var id int64
	err = tx.QueryRow(ctx, `
		update agreements set copies_received = copies_received + $3,
		       countersigned_on = coalesce(countersigned_on, $4)
		where id = (select id from agreements where org_number = $1 and part_signed_on = $2
		            and terminated_on is null order by id desc limit 1)
		returning id`, orgnr, date(partSigned), copies, date(counter)).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || partSigned.IsZero():
		err = tx.QueryRow(ctx, `
			insert into agreements (org_number, part_signed_on, countersigned_on, copies_received, source_document, recorded_on)
			values ($1, $2, $3, $4, $5, $6) returning id`,
			orgnr, date(partSigned), date(counter), copies, docRef(doc.ID), date(d)).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("record agreement of %s: %w", orgnr, err)
		}
		changes = append(changes, form.Change{Kind: form.ChangeAgreementRecorded, OrgNumber: orgnr, Date: counter, RecordID: id})
	case err != nil:
		return nil, fmt.Errorf("record copy of agreement of %s: %w", orgnr, err)
	default:
		changes = append(changes, form.Change{Kind: form.ChangeAgreementCopy, OrgNumber: orgnr, Date: d, RecordID: id})
	}

	name := fieldValue(doc, "signatory_name")
	title := fieldValue(doc, "signatory_title")
	if name == "" {
		name = fieldValue(doc, "part_signer_name")
	}
	if name == "" {
		return changes, nil
	}
	from := partSigned
	if from.IsZero() {
		from = counter
	}
	known, err := r.InTx(tx).Signatories(ctx, orgnr, from)
	if err != nil {
		return nil, err
	}
	for _, s := range known {
		if validate.SameName(s.Name, name) && s.ValidTo.IsZero() {
			return changes, nil
		}
	}
	var sid int64
	if err := tx.QueryRow(ctx, `
		insert into signatories (org_number, name, title, valid_from, source, source_document)
		values ($1, $2, $3, $4, 'agreement', $5) returning id`,
		orgnr, name, title, date(from), docRef(doc.ID)).Scan(&sid); err != nil {
		return nil, fmt.Errorf("record signatory of %s: %w", orgnr, err)
	}
	return append(changes, form.Change{Kind: form.ChangeSignatoryAdded, OrgNumber: orgnr, Name: name, Date: from, RecordID: sid}), nil
}

func (r *Registry) apply9463(ctx context.Context, tx pgx.Tx, doc form.Document, d time.Time) ([]form.Change, error) {
	orgnr, err := r.docOrg(ctx, tx, doc)
	if err != nil {
		return nil, err
	}
	var done bool
	if doc.ID != 0 {
		if err := tx.QueryRow(ctx, `select exists(select 1 from orderers where source_document = $1 or removed_by_document = $1)`,
			doc.ID).Scan(&done); err != nil {
			return nil, fmt.Errorf("check orderers for document %d: %w", doc.ID, err)
		}
	}
	if done {
		return nil, nil
	}
	var changes []form.Change
	for i := 1; i <= validate.OrdererRows; i++ {
		add, remove := fieldChecked(doc, validate.OrdererField(i, "add")), fieldChecked(doc, validate.OrdererField(i, "remove"))
		name := fieldValue(doc, validate.OrdererField(i, "name"))
		rawPnr := fieldValue(doc, validate.OrdererField(i, "personnummer"))
		if add == remove || (name == "" && rawPnr == "") {
			continue // nothing, or both ticked: nothing the office can do
		}
		pnr, err := validate.NormalisePersonnummer(rawPnr, d)
		if err != nil && (add || rawPnr != "") {
			return nil, fmt.Errorf("%w: orderer %d: personnummer: %w", ErrInvalidDocument, i, err)
		}
		if add {
			to := form.OrdererValidTo(d)
			enc, hash, err := sealedPnr(cipherOf(tx.Conn()), pnr)
			if err != nil {
				return nil, fmt.Errorf("add orderer %d of %s: %w", i, orgnr, err)
			}
			var id int64
			if err := tx.QueryRow(ctx, `
				insert into orderers (org_number, name, personnummer_enc, personnummer_hash, phone, email, valid_from, valid_to, source_document)
				values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
				orgnr, name, enc, hash, phoneValue(doc, validate.OrdererField(i, "phone")), emailValue(doc, validate.OrdererField(i, "email")),
				date(d), date(to), docRef(doc.ID)).Scan(&id); err != nil {
				return nil, fmt.Errorf("add orderer %d of %s: %w", i, orgnr, err)
			}
			changes = append(changes, form.Change{Kind: form.ChangeOrdererAdded, OrgNumber: orgnr, Name: name, Date: d, Until: to, RecordID: id})
			continue
		}
		// Remove: by personnummer, or by name when none was given.
		active, err := r.InTx(tx).Orderers(ctx, orgnr, d)
		if err != nil {
			return nil, err
		}
		for _, o := range active {
			if !o.ActiveOn(d) || (pnr != "" && o.Personnummer != pnr) || (pnr == "" && !validate.SameName(o.Name, name)) {
				continue
			}
			if _, err := tx.Exec(ctx, `update orderers set removed_on = $2, removal_reason = '9463', removed_by_document = $3
				where id = $1`, o.ID, date(d), docRef(doc.ID)); err != nil {
				return nil, fmt.Errorf("remove orderer %d of %s: %w", i, orgnr, err)
			}
			changes = append(changes, form.Change{Kind: form.ChangeOrdererRemoved, OrgNumber: orgnr, Name: o.Name, Date: d, RecordID: o.ID})
		}
	}
	return changes, nil
}

func (r *Registry) apply9445(ctx context.Context, tx pgx.Tx, doc form.Document, d time.Time) ([]form.Change, error) {
	orgnr, err := r.docOrg(ctx, tx, doc)
	if err != nil {
		return nil, err
	}
	pnr, err := validate.NormalisePersonnummer(fieldValue(doc, "user_personnummer"), d)
	if err != nil {
		return nil, fmt.Errorf("%w: user personnummer: %w", ErrInvalidDocument, err)
	}
	if done, err := r.applied(ctx, tx, "users", doc.ID); err != nil || done {
		return nil, err
	}
	orderNew, orderChange, orderRemove := fieldChecked(doc, "order_new"), fieldChecked(doc, "order_change"), fieldChecked(doc, "order_remove")
	ticked := 0
	for _, b := range []bool{orderNew, orderChange, orderRemove} {
		if b {
			ticked++
		}
	}
	if ticked != 1 {
		return nil, fmt.Errorf("%w: exactly one order type must be ticked", ErrInvalidDocument)
	}
	name := fieldValue(doc, "user_name")

	// Close the user's current record in this org (if any).
	var removedOn any
	if orderRemove {
		removedOn = date(d)
	}
	var prev struct {
		email, mobile, phone string
	}
	c := cipherOf(tx.Conn())
	hashes, err := pnrHashes(c, pnr)
	if err != nil {
		return nil, fmt.Errorf("close user record in %s: %w", orgnr, err)
	}
	rows, err := tx.Query(ctx, `
		update users set valid_until = $3, removed_on = $4
		where org_number = $1 and personnummer_hash = any($2) and valid_from <= $3
		  and (valid_until is null or valid_until > $3)
		returning id, email, mobile, phone`, orgnr, hashes, date(d), removedOn)
	if err != nil {
		return nil, fmt.Errorf("close user record in %s: %w", orgnr, err)
	}
	closed := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &prev.email, &prev.mobile, &prev.phone); err != nil {
			rows.Close()
			return nil, fmt.Errorf("close user record in %s: %w", orgnr, err)
		}
		closed++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("close user record in %s: %w", orgnr, err)
	}
	if orderRemove {
		if closed == 0 {
			return nil, nil
		}
		return []form.Change{{Kind: form.ChangeUserRemoved, OrgNumber: orgnr, Name: name, Date: d}}, nil
	}

	var roles, logins []string
	for _, ro := range form.Roles {
		if fieldChecked(doc, ro.Field()) {
			roles = append(roles, string(ro))
		}
	}
	for _, m := range form.LoginMethods {
		if fieldChecked(doc, m.Field()) {
			logins = append(logins, string(m))
		}
	}
	email, mobile, phone := emailValue(doc, "user_email"), phoneValue(doc, "user_mobile"), phoneValue(doc, "user_phone")
	if email == "" {
		email = prev.email
	}
	if mobile == "" {
		mobile = prev.mobile
	}
	if phone == "" {
		phone = prev.phone
	}
	if roles == nil {
		roles = []string{}
	}
	if logins == nil {
		logins = []string{}
	}
	enc, hash, err := sealedPnr(c, pnr)
	if err != nil {
		return nil, fmt.Errorf("record user in %s: %w", orgnr, err)
	}
	var id int64
	if err := tx.QueryRow(ctx, `
		insert into users (org_number, name, personnummer_enc, personnummer_hash, email, mobile, phone, roles, login_methods, valid_from, source_document)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
		orgnr, name, enc, hash, email, mobile, phone, roles, logins, date(d), docRef(doc.ID)).Scan(&id); err != nil {
		return nil, fmt.Errorf("record user in %s: %w", orgnr, err)
	}
	kind := form.ChangeUserAdded
	if closed > 0 {
		kind = form.ChangeUserChanged
	}
	return []form.Change{{Kind: kind, OrgNumber: orgnr, Name: name, Date: d, RecordID: id}}, nil
}

// AddOrderer records an orderer registration as it is (reference data or
// a test's seed), its personnummer sealed. The org must exist.
func (r *Registry) AddOrderer(ctx context.Context, o form.Orderer) (int64, error) {
	q, c, release, err := onConn(ctx, r.db)
	if err != nil {
		return 0, fmt.Errorf("add orderer to %s: %w", o.OrgNumber, err)
	}
	defer release()
	enc, hash, err := sealedPnr(c, o.Personnummer)
	if err != nil {
		return 0, fmt.Errorf("add orderer to %s: %w", o.OrgNumber, err)
	}
	var id int64
	if err := q.QueryRow(ctx, `
		insert into orderers (org_number, name, personnummer_enc, personnummer_hash, phone, email, valid_from, valid_to, removed_on, source_document)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
		o.OrgNumber, o.Name, enc, hash, o.Phone, o.Email, date(o.ValidFrom), date(o.ValidTo), date(o.Removed), docRef(o.SourceDocument)).Scan(&id); err != nil {
		return 0, fmt.Errorf("add orderer to %s: %w", o.OrgNumber, err)
	}
	return id, nil
}

// Terminate ends the org's agreement on day d (from d on it is no longer
// in force) and with it the rights of the org's orderers the same day.
func (r *Registry) Terminate(ctx context.Context, tx pgx.Tx, orgnr string, d time.Time) error {
	n, err := validate.ParseOrgnr(orgnr)
	if err != nil {
		return fmt.Errorf("terminate agreement: %w", err)
	}
	d = validate.Day(d)
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
