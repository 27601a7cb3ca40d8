-- Triggers that keep derived data honest whatever the writer does:
-- the data version, the bookings' export times, modified_dt and sequence.

SET LOCAL search_path = video_export, pg_catalog;

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE video_export.data_version
       SET version = version + 1,
           changed_at = greatest(changed_at, clock_timestamp());
    RETURN NULL;
END $$;

-- Statement-level: one bump per statement, however many rows it touched.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'categories', 'category_acl', 'events', 'event_acl',
                             'video_services', 'bookings'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON video_export.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION video_export.bump_data_version()',
                       t || '_bump_version', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON video_export.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION video_export.bump_data_version()',
                       t || '_truncate_bumps_version', t);
    END LOOP;
END $$;

-- API keys: only what decides access. Usage recording (last_used_*,
-- use_count) must not invalidate every cached feed.
CREATE TRIGGER api_keys_bump_version AFTER INSERT OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER api_keys_update_bumps_version
    AFTER UPDATE OF token, secret, user_id, is_active, is_blocked, is_persistent_allowed ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER api_keys_truncate_bumps_version AFTER TRUNCATE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- Export times, and modified_dt/sequence when a writer changed what a
-- calendar shows without saying so.
CREATE FUNCTION bookings_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    event_start timestamptz;
    event_end   timestamptz;
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.event_id, NEW.service_type, NEW.status, NEW.title, NEW.start_dt, NEW.end_dt,
            NEW.audience, NEW.is_deleted)
           IS DISTINCT FROM
           (OLD.event_id, OLD.service_type, OLD.status, OLD.title, OLD.start_dt, OLD.end_dt,
            OLD.audience, OLD.is_deleted) THEN
        IF NEW.modified_dt IS NOT DISTINCT FROM OLD.modified_dt THEN
            NEW.modified_dt := greatest(now(), OLD.modified_dt);
        END IF;
        IF NEW.sequence IS NOT DISTINCT FROM OLD.sequence THEN
            NEW.sequence := OLD.sequence + 1;
        END IF;
    END IF;
    IF NEW.start_dt IS NOT NULL AND NEW.end_dt IS NOT NULL THEN
        NEW.export_start_dt := NEW.start_dt;
        NEW.export_end_dt := greatest(NEW.end_dt, NEW.start_dt);
    ELSE
        SELECT e.start_dt, greatest(e.end_dt, e.start_dt) INTO event_start, event_end
          FROM video_export.events e WHERE e.id = NEW.event_id;
        NEW.export_start_dt := event_start;
        NEW.export_end_dt := event_end;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER bookings_before_write BEFORE INSERT OR UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_before_write();

-- An event's title, place or times show in its bookings' VEVENTs: touch them
-- so calendar clients see a new LAST-MODIFIED and SEQUENCE (and bookings
-- without their own times follow the event).
CREATE FUNCTION events_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE video_export.bookings
       SET modified_dt = greatest(now(), modified_dt), sequence = sequence + 1
     WHERE event_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER events_after_update AFTER UPDATE ON events
    FOR EACH ROW
    WHEN ((NEW.title, NEW.start_dt, NEW.end_dt, NEW.location, NEW.room)
          IS DISTINCT FROM (OLD.title, OLD.start_dt, OLD.end_dt, OLD.location, OLD.room))
    EXECUTE FUNCTION events_after_update();
