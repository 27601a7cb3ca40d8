// Indico's can_access over an event and its category chain (DESIGN.md §4).

#include <catch2/catch.hpp>

#include "core/visibility.hpp"

using namespace vx;
using P = ProtectionMode;

namespace {

constexpr Viewer user{false, false}, admin{true, false}, anonymous{false, true};

bool access(std::initializer_list<ProtectionLink> chain, const Viewer& v) {
    return can_access(std::span<const ProtectionLink>(chain.begin(), chain.size()), v);
}

}  // namespace

TEST_CASE("a public event is visible whatever its parents say") {
    CHECK(access({{P::public_, false}, {P::protected_, false}}, user));
    CHECK(access({{P::public_, false}, {P::protected_, false}}, anonymous));
}

TEST_CASE("a protected event is visible only to its own ACL, parents ignored") {
    CHECK(access({{P::protected_, true}, {P::protected_, false}}, user));
    CHECK_FALSE(access({{P::protected_, false}, {P::public_, false}}, user));
    CHECK_FALSE(access({{P::protected_, false}, {P::inheriting, true}, {P::public_, false}}, user));
}

TEST_CASE("an inheriting event follows its own ACL, then its category chain") {
    CHECK(access({{P::inheriting, true}, {P::protected_, false}}, user));
    CHECK(access({{P::inheriting, false}, {P::public_, false}}, user));
    CHECK_FALSE(access({{P::inheriting, false}, {P::protected_, false}}, user));
    // Through several inheriting categories up to a protected one whose ACL has the user.
    CHECK(access({{P::inheriting, false}, {P::inheriting, false}, {P::protected_, true}, {P::public_, false}}, user));
    CHECK_FALSE(
        access({{P::inheriting, false}, {P::inheriting, false}, {P::protected_, false}, {P::public_, false}}, user));
    // A category ACL on an inheriting category counts.
    CHECK(access({{P::inheriting, false}, {P::inheriting, true}, {P::protected_, false}}, user));
}

TEST_CASE("an admin sees everything, unless only public data is asked for") {
    CHECK(access({{P::protected_, false}}, admin));
    CHECK_FALSE(access({{P::protected_, false}}, Viewer{true, true}));
}

TEST_CASE("onlypublic evaluates the rule for nobody: ACLs do not count") {
    CHECK_FALSE(access({{P::protected_, true}}, anonymous));
    CHECK_FALSE(access({{P::inheriting, true}, {P::protected_, true}}, anonymous));
    CHECK(access({{P::inheriting, true}, {P::inheriting, true}, {P::public_, false}}, anonymous));
}

TEST_CASE("an inheriting chain with no root above it fails closed") {
    CHECK_FALSE(access({{P::inheriting, false}, {P::inheriting, false}}, user));
    CHECK_FALSE(access({}, user));
}
