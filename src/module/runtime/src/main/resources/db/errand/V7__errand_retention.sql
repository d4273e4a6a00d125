-- Issue 25: history has a retention (errand.retention.*). A dead letter's window counts from when an
-- operator replayed or discarded it; those resolved before this version count from when they failed.
alter table errand_dead_letter add column if not exists resolved_at timestamptz;
update errand_dead_letter set resolved_at = dead_lettered_at where status <> 'DEAD_LETTERED' and resolved_at is null;

-- The retention keeps what a waiting or lately replayed dead letter still needs (a task's steps, a failed
-- call's record): looked up by message id for each candidate row. Dead letters are few; built here.
create index if not exists errand_dead_letter_message_id on errand_dead_letter (message_id);
