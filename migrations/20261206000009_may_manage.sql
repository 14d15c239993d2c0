-- Who may act on an event: the one definition every organizer query applies
-- (teams and API tokens will extend it here). An event's organizer and admins
-- manage it; its door staff may also work its door.
CREATE FUNCTION may_manage(organizer uuid, actor uuid, actor_is_admin boolean)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
RETURN organizer = actor OR actor_is_admin;

CREATE FUNCTION may_work_door(event uuid, organizer uuid, actor uuid, actor_is_admin boolean)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
RETURN may_manage(organizer, actor, actor_is_admin)
    OR EXISTS (SELECT 1 FROM door_staff s
               WHERE s.event_id = event AND s.user_id = actor
                 AND s.accepted_at IS NOT NULL AND s.revoked_at IS NULL);
