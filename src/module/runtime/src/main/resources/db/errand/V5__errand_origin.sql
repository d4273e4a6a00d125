-- Issue 21: who wrote a message. An outside sender's dead letter and the service's own with the same
-- message-id are two letters; an outside start of a durable call is recorded as such.
alter table errand_dead_letter add column if not exists origin text not null default 'service';
alter table errand_dead_letter drop constraint if exists errand_dead_letter_message;
alter table errand_dead_letter add constraint errand_dead_letter_message unique (original_address, message_id, origin);

alter table errand_call add column if not exists origin text not null default 'service';
