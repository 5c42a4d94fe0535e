-- A letter is made after a decision on a document, or after a recorded
-- termination (§5), which concerns a Part, not a document.
alter table letters alter column decision_id drop not null;
alter table letters alter column document_id drop not null;
alter table letters add column termination_id bigint references terminations (id);
alter table letters add constraint letters_one_cause check ((decision_id is null) <> (termination_id is null));
alter table letters add constraint letters_document_with_decision check ((decision_id is null) = (document_id is null));
create unique index letters_termination_recipient on letters (termination_id, recipient_key) where termination_id is not null;
