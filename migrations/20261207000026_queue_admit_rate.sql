-- Issue 31: how many visitors an event's queue lets through to checkout a
-- minute, set by the organizer on the sales page; NULL: the shop's
-- QUEUE_ADMIT_PER_SEC.
ALTER TABLE events ADD COLUMN queue_admit_per_minute integer
    CHECK (queue_admit_per_minute BETWEEN 1 AND 600000);
