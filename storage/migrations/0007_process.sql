-- The process as the seeds describe it (issue 14).
--
-- An envelope: the documents that arrived together (one upload of several
-- files, one CLI ingest, the parts of one mailroom batch).
alter table documents add column envelope text not null default '';
create index documents_envelope on documents (envelope) where envelope <> '';
-- A 9463 that came with (or while FK handles) its Part's agreement waits
-- for that agreement's decision (state 'waiting', waiting_for the
-- agreement's document), then is checked again as of registry_as_of (the
-- day the agreement came into force) or with agreement_rejected (why it
-- was not approved).
alter table documents add column waiting_for bigint references documents (id);
alter table documents add column registry_as_of date;
alter table documents add column agreement_rejected text not null default '';
create index documents_waiting on documents (waiting_for) where waiting_for is not null;

-- Terminations (§5): received in writing from the Part or from FK; the
-- agreement ends on end_on (from that day it is no longer in force and the
-- Part's orderers lose their rights).
create table terminations (
    id              bigserial primary key,
    org_number      text not null references organisations (org_number),
    agreement_id    bigint not null references agreements (id),
    requested_by    text not null check (requested_by in ('part', 'fk')),
    received_on     date not null,
    end_on          date not null,
    override_reason text not null default '',
    recorded_by     text not null,
    recorded_at     timestamptz not null default now()
);
create index terminations_org on terminations (org_number);

-- Where a registration came from: a form, or the transition (§8) load of
-- SUS's own lists ('övergång').
alter table orderers add column source text not null default 'form';
alter table users add column source text not null default 'form';
