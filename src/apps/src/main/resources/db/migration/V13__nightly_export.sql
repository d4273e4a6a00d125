-- Issue 26: the nightly export sends the users changed since the previous one. A user's updated_at is
-- set when it is added and by every update (the trigger), at its transaction's start.
alter table crm_user add column updated_at timestamptz not null default now();
create index crm_user_updated_at on crm_user (updated_at);

create function crm_user_touch() returns trigger language plpgsql as $$
begin
    new.updated_at = now();
    return new;
end
$$;
create trigger crm_user_touch before update on crm_user for each row execute function crm_user_touch();

-- A nightly export covers the users changed after changed_after up to changed_until (its tick); a full
-- export (POST /exports) has neither.
alter table user_export add column changed_after timestamptz, add column changed_until timestamptz;
