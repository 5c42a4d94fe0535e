-- The queue's and search's organisation and person, found by the roles
-- the values carry (every value records its role when it is read), not by
-- the field names of one edition: a document read with any edition shows
-- its organisation and person in the queue and is found by organisation
-- number and name. Kept beside the fields as generated columns, so that
-- the queue and search read short texts instead of unpacking each row's
-- fields; a personnummer (or a name holding one) stays sealed as it is in
-- the fields.
--
-- The person is the user of an order, the first orderer row of a 9463, or
-- the signatory (firmatecknare) of an agreement: a document of one kind
-- has only one of these roles.
alter table documents
    add column org_number text generated always as (coalesce(
        jsonb_path_query_first(fields, '$.* ? (@.role == "org.number").value') #>> '{}', '')) stored,
    add column org_name text generated always as (coalesce(
        jsonb_path_query_first(fields, '$.* ? (@.role == "org.name").value') #>> '{}', '')) stored,
    add column person_name text generated always as (coalesce(
        nullif(jsonb_path_query_first(fields, '$.* ? (@.role == "user.name").value') #>> '{}', ''),
        nullif(jsonb_path_query_first(fields, '$.* ? (@.role == "orderer[i].name" && @.row == 1).value') #>> '{}', ''),
        nullif(jsonb_path_query_first(fields, '$.* ? (@.role == "signatory.name").value') #>> '{}', ''),
        '')) stored,
    add column person_personnummer text generated always as (coalesce(
        nullif(jsonb_path_query_first(fields, '$.* ? (@.role == "user.personnummer").value') #>> '{}', ''),
        nullif(jsonb_path_query_first(fields, '$.* ? (@.role == "orderer[i].personnummer" && @.row == 1).value') #>> '{}', ''),
        '')) stored;

-- Search by organisation number, newest first, from one index.
create index documents_org_number_received on documents (org_number, received_at, id);
drop index documents_org_number;

-- The name search's text (migration 0010) from the role too. A generated
-- column's expression cannot be changed in place: it is made again, with
-- the triggers that note its names and its index (migration 0013).
drop trigger documents_insert_org_name on documents;
drop trigger documents_update_org_name on documents;
drop index documents_org_name_received;
alter table documents drop column org_name_search;
alter table documents add column org_name_search text generated always as (lower(coalesce(
    jsonb_path_query_first(fields, '$.* ? (@.role == "org.name").value') #>> '{}', ''))) stored;
create trigger documents_insert_org_name after insert on documents
    for each row when (new.org_name_search <> '') execute function organisation_names_note();
create trigger documents_update_org_name after update of fields on documents
    for each row when (new.org_name_search <> '' and new.org_name_search is distinct from old.org_name_search)
    execute function organisation_names_note();
insert into organisation_names (name) select distinct org_name_search from documents where org_name_search <> ''
    on conflict do nothing;
create index documents_org_name_received on documents (org_name_search, received_at, id);
