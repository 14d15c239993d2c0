-- What each order line costs, as model::price computed it when the seats were
-- reserved, so that the organizer's order lists and exports read what was
-- charged rather than multiply unit prices again (codes and discounts will
-- make them differ). Existing lines cost their quantity times their unit
-- price, which is what they were charged.
ALTER TABLE order_items ADD COLUMN amount_minor bigint;
UPDATE order_items SET amount_minor = quantity * unit_price_minor;
ALTER TABLE order_items ALTER COLUMN amount_minor SET NOT NULL;
ALTER TABLE order_items ADD CONSTRAINT order_items_amount_not_negative CHECK (amount_minor >= 0);
