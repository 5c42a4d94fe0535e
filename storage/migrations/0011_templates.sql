-- Form editions as data: every version of every template an office has
-- imported (and the built-in editions, seeded from the binary on first
-- use). An admin activates a version from a date and retires it; workers
-- read with the active versions valid today.
create table template_versions (
    id           bigserial primary key,
    kind         text not null,
    edition      text not null,
    version      integer not null,
    body         text not null, -- the JSON as imported, byte for byte
    sha256       text not null,
    source       text not null default 'import', -- import | builtin
    state        text not null default 'draft' check (state in ('draft', 'active', 'retired')),
    valid_from   date,
    imported_by  text not null,
    imported_at  timestamptz not null default now(),
    activated_by text not null default '',
    activated_at timestamptz,
    retired_by   text not null default '',
    retired_at   timestamptz,
    updated_at   timestamptz not null default now(),
    unique (kind, edition, version)
);
-- An edition may have several active versions with different valid-from
-- dates: the newest one valid on a day is the one read with that day.
create index template_versions_active on template_versions (kind, edition, valid_from) where state = 'active';

-- The edition each extraction read a document with ('' when unclassified).
alter table extractions add column edition text not null default '';
alter table documents add column edition text not null default '';
