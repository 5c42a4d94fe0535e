-- Personal data at rest. Personnummer leave plaintext columns: the
-- registry keeps each one sealed (AES-256-GCM, key id prefixed, see
-- storage/crypto.go) with a keyed hash (HMAC-SHA-256) for lookups. The key
-- is never in the database, so this migration cannot seal the numbers of
-- rows written before it: there is no production data yet, and such rows
-- (development data) keep their other columns with a null personnummer.

alter table orderers
    add column personnummer_enc  bytea,
    add column personnummer_hash bytea,
    add check ((personnummer_enc is null) = (personnummer_hash is null));
drop index if exists orderers_personnummer;
alter table orderers drop column personnummer;
create index orderers_personnummer_hash on orderers (personnummer_hash);

alter table users
    add column personnummer_enc  bytea,
    add column personnummer_hash bytea,
    add check ((personnummer_enc is null) = (personnummer_hash is null));
drop index if exists users_personnummer;
alter table users drop column personnummer;
create index users_personnummer_hash on users (personnummer_hash);

-- Documents: the lookup hashes of every personnummer in the fields (the
-- values themselves are sealed inside the jsonb), for the subject access
-- export; and when retention purged the document.
alter table documents
    add column person_hashes bytea[] not null default '{}',
    add column purged_at     timestamptz;
create index documents_person_hashes on documents using gin (person_hashes);
-- Retention finds decided documents by kind and age.
create index documents_retention on documents (kind, state, updated_at) where purged_at is null;
