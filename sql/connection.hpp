#pragma once
// RAII over libpq: a Connection owns its PGconn, a Result its PGresult.
// Statements run as named prepared statements (prepared once per session) or,
// for PgBouncer in transaction pooling mode, as unnamed ones every time
// (config database.statement_mode). Results come back in binary format.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "sql/error.hpp"
#include "sql/params.hpp"

struct pg_conn;
struct pg_result;

namespace vx::sql {

enum class StatementMode { prepared, unnamed };

// A statement of the query layer: a fixed name and fixed SQL text, both
// string literals (the connection remembers names it has prepared).
struct Statement {
    std::string_view name;
    std::string_view sql;
};

class Result {
public:
    Result() = default;
    explicit Result(pg_result* r) noexcept : result_(r) {}

    int rows() const noexcept;
    int columns() const noexcept;
    bool is_null(int row, int column) const noexcept;
    std::string_view bytes(int row, int column) const noexcept;
    pg_result* native() const noexcept { return result_.get(); }

private:
    struct Clear {
        void operator()(pg_result* r) const noexcept;
    };
    std::unique_ptr<pg_result, Clear> result_;
};

class Connection {
public:
    // Throws Error (connection_lost) naming the target without its password.
    static Connection open(const std::string& dsn, StatementMode mode = StatementMode::prepared);

    Connection(Connection&&) noexcept = default;
    Connection& operator=(Connection&&) noexcept = default;
    ~Connection() = default;

    // A statement without parameters, text results (DDL, BEGIN/COMMIT, ...).
    Result exec(std::string_view sql);
    // A statement of the query layer, binary results.
    Result exec(const Statement& statement, const Params& params);
    // Same, handing rows to `on_row` one at a time as they arrive (libpq's
    // single-row mode): memory does not grow with the number of rows.
    void stream(const Statement& statement, const Params& params, const std::function<void(const Result&)>& on_row);

    // COPY ... FROM STDIN: `produce` is called with a function that sends data.
    void copy_in(std::string_view copy_sql, const std::function<void(const std::function<void(std::string_view)>&)>& produce);

    bool healthy() const noexcept;
    bool in_transaction() const noexcept;  // a transaction block is open (or failed)
    const std::string& target() const noexcept { return target_; }
    pg_conn* native() const noexcept { return conn_.get(); }

private:
    struct Finish {
        void operator()(pg_conn* c) const noexcept;
    };
    Connection(pg_conn* c, StatementMode mode, std::string target);
    void send(const Statement& statement, const Params& params);
    [[noreturn]] void fail(std::string_view what, const pg_result* result = nullptr) const;
    Result check(Result result, std::string_view what) const;

    std::unique_ptr<pg_conn, Finish> conn_;
    StatementMode mode_;
    std::string target_;  // the DSN without secrets, for messages
    std::unordered_set<std::string_view> prepared_;
};

// A libpq conninfo string with any password removed, for error messages and logs.
std::string redact_dsn(const std::string& dsn);

}  // namespace vx::sql
