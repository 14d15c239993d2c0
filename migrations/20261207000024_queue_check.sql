-- Issue 31: how hard the waiting room's browser check is for the event's
-- sale. 'automatic': QUEUE_PROOF_BITS, raised while places are asked for
-- faster than QUEUE_CHECK_RAISE_PER_SEC; 'standard': QUEUE_PROOF_BITS,
-- never raised; 'strong': four times that work.
CREATE TYPE queue_check AS ENUM ('automatic', 'standard', 'strong');
ALTER TABLE events ADD COLUMN queue_check queue_check NOT NULL DEFAULT 'automatic';
