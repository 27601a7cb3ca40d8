-- Indexes for the feed query: one GiST index answers "these services, and
-- overlapping this window" together (btree_gist lets the scalar service_type
-- sit beside the time range), so a week of one service touches only its own
-- rows; and a btree for the service filter with the default order when no
-- window is given. btree_gist is a trusted extension: the database owner may
-- create it.

SET LOCAL search_path = video_export, pg_catalog;

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE INDEX bookings_export_window ON bookings
    USING gist (service_type, tstzrange(export_start_dt, export_end_dt, '[]'))
    WHERE NOT is_deleted;

CREATE INDEX bookings_service_start ON bookings (service_type, export_start_dt, id)
    WHERE NOT is_deleted;
