#pragma once
// The FastCGI listening socket (config `listen`, DESIGN.md §8), opened once by
// the master before it forks, and Fd, the move-only owner of any descriptor.
//
//   unix:/run/video-export/fcgi.sock   a unix socket, mode 0660 (see below)
//   127.0.0.1:9000, [::1]:9000, localhost:9000, *:9000
//   inherit                            systemd socket activation (LISTEN_FDS=1,
//                                      LISTEN_PID = our pid: fd 3), otherwise
//                                      fd 0 as mod_fcgid and spawn-fcgi pass it
//
// Why 0660 and not 0666: whoever can connect can send any FastCGI parameter,
// HTTPS=on and REMOTE_ADDR included, which we believe (require_https,
// trusted_proxies, usage recording). So only the socket's owner and group may
// connect, and the web server (www-data on Debian, for nginx and Apache alike)
// must be one of them. The file gets the service's user and primary group
// (or the directory's group when the directory is setgid), so either
//   - run the service with Group=www-data (systemd), or
//   - make /run/video-export group www-data with the setgid bit (2750), or
//   - add www-data to the service's group.
// A service running as root gets a root:root socket nginx cannot use: run it
// as its own user. The directory itself must exist: we do not create it (an
// error names it; systemd's RuntimeDirectory= creates it).

#include <string>

namespace vx::service {

// A file descriptor, closed exactly once. Close errors are not reported and
// close is never retried on EINTR (on Linux the descriptor is gone anyway).
class Fd {
public:
    Fd() noexcept = default;
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

struct ListenSocket {
    Fd fd;
    // For messages: "unix:/run/x.sock", "127.0.0.1:9000", "inherited fd 3 (127.0.0.1:9000)".
    std::string description;
    // The socket file we created (empty otherwise); the master removes it when
    // it stops, unless the file was replaced meanwhile (same device and inode).
    std::string unix_path;
    unsigned long long unix_dev = 0;
    unsigned long long unix_ino = 0;
};

// Opens (or adopts) the listening socket; listen backlog 1024, close-on-exec.
// Throws std::invalid_argument for a malformed spec and std::system_error for
// an operating-system failure; both messages name the call and the address,
// e.g. "bind() to 127.0.0.1:9000 failed: Address already in use".
ListenSocket open_listen_socket(const std::string& spec);

// Removes the unix socket file `socket` created, if it is still that file.
void remove_socket_file(const ListenSocket& socket) noexcept;

}  // namespace vx::service
