-- Issue 21: the loyalty subscriber awards an order's points once, keyed by the order, whatever the
-- event's id.
create table lemonade_loyalty_award (
    order_id   bigint      primary key references lemonade_order (id),
    awarded_at timestamptz not null default now()
);
