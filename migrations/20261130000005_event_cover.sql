-- An event's cover image: the name it is kept under in the cover store
-- (its content hash), or none (pages then show a placeholder).
ALTER TABLE events
    ADD COLUMN cover_key text
        CONSTRAINT events_cover_key_check CHECK (cover_key ~ '^[0-9a-f]{32}\.jpg$');
