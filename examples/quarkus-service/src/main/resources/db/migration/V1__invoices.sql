-- The service's own table. Errand's tables migrate separately, with their own history.
create table invoice_sent (
    invoice_id   text primary key,
    customer     text   not null,
    amount_cents bigint not null,
    receipt      text   not null
);
