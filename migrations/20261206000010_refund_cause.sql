-- Why money went back is stored as its cause; the words are made when shown
-- (one language today, several with issue 28). The organizer's own words stay
-- in `reason` where they gave some (their refund, their event's cancellation).
CREATE TYPE refund_cause AS ENUM (
    'organizer', 'buyer_cancelled', 'event_cancelled', 'paid_too_late',
    'amount_mismatch', 'refunded_at_stripe', 'partly_refunded_at_stripe', 'dispute_lost'
);

ALTER TABLE refunds ADD COLUMN cause refund_cause NOT NULL DEFAULT 'organizer';
ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check;
UPDATE refunds SET cause = 'buyer_cancelled', reason = '' WHERE reason = 'Cancelled by the buyer.';
UPDATE refunds SET cause = 'partly_refunded_at_stripe', reason = '' WHERE reason = 'The organizer refunded part of your payment; your tickets still admit.';
UPDATE refunds SET cause = 'event_cancelled', reason = substr(reason, 26)
    WHERE reason LIKE 'The event was cancelled: %';
ALTER TABLE refunds ALTER COLUMN cause DROP DEFAULT;
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_as_its_cause_needs CHECK (
    length(reason) <= 500
    AND (cause NOT IN ('organizer', 'event_cancelled') OR length(reason) >= 1)
);

ALTER TABLE orders ADD COLUMN refund_cause refund_cause;
ALTER TABLE orders DROP CONSTRAINT orders_refund_reason_check;
UPDATE orders SET refund_cause = CASE refund_reason
        WHEN 'Your payment arrived after the reservation had expired and the seats were sold to someone else, so it has been refunded in full.' THEN 'paid_too_late'
        WHEN 'The amount paid did not match the order, so no tickets were issued and the payment has been refunded in full.' THEN 'amount_mismatch'
        WHEN 'This order was refunded in full, so its tickets no longer admit.' THEN 'refunded_at_stripe'
        WHEN 'Your bank gave the payment back to you after a dispute, so the order''s tickets no longer admit.' THEN 'dispute_lost'
        WHEN 'Cancelled by the buyer.' THEN 'buyer_cancelled'
        ELSE CASE WHEN refund_reason LIKE 'The event was cancelled: %' THEN 'event_cancelled' ELSE 'organizer' END
    END::refund_cause
    WHERE refund_reason IS NOT NULL;
UPDATE orders SET refund_reason = CASE
        WHEN refund_cause = 'organizer' THEN refund_reason
        WHEN refund_cause = 'event_cancelled' THEN substr(refund_reason, 26)
        ELSE NULL END
    WHERE refund_cause IS NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_refunded_says_why CHECK (status <> 'refunded' OR refund_cause IS NOT NULL);
