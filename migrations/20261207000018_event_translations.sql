-- The language an event is written in, and its title and description in the
-- shop's other languages: a visitor reading one of them sees that text, and
-- the event's own where there is none.
ALTER TABLE events ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de', 'fr'));

CREATE TABLE event_translations (
    event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    locale      text NOT NULL CHECK (locale IN ('en', 'de', 'fr')),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    -- Empty: the event's own description is shown.
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    -- Searched in every language, whichever the visitor reads.
    search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', description), 'C')
    ) STORED,
    PRIMARY KEY (event_id, locale)
);
CREATE INDEX event_translations_search ON event_translations USING gin (search_document);

-- An event's title for a visitor reading `locale`: its translation, else its own.
CREATE FUNCTION event_title(event_id uuid, own_title text, locale text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT COALESCE(
        (SELECT t.title FROM event_translations t WHERE t.event_id = $1 AND t.locale = $3),
        $2)
$$;
