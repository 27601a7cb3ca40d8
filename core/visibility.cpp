#include "core/visibility.hpp"

namespace vx {

bool can_access(std::span<const ProtectionLink> chain, const Viewer& viewer) noexcept {
    if (viewer.is_admin && !viewer.is_anonymous) return true;
    for (const ProtectionLink& link : chain) {
        const bool in_acl = link.viewer_in_acl && !viewer.is_anonymous;
        switch (link.mode) {
            case ProtectionMode::public_: return true;
            case ProtectionMode::protected_: return in_acl;
            case ProtectionMode::inheriting:
                if (in_acl) return true;
                break;  // ask the parent
        }
    }
    return false;
}

}  // namespace vx
