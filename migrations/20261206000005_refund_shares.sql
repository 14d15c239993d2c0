-- What a refund paid back for each ticket it covers, so that each organizer of
-- an order with tickets of several sees (and exports) only their own share.
-- Refunds made before this migration are shared out in proportion to the
-- tickets' prices (the remainder of the division on the first ticket); the
-- shares of a refund always add up to its amount.
ALTER TABLE refund_passes ADD COLUMN amount_minor bigint CHECK (amount_minor >= 0);

WITH shares AS (
    SELECT rp.refund_id, rp.pass_id, i.unit_price_minor AS price, r.amount_minor AS refund,
           sum(i.unit_price_minor) OVER (PARTITION BY rp.refund_id) AS total,
           row_number() OVER (PARTITION BY rp.refund_id ORDER BY rp.pass_id) AS n
    FROM refund_passes rp
    JOIN refunds r ON r.id = rp.refund_id
    JOIN passes p ON p.id = rp.pass_id
    JOIN order_items i ON i.order_id = p.order_id AND i.ticket_type_id = p.ticket_type_id
), floored AS (
    SELECT refund_id, pass_id, n, refund,
           CASE WHEN total = 0 THEN 0 ELSE price * refund / total END AS share
    FROM shares
), fixed AS (
    SELECT refund_id, pass_id,
           share + CASE WHEN n = 1 THEN refund - sum(share) OVER (PARTITION BY refund_id) ELSE 0 END AS amount
    FROM floored
)
UPDATE refund_passes rp SET amount_minor = fixed.amount
FROM fixed WHERE fixed.refund_id = rp.refund_id AND fixed.pass_id = rp.pass_id;

ALTER TABLE refund_passes ALTER COLUMN amount_minor SET NOT NULL;
