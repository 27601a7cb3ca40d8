#include "sql/booking_query.hpp"

#include <array>

#include "sql/binary_row.hpp"

namespace vx::sql {
namespace {

// Visibility is Indico's can_access (core/visibility.hpp), set-wise: the
// categories the viewer may see are found top-down from the root, so an
// inheriting category is visible exactly when its ACL has the viewer or its
// parent is visible. Parameters:
//   $1 service types   $2 from   $3 to   $4 viewer id   $5 viewer sees all (admin, not onlypublic)
//   $6 onlypublic (ACLs ignored)   $7 category or NULL   $8 limit or NULL   $9 offset
constexpr std::string_view select_head = R"sql(
WITH RECURSIVE
visible_categories (id, visible) AS (
    SELECT c.id,
           c.protection_mode = 'public'
           OR (NOT $6::boolean AND EXISTS (SELECT 1 FROM video_export.category_acl a
                                             WHERE a.category_id = c.id AND a.user_id = $4::bigint))
      FROM video_export.categories c
     WHERE c.parent_id IS NULL AND NOT $5::boolean
    UNION ALL
    SELECT c.id,
           c.protection_mode = 'public'
           OR (NOT $6::boolean AND EXISTS (SELECT 1 FROM video_export.category_acl a
                                             WHERE a.category_id = c.id AND a.user_id = $4::bigint))
           OR (c.protection_mode = 'inheriting' AND p.visible)
      FROM video_export.categories c
      JOIN visible_categories p ON c.parent_id = p.id
),
subtree (id) AS (
    SELECT c.id FROM video_export.categories c WHERE c.id = $7::bigint
    UNION
    SELECT c.id FROM video_export.categories c JOIN subtree s ON c.parent_id = s.id
)
SELECT b.id, b.event_id, b.service_type, b.status, b.title, e.title,
       b.start_dt, b.end_dt, e.start_dt, e.end_dt, b.created_dt, b.modified_dt, b.sequence::bigint,
       e.location, e.room, b.audience
  FROM video_export.bookings b
  JOIN video_export.events e ON e.id = b.event_id
 WHERE b.service_type = ANY ($1::text[])
   AND NOT b.is_deleted
   AND b.status IS DISTINCT FROM 'rejected'
   AND NOT e.is_deleted
   AND tstzrange(b.export_start_dt, b.export_end_dt, '[]') && tstzrange($2::timestamptz, $3::timestamptz, '[]')
   AND ($7::bigint IS NULL OR e.category_id IN (SELECT id FROM subtree))
   AND ($5::boolean
        OR e.protection_mode = 'public'
        OR (NOT $6::boolean AND EXISTS (SELECT 1 FROM video_export.event_acl ea
                                          WHERE ea.event_id = e.id AND ea.user_id = $4::bigint))
        OR (e.protection_mode = 'inheriting'
            AND EXISTS (SELECT 1 FROM visible_categories vc WHERE vc.id = e.category_id AND vc.visible)))
)sql";

// The displayed title, compared by code point ("C" collation on UTF-8).
constexpr std::string_view title_key =
    "COALESCE(NULLIF(b.title, ''), NULLIF(e.title, ''), 'No title defined.') COLLATE \"C\"";

struct Variant {
    std::string name;
    std::string sql;
};

// Eight fixed statements, one per order and direction: the ORDER BY comes
// from this table, never from request text.
const std::array<Variant, 8>& variants() {
    static const std::array<Variant, 8> all = [] {
        const std::pair<SortKey, std::string_view> keys[] = {{SortKey::id, "b.id"},
                                                             {SortKey::start, "b.export_start_dt"},
                                                             {SortKey::end, "b.export_end_dt"},
                                                             {SortKey::title, title_key}};
        std::array<Variant, 8> out;
        for (const auto& [key, expr] : keys) {
            for (const bool desc : {false, true}) {
                const std::string dir = desc ? " DESC" : "";
                Variant& v = out[std::size_t(key) * 2 + desc];
                v.name = "select_bookings_" + std::to_string(int(key)) + (desc ? "_desc" : "_asc");
                v.sql = std::string(select_head) + " ORDER BY " + std::string(expr) + dir + ", b.id" + dir +
                        "\n LIMIT $8::bigint OFFSET $9::bigint";
            }
        }
        return out;
    }();
    return all;
}

enum Column {
    id, event_id, service_type, status, title, event_title, start, end, event_start, event_end,
    created, modified, sequence, location, room, audience
};

}  // namespace

std::string_view booking_query_sql(SortKey order, bool descending) {
    return variants()[std::size_t(order) * 2 + descending].sql;
}

std::int64_t select_bookings(Connection& connection, const BookingQuery& q, const ServiceCatalogue& catalogue,
                             const std::function<void(const BookingRow&)>& on_row) {
    if (q.service_types.empty()) return 0;  // only retired services: nothing to ask
    const Variant& v = variants()[std::size_t(q.order) * 2 + q.descending];
    Params params;
    params.add_text_array(q.service_types)
        .add(q.window.from, oid::timestamptz)
        .add(q.window.to, oid::timestamptz)
        .add(q.viewer_user_id)
        .add(q.viewer_is_admin && !q.only_public)
        .add(q.only_public)
        .add(q.category, oid::int8)
        .add(q.limit, oid::int8)
        .add(q.offset);

    std::int64_t count = 0;
    BookingRow row;
    connection.stream({v.name, v.sql}, params, [&](const Result& result) {
        const BinaryRow r(result, 0);
        row.id = r.int8(Column::id);
        row.event_id = r.int8(Column::event_id);
        row.service = catalogue.by_type(r.text(Column::service_type));
        if (!row.service) return;  // a service added after the catalogue was read
        row.status = r.optional_text(Column::status);
        row.title = r.optional_text(Column::title);
        row.event_title = r.optional_text(Column::event_title);
        row.start = r.optional_timestamp(Column::start);
        row.end = r.optional_timestamp(Column::end);
        row.event_start = r.timestamp(Column::event_start);
        row.event_end = r.timestamp(Column::event_end);
        row.created = r.timestamp(Column::created);
        row.modified = r.timestamp(Column::modified);
        row.sequence = r.int8(Column::sequence);
        row.location = r.optional_text(Column::location);
        row.room = r.optional_text(Column::room);
        row.audience = r.optional_text(Column::audience);
        ++count;
        on_row(row);
    });
    return count;
}

}  // namespace vx::sql
