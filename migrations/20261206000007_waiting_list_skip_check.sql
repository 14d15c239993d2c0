-- A skipped entry, like a waiting one, holds no offer; only a skipped one says
-- why (its own migration: an enum value added in a transaction cannot be used
-- in that same transaction).
ALTER TABLE waiting_list DROP CONSTRAINT waiting_list_offer_check;
ALTER TABLE waiting_list ADD CONSTRAINT waiting_list_offer_check
    CHECK ((status IN ('waiting', 'left', 'skipped')) = (order_id IS NULL AND offered_at IS NULL));
ALTER TABLE waiting_list ADD CONSTRAINT waiting_list_skipped_says_why
    CHECK ((status = 'skipped') = (skip_reason IS NOT NULL));
