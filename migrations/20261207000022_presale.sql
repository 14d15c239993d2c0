-- Issue 30: a presale in the waiting room. Until presale_ends_at, only
-- visitors whose account entered a usable code for the event take a place
-- in the queue's first draw (at the sale's opening); everyone else takes a
-- place in a second draw at presale_ends_at, numbered after every presale
-- place. NULL: no presale.
ALTER TABLE events ADD COLUMN presale_ends_at timestamptz;
