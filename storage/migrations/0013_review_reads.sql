-- The review pages' reads with 100,000 documents and more (issue 17):
-- counts kept instead of counted, and indexes in the order the pages read.

-- How many documents there are per state and form kind, kept by a trigger
-- in the same transaction as every change of a document's state or kind,
-- so that the queue's tabs, the overview and the metrics read a few rows
-- instead of counting the table. A change only appends rows (+1 for the
-- new state and kind, -1 for the old), so concurrent transactions never
-- wait for one another here; every 64th row folds the rows nobody else
-- holds into one per state and kind. The count of a state and kind is the
-- sum of its rows.
create table document_counts (
    id    bigserial primary key,
    state text not null,
    kind  text not null,
    n     bigint not null
);

create function document_counts_fold() returns void language sql as $$
    with gone as (
        delete from document_counts
        where id in (select id from document_counts for update skip locked)
        returning state, kind, n)
    insert into document_counts (state, kind, n)
    select state, kind, sum(n) from gone group by state, kind having sum(n) <> 0;
$$;

create function document_counts_track() returns trigger language plpgsql as $$
declare
    fold boolean;
begin
    if tg_op = 'INSERT' then
        with added as (insert into document_counts (state, kind, n) values (new.state, new.kind, 1) returning id)
        select bool_or(id % 64 = 0) into fold from added;
    elsif tg_op = 'DELETE' then
        with added as (insert into document_counts (state, kind, n) values (old.state, old.kind, -1) returning id)
        select bool_or(id % 64 = 0) into fold from added;
    else
        with added as (insert into document_counts (state, kind, n)
            values (old.state, old.kind, -1), (new.state, new.kind, 1) returning id)
        select bool_or(id % 64 = 0) into fold from added;
    end if;
    if fold then
        perform document_counts_fold();
    end if;
    return null;
end $$;

-- The trigger first: it locks documents against writes until the counts
-- below are committed with it.
create trigger documents_insert_delete_counted after insert or delete on documents
    for each row execute function document_counts_track();
create trigger documents_update_counted after update of state, kind on documents
    for each row when (old.state is distinct from new.state or old.kind is distinct from new.kind)
    execute function document_counts_track();
insert into document_counts (state, kind, n) select state, kind, count(*) from documents group by state, kind;

-- The audit page lists events newest first, (at, id) descending, with or
-- without an account, a document or dates: each filter reads its index
-- in that order and stops after one page.
create index audit_events_at_id on audit_events (at, id);
create index audit_events_actor_at on audit_events (actor, at, id);
create index audit_events_document_at on audit_events (document_id, at, id);
drop index audit_events_at;
drop index audit_events_actor;
drop index audit_events_document;
-- A person's searches and exports name the person by a label of the keyed
-- hash ("person 1a2b3c…"), with no document.
create index audit_events_person on audit_events (detail, at, id) where document_id is null and detail like 'person %';

-- The overview counts the decisions of the last 30 days, by day, reviewer
-- and outcome, and the median time from receipt to a document's first
-- decision, from one index alone: each decision carries its document's
-- receipt time and whether it is the document's first (by time, then id),
-- set when it is written.
alter table decisions
    add column received_at        timestamptz,
    add column first_for_document boolean not null default false;
update decisions x set received_at = d.received_at from documents d where d.id = x.document_id;
update decisions x set first_for_document = not exists (select 1 from decisions y
    where y.document_id = x.document_id and (y.decided_at, y.id) < (x.decided_at, x.id));
create function decisions_note_first() returns trigger language plpgsql as $$
begin
    select received_at into new.received_at from documents where id = new.document_id;
    new.first_for_document := not exists (select 1 from decisions
        where document_id = new.document_id and (decided_at, id) < (new.decided_at, new.id));
    return new;
end $$;
create trigger decisions_first before insert on decisions
    for each row execute function decisions_note_first();
create index decisions_decided on decisions (decided_at)
    include (document_id, actor, outcome, request_completion, received_at, first_for_document);

-- Search by part of an organisation's name: the names are matched in a
-- table of the distinct names (a few thousand, however many documents),
-- and the documents of the matching names are then read from a b-tree of
-- (name, received, id) alone, without visiting the wide document rows.
-- A name once written stays; a name no document has any more matches
-- nothing.
create table organisation_names (name text primary key);
create index organisation_names_trgm on organisation_names using gin (name gin_trgm_ops);
create function organisation_names_note() returns trigger language plpgsql as $$
begin
    insert into organisation_names (name) values (new.org_name_search) on conflict do nothing;
    return null;
end $$;
create trigger documents_insert_org_name after insert on documents
    for each row when (new.org_name_search <> '') execute function organisation_names_note();
create trigger documents_update_org_name after update of fields on documents
    for each row when (new.org_name_search <> '' and new.org_name_search is distinct from old.org_name_search)
    execute function organisation_names_note();
insert into organisation_names (name) select distinct org_name_search from documents where org_name_search <> '';
create index documents_org_name_received on documents (org_name_search, received_at, id);
drop index documents_org_name_trgm;
