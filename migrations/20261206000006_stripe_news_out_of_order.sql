-- A full refund Stripe reports for a payment the shop has not settled yet (the
-- checkout.session.completed event is late): kept here, so that the payment,
-- when it arrives, issues no tickets for money already given back.
CREATE TABLE stripe_early_refunds (
    payment_intent  text PRIMARY KEY,
    event_id        text NOT NULL,
    amount_refunded bigint NOT NULL CHECK (amount_refunded >= 0),
    fully           boolean NOT NULL,
    seen_at         timestamptz NOT NULL DEFAULT now()
);

-- How a dispute ended: won (the passes admit again) or lost (the money went
-- back to the buyer through their bank).
ALTER TABLE orders ADD COLUMN dispute_outcome text CHECK (dispute_outcome IN ('won', 'lost'));
