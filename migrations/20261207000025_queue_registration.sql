-- Issue 31: places in an event's queue are taken from this many minutes
-- before its sale opens (all of them drawn in random order at the opening);
-- NULL: from any time.
ALTER TABLE events ADD COLUMN queue_register_minutes integer
    CHECK (queue_register_minutes BETWEEN 1 AND 43200);
