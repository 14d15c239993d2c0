-- The buyer-cancellation policy a ticket was bought under, kept on the order's
-- line: an organizer who changes the event's policy changes it for later
-- orders only (raising the fee to 100% after the sale must not reach buyers
-- who bought under 10%). Lines bought before this migration take the policy
-- their event has now, the only one known.
ALTER TABLE order_items
    ADD COLUMN cancel_hours integer CHECK (cancel_hours BETWEEN 0 AND 8760),
    ADD COLUMN cancel_fee_percent integer NOT NULL DEFAULT 0
        CHECK (cancel_fee_percent BETWEEN 0 AND 100);

UPDATE order_items i
SET cancel_hours = e.buyer_cancel_hours, cancel_fee_percent = e.buyer_cancel_fee_percent
FROM ticket_types t JOIN events e ON e.id = t.event_id
WHERE t.id = i.ticket_type_id;
