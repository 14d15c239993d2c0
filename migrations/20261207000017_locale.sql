-- The language an account chose in the header's switch: applied at each
-- sign-in, on any device. NULL: the browser's language decides.
ALTER TABLE users ADD COLUMN locale text CHECK (locale IN ('en', 'de', 'fr'));
