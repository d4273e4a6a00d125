-- Issue 26: an order above orders.confirm-above-cents waits for the payment provider's webhook. Its stock
-- is reserved when it is placed (taken off inventory.available at once) and given back if the payment
-- does not come by payment_due_at.
alter table orders
    add column payment_due_at timestamptz,
    add column confirmed_at   timestamptz,
    add column cancelled_at   timestamptz;

-- The provider's confirmation, as the webhook received it: one per order, and one order per payment id.
create table order_payment (
    order_id     bigint      primary key references orders (id),
    payment_id   text        not null unique,
    amount_cents bigint      not null,
    received_at  timestamptz not null default now()
);

-- The payment provider simulator's own records: the payments the service asked for, once per
-- idempotency key.
create table sim_payment_intent (
    id              text        primary key,
    idempotency_key text        unique,
    order_id        bigint      not null,
    amount_cents    bigint      not null,
    created_at      timestamptz not null default now()
);
