#pragma once
// Indico's can_access (DESIGN.md §4) over an event and its category chain.
// The SQL in sql/ implements the same rule set-wise; tests hold the two to
// agreement row by row.

#include <span>

namespace vx {

enum class ProtectionMode { public_, inheriting, protected_ };

// One object on the protection chain, as seen by one viewer.
struct ProtectionLink {
    ProtectionMode mode;
    bool viewer_in_acl;  // the viewer is in this object's own ACL
};

struct Viewer {
    bool is_admin = false;
    bool is_anonymous = false;  // onlypublic=yes evaluates the rule for nobody
};

// chain[0] is the event, chain[1] its category, ..., the last the root.
// An inheriting object with nothing above it is refused: the root is never
// inheriting, so such data is broken and fails closed.
bool can_access(std::span<const ProtectionLink> chain, const Viewer& viewer) noexcept;

}  // namespace vx
