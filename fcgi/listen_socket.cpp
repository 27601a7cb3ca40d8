#include "fcgi/listen_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

namespace vx::service {

void Fd::reset(int fd) noexcept {
    if (fd_ >= 0 && fd_ != fd) ::close(fd_);
    fd_ = fd;
}

namespace {

// nginx and PHP-FPM use 511 (or -1, i.e. somaxconn); the kernel caps it at
// net.core.somaxconn anyway.
constexpr int listen_backlog = 1024;
// Who may connect to a unix socket: see listen_socket.hpp.
constexpr mode_t unix_socket_mode = 0660;
// sd_listen_fds(3): passed descriptors start at 3.
constexpr int systemd_first_fd = 3;

[[noreturn]] void fail_errno(const std::string& what, int error = errno) {
    throw std::system_error(error, std::generic_category(), what);
}

std::string render_address(const sockaddr* address, socklen_t length) {
    if (address->sa_family == AF_UNIX) {
        const auto* un = reinterpret_cast<const sockaddr_un*>(address);
        const auto path_length = std::size_t(length) - offsetof(sockaddr_un, sun_path);
        if (length <= offsetof(sockaddr_un, sun_path) || path_length == 0) return "unix:(unnamed)";
        if (un->sun_path[0] == '\0') return "unix:@" + std::string(un->sun_path + 1, path_length - 1);
        return "unix:" + std::string(un->sun_path, strnlen(un->sun_path, path_length));
    }
    char host[NI_MAXHOST];
    char port[NI_MAXSERV];
    if (::getnameinfo(address, length, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return "(unknown address)";
    if (address->sa_family == AF_INET6) return fmt::format("[{}]:{}", host, port);
    return fmt::format("{}:{}", host, port);
}

std::string local_address(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "(unknown address)";
    return render_address(reinterpret_cast<const sockaddr*>(&address), length);
}

// ---- unix:/path -------------------------------------------------------------

sockaddr_un unix_address(const std::string& path, const std::string& spec) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty()) throw std::invalid_argument("listen '" + spec + "': the socket path is empty");
    if (path.size() >= sizeof address.sun_path)
        throw std::invalid_argument(
            fmt::format("listen '{}': the socket path is longer than {} bytes", spec, sizeof address.sun_path - 1));
    path.copy(address.sun_path, path.size());
    return address;
}

// A socket file left behind by a process that died without cleaning up is
// removed; a socket somebody still accepts on, or a file that is not a socket
// at all, is not (a second instance or a typo must not steal it).
void remove_stale_socket(const std::string& path, const sockaddr_un& address, const std::string& spec) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return;
        fail_errno(fmt::format("lstat() of {} failed", path));
    }
    if (!S_ISSOCK(st.st_mode))
        throw std::invalid_argument(
            fmt::format("listen '{}': {} exists and is not a socket; refusing to replace it", spec, path));
    Fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe) fail_errno(fmt::format("socket(AF_UNIX) for probing {} failed", path));
    int rc;
    do {
        rc = ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0)
        fail_errno(fmt::format("listen '{}': another process accepts connections on {}", spec, path), EADDRINUSE);
    if (errno != ECONNREFUSED) fail_errno(fmt::format("connect() to existing socket {} (a stale one?) failed", path));
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        fail_errno(fmt::format("unlink() of stale socket {} failed", path));
}

ListenSocket open_unix(const std::string& spec) {
    const std::string path = spec.substr(5);
    const sockaddr_un address = unix_address(path, spec);

    const auto slash = path.rfind('/');
    const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    struct stat dir {};
    if (::stat(directory.c_str(), &dir) != 0) {
        if (errno == ENOENT)
            throw std::invalid_argument(
                fmt::format("listen '{}': directory {} does not exist (create it, e.g. with systemd RuntimeDirectory=)",
                            spec, directory));
        fail_errno(fmt::format("stat() of socket directory {} failed", directory));
    }
    if (!S_ISDIR(dir.st_mode))
        throw std::invalid_argument(fmt::format("listen '{}': {} is not a directory", spec, directory));

    remove_stale_socket(path, address, spec);

    ListenSocket result;
    result.description = "unix:" + path;
    result.fd = Fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!result.fd) fail_errno(fmt::format("socket(AF_UNIX) for {} failed", result.description));
    if (::bind(result.fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        fail_errno(fmt::format("bind() to {} failed", result.description));
    // From here on the file is ours: remove it again if anything below fails.
    // chmod before listen(): until then nobody can connect, so there is no
    // window in which the umask's mode applies.
    try {
        if (::chmod(path.c_str(), unix_socket_mode) != 0)
            fail_errno(fmt::format("chmod() of {} to {:o} failed", path, unix_socket_mode));
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) fail_errno(fmt::format("lstat() of {} failed", path));
        if (::listen(result.fd.get(), listen_backlog) != 0)
            fail_errno(fmt::format("listen() on {} failed", result.description));
        result.unix_path = path;
        result.unix_dev = st.st_dev;
        result.unix_ino = st.st_ino;
    } catch (...) {
        ::unlink(path.c_str());
        throw;
    }
    return result;
}

// ---- host:port --------------------------------------------------------------

struct HostPort {
    std::string host;
    std::string port;
};

HostPort split_host_port(const std::string& spec) {
    HostPort result;
    std::string_view rest;
    if (!spec.empty() && spec.front() == '[') {
        const auto close = spec.find(']');
        if (close == std::string::npos || close + 1 >= spec.size() || spec[close + 1] != ':')
            throw std::invalid_argument("listen '" + spec + "': expected [IPv6 address]:port");
        result.host = spec.substr(1, close - 1);
        rest = std::string_view(spec).substr(close + 2);
    } else {
        const auto colon = spec.rfind(':');
        if (colon == std::string::npos)
            throw std::invalid_argument("listen '" + spec +
                                        "': expected unix:/path, host:port, [IPv6 address]:port or inherit");
        result.host = spec.substr(0, colon);
        if (result.host.find(':') != std::string::npos)
            throw std::invalid_argument("listen '" + spec + "': write an IPv6 address in brackets, as [::1]:9000");
        rest = std::string_view(spec).substr(colon + 1);
    }
    unsigned port = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
    if (rest.empty() || error != std::errc{} || end != rest.data() + rest.size() || port == 0 || port > 65535)
        throw std::invalid_argument("listen '" + spec + "': the port must be a number from 1 to 65535");
    if (result.host.empty() || result.host == "*") result.host = "0.0.0.0";
    result.port = std::to_string(port);
    return result;
}

ListenSocket open_tcp(const std::string& spec) {
    const HostPort where = split_host_port(spec);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(where.host.c_str(), where.port.c_str(), &hints, &found); rc != 0)
        throw std::invalid_argument(
            fmt::format("listen '{}': getaddrinfo() for '{}' failed: {}", spec, where.host, ::gai_strerror(rc)));
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);

    // One socket per pool. For a name such as localhost, IPv4 first: nginx and
    // Apache try every address of the name, cgi-fcgi and older clients only
    // IPv4 ones.
    std::vector<const addrinfo*> candidates;
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) candidates.push_back(ai);
    std::stable_partition(candidates.begin(), candidates.end(),
                          [](const addrinfo* ai) { return ai->ai_family == AF_INET; });

    std::string last_error = fmt::format("listen '{}': getaddrinfo() returned no address", spec);
    int last_errno = EADDRNOTAVAIL;
    for (const addrinfo* ai : candidates) {
        const std::string name = render_address(ai->ai_addr, ai->ai_addrlen);
        Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        if (!fd) {
            last_errno = errno;
            last_error = fmt::format("socket() for {} failed", name);
            continue;
        }
        // Restarting the pool must not wait for TIME_WAIT connections to expire.
        const int on = 1;
        if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0)
            fail_errno(fmt::format("setsockopt(SO_REUSEADDR) on {} failed", name));
        if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
            last_errno = errno;
            last_error = fmt::format("bind() to {} failed", name);
            continue;
        }
        if (::listen(fd.get(), listen_backlog) != 0) fail_errno(fmt::format("listen() on {} failed", name));
        ListenSocket result;
        result.fd = std::move(fd);
        result.description = local_address(result.fd.get());
        return result;
    }
    fail_errno(last_error, last_errno);
}

// ---- inherit ----------------------------------------------------------------

bool parse_number(const char* text, long& value) {
    if (text == nullptr || *text == '\0') return false;
    const std::string_view s(text);
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    return error == std::errc{} && end == s.data() + s.size();
}

ListenSocket adopt_inherited() {
    int fd = 0;  // FCGI_LISTENSOCK_FILENO: mod_fcgid, spawn-fcgi
    std::string origin = "fd 0";
    long listen_pid = 0;
    long listen_fds = 0;
    // LISTEN_PID guards against variables inherited from a parent that was
    // itself socket-activated (sd_listen_fds(3)).
    if (parse_number(std::getenv("LISTEN_PID"), listen_pid) && listen_pid == long(::getpid())) {
        if (!parse_number(std::getenv("LISTEN_FDS"), listen_fds) || listen_fds < 1)
            throw std::invalid_argument("listen 'inherit': LISTEN_PID is ours but LISTEN_FDS passes no socket");
        if (listen_fds > 1)
            throw std::invalid_argument(fmt::format(
                "listen 'inherit': systemd passed {} sockets (LISTEN_FDS); the pool serves exactly one", listen_fds));
        fd = systemd_first_fd;
        origin = fmt::format("fd {} (systemd LISTEN_FDS)", fd);
        // Nothing we start later must mistake these for its own.
        ::unsetenv("LISTEN_PID");
        ::unsetenv("LISTEN_FDS");
        ::unsetenv("LISTEN_FDNAMES");
    }

    const std::string hint =
        "start the service from systemd socket activation, mod_fcgid or spawn-fcgi, or set listen to an address";
    int accepting = 0;
    socklen_t length = sizeof accepting;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) != 0) {
        if (errno == ENOTSOCK || errno == EBADF)
            throw std::invalid_argument(fmt::format("listen 'inherit': {} is {} ({})", origin,
                                                    errno == EBADF ? "not open" : "not a socket", hint));
        fail_errno(fmt::format("getsockopt(SO_ACCEPTCONN) on inherited {} failed", origin));
    }
    if (!accepting)
        throw std::invalid_argument(
            fmt::format("listen 'inherit': {} is a socket but not a listening one ({})", origin, hint));
    int type = 0;
    length = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0)
        fail_errno(fmt::format("getsockopt(SO_TYPE) on inherited {} failed", origin));
    if (type != SOCK_STREAM)
        throw std::invalid_argument(fmt::format("listen 'inherit': {} is not a stream socket", origin));
    if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
        fail_errno(fmt::format("fcntl(FD_CLOEXEC) on inherited {} failed", origin));

    ListenSocket result;
    result.fd = Fd(fd);
    result.description = fmt::format("inherited {} ({})", origin, local_address(fd));
    return result;
}

}  // namespace

ListenSocket open_listen_socket(const std::string& spec) {
    if (spec == "inherit") return adopt_inherited();
    if (spec.rfind("unix:", 0) == 0) return open_unix(spec);
    return open_tcp(spec);
}

void remove_socket_file(const ListenSocket& socket) noexcept {
    if (socket.unix_path.empty()) return;
    struct stat st {};
    if (::lstat(socket.unix_path.c_str(), &st) != 0) return;
    // A newer instance may have replaced the file: only ours goes.
    if (st.st_dev == socket.unix_dev && st.st_ino == socket.unix_ino) ::unlink(socket.unix_path.c_str());
}

}  // namespace vx::service
