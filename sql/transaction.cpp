#include "sql/transaction.hpp"

namespace vx::sql {

ReadSnapshot::ReadSnapshot(Connection& c) : c_(c) { c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }

ReadSnapshot::~ReadSnapshot() {
    try {
        if (c_.in_transaction()) c_.exec("ROLLBACK");
    } catch (...) {
        // A broken connection is dropped by its owner; nothing to undo here.
    }
}

void ReadSnapshot::commit() { c_.exec("COMMIT"); }

void ping(Connection& c) { c.exec("SELECT 1"); }

}  // namespace vx::sql
