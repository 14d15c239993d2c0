-- Refunds an organizer makes: the whole order or chosen tickets, with a
-- reason. Each refund is one row (its id is Stripe's idempotency key); the
-- tickets it covers stop admitting; the order keeps the running total.

ALTER TABLE orders ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0;
-- A refund can never exceed what was paid.
ALTER TABLE orders ADD CONSTRAINT orders_refund_within_total
    CHECK (refunded_minor >= 0 AND refunded_minor <= total_minor);

CREATE TABLE refunds (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id        uuid NOT NULL REFERENCES orders (id),
    amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
    reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    -- The seats went back on sale (the organizer's choice).
    restocked       boolean NOT NULL,
    requested_by    uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Set once Stripe took it; free tickets need no Stripe refund.
    stripe_refund_id text,
    -- Retries when Stripe did not take it at once (as orders.refund_after).
    retry_after     timestamptz,
    attempts        integer NOT NULL DEFAULT 0
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_due ON refunds (retry_after) WHERE stripe_refund_id IS NULL AND amount_minor > 0;

-- Which tickets a refund covers: a ticket is refunded at most once.
CREATE TABLE refund_passes (
    refund_id uuid NOT NULL REFERENCES refunds (id),
    pass_id   uuid NOT NULL REFERENCES passes (id),
    PRIMARY KEY (refund_id, pass_id),
    CONSTRAINT refund_passes_once UNIQUE (pass_id)
);

-- A refunded ticket no longer admits.
ALTER TABLE passes ADD COLUMN refunded_at timestamptz;

ALTER TYPE mail_kind ADD VALUE 'tickets_refunded';
