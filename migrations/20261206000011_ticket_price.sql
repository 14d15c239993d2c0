-- What each ticket was charged, kept on the ticket when it is issued, so that
-- refunds, sales figures and exports read what was paid rather than work it
-- out again from the order's unit prices (codes and discounts will make them
-- differ). Existing tickets take their line's unit price, which is what they
-- were charged.
ALTER TABLE passes ADD COLUMN price_minor bigint;
UPDATE passes p SET price_minor = i.unit_price_minor
    FROM order_items i WHERE i.order_id = p.order_id AND i.ticket_type_id = p.ticket_type_id;
ALTER TABLE passes ALTER COLUMN price_minor SET NOT NULL;
ALTER TABLE passes ADD CONSTRAINT passes_price_not_negative CHECK (price_minor >= 0);

-- What a buyer who cancels a ticket gets back: its price less the fee the
-- organizer keeps (a percentage, rounded down in the buyer's disfavour by at
-- most one minor unit, as before). The one place this sum is written.
CREATE FUNCTION cancel_refund_minor(price bigint, fee_percent integer)
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN price - price * fee_percent / 100;
