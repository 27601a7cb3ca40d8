#pragma once
// Request signatures, byte-compatible with the clients Indico documents
// (DESIGN.md §4): HMAC-SHA1 over "PATH?QUERY" with the key's secret, where
// QUERY is the parameters sorted by lower-cased name and form-encoded.
//
// Clients and Indico's own server disagree on the details, so two canonical
// forms verify, each with '~' kept and with '~' as %7E:
//  A, what clients sign: pairs as sent, names keeping their case, blank values
//    kept, stably sorted by lower-cased name (Python's sorted(), PHP's uksort
//    with strcasecmp);
//  B, what Indico's server computes: parse_qs semantics — names lower-cased,
//    blank values dropped, the values of one name sorted.
// Names are case-folded in ASCII only, as strcasecmp does.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/form_encoding.hpp"
#include "core/query_string.hpp"

namespace vx {

using Sha1Digest = std::array<unsigned char, 20>;

Sha1Digest hmac_sha1(std::string_view key, std::string_view message);
std::string to_hex(const Sha1Digest& digest);  // lower case

// "PATH?QUERY" (or just PATH when nothing is left) in form A or B, without
// the `signature` pair.
std::string canonical_form_a(std::string_view path, const std::vector<QueryPair>& pairs, form::Tilde tilde);
std::string canonical_form_b(std::string_view path, const std::vector<QueryPair>& pairs, form::Tilde tilde);

// The query part of form A for `pairs` minus the names in `drop` (used for
// last_used_uri and the cache key), without the leading '?'.
std::string canonical_query_a(const std::vector<QueryPair>& pairs, std::initializer_list<std::string_view> drop);

// True when `signature_hex` (40 hex digits, either case) is the HMAC of any
// accepted canonical form. Comparison is constant-time per candidate.
bool signature_matches(std::string_view secret, std::string_view path, const std::vector<QueryPair>& pairs,
                       std::string_view signature_hex);

// What a client does: sort `pairs` as form A, sign, and return the full
// query string with `&signature=...` appended (no leading '?').
std::string signed_query(std::string_view secret, std::string_view path, const std::vector<QueryPair>& pairs);

}  // namespace vx
