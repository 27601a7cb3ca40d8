#include "sql/connection.hpp"

#include <libpq-fe.h>

namespace vx::sql {

void Result::Clear::operator()(pg_result* r) const noexcept { PQclear(r); }
int Result::rows() const noexcept { return PQntuples(result_.get()); }
int Result::columns() const noexcept { return PQnfields(result_.get()); }
bool Result::is_null(int row, int column) const noexcept { return PQgetisnull(result_.get(), row, column); }
std::string_view Result::bytes(int row, int column) const noexcept {
    return {PQgetvalue(result_.get(), row, column), std::size_t(PQgetlength(result_.get(), row, column))};
}

void Connection::Finish::operator()(pg_conn* c) const noexcept { PQfinish(c); }

Connection::Connection(pg_conn* c, StatementMode mode, std::string target)
    : conn_(c), mode_(mode), target_(std::move(target)) {}

std::string redact_dsn(const std::string& dsn) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
    if (!options) {
        PQfreemem(error);
        return "(unparsable connection string)";
    }
    std::string out;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val || std::string_view(o->keyword) == "password") continue;
        if (!out.empty()) out.push_back(' ');
        out += o->keyword;
        out += '=';
        out += o->val;
    }
    PQconninfoFree(options);
    return out;
}

Connection Connection::open(const std::string& dsn, StatementMode mode) {
    std::string target = redact_dsn(dsn);
    PGconn* raw = PQconnectdb(dsn.c_str());
    Connection c(raw, mode, target);
    if (!raw) throw Error("connect to \"" + target + "\" failed: out of memory", {}, true);
    if (PQstatus(raw) != CONNECTION_OK) {
        std::string message = PQerrorMessage(raw);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        throw Error("connect to \"" + target + "\" failed: " + message, {}, true);
    }
    // Server NOTICEs ("already exists, skipping") are not for our users.
    PQsetNoticeProcessor(raw, [](void*, const char*) {}, nullptr);
    // Text we send and receive is UTF-8 whatever the server's default is;
    // times in results are binary, so DateStyle and TimeZone do not matter.
    // A SQL_ASCII database stores bytes unchecked, and the server would refuse
    // to convert invalid ones to UTF-8, failing the whole feed: take its bytes
    // as they are, the writers replace what is not UTF-8.
    const char* server_encoding = PQparameterStatus(raw, "server_encoding");
    const bool raw_bytes = server_encoding && std::string_view(server_encoding) == "SQL_ASCII";
    if (PQsetClientEncoding(raw, raw_bytes ? "SQL_ASCII" : "UTF8") != 0) c.fail("set client_encoding on");
    return c;
}

bool Connection::healthy() const noexcept { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }

bool Connection::in_transaction() const noexcept {
    return conn_ && PQtransactionStatus(conn_.get()) != PQTRANS_IDLE;
}

void Connection::fail(std::string_view what, const pg_result* result) const {
    std::string message(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_.get()));
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    // Class 08 is "connection exception"; 57P0x are shutdowns and crashes.
    const bool lost = PQstatus(conn_.get()) != CONNECTION_OK || sqlstate.starts_with("08") ||
                      sqlstate.starts_with("57P0");
    throw Error(std::string(what) + " \"" + target_ + "\" failed: " + message, std::move(sqlstate), lost);
}

Result Connection::check(Result result, std::string_view what) const {
    const ExecStatusType status = PQresultStatus(result.native());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(what, result.native());
    return result;
}

Result Connection::exec(std::string_view sql) {
    const std::string text(sql);
    return check(Result(PQexec(conn_.get(), text.c_str())), "query on");
}

void Connection::send(const Statement& st, const Params& params) {
    const auto values = params.value_pointers();
    constexpr int binary_results = 1;
    if (mode_ == StatementMode::prepared && !prepared_.contains(st.name)) {
        const std::string name(st.name), sql(st.sql);
        check(Result(PQprepare(conn_.get(), name.c_str(), sql.c_str(), params.size(), params.types())),
              "prepare " + name + " on");
        prepared_.insert(st.name);
    }
    int sent;
    if (mode_ == StatementMode::prepared) {
        const std::string name(st.name);
        sent = PQsendQueryPrepared(conn_.get(), name.c_str(), params.size(), values.data(), params.lengths(),
                                   params.formats(), binary_results);
    } else {
        const std::string sql(st.sql);
        sent = PQsendQueryParams(conn_.get(), sql.c_str(), params.size(), params.types(), values.data(),
                                 params.lengths(), params.formats(), binary_results);
    }
    if (!sent) fail("send " + std::string(st.name) + " to");
}

Result Connection::exec(const Statement& st, const Params& params) {
    send(st, params);
    Result last;
    // Drain every result so the connection is ready for the next command.
    while (PGresult* r = PQgetResult(conn_.get())) {
        Result current(r);
        const ExecStatusType status = PQresultStatus(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            while (PGresult* rest = PQgetResult(conn_.get())) PQclear(rest);
            fail(std::string(st.name) + " on", current.native());
        }
        last = std::move(current);
    }
    if (!last.native()) fail(std::string(st.name) + " on");
    return last;
}

void Connection::stream(const Statement& st, const Params& params, const std::function<void(const Result&)>& on_row) {
    send(st, params);
    if (!PQsetSingleRowMode(conn_.get())) fail("single-row mode for " + std::string(st.name) + " on");
    bool failed = false;
    Result failure;
    while (PGresult* r = PQgetResult(conn_.get())) {
        Result current(r);
        const ExecStatusType status = PQresultStatus(r);
        if (failed) continue;
        if (status == PGRES_SINGLE_TUPLE) {
            try {
                on_row(current);
            } catch (...) {
                // The consumer gave up (e.g. the client went away): cancel the
                // query and drain, so the connection stays usable.
                if (PGcancel* cancel = PQgetCancel(conn_.get())) {
                    char buffer[256];
                    PQcancel(cancel, buffer, sizeof buffer);
                    PQfreeCancel(cancel);
                }
                while (PGresult* rest = PQgetResult(conn_.get())) PQclear(rest);
                throw;
            }
        } else if (status != PGRES_TUPLES_OK) {
            failed = true;
            failure = std::move(current);
        }
    }
    if (failed) fail(std::string(st.name) + " on", failure.native());
}

void Connection::copy_in(std::string_view copy_sql,
                         const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
    const std::string text(copy_sql);
    Result started(PQexec(conn_.get(), text.c_str()));
    if (PQresultStatus(started.native()) != PGRES_COPY_IN) fail("COPY on", started.native());
    produce([this](std::string_view chunk) {
        if (PQputCopyData(conn_.get(), chunk.data(), int(chunk.size())) != 1) fail("COPY data to");
    });
    if (PQputCopyEnd(conn_.get(), nullptr) != 1) fail("COPY end on");
    while (PGresult* r = PQgetResult(conn_.get())) {
        Result current(r);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            while (PGresult* rest = PQgetResult(conn_.get())) PQclear(rest);
            fail("COPY on", current.native());
        }
    }
}

}  // namespace vx::sql
