#include "core/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace vx {
namespace {

constexpr std::string_view signature_name = "signature";

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

void append_pair(std::string& out, std::string_view name, std::string_view value, form::Tilde tilde) {
    if (!out.empty()) out.push_back('&');
    form::encode_to(out, name, tilde);
    out.push_back('=');
    form::encode_to(out, value, tilde);
}

std::vector<const QueryPair*> sorted_form_a(const std::vector<QueryPair>& pairs,
                                            std::initializer_list<std::string_view> drop) {
    std::vector<const QueryPair*> kept;
    for (const QueryPair& p : pairs)
        if (std::find(drop.begin(), drop.end(), p.name) == drop.end()) kept.push_back(&p);
    std::stable_sort(kept.begin(), kept.end(),
                     [](const QueryPair* a, const QueryPair* b) { return ascii_lower(a->name) < ascii_lower(b->name); });
    return kept;
}

std::string with_path(std::string_view path, const std::string& query) {
    std::string out(path);
    if (!query.empty()) {
        out.push_back('?');
        out += query;
    }
    return out;
}

bool parse_hex(std::string_view hex, Sha1Digest& out) {
    if (hex.size() != out.size() * 2) return false;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return true;
}

}  // namespace

Sha1Digest hmac_sha1(std::string_view key, std::string_view message) {
    Sha1Digest digest{};
    unsigned int length = 0;
    if (!HMAC(EVP_sha1(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
              message.size(), digest.data(), &length) ||
        length != digest.size())
        throw std::runtime_error("HMAC-SHA1 failed in OpenSSL");
    return digest;
}

std::string to_hex(const Sha1Digest& digest) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (const unsigned char b : digest) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xF]);
    }
    return out;
}

std::string canonical_query_a(const std::vector<QueryPair>& pairs, std::initializer_list<std::string_view> drop) {
    std::string query;
    for (const QueryPair* p : sorted_form_a(pairs, drop)) append_pair(query, p->name, p->value, form::Tilde::keep);
    return query;
}

std::string canonical_form_a(std::string_view path, const std::vector<QueryPair>& pairs, form::Tilde tilde) {
    std::string query;
    for (const QueryPair* p : sorted_form_a(pairs, {signature_name})) append_pair(query, p->name, p->value, tilde);
    return with_path(path, query);
}

std::string canonical_form_b(std::string_view path, const std::vector<QueryPair>& pairs, form::Tilde tilde) {
    // parse_qs: a dict from name (as sent) to its non-blank values, in order of
    // first appearance.
    struct Group {
        std::string_view name;
        std::vector<std::string_view> values;
    };
    std::vector<Group> groups;
    for (const QueryPair& p : pairs) {
        if (p.value.empty()) continue;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.name == p.name; });
        if (it == groups.end()) it = groups.insert(groups.end(), Group{p.name, {}});
        it->values.push_back(p.value);
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const Group& a, const Group& b) { return ascii_lower(a.name) < ascii_lower(b.name); });
    std::string query;
    for (Group& g : groups) {
        const std::string name = ascii_lower(g.name);
        if (name == signature_name) continue;
        std::sort(g.values.begin(), g.values.end());  // UTF-8 byte order is code-point order
        for (const std::string_view v : g.values) append_pair(query, name, v, tilde);
    }
    return with_path(path, query);
}

bool signature_matches(std::string_view secret, std::string_view path, const std::vector<QueryPair>& pairs,
                       std::string_view signature_hex) {
    Sha1Digest given{};
    if (!parse_hex(signature_hex, given)) return false;

    std::vector<std::string> candidates;
    for (const form::Tilde tilde : {form::Tilde::keep, form::Tilde::percent}) {
        for (std::string form : {canonical_form_a(path, pairs, tilde), canonical_form_b(path, pairs, tilde)})
            if (std::find(candidates.begin(), candidates.end(), form) == candidates.end())
                candidates.push_back(std::move(form));
    }
    bool match = false;
    for (const std::string& c : candidates) {
        const Sha1Digest expected = hmac_sha1(secret, c);
        match |= CRYPTO_memcmp(expected.data(), given.data(), given.size()) == 0;
    }
    return match;
}

std::string signed_query(std::string_view secret, std::string_view path, const std::vector<QueryPair>& pairs) {
    std::string query = canonical_query_a(pairs, {signature_name});
    const std::string digest = to_hex(hmac_sha1(secret, with_path(path, query)));
    append_pair(query, signature_name, digest, form::Tilde::keep);
    return query;
}

}  // namespace vx
