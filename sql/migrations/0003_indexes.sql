-- Indexes for the feed query: the time window (overlap of the export times
-- with the requested window, a GiST range index) and the service filter with
-- the default order (by start).

SET LOCAL search_path = video_export, pg_catalog;

CREATE INDEX bookings_export_window ON bookings
    USING gist (tstzrange(export_start_dt, export_end_dt, '[]'))
    WHERE NOT is_deleted;

CREATE INDEX bookings_service_start ON bookings (service_type, export_start_dt, id)
    WHERE NOT is_deleted;
