-- Each server instance keeps the signed-in users it has read for a moment
-- (the auth layer reads one on every request). Any change to an account, or
-- its removal, tells every instance at commit to forget its copy.
CREATE FUNCTION notify_users_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('users_changed', OLD.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_changed
    AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_users_changed();
