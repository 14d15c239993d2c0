-- The venue's IANA time zone: the editor takes the event's times on the
-- venue's clock and every page shows them so. Times stay timestamptz (UTC
-- instants); existing events were entered in UTC, so they keep 'UTC'.
-- The CHECK makes PostgreSQL refuse a zone it does not know, so that queries
-- using `AT TIME ZONE time_zone` (the catalogue's day filter) cannot fail.
ALTER TABLE events
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'
        CONSTRAINT events_time_zone_known
        CHECK (timezone(time_zone, TIMESTAMPTZ '2000-01-01 00:00+00') IS NOT NULL);
