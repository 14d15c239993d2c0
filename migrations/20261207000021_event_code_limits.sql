-- Issue 30: what one buyer may take with a code (tickets across their
-- pending and paid orders), and whether a refund gives a ticket's use back
-- to the code (the organizer's choice per code: a fan club's allowance may
-- come back, a one-off press code not).
ALTER TABLE event_codes
    ADD COLUMN max_uses_per_buyer integer CHECK (max_uses_per_buyer >= 1),
    ADD COLUMN refund_gives_use_back boolean NOT NULL DEFAULT false;
