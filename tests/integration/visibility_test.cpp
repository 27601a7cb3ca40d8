// The SQL visibility rule must agree, row by row, with core's can_access
// (the oracle) on generated category trees, ACLs and viewers.

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "core/visibility.hpp"
#include "sql/booking_query.hpp"
#include "sql/catalogue_store.hpp"
#include "tests/integration/seed.hpp"

using namespace vx;
using vx::testing::Seed;
using vx::testing::TestDatabase;

namespace {

const char* mode_name(ProtectionMode m) {
    return m == ProtectionMode::public_ ? "public" : m == ProtectionMode::protected_ ? "protected" : "inheriting";
}

struct Node {
    std::int64_t id;
    std::int64_t parent;  // category id; 0 for the root
    ProtectionMode mode;
    std::set<std::int64_t> acl;
};

}  // namespace

TEST_CASE("SQL visibility agrees with can_access for every viewer, with and without onlypublic") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const ServiceCatalogue cat = sql::load_catalogue(c);

    for (const unsigned round : {1u, 2u, 3u, 4u, 5u}) {
        c.exec("TRUNCATE video_export.bookings, video_export.event_acl, video_export.events, "
               "video_export.category_acl, video_export.categories, video_export.api_keys, video_export.users");
        std::mt19937 rng(round);
        const auto pick = [&](int n) { return int(rng() % unsigned(n)); };
        const ProtectionMode modes[] = {ProtectionMode::public_, ProtectionMode::inheriting, ProtectionMode::protected_};

        std::vector<std::int64_t> users = {seed.user(true)};  // an administrator first
        for (int i = 0; i < 4; ++i) users.push_back(seed.user());

        std::map<std::int64_t, Node> categories;
        const ProtectionMode root_mode = pick(2) ? ProtectionMode::public_ : ProtectionMode::protected_;
        const auto root = seed.category(std::nullopt, mode_name(root_mode));
        categories[root] = {root, 0, root_mode, {}};
        std::vector<std::int64_t> ids = {root};
        for (int i = 0; i < 14; ++i) {
            const auto parent = ids[std::size_t(pick(int(ids.size())))];
            const ProtectionMode m = modes[pick(3)];
            const auto id = seed.category(parent, mode_name(m));
            categories[id] = {id, parent, m, {}};
            ids.push_back(id);
        }
        for (auto& [id, node] : categories)
            for (const auto u : users)
                if (pick(4) == 0) {
                    seed.grant_category(id, u);
                    node.acl.insert(u);
                }

        std::map<std::int64_t, Node> events;  // by booking id; parent = category
        for (int i = 0; i < 40; ++i) {
            const auto category = ids[std::size_t(pick(int(ids.size())))];
            const ProtectionMode m = modes[pick(3)];
            const auto ev = seed.event(category, "2026-01-01Z", "2026-01-02Z", mode_name(m));
            Node node{ev, category, m, {}};
            for (const auto u : users)
                if (pick(5) == 0) {
                    seed.grant_event(ev, u);
                    node.acl.insert(u);
                }
            events[seed.booking(ev, "Vidyo", "NULL", "NULL")] = node;
        }

        for (std::size_t v = 0; v < users.size(); ++v) {
            for (const bool only_public : {false, true}) {
                const Viewer viewer{v == 0, only_public};
                std::set<std::int64_t> expected;
                for (const auto& [booking, ev] : events) {
                    std::vector<ProtectionLink> chain = {{ev.mode, ev.acl.contains(users[v])}};
                    for (std::int64_t cid = ev.parent; cid != 0; cid = categories[cid].parent)
                        chain.push_back({categories[cid].mode, categories[cid].acl.contains(users[v])});
                    if (can_access(chain, viewer)) expected.insert(booking);
                }
                sql::BookingQuery q;
                q.service_types = {"Vidyo"};
                q.viewer_user_id = users[v];
                q.viewer_is_admin = v == 0;
                q.only_public = only_public;
                std::set<std::int64_t> got;
                sql::select_bookings(c, q, cat, [&](const BookingRow& r) { got.insert(r.id); });
                INFO("round " << round << ", viewer " << v << (only_public ? ", onlypublic" : ""));
                CHECK(got == expected);
            }
        }
    }
}
