-- A buyer at the head of a waiting list who cannot take an offer (they
-- already hold the most one buyer may, or hold another pending order) is
-- skipped, told why, and the next buyer is offered: the list never freezes.
ALTER TYPE waiting_status ADD VALUE IF NOT EXISTS 'skipped';
ALTER TYPE mail_kind ADD VALUE IF NOT EXISTS 'waiting_list_skipped';
ALTER TABLE waiting_list
    ADD COLUMN skip_reason text CHECK (skip_reason IN ('holds_maximum', 'other_order'));
