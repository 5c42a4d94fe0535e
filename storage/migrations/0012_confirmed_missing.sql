-- A request to complete names only what the reviewer confirmed missing on
-- the page image: the fields ticked when the decision was taken.
alter table decisions add column confirmed_missing text[] not null default '{}';
