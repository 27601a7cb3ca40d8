#pragma once
// Schema migrations: the numbered files of sql/migrations/, embedded at build
// time, applied in order, each in its own transaction, recorded in
// video_export.schema_migrations. A session-level advisory lock makes two
// concurrent runs take turns; a database newer than this binary is refused.

#include <string_view>
#include <vector>

#include "sql/connection.hpp"

namespace vx::sql {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

const std::vector<Migration>& known_migrations();  // ascending versions

struct MigrationReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<int> applied;
};

MigrationReport migrate(Connection& connection);

// The recorded schema version, 0 for a database never migrated.
int schema_version(Connection& connection);

}  // namespace vx::sql
