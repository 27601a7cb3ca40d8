#pragma once
// Who is asking: Indico's HTTP API authentication (DESIGN.md §4) as a pure
// decision. The caller reads the key from the query (read_key_request), looks
// the token up in the database, and hands the record to decide_access().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/query_string.hpp"

namespace vx {

// Indico's five modes, with its numbering.
enum class SecurityMode { key = 0, onlykey = 1, signed_ = 2, onlykey_signed = 3, all_signed = 4 };

std::optional<SecurityMode> parse_security_mode(std::string_view name);  // "key", "onlykey", ...
std::string_view to_string(SecurityMode mode) noexcept;

struct AccessSettings {
    SecurityMode mode = SecurityMode::onlykey_signed;
    bool allow_persistent = true;
    std::int64_t signature_ttl = 600;  // seconds, inclusive window around now
    bool require_https = false;
};

// The `ak`/`apikey` parameter as given.
struct KeyRequest {
    bool present = false;
    std::optional<std::string> token;  // canonical lower-case 8-4-4-4-12 form when well formed
};

KeyRequest read_key_request(const QueryString& query);

// An API key with its owner, as the database has it.
struct ApiKeyRecord {
    std::int64_t key_id = 0;
    std::int64_t user_id = 0;
    std::string secret;
    bool is_active = true;
    bool is_blocked = false;
    bool is_persistent_allowed = false;
    bool user_is_admin = false;
    bool user_is_deleted = false;
    bool user_is_blocked = false;
};

struct AccessOutcome {
    enum class Kind {
        user,         // authenticated as the key's user
        public_only,  // key accepted without signature: Indico serves public data only
        guest,        // no key in a mode that allows anonymous access
        refused,      // status + message say why
    };
    Kind kind = Kind::refused;
    const ApiKeyRecord* key = nullptr;  // for user and public_only
    int status = 0;
    std::string message;
};

struct AccessRequest {
    std::string_view api_path;          // signed path: below the mount prefix
    const QueryString* query = nullptr;
    const KeyRequest* key_request = nullptr;
    const ApiKeyRecord* key = nullptr;  // lookup result; nullptr when unknown or not looked up
    std::int64_t now_unix = 0;
    bool secure = false;                // arrived over HTTPS (directly or via a trusted proxy)
};

AccessOutcome decide_access(const AccessSettings& settings, const AccessRequest& request);

// This export never serves guests: the user's key, or RequestError 403.
const ApiKeyRecord& require_user(const AccessOutcome& outcome);

}  // namespace vx
