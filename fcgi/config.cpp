#include "fcgi/config.hpp"

#include <arpa/inet.h>
#include <date/tz.h>
#include <libpq-fe.h>
#include <sys/un.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include "core/date_range.hpp"
#include "core/error.hpp"
#include "fcgi/log.hpp"

namespace vx::service {
namespace {

using namespace std::string_literals;

// ---------------------------------------------------------------------------
// Rendering values as TOML. toml++ does the quoting, so every string comes
// back byte for byte (quotes, backslashes, control characters, non-ASCII).

std::string toml_text(const toml::node& node) {
    std::ostringstream out;
    out << toml::toml_formatter{node, toml::format_flags::allow_unicode_strings};
    return out.str();
}

std::string quoted(std::string_view text) {
    return toml_text(toml::value<std::string>{std::string(text)});
}

// What a value was, for "expected …, got …": scalars as TOML, containers by kind.
std::string describe(const toml::node& node) {
    if (node.is_table()) return "a table";
    if (node.is_array()) return "an array";
    return toml_text(node);
}

// ---------------------------------------------------------------------------
// Problems found while reading. All are collected; the first in the file is
// reported, so fixing errors top to bottom never shows them out of order.

struct Problem {
    std::size_t line;
    std::string text;  // "key 'workers' at line 3: expected …"
};

std::size_t line_of(const toml::source_region& where) {
    return where.begin.line;
}

std::string at_line(std::size_t line) {
    return line ? " at line " + std::to_string(line) : ""s;
}

// What is wrong with a value; `line` when it is not the key's (an array element).
struct Fault {
    Fault() = default;
    Fault(std::string t, std::size_t l = 0) : text(std::move(t)), line(l) {}
    std::string text;  // empty: the value was accepted
    std::size_t line = 0;
};

// A key's reader: accepts the node (storing the value in the Config) or
// returns what is wrong with it ("expected …, got …").
using Reader = std::function<Fault(const toml::node&)>;

struct Entry {
    std::string_view name;
    Reader read;
};

std::string expected_got(std::string_view expected, const toml::node& node) {
    return "expected " + std::string(expected) + ", got " + describe(node);
}

std::string expected_got(std::string_view expected, std::string_view value) {
    return "expected " + std::string(expected) + ", got " + quoted(value);
}

// ---------------------------------------------------------------------------
// Readers by type.

template <class Int>
Reader integer(Int& out, std::int64_t min, std::int64_t max, std::string expected) {
    return [&out, min, max, expected = std::move(expected)](const toml::node& node) -> Fault {
        const auto* v = node.as_integer();
        if (!v || v->get() < min || v->get() > max) return expected_got(expected, node);
        out = static_cast<Int>(v->get());
        return {};
    };
}

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

Reader boolean(bool& out) {
    return [&out](const toml::node& node) -> Fault {
        const auto* v = node.as_boolean();
        if (!v) return expected_got("true or false", node);
        out = v->get();
        return {};
    };
}

// `check` may normalise the value in place; it returns "" or the problem.
using TextCheck = std::function<std::string(std::string&)>;

Reader text(std::string& out, std::string expected, TextCheck check) {
    return [&out, expected = std::move(expected), check = std::move(check)](const toml::node& node) -> Fault {
        const auto* v = node.as_string();
        if (!v) return expected_got(expected, node);
        std::string value = v->get();
        if (std::string problem = check(value); !problem.empty()) return Fault(std::move(problem));
        out = std::move(value);
        return {};
    };
}

// ---------------------------------------------------------------------------
// Value rules.

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

bool has_space_or_control(std::string_view s) {
    return has_control(s) || s.find(' ') != std::string_view::npos;
}

// The canonical text form (lower-case, zeros compressed), so that comparing
// with the peer address a web server reports is a plain string comparison.
std::optional<std::string> canonical_ip(const std::string& s) {
    char text[INET6_ADDRSTRLEN];
    in_addr v4;
    if (::inet_pton(AF_INET, s.c_str(), &v4) == 1 && ::inet_ntop(AF_INET, &v4, text, sizeof text)) return text;
    in6_addr v6;
    if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1 && ::inet_ntop(AF_INET6, &v6, text, sizeof text)) return text;
    return std::nullopt;
}

std::string check_listen(std::string& value) {
    const std::string_view v = value;
    if (v == "inherit") return {};
    if (v.starts_with("unix:")) {
        const std::string_view path = v.substr(5);
        if (path.empty() || path.front() != '/' || has_control(path))
            return expected_got("an absolute path after \"unix:\"", value);
        // The path must fit sockaddr_un::sun_path with its terminating NUL.
        constexpr std::size_t limit = sizeof(sockaddr_un::sun_path) - 1;
        if (path.size() > limit)
            return "the unix socket path is " + std::to_string(path.size()) + " bytes long, the limit is " +
                   std::to_string(limit);
        return {};
    }
    const auto colon = v.rfind(':');
    if (colon == std::string_view::npos)
        return expected_got("\"unix:/absolute/path\", \"HOST:PORT\" or \"inherit\"", value);
    const std::string_view host = v.substr(0, colon), port = v.substr(colon + 1);
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || port.size() > 5 || ec != std::errc() || end != port.data() + port.size() || number < 1 ||
        number > 65535)
        return expected_got("a port from 1 to 65535 after the last ':'", value);
    bool host_ok = host == "localhost";
    unsigned char buf[sizeof(in6_addr)];
    if (!host_ok && host.size() > 2 && host.front() == '[' && host.back() == ']')
        host_ok = ::inet_pton(AF_INET6, std::string(host.substr(1, host.size() - 2)).c_str(), buf) == 1;
    else if (!host_ok)
        host_ok = ::inet_pton(AF_INET, std::string(host).c_str(), buf) == 1;
    if (!host_ok) return expected_got("an IPv4 address, an [IPv6] address or localhost before ':PORT'", value);
    return {};
}

// "" or "/indico". A trailing slash is dropped ("/indico/" is how nginx
// locations are usually written; "/" is the root, the same as "").
std::string check_mount_prefix(std::string& value) {
    if (value.empty()) return {};
    if (value.front() != '/' || has_space_or_control(value) || value.find_first_of("?#") != std::string::npos ||
        value.find("//") != std::string::npos)
        return expected_got("\"\" or a path such as \"/indico\"", value);
    if (value.back() == '/') value.pop_back();
    return {};
}

std::string check_url_path(std::string& value) {
    if (value.empty() || value.front() != '/' || has_space_or_control(value) ||
        value.find_first_of("?#") != std::string::npos)
        return expected_got("a path starting with '/'", value);
    return {};
}

std::string check_log_file(std::string& value) {
    if (value.empty() || has_control(value)) return expected_got("\"-\" (stderr) or a file path", value);
    return {};
}

std::string check_log_level(std::string& value) {
    try {
        log::parse_level(value);
    } catch (const std::invalid_argument&) {
        return expected_got("one of debug, info, warning, error", value);
    }
    return {};
}

// libpq's own parser, so what passes here is what Connection::open accepts
// (keywords, URIs, multi-host lists).
std::string check_conninfo(const std::string& value) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(value.c_str(), &error);
    if (options) {
        PQconninfoFree(options);
        return {};
    }
    std::string reason = error ? error : "out of memory";
    if (error) PQfreemem(error);
    while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back()))) reason.pop_back();
    // Not echoed: a connection string may hold a password.
    return "not a valid libpq connection string: " + reason;
}

std::string check_dsn(std::string& value) {
    return check_conninfo(value);
}

std::string check_write_dsn(std::string& value) {
    return value.empty() ? std::string() : check_conninfo(value);
}

std::string check_timezone(std::string& value) {
    try {
        const Zone zone = find_zone(value);
        // Zones are found regardless of case, as Indico's were; show the
        // zone's own spelling then ("europe/zurich" is Europe/Zurich).
        const std::string& name = zone->name();
        if (name.size() == value.size() && std::equal(name.begin(), name.end(), value.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            value = name;
    } catch (const RequestError&) {
        return expected_got("an IANA time zone name such as \"Europe/Zurich\"", value);
    }
    return {};
}

std::string check_label(std::string& value) {
    if (value.empty() || has_control(value))
        return expected_got("a non-empty string without control characters", value);
    return {};
}

std::string check_event_url(std::string& value) {
    if (!(value.starts_with("http://") || value.starts_with("https://")) ||
        value.find("{event_id}") == std::string::npos || has_space_or_control(value))
        return expected_got("an http:// or https:// URL containing {event_id}", value);
    return {};
}

// RFC 5545 §3.3.6 dur-value, without a sign (a refresh interval is positive):
//   "P" (dur-date / dur-time / dur-week)
//   dur-date = dur-day [dur-time]        dur-day = 1*DIGIT "D"
//   dur-time = "T" (dur-hour / dur-minute / dur-second)
//   dur-hour = 1*DIGIT "H" [dur-minute]  dur-minute = 1*DIGIT "M" [dur-second]
//   dur-second = 1*DIGIT "S"              dur-week = 1*DIGIT "W"
// Upper case only: calendar clients are not all as lenient as the ABNF.
bool is_positive_duration(std::string_view s) {
    bool nonzero = false;
    // One "digits + unit" element; false (consuming nothing) if `unit` does not follow.
    const auto element = [&](char unit) {
        std::size_t n = 0;
        while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
        if (n == 0 || n == s.size() || s[n] != unit) return false;
        if (s.substr(0, n).find_first_not_of('0') != std::string_view::npos) nonzero = true;
        s.remove_prefix(n + 1);
        return true;
    };
    if (!s.starts_with('P')) return false;
    s.remove_prefix(1);
    if (element('W')) return s.empty() && nonzero;
    const bool day = element('D');
    if (s.empty()) return day && nonzero;
    if (!s.starts_with('T')) return false;
    s.remove_prefix(1);
    const bool hour = element('H');
    const bool minute = element('M');
    const bool second = element('S');
    return (hour || minute || second) && s.empty() && nonzero;
}

std::string check_duration(std::string& value) {
    if (!is_positive_duration(value))
        return expected_got("a positive RFC 5545 duration such as \"PT1H\", \"PT30M\" or \"P1D\"", value);
    return {};
}

Reader statement_mode(sql::StatementMode& out) {
    return [&out](const toml::node& node) -> Fault {
        const auto* v = node.as_string();
        if (v && v->get() == "prepared")
            out = sql::StatementMode::prepared;
        else if (v && v->get() == "unnamed")
            out = sql::StatementMode::unnamed;
        else
            return expected_got("\"prepared\" or \"unnamed\"", node);
        return {};
    };
}

// Indico's names, or its numbers (indico.conf has `APISignatureMode = 3`):
// a setting copied from there keeps working.
Reader security_mode(SecurityMode& out) {
    return [&out](const toml::node& node) -> Fault {
        if (const auto* name = node.as_string()) {
            if (const auto mode = parse_security_mode(name->get())) {
                out = *mode;
                return {};
            }
        } else if (const auto* number = node.as_integer(); number && number->get() >= 0 && number->get() <= 4) {
            out = static_cast<SecurityMode>(number->get());
            return {};
        }
        return expected_got("one of key, onlykey, signed, onlykey_signed, all_signed (or Indico's 0 to 4)", node);
    };
}

Reader trusted_proxies(std::vector<std::string>& out) {
    return [&out](const toml::node& node) -> Fault {
        const auto* array = node.as_array();
        if (!array) return expected_got("an array of IP addresses", node);
        std::vector<std::string> addresses;
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::node& element = *array->get(i);
            const auto* s = element.as_string();
            const auto address = s ? canonical_ip(s->get()) : std::nullopt;
            if (!address)
                return Fault("element " + std::to_string(i + 1) + ": " +
                                 expected_got("an IPv4 or IPv6 address (no CIDR ranges)", element),
                             line_of(element.source()));
            addresses.push_back(*address);
        }
        out = std::move(addresses);
        return {};
    };
}

// ---------------------------------------------------------------------------
// Suggestions for misspelt keys: optimal string alignment distance, so a
// swapped pair of letters ("dns" for "dsn") counts as one edit.

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::optional<std::string_view> closest(std::string_view name, const std::vector<std::string_view>& known) {
    std::optional<std::string_view> best;
    std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3) + 1;
    for (const std::string_view k : known)
        if (const std::size_t d = edit_distance(name, k); d < best_distance) best = k, best_distance = d;
    return best;
}

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (const std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

// ---------------------------------------------------------------------------
// The reader of one document.

class Parser {
   public:
    Parser(Config& config, std::string_view source) : c_(config), source_(source) {}

    void read(const toml::table& root) {
        Config& c = c_;
        const std::vector<Entry> top = {
            {"listen", text(c.listen, "\"unix:/absolute/path\", \"HOST:PORT\" or \"inherit\"", check_listen)},
            {"workers", integer(c.workers, 1, 1024, "an integer from 1 to 1024")},
            {"max_requests", integer(c.max_requests, 0, int64_max, "a non-negative integer (0 = never recycle)")},
            {"request_timeout_s", integer(c.request_timeout_s, 1, 86400, "an integer from 1 to 86400 (seconds)")},
            {"mount_prefix", text(c.mount_prefix, "\"\" or a path such as \"/indico\"", check_mount_prefix)},
            {"status_path", text(c.status_path, "a path starting with '/'", check_url_path)},
            {"ping_path", text(c.ping_path, "a path starting with '/'", check_url_path)},
            {"log_file", text(c.log_file, "\"-\" (stderr) or a file path", check_log_file)},
            {"log_level", text(c.log_level, "one of debug, info, warning, error", check_log_level)},
        };
        const std::vector<Entry> database = {
            {"dsn", text(c.database.dsn, "a libpq connection string", check_dsn)},
            {"write_dsn", text(c.database.write_dsn, "a libpq connection string or \"\"", check_write_dsn)},
            {"statement_mode", statement_mode(c.database.statement_mode)},
            {"version_poll_ms",
             integer(c.database.version_poll_ms, 0, 86'400'000, "an integer from 0 to 86400000 (milliseconds)")},
        };
        const std::vector<Entry> api = {
            {"security_mode", security_mode(c.api.security_mode)},
            {"allow_persistent", boolean(c.api.allow_persistent)},
            // Bounded so that now ± ttl cannot overflow; a year is far beyond any use.
            {"signature_ttl", integer(c.api.signature_ttl, 1, 31'536'000, "an integer from 1 to 31536000 (seconds)")},
            {"require_https", boolean(c.api.require_https)},
            {"trusted_proxies", trusted_proxies(c.api.trusted_proxies)},
        };
        const std::vector<Entry> export_ = {
            {"default_timezone", text(c.export_.default_timezone, "an IANA time zone name", check_timezone)},
            {"max_records", integer(c.export_.max_records, 1, int64_max, "a positive integer")},
            {"uid_domain", text(c.export_.uid_domain, "a non-empty string", check_label)},
            {"prodid", text(c.export_.prodid, "a non-empty string", check_label)},
            {"event_url_template",
             text(c.export_.event_url_template, "an http:// or https:// URL containing {event_id}", check_event_url)},
            {"calendar_name", text(c.export_.calendar_name, "a non-empty string", check_label)},
            {"refresh_interval",
             text(c.export_.refresh_interval, "an RFC 5545 duration such as \"PT1H\"", check_duration)},
        };
        const std::vector<Entry> cache = {
            {"max_bytes",
             integer(c.cache.max_bytes, 0, int64_max, "a non-negative integer (bytes; 0 disables the cache)")},
        };
        const std::vector<std::pair<std::string_view, const std::vector<Entry>*>> tables = {
            {"database", &database}, {"api", &api}, {"export", &export_}, {"cache", &cache}};

        std::vector<std::string_view> top_names;
        top_names.reserve(top.size() + tables.size());
        for (const Entry& e : top) top_names.push_back(e.name);
        for (const auto& t : tables) top_names.push_back(t.first);

        for (auto&& [key, node] : root) {
            const std::string_view name = key.str();
            const auto table =
                std::find_if(tables.begin(), tables.end(), [name](const auto& t) { return t.first == name; });
            if (table != tables.end()) {
                if (const toml::table* sub = node.as_table())
                    read_table(*sub, std::string(key.str()) + ".", *table->second);
                else
                    fail(key.str(), line_of(key.source()),
                         expected_got("a table ([" + std::string(key.str()) + "])", node));
                continue;
            }
            if (read_entry(top, key, node, "")) continue;
            unknown(key, "", top_names, "known top-level keys: " + joined(top_names));
        }

        // Both are matched on the full request path: one path cannot be both.
        if (c.status_path == c.ping_path) {
            const std::size_t line = std::max(seen("status_path"), seen("ping_path"));
            fail(seen("ping_path") >= seen("status_path") ? "ping_path" : "status_path", line,
                 "status_path and ping_path must differ, both are " + quoted(c.ping_path));
        }
    }

    void raise_first() const {
        if (problems_.empty()) return;
        const auto first = std::min_element(problems_.begin(), problems_.end(),
                                            [](const Problem& a, const Problem& b) { return a.line < b.line; });
        throw ConfigError(std::string(source_) + ": " + first->text);
    }

   private:
    void read_table(const toml::table& table, const std::string& prefix, const std::vector<Entry>& entries) {
        std::vector<std::string_view> names;
        names.reserve(entries.size());
        for (const Entry& e : entries) names.push_back(e.name);
        for (auto&& [key, node] : table)
            if (!read_entry(entries, key, node, prefix))
                unknown(key, prefix, names,
                        "known keys in [" + prefix.substr(0, prefix.size() - 1) + "]: " + joined(names));
    }

    bool read_entry(const std::vector<Entry>& entries, const toml::key& key, const toml::node& node,
                    const std::string& prefix) {
        const auto entry = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == key; });
        if (entry == entries.end()) return false;
        const std::string name = prefix + std::string(key.str());
        seen_.emplace_back(name, line_of(key.source()));
        if (const Fault fault = entry->read(node); !fault.text.empty())
            fail(name, fault.line ? fault.line : line_of(key.source()), fault.text);
        return true;
    }

    void unknown(const toml::key& key, const std::string& prefix, const std::vector<std::string_view>& known,
                 const std::string& listing) {
        std::string text = "unknown key; ";
        if (const auto near = closest(key.str(), known))
            text += "did you mean '" + prefix + std::string(*near) + "'?";
        else
            text += listing;
        fail(prefix + std::string(key.str()), line_of(key.source()), text);
    }

    void fail(std::string_view name, std::size_t line, const std::string& problem) {
        problems_.push_back({line, "key '" + std::string(name) + "'" + at_line(line) + ": " + problem});
    }

    std::size_t seen(std::string_view name) const {
        for (const auto& [n, line] : seen_)
            if (n == name) return line;
        return 0;
    }

    Config& c_;
    std::string_view source_;
    std::vector<Problem> problems_;
    std::vector<std::pair<std::string, std::size_t>> seen_;  // keys present, with their lines
};

// ---------------------------------------------------------------------------
// Rendering: DESIGN.md §8's order, one line per key; a value that is not the
// default says what the default is.

class Renderer {
   public:
    std::string out = "# video-export configuration: the effective value of every key (docs/configuration.md)\n";

    void table(std::string_view name) { out += "\n[" + std::string(name) + "]\n"; }

    void line(std::string_view key, const std::string& value, const std::string& default_value) {
        out += std::string(key) + " = " + value;
        if (value != default_value) out += "  # default: " + default_value;
        out += '\n';
    }
};

std::string number(std::int64_t n) {
    return std::to_string(n);
}
std::string boolean_text(bool b) {
    return b ? "true" : "false";
}
std::string mode_text(sql::StatementMode m) {
    return quoted(m == sql::StatementMode::prepared ? "prepared" : "unnamed");
}
std::string mode_text(SecurityMode m) {
    return quoted(to_string(m));
}

std::string array_text(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const std::string& item : items) out += (out.size() > 1 ? ", " : "") + quoted(item);
    return out + "]";
}

struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

}  // namespace

Config parse_config(std::string_view toml_text, std::string_view source) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        const toml::source_position& where = e.source().begin;
        throw ConfigError(std::string(source) + ": syntax error at line " + std::to_string(where.line) + ", column " +
                          std::to_string(where.column) + ": " + std::string(e.description()));
    }
    Config config;
    Parser parser(config, source);
    parser.read(root);
    parser.raise_first();
    return config;
}

Config load_config(const std::string& path) {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) throw ConfigError("open config file '" + path + "' failed: " + std::strerror(errno));
    std::string text;
    char buffer[65536];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get())) text.append(buffer, n);
    // A directory opens but does not read (EISDIR).
    if (std::ferror(file.get())) throw ConfigError("read config file '" + path + "' failed: " + std::strerror(errno));
    return parse_config(text, "config file '" + path + "'");
}

std::string render_config(const Config& c) {
    const Config d;
    Renderer r;
    r.line("listen", quoted(c.listen), quoted(d.listen));
    r.line("workers", number(c.workers), number(d.workers));
    r.line("max_requests", number(c.max_requests), number(d.max_requests));
    r.line("request_timeout_s", number(c.request_timeout_s), number(d.request_timeout_s));
    r.line("mount_prefix", quoted(c.mount_prefix), quoted(d.mount_prefix));
    r.line("status_path", quoted(c.status_path), quoted(d.status_path));
    r.line("ping_path", quoted(c.ping_path), quoted(d.ping_path));
    r.line("log_file", quoted(c.log_file), quoted(d.log_file));
    r.line("log_level", quoted(c.log_level), quoted(d.log_level));

    r.table("database");
    r.line("dsn", quoted(c.database.dsn), quoted(d.database.dsn));
    r.line("write_dsn", quoted(c.database.write_dsn), quoted(d.database.write_dsn));
    r.line("statement_mode", mode_text(c.database.statement_mode), mode_text(d.database.statement_mode));
    r.line("version_poll_ms", number(c.database.version_poll_ms), number(d.database.version_poll_ms));

    r.table("api");
    r.line("security_mode", mode_text(c.api.security_mode), mode_text(d.api.security_mode));
    r.line("allow_persistent", boolean_text(c.api.allow_persistent), boolean_text(d.api.allow_persistent));
    r.line("signature_ttl", number(c.api.signature_ttl), number(d.api.signature_ttl));
    r.line("require_https", boolean_text(c.api.require_https), boolean_text(d.api.require_https));
    r.line("trusted_proxies", array_text(c.api.trusted_proxies), array_text(d.api.trusted_proxies));

    r.table("export");
    r.line("default_timezone", quoted(c.export_.default_timezone), quoted(d.export_.default_timezone));
    r.line("max_records", number(c.export_.max_records), number(d.export_.max_records));
    r.line("uid_domain", quoted(c.export_.uid_domain), quoted(d.export_.uid_domain));
    r.line("prodid", quoted(c.export_.prodid), quoted(d.export_.prodid));
    r.line("event_url_template", quoted(c.export_.event_url_template), quoted(d.export_.event_url_template));
    r.line("calendar_name", quoted(c.export_.calendar_name), quoted(d.export_.calendar_name));
    r.line("refresh_interval", quoted(c.export_.refresh_interval), quoted(d.export_.refresh_interval));

    r.table("cache");
    r.line("max_bytes", number(c.cache.max_bytes), number(d.cache.max_bytes));
    return std::move(r.out);
}

}  // namespace vx::service
