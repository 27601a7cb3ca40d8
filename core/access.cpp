#include "core/access.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/signature.hpp"

namespace vx {
namespace {

AccessOutcome refuse(int status, std::string message) {
    return {AccessOutcome::Kind::refused, nullptr, status, std::move(message)};
}

bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// 8-4-4-4-12 or 32 hex digits, any case → lower-case 8-4-4-4-12.
std::optional<std::string> canonical_uuid(std::string_view s) {
    std::string hex;
    if (s.size() == 36) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash_here != (s[i] == '-')) return std::nullopt;
            if (!dash_here) hex.push_back(s[i]);
        }
    } else if (s.size() == 32) {
        hex = s;
    } else {
        return std::nullopt;
    }
    for (char& c : hex) {
        if (!is_hex(c)) return std::nullopt;
        if (c >= 'A' && c <= 'F') c = char(c - 'A' + 'a');
    }
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

// Optional sign, then digits.
std::optional<std::int64_t> parse_timestamp(std::string_view s) {
    const bool negative = !s.empty() && s.front() == '-';
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
    for (const char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    std::int64_t v = 0;
    if (std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc{}) return std::nullopt;
    return negative ? -v : v;
}

// Inclusive on both sides. `now` and `ttl` are sane, so only the timestamp
// (caller-controlled) could overflow, and it is never used in arithmetic.
bool within_ttl(std::int64_t timestamp, std::int64_t now, std::int64_t ttl) {
    return timestamp >= now - ttl && timestamp <= now + ttl;
}

}  // namespace

std::optional<SecurityMode> parse_security_mode(std::string_view name) {
    for (const SecurityMode m : {SecurityMode::key, SecurityMode::onlykey, SecurityMode::signed_,
                                 SecurityMode::onlykey_signed, SecurityMode::all_signed})
        if (to_string(m) == name) return m;
    return std::nullopt;
}

std::string_view to_string(SecurityMode mode) noexcept {
    switch (mode) {
        case SecurityMode::key: return "key";
        case SecurityMode::onlykey: return "onlykey";
        case SecurityMode::signed_: return "signed";
        case SecurityMode::onlykey_signed: return "onlykey_signed";
        case SecurityMode::all_signed: return "all_signed";
    }
    return "?";
}

KeyRequest read_key_request(const QueryString& query) {
    KeyRequest r;
    const auto value = query.first({"ak", "apikey"});
    if (!value || value->empty()) return r;  // a blank key is no key, as in Indico
    r.present = true;
    r.token = canonical_uuid(*value);
    return r;
}

AccessOutcome decide_access(const AccessSettings& settings, const AccessRequest& request) {
    const SecurityMode mode = settings.mode;
    const KeyRequest& kr = *request.key_request;
    if (!kr.present) {
        if (mode == SecurityMode::onlykey || mode == SecurityMode::onlykey_signed || mode == SecurityMode::all_signed)
            return refuse(403, "API key is missing");
        return {AccessOutcome::Kind::guest, nullptr, 0, {}};
    }
    if (!kr.token) return refuse(400, "Malformed API key");
    const ApiKeyRecord* key = request.key;
    if (!key || !key->is_active || key->user_is_deleted || key->user_is_blocked) return refuse(403, "Invalid API key");
    if (key->is_blocked) return refuse(403, "API key is blocked");

    AccessOutcome::Kind kind = AccessOutcome::Kind::user;
    const auto signature = request.query->first("signature");
    if (signature && !signature->empty()) {
        // Indico checks the timestamp before the digest.
        const auto timestamp = request.query->first("timestamp");
        if (!timestamp) {
            if (!(settings.allow_persistent && key->is_persistent_allowed))
                return refuse(403, "Signature invalid (no timestamp)");
        } else {
            const auto ts = parse_timestamp(*timestamp);
            if (!ts || !within_ttl(*ts, request.now_unix, settings.signature_ttl))
                return refuse(403, "Signature invalid (bad timestamp)");
        }
        if (!signature_matches(key->secret, request.api_path, request.query->pairs(), *signature))
            return refuse(403, "Signature invalid");
    } else if (mode == SecurityMode::all_signed) {
        return refuse(403, "Signature missing");
    } else if (mode == SecurityMode::signed_ || mode == SecurityMode::onlykey_signed) {
        kind = AccessOutcome::Kind::public_only;
    }

    if (settings.require_https && !request.secure) return refuse(403, "HTTPS is required");
    return {kind, key, 0, {}};
}

const ApiKeyRecord& require_user(const AccessOutcome& outcome) {
    switch (outcome.kind) {
        case AccessOutcome::Kind::user: return *outcome.key;
        case AccessOutcome::Kind::refused: throw RequestError(outcome.status, outcome.message);
        case AccessOutcome::Kind::public_only:
        case AccessOutcome::Kind::guest: break;
    }
    forbidden("Guest access to this resource is forbidden.");
}

}  // namespace vx
