package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"blankett/form"
)

// The subject access export: everything Blankett holds about one person,
// found by the lookup hash of their personnummer (the agreement's §6: FK
// provides it on request).

// ErrInvalidPersonnummer is returned when an export is asked for with
// something that is not a personnummer. The number is never echoed.
var ErrInvalidPersonnummer = errors.New("not a personnummer or samordningsnummer")

// PersonExport is the export, as JSON.
type PersonExport struct {
	GeneratedAt  time.Time           `json:"generated_at"`
	Personnummer string              `json:"personnummer"`
	Documents    []PersonDocument    `json:"documents"`
	Orderers     []PersonRegistryRow `json:"orderer_registrations"`
	Users        []PersonRegistryRow `json:"user_registrations"`
	Letters      []PersonLetter      `json:"letters"`
	AccessLog    []PersonAuditEvent  `json:"access_log"`
}

// PersonDocument is one document whose fields name the person.
type PersonDocument struct {
	ID         int64             `json:"id"`
	Kind       form.Kind         `json:"kind"`
	State      form.State        `json:"state"`
	Filename   string            `json:"filename"`
	ReceivedAt time.Time         `json:"received_at"`
	Fields     map[string]string `json:"fields"`
	Decisions  []PersonDecision  `json:"decisions"`
}

// PersonDecision is a decision on one of the person's documents.
type PersonDecision struct {
	Outcome   form.State `json:"outcome"`
	Reason    string     `json:"reason,omitempty"`
	Actor     string     `json:"actor"`
	DecidedAt time.Time  `json:"decided_at"`
}

// PersonRegistryRow is one orderer or user registration of the person.
type PersonRegistryRow struct {
	ID             int64       `json:"id"`
	OrgNumber      string      `json:"org_number"`
	OrgName        string      `json:"org_name"`
	Name           string      `json:"name"`
	Personnummer   string      `json:"personnummer"`
	Email          string      `json:"email,omitempty"`
	Phone          string      `json:"phone,omitempty"`
	Mobile         string      `json:"mobile,omitempty"`
	Roles          []form.Role `json:"roles,omitempty"`
	ValidFrom      string      `json:"valid_from"`
	ValidTo        string      `json:"valid_to,omitempty"`
	Removed        string      `json:"removed_on,omitempty"`
	SourceDocument int64       `json:"source_document,omitempty"`
}

// PersonLetter is a letter made from one of the person's documents.
type PersonLetter struct {
	ID            int64      `json:"id"`
	DocumentID    int64      `json:"document_id"`
	Kind          string     `json:"kind"`
	RecipientName string     `json:"recipient_name"`
	ObjectKey     string     `json:"object_key"`
	CreatedAt     time.Time  `json:"created_at"`
	PrintedAt     *time.Time `json:"printed_at,omitempty"`
}

// PersonAuditEvent is an access-log line about the person: an event on one
// of their documents, a view of a registry page listing them, an earlier
// export.
type PersonAuditEvent struct {
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	DocumentID int64     `json:"document_id,omitempty"`
	Detail     string    `json:"detail,omitempty"`
}

func dayString(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// ExportPerson gathers everything about the person with personnummer pnr
// and audits the export ("person.exported", by actor; the detail names the
// person by a hash prefix only).
func ExportPerson(ctx context.Context, q Querier, pnr, actor string) (PersonExport, error) {
	now := time.Now()
	norm, ok := canonicalPersonnummer(pnr)
	if !ok {
		return PersonExport{}, fmt.Errorf("export person: %w", ErrInvalidPersonnummer)
	}
	c := q.Cipher()
	if c == nil {
		return PersonExport{}, fmt.Errorf("export person: %w", ErrNoCipher)
	}
	hashes := c.Hashes(norm)
	label := personLabel(c, norm)
	out := PersonExport{GeneratedAt: now.UTC(), Personnummer: norm, Documents: []PersonDocument{},
		Orderers: []PersonRegistryRow{}, Users: []PersonRegistryRow{}, Letters: []PersonLetter{}, AccessLog: []PersonAuditEvent{}}
	fail := func(what string, err error) (PersonExport, error) {
		return PersonExport{}, fmt.Errorf("export person: %s: %w", what, err)
	}

	docs, err := queryDocuments(ctx, q, "where person_hashes && $1::bytea[] order by id", hashes)
	if err != nil {
		return fail("documents", err)
	}
	docIDs := []int64{}
	for _, d := range docs {
		pd := PersonDocument{ID: d.ID, Kind: d.Kind, State: d.State, Filename: d.Filename, ReceivedAt: d.ReceivedAt,
			Fields: map[string]string{}, Decisions: []PersonDecision{}}
		for name, v := range d.Fields {
			if v.Value != "" {
				pd.Fields[name] = v.Value
			} else if v.Raw != "" {
				pd.Fields[name] = v.Raw
			}
		}
		decisions, err := DocumentDecisions(ctx, q, d.ID)
		if err != nil {
			return fail("decisions", err)
		}
		for _, dec := range decisions {
			pd.Decisions = append(pd.Decisions, PersonDecision{Outcome: dec.Outcome, Reason: dec.Reason, Actor: dec.Actor, DecidedAt: dec.DecidedAt})
		}
		out.Documents = append(out.Documents, pd)
		docIDs = append(docIDs, d.ID)
	}

	// Registry rows, and the documents that made or ended them.
	orgs := []string{}
	rows, err := q.Query(ctx, `select r.id, r.org_number, o.name, r.name, r.personnummer_enc, r.email, r.phone,
			r.valid_from, r.valid_to, r.removed_on, coalesce(r.source_document, 0), coalesce(r.removed_by_document, 0)
		from orderers r join organisations o using (org_number) where r.personnummer_hash = any($1) order by r.id`, hashes)
	if err != nil {
		return fail("orderers", err)
	}
	for rows.Next() {
		var r PersonRegistryRow
		var enc []byte
		var from, to, removed pgtype.Date
		var removedBy int64
		if err := rows.Scan(&r.ID, &r.OrgNumber, &r.OrgName, &r.Name, &enc, &r.Email, &r.Phone, &from, &to, &removed,
			&r.SourceDocument, &removedBy); err != nil {
			rows.Close()
			return fail("orderers", err)
		}
		if r.Personnummer, err = openPnr(c, enc); err != nil {
			rows.Close()
			return fail("orderers", err)
		}
		r.ValidFrom, r.ValidTo, r.Removed = dayString(day(from)), dayString(day(to)), dayString(day(removed))
		out.Orderers = append(out.Orderers, r)
		orgs = append(orgs, r.OrgNumber)
		docIDs = append(docIDs, r.SourceDocument, removedBy)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail("orderers", err)
	}
	rows, err = q.Query(ctx, `select u.id, u.org_number, o.name, u.name, u.personnummer_enc, u.email, u.phone, u.mobile, u.roles,
			u.valid_from, u.valid_until, u.removed_on, coalesce(u.source_document, 0)
		from users u join organisations o using (org_number) where u.personnummer_hash = any($1) order by u.id`, hashes)
	if err != nil {
		return fail("users", err)
	}
	for rows.Next() {
		var r PersonRegistryRow
		var enc []byte
		var roles []string
		var from, until, removed pgtype.Date
		if err := rows.Scan(&r.ID, &r.OrgNumber, &r.OrgName, &r.Name, &enc, &r.Email, &r.Phone, &r.Mobile, &roles,
			&from, &until, &removed, &r.SourceDocument); err != nil {
			rows.Close()
			return fail("users", err)
		}
		if r.Personnummer, err = openPnr(c, enc); err != nil {
			rows.Close()
			return fail("users", err)
		}
		for _, ro := range roles {
			r.Roles = append(r.Roles, form.Role(ro))
		}
		r.ValidFrom, r.ValidTo, r.Removed = dayString(day(from)), dayString(day(until)), dayString(day(removed))
		out.Users = append(out.Users, r)
		orgs = append(orgs, r.OrgNumber)
		docIDs = append(docIDs, r.SourceDocument)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail("users", err)
	}

	rows, err = q.Query(ctx, `select id, document_id, kind, recipient_name, object_key, created_at, printed_at
		from letters where document_id = any($1) order by id`, docIDs)
	if err != nil {
		return fail("letters", err)
	}
	out.Letters, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (PersonLetter, error) {
		var l PersonLetter
		err := row.Scan(&l.ID, &l.DocumentID, &l.Kind, &l.RecipientName, &l.ObjectKey, &l.CreatedAt, &l.PrintedAt)
		return l, err
	})
	if err != nil {
		return fail("letters", err)
	}
	if out.Letters == nil {
		out.Letters = []PersonLetter{}
	}

	// Events on the documents, views of the registry pages that list the
	// person, and earlier exports about them.
	rows, err = q.Query(ctx, `select at, actor, action, coalesce(document_id, 0), detail from audit_events
		where document_id = any($1)
		   or (action = 'registry.viewed' and detail = any($2))
		   or (action = 'person.exported' and detail = $3)
		order by id`, docIDs, orgs, label)
	if err != nil {
		return fail("access log", err)
	}
	out.AccessLog, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (PersonAuditEvent, error) {
		var e PersonAuditEvent
		err := row.Scan(&e.At, &e.Actor, &e.Action, &e.DocumentID, &e.Detail)
		return e, err
	})
	if err != nil {
		return fail("access log", err)
	}
	if out.AccessLog == nil {
		out.AccessLog = []PersonAuditEvent{}
	}

	if err := Audit(ctx, q, AuditEvent{Actor: actor, Action: "person.exported", Detail: label,
		After: map[string]any{"documents": len(out.Documents), "orderer_registrations": len(out.Orderers),
			"user_registrations": len(out.Users), "letters": len(out.Letters), "access_log": len(out.AccessLog)}}); err != nil {
		return fail("audit", err)
	}
	return out, nil
}
