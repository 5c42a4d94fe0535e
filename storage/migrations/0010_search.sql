-- Search (the review UI's /sok): documents by organisation number, and by
-- part of the organisation's name. The name is kept beside the fields as a
-- generated column, so that checking a trigram match reads a short text
-- instead of unpacking each candidate's fields.
create extension if not exists pg_trgm;
create index documents_org_number on documents ((fields->'org_number'->>'value'));
alter table documents add column org_name_search text
    generated always as (lower(coalesce(fields->'org_name'->>'value', ''))) stored;
create index documents_org_name_trgm on documents using gin (org_name_search gin_trgm_ops);
