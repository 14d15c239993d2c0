-- A cancelled event is final: its buyers are refunded by the cancellation job,
-- and a sale reopened afterwards would be refunded by the same job. Held here
-- as well as in the editor's rules, so no code path can reopen one.
CREATE FUNCTION events_cancelled_is_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'cancelled' AND NEW.status <> 'cancelled' THEN
        RAISE EXCEPTION 'event % is cancelled; it cannot be reopened', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'events_cancelled_is_final';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER events_cancelled_is_final
    BEFORE UPDATE OF status ON events
    FOR EACH ROW EXECUTE FUNCTION events_cancelled_is_final();
