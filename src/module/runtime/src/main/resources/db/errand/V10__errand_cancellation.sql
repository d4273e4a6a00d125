-- Issue 26: cancellation and deadlines. A cancelled (or timed-out) call keeps who ended it; its
-- finished_at is when. A call's deadline is its own or its parent's, whichever comes first.
alter table errand_call add column if not exists cancelled_by text;
alter table errand_call add column if not exists deadline timestamptz;
