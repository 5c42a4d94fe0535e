-- The registry the access office keeps: Parts, their firmatecknare,
-- agreements, orderers and users. History is kept by validity intervals:
-- a row is never changed in a way that alters the answer to a question
-- "as of" an earlier day (closing an interval or marking a removal takes
-- effect from the decision day on). Dates are calendar days.
-- source_document refers to documents(id); no foreign key yet, so this
-- migration does not depend on the core schema's details.

create table organisations (
    org_number text primary key check (org_number ~ '^[0-9]{6}-[0-9]{4}$'),
    name       text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- Firmatecknare: who may sign for a Part, from and to (inclusive; null is
-- unbounded). Source: imported reference data or an approved agreement.
create table signatories (
    id              bigserial primary key,
    org_number      text not null references organisations (org_number),
    name            text not null check (name <> ''),
    title           text not null default '',
    valid_from      date,
    valid_to        date,
    source          text not null check (source in ('csv', 'agreement')),
    source_document bigint,
    created_at      timestamptz not null default now(),
    check (valid_to is null or valid_from is null or valid_to >= valid_from)
);
create index signatories_org on signatories (org_number);

-- Agreements: in force from FK's countersignature until the day before
-- terminated_on. recorded_on is the day the office approved it, so an
-- "as of" question before that day does not see it.
create table agreements (
    id               bigserial primary key,
    org_number       text not null references organisations (org_number),
    part_signed_on   date,
    countersigned_on date,
    terminated_on    date,
    copies_received  integer not null default 1 check (copies_received >= 0),
    source_document  bigint,
    recorded_on      date not null,
    created_at       timestamptz not null default now()
);
create index agreements_org on agreements (org_number);

-- Orderers (beställare): registered from valid_from to valid_to inclusive
-- (two years), unless removed from removed_on on.
create table orderers (
    id                 bigserial primary key,
    org_number         text not null references organisations (org_number),
    name               text not null,
    personnummer       text not null,
    phone              text not null default '',
    email              text not null default '',
    valid_from         date not null,
    valid_to           date not null,
    removed_on         date,
    removal_reason     text not null default '',
    source_document    bigint,
    removed_by_document bigint,
    created_at         timestamptz not null default now(),
    check (valid_to >= valid_from)
);
create index orderers_org on orderers (org_number, valid_from);
create index orderers_personnummer on orderers (personnummer);

-- Users: one row per state of a user's access, valid from valid_from until
-- the day before valid_until (null: still valid). A change closes the row
-- and opens the next; a removal closes it and sets removed_on.
create table users (
    id              bigserial primary key,
    org_number      text not null references organisations (org_number),
    name            text not null,
    personnummer    text not null,
    email           text not null default '',
    mobile          text not null default '',
    phone           text not null default '',
    roles           text[] not null default '{}',
    login_methods   text[] not null default '{}',
    valid_from      date not null,
    valid_until     date,
    removed_on      date,
    source_document bigint,
    created_at      timestamptz not null default now(),
    check (valid_until is null or valid_until >= valid_from)
);
create index users_org on users (org_number);
create index users_personnummer on users (personnummer);
