#include "fcgi/pool.hpp"

#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "fcgi/config.hpp"
#include "fcgi/listen_socket.hpp"
#include "fcgi/log.hpp"
#include "fcgi/scoreboard.hpp"

namespace vx::service {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr Clock::duration backoff_initial = 100ms;
constexpr Clock::duration backoff_max = 10s;
constexpr Clock::duration healthy_after = 10s;  // a worker that lived this long resets its back-off
constexpr Clock::duration stop_grace = 5s;      // TERM until SIGKILL; QUIT: request_timeout_s plus this
constexpr Clock::duration supervise_interval = 1s;
constexpr Clock::duration tick_interval = 1s;
// Scoreboard positions: at least this many, so a reload may raise `workers`.
constexpr std::size_t min_positions = 256;

std::string error_text(int error) {
    return std::strerror(error);
}

std::string signal_name(int signo) {
    if (const char* abbrev = ::sigabbrev_np(signo)) return std::string("SIG") + abbrev;
    return fmt::format("signal {}", signo);
}

std::string describe_wait_status(int status) {
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        const char* meaning = code == exit_recycled       ? " (recycled)"
                              : code == exit_config_error ? " (configuration error)"
                                                          : "";
        return fmt::format("exited with code {}{}", code, meaning);
    }
    if (WIFSIGNALED(status))
        return fmt::format("was killed by {}{}", signal_name(WTERMSIG(status)),
                           WCOREDUMP(status) ? " (core dumped)" : "");
    return fmt::format("ended with wait status {:#x}", status);
}

double seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}
long long milliseconds(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

void validate(const PoolSettings& s) {
    if (s.listen.empty()) throw std::invalid_argument("pool: 'listen' is empty");
    if (s.workers < 1)
        throw std::invalid_argument(fmt::format("pool: 'workers' must be at least 1 (got {})", s.workers));
    if (s.max_requests < 0)
        throw std::invalid_argument(
            fmt::format("pool: 'max_requests' must be 0 (never) or positive (got {})", s.max_requests));
    if (s.request_timeout_s < 0)
        throw std::invalid_argument(
            fmt::format("pool: 'request_timeout_s' must be 0 (no limit) or positive (got {})", s.request_timeout_s));
}

void set_action(int signo, void (*handler)(int), int flags, struct sigaction* previous = nullptr) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = flags;
    if (::sigaction(signo, &action, previous) != 0)
        throw std::system_error(errno, std::generic_category(),
                                fmt::format("sigaction({}) failed", signal_name(signo)));
}

// ---- signal handlers ---------------------------------------------------------
// A handler can reach nothing but static storage, so this is the pool's only
// process-wide state: the master's handler writes the signal number into the
// self-pipe whose write end is below, the worker's handler sets flags. The
// loops read them and do the work; everything else lives in Master / Worker.

volatile std::sig_atomic_t master_signal_fd = -1;

void on_master_signal(int signo) {
    const int saved = errno;
    const auto byte = static_cast<unsigned char>(signo);
    // A full pipe drops the byte, but then the loop has a wake-up pending
    // anyway, and it reaps children every time it wakes.
    if (::write(master_signal_fd, &byte, 1) < 0) {
    }
    errno = saved;
}

struct WorkerSignalFlags {
    volatile std::sig_atomic_t stop_now = 0;       // TERM, INT
    volatile std::sig_atomic_t stop_graceful = 0;  // QUIT
    volatile std::sig_atomic_t reopen_logs = 0;    // USR1
} worker_flags;

void on_worker_signal(int signo) {
    switch (signo) {
        case SIGTERM:
        case SIGINT: worker_flags.stop_now = 1; break;
        case SIGQUIT: worker_flags.stop_graceful = 1; break;
        case SIGUSR1: worker_flags.reopen_logs = 1; break;
        default: break;
    }
}

constexpr std::array<int, 6> master_signals = {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGCHLD};
constexpr std::array<int, 4> worker_signals = {SIGTERM, SIGINT, SIGQUIT, SIGUSR1};

// The master's dispositions for as long as it runs; the previous ones after.
class MasterSignals {
public:
    explicit MasterSignals(int pipe_write_fd) {
        master_signal_fd = pipe_write_fd;
        for (std::size_t i = 0; i < master_signals.size(); ++i) {
            const int signo = master_signals[i];
            set_action(signo, on_master_signal, SA_RESTART | (signo == SIGCHLD ? SA_NOCLDSTOP : 0), &previous_[i]);
        }
        // A web server that hangs up must not kill the master; workers ignore
        // it too (libfcgi would install a no-op handler otherwise).
        set_action(SIGPIPE, SIG_IGN, 0, &previous_pipe_);
    }
    MasterSignals(const MasterSignals&) = delete;
    MasterSignals& operator=(const MasterSignals&) = delete;
    MasterSignals(MasterSignals&&) = delete;
    MasterSignals& operator=(MasterSignals&&) = delete;
    ~MasterSignals() {
        for (std::size_t i = 0; i < master_signals.size(); ++i) ::sigaction(master_signals[i], &previous_[i], nullptr);
        ::sigaction(SIGPIPE, &previous_pipe_, nullptr);
        master_signal_fd = -1;
    }

private:
    std::array<struct sigaction, master_signals.size()> previous_{};
    struct sigaction previous_pipe_ {};
};

// The listening socket, whose unix socket file goes when the master ends
// (never when a forked worker ends: workers leave with _exit, and the pid
// check covers anything unforeseen).
struct OwnedListenSocket {
    ListenSocket socket;
    pid_t owner = ::getpid();

    explicit OwnedListenSocket(ListenSocket s) : socket(std::move(s)) {}
    OwnedListenSocket(const OwnedListenSocket&) = delete;
    OwnedListenSocket& operator=(const OwnedListenSocket&) = delete;
    OwnedListenSocket(OwnedListenSocket&&) = delete;
    OwnedListenSocket& operator=(OwnedListenSocket&&) = delete;
    ~OwnedListenSocket() {
        if (::getpid() == owner) remove_socket_file(socket);
    }
};

// libfcgi's per-worker request object. Not movable: its streams point back at it.
class FcgiRequest {
public:
    explicit FcgiRequest(int listen_fd) {
        if (FCGX_InitRequest(&request_, listen_fd, 0) != 0) throw std::runtime_error("FCGX_InitRequest() failed");
    }
    FcgiRequest(const FcgiRequest&) = delete;
    FcgiRequest& operator=(const FcgiRequest&) = delete;
    FcgiRequest(FcgiRequest&&) = delete;
    FcgiRequest& operator=(FcgiRequest&&) = delete;
    ~FcgiRequest() { FCGX_Free(&request_, 1); }

    FCGX_Request& get() noexcept { return request_; }
    // A connection the web server asked to keep (FCGI_KEEP_CONN), or -1.
    int kept_connection() const noexcept { return request_.ipcFd; }
    void drop_kept_connection() noexcept { FCGX_Free(&request_, 1); }

private:
    FCGX_Request request_{};
};

// ---- worker ------------------------------------------------------------------

struct WorkerLaunch {
    std::size_t index;  // position in the scoreboard; "worker index+1" in messages
    const PoolSettings& settings;
    const HandlerFactory& make_handler;
    const ListenSocket& listen;
    const Scoreboard& board;
    WorkerSlot& slot;
    pid_t master_pid;
    std::array<int, 2> master_only_fds;  // the self-pipe
    sigset_t master_mask;                // the mask before fork
};

class Worker {
public:
    explicit Worker(const WorkerLaunch& launch) : launch_(launch), number_(launch.index + 1) {}

    int run() {
        setup_process();
        if (::getppid() != launch_.master_pid) return 0;  // the master died while we were forking
        launch_.slot.pid = ::getpid();
        launch_.slot.state = WorkerState::starting;

        if (const int code = create_handler(); code != 0) return code;
        // After our handlers are in place: libfcgi installs its own SIGPIPE and
        // SIGUSR1 handlers only where it finds the default disposition.
        if (FCGX_Init() != 0) {
            log::error("worker {}: FCGX_Init() failed", number_);
            return 1;
        }
        FcgiRequest request(launch_.listen.fd.get());
        const int code = serve(request);
        launch_.slot.state = WorkerState::stopping;
        // Handler contract: a last tick, then shutdown (flush batched work).
        handler_->tick();
        handler_->shutdown();
        return code;
    }

private:
    void setup_process() {
        for (int fd : launch_.master_only_fds) ::close(fd);
        worker_flags.stop_now = 0;
        worker_flags.stop_graceful = 0;
        worker_flags.reopen_logs = 0;
        for (int signo : worker_signals) set_action(signo, on_worker_signal, SA_RESTART);
        set_action(SIGHUP, SIG_IGN, 0);  // reloads are the master's business
        set_action(SIGPIPE, SIG_IGN, 0);
        set_action(SIGCHLD, SIG_DFL, 0);
        // Our signals stay blocked except while the worker waits in ppoll():
        // a request in progress is never interrupted (no EINTR inside libfcgi
        // or libpq), and a signal arriving just before the wait is not lost.
        sigset_t blocked = launch_.master_mask;
        wait_mask_ = launch_.master_mask;
        for (int signo : worker_signals) {
            sigaddset(&blocked, signo);
            sigdelset(&wait_mask_, signo);
        }
        ::sigprocmask(SIG_SETMASK, &blocked, nullptr);
        // A worker must not outlive its master (kill -9 of the master, a crash).
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    }

    int create_handler() {
        try {
            handler_ = launch_.make_handler(WorkerContext{launch_.board, launch_.slot});
            if (!handler_) throw std::logic_error("the handler factory returned no handler");
            return 0;
        } catch (const ConfigError& e) {
            return config_failure(e.what());
        } catch (const std::invalid_argument& e) {
            return config_failure(e.what());
        } catch (const std::exception& e) {
            log::error("worker {}: cannot start: {} (exit code 1: respawned after a back-off)", number_, e.what());
            return 1;
        }
    }

    int config_failure(const char* what) const {
        log::error("worker {}: configuration error: {} (exit code {}: not respawned)", number_, what,
                   exit_config_error);
        return exit_config_error;
    }

    bool stop_requested() const noexcept { return worker_flags.stop_now || worker_flags.stop_graceful; }

    int serve(FcgiRequest& request) {
        const int listen_fd = launch_.listen.fd.get();
        std::int64_t served = 0;
        auto last_tick = Clock::now();
        for (;;) {
            if (worker_flags.reopen_logs) {
                worker_flags.reopen_logs = 0;
                log::reopen();
            }
            if (stop_requested()) return 0;
            if (Clock::now() - last_tick >= tick_interval) {
                handler_->tick();
                last_tick = Clock::now();
            }
            launch_.slot.state = WorkerState::idle;

            const auto wait = std::max(Clock::duration::zero(), tick_interval - (Clock::now() - last_tick));
            const auto wait_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
            const timespec timeout{wait_ns / 1000000000, wait_ns % 1000000000};
            std::array<pollfd, 2> fds{pollfd{listen_fd, POLLIN, 0}, pollfd{request.kept_connection(), POLLIN, 0}};
            const nfds_t count = request.kept_connection() >= 0 ? 2 : 1;
            const int ready = ::ppoll(fds.data(), count, &timeout, &wait_mask_);
            if (ready < 0) {
                if (errno == EINTR) continue;  // a signal: the top of the loop acts on it
                log::error("worker {}: ppoll() on {} failed: {}", number_, launch_.listen.description,
                           error_text(errno));
                return 1;
            }
            if (ready == 0) continue;
            if (fds[0].revents & (POLLERR | POLLNVAL)) {
                log::error("worker {}: the listening socket {} reports an error", number_, launch_.listen.description);
                return 1;
            }
            // libfcgi reads the next request from a kept connection before it
            // accepts a new one, blocking: never let it wait on an idle one
            // while new connections queue (the shipped configs do not keep
            // connections; this guards configurations that do).
            if (count == 2 && fds[1].revents == 0) request.drop_kept_connection();

            // The listening socket is non-blocking and shared by all workers:
            // when another worker took the connection first, accept() says
            // EAGAIN and libfcgi returns it to us.
            const int accepted = FCGX_Accept_r(&request.get());
            if (accepted < 0) {
                if (accepted == -EAGAIN || accepted == -EWOULDBLOCK || accepted == -EINTR) continue;
                log::error("worker {}: FCGX_Accept_r() on {} failed: {}", number_, launch_.listen.description,
                           accepted > -4096 ? error_text(-accepted) : fmt::format("libfcgi error {}", accepted));
                return 1;
            }

            const auto started = Clock::now();
            launch_.slot.busy_since_ms = monotonic_ms();
            launch_.slot.state = WorkerState::busy;
            handler_->handle(request.get());
            FCGX_Finish_r(&request.get());
            launch_.slot.busy_since_ms = 0;
            launch_.slot.state = WorkerState::idle;
            launch_.slot.record_request(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));

            ++served;
            if (launch_.settings.max_requests > 0 && served >= launch_.settings.max_requests) return exit_recycled;
        }
    }

    const WorkerLaunch& launch_;
    const std::size_t number_;
    sigset_t wait_mask_{};
    std::unique_ptr<Handler> handler_;
};

// The forked child's whole life: nothing unwinds back into the master's frames.
[[noreturn]] void worker_process(const WorkerLaunch& launch) noexcept {
    int code = 1;
    try {
        code = Worker(launch).run();
    } catch (const std::exception& e) {
        log::error("worker {}: {}", launch.index + 1, e.what());
    } catch (...) {
        log::error("worker {}: unknown exception", launch.index + 1);
    }
    // _exit: no atexit handlers or static destructors of the master's image,
    // no second flush of stdio buffers inherited from it.
    ::_exit(code);
}

// ---- master ------------------------------------------------------------------

enum class Phase { running, graceful_stop, fast_stop };

// One worker position (a scoreboard slot) as the master sees it.
struct Position {
    pid_t pid = 0;
    Clock::time_point started{};
    std::optional<Clock::time_point> spawn_at;  // a (re)spawn is due
    Clock::duration backoff = backoff_initial;
    bool ever_spawned = false;
    bool replacing = false;  // asked to leave by a reload: respawn as soon as it has
    bool timed_out = false;  // SIGKILLed for request_timeout_s
};

class Master {
public:
    Master(const PoolSettings& settings, const HandlerFactory& make_handler, const SettingsReload& reload)
        : settings_(settings),
          make_handler_(make_handler),
          reload_(reload),
          listen_(open_listen_socket(settings.listen)),
          board_(std::max<std::size_t>(std::size_t(settings.workers), min_positions)),
          positions_(board_.size()) {
        const int fd = listen_.socket.fd.get();
        // Workers wait in poll() and then accept; several wake for one
        // connection, and the losers must get EAGAIN, not block in accept().
        // (This flag belongs to the open file, shared with whoever passed an
        // inherited socket; systemd and spawn-fcgi do not mind.)
        const int flags = ::fcntl(fd, F_GETFL);
        if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
            throw std::system_error(errno, std::generic_category(),
                                    fmt::format("fcntl(O_NONBLOCK) on {} failed", listen_.socket.description));
        std::array<int, 2> pipe_fds{};
        if (::pipe2(pipe_fds.data(), O_NONBLOCK | O_CLOEXEC) != 0)
            throw std::system_error(errno, std::generic_category(), "pipe2() for the master's signal pipe failed");
        signal_read_ = Fd(pipe_fds[0]);
        signal_write_ = Fd(pipe_fds[1]);
        signals_.emplace(signal_write_.get());

        board_.header().master_pid = ::getpid();
        board_.header().started_ms = monotonic_ms();
        board_.header().workers_configured = std::uint32_t(settings_.workers);
    }
    Master(const Master&) = delete;
    Master& operator=(const Master&) = delete;
    Master(Master&&) = delete;
    Master& operator=(Master&&) = delete;

    // Whatever happened, no worker outlives the master.
    ~Master() {
        for (Position& p : positions_)
            if (p.pid > 0 && ::kill(p.pid, SIGKILL) == 0) ::waitpid(p.pid, nullptr, 0);
    }

    int run() {
        log::info("master (pid {}) listening on {}: {} workers, max_requests {}, request_timeout_s {}", ::getpid(),
                  listen_.socket.description, settings_.workers, settings_.max_requests, settings_.request_timeout_s);
        const auto now = Clock::now();
        for (int i = 0; i < settings_.workers; ++i) positions_[std::size_t(i)].spawn_at = now;

        for (;;) {
            spawn_due();
            for (const int signo : wait_for_signals(next_wake())) act_on(signo);
            reap();
            check_request_timeouts();
            if (phase_ != Phase::running && !finish_stopping()) break;
        }
        log::info("master (pid {}) stopped", ::getpid());
        return exit_code_;
    }

private:
    std::size_t live_workers() const {
        return std::size_t(
            std::count_if(positions_.begin(), positions_.end(), [](const Position& p) { return p.pid > 0; }));
    }

    Clock::time_point next_wake() const {
        auto wake = Clock::now() + supervise_interval;
        if (deadline_) wake = std::min(wake, *deadline_);
        for (const Position& p : positions_)
            if (p.spawn_at) wake = std::min(wake, *p.spawn_at);
        return wake;
    }

    // Sleeps until a signal arrives or `until`; returns the signals received.
    std::vector<int> wait_for_signals(Clock::time_point until) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
        pollfd fd{signal_read_.get(), POLLIN, 0};
        if (::poll(&fd, 1, int(std::clamp<long long>(left, 0, 60000))) < 0 && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "poll() on the master's signal pipe failed");
        std::vector<int> received;
        std::array<unsigned char, 64> bytes{};
        for (;;) {
            const ssize_t n = ::read(signal_read_.get(), bytes.data(), bytes.size());
            if (n > 0) {
                for (ssize_t i = 0; i < n; ++i)
                    if (std::find(received.begin(), received.end(), bytes[std::size_t(i)]) == received.end())
                        received.push_back(bytes[std::size_t(i)]);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            break;  // EAGAIN: drained
        }
        return received;
    }

    void act_on(int signo) {
        switch (signo) {
            case SIGTERM:
            case SIGINT: begin_fast_stop(signal_name(signo)); break;
            case SIGQUIT: begin_graceful_stop(); break;
            case SIGHUP: reload(); break;
            case SIGUSR1: reopen_logs(); break;
            default: break;  // SIGCHLD: reap() runs after every wake-up
        }
    }

    void signal_workers(int signo) {
        for (std::size_t i = 0; i < positions_.size(); ++i) signal_worker(i, signo);
    }

    void signal_worker(std::size_t i, int signo) {
        const pid_t pid = positions_[i].pid;
        if (pid > 0 && ::kill(pid, signo) != 0 && errno != ESRCH)
            log::error("kill({}) of worker {} (pid {}) failed: {}", signal_name(signo), i + 1, pid, error_text(errno));
    }

    void cancel_spawns() {
        for (Position& p : positions_) p.spawn_at.reset();
    }

    void begin_fast_stop(std::string_view why) {
        if (phase_ == Phase::fast_stop) return;
        log::info("stopping ({}): workers get SIGTERM, SIGKILL after {} s", why, seconds(stop_grace));
        phase_ = Phase::fast_stop;
        deadline_ = Clock::now() + stop_grace;
        cancel_spawns();
        signal_workers(SIGTERM);
    }

    void begin_graceful_stop() {
        if (phase_ != Phase::running) return;
        phase_ = Phase::graceful_stop;
        if (settings_.request_timeout_s > 0) {
            const auto limit = std::chrono::seconds(settings_.request_timeout_s) + stop_grace;
            deadline_ = Clock::now() + limit;
            log::info("graceful stop (SIGQUIT): workers finish their requests (at most {} s)", seconds(limit));
        } else {
            log::info("graceful stop (SIGQUIT): workers finish their requests (no time limit)");
        }
        cancel_spawns();
        signal_workers(SIGQUIT);
    }

    // While stopping: false once the master may return.
    bool finish_stopping() {
        if (live_workers() == 0) return false;
        if (!deadline_ || Clock::now() < *deadline_) return true;
        if (!killed_leftovers_) {
            for (std::size_t i = 0; i < positions_.size(); ++i)
                if (positions_[i].pid > 0)
                    log::warning("worker {} (pid {}) did not stop in time: sending SIGKILL", i + 1, positions_[i].pid);
            signal_workers(SIGKILL);
            killed_leftovers_ = true;
            deadline_ = Clock::now() + stop_grace;
            return true;
        }
        log::error("{} workers still alive {} s after SIGKILL; the master exits without them", live_workers(),
                   seconds(stop_grace));
        return false;
    }

    void reload() {
        if (phase_ != Phase::running) return;
        if (reload_) {
            PoolSettings next;
            try {
                next = reload_();
                validate(next);
            } catch (const std::exception& e) {
                log::error("reload (SIGHUP) failed; the running configuration and workers stay: {}", e.what());
                return;
            }
            if (next.listen != settings_.listen) {
                log::warning("reload: 'listen' changed from '{}' to '{}', which takes a restart; still on {}",
                             settings_.listen, next.listen, listen_.socket.description);
                next.listen = settings_.listen;
            }
            if (std::size_t(next.workers) > positions_.size()) {
                log::warning("reload: 'workers' = {} exceeds the {} positions of this master; using {} until a restart",
                             next.workers, positions_.size(), positions_.size());
                next.workers = int(positions_.size());
            }
            settings_ = next;
        }
        ++generation_;
        board_.header().generation = generation_;
        board_.header().workers_configured = std::uint32_t(settings_.workers);
        log::info("reload (SIGHUP): replacing workers gracefully (generation {}, {} workers)", generation_,
                  settings_.workers);
        // Position by position: the old worker finishes its request and exits,
        // then the new one starts in its place (an idle worker leaves at once).
        const auto now = Clock::now();
        for (std::size_t i = 0; i < positions_.size(); ++i) {
            Position& p = positions_[i];
            const bool wanted = i < std::size_t(settings_.workers);
            if (p.pid > 0) {
                p.replacing = wanted;
                signal_worker(i, SIGQUIT);
            } else if (wanted) {
                p.spawn_at = now;  // also cuts a back-off short: the operator asked for it
            } else {
                p.spawn_at.reset();
            }
        }
    }

    void reopen_logs() {
        log::reopen();
        log::info("log reopened (SIGUSR1); asking the workers to reopen theirs");
        signal_workers(SIGUSR1);
    }

    void spawn_due() {
        if (phase_ != Phase::running) return;
        const auto now = Clock::now();
        for (std::size_t i = 0; i < std::size_t(settings_.workers); ++i) {
            Position& p = positions_[i];
            if (p.pid == 0 && p.spawn_at && *p.spawn_at <= now) spawn(i);
        }
    }

    void spawn(std::size_t i) {
        Position& p = positions_[i];
        WorkerSlot& slot = board_.slot(i);
        slot.generation = generation_;
        slot.started_ms = monotonic_ms();
        slot.busy_since_ms = 0;
        slot.process_requests = 0;
        slot.state = WorkerState::starting;

        WorkerLaunch launch{
            i, settings_, make_handler_, listen_.socket, board_, slot, ::getpid(), {signal_read_.get(), signal_write_.get()},
            {}};
        sigset_t all;
        sigfillset(&all);
        // Blocked across fork(): the child must not run the master's handlers
        // (they would write into the master's pipe) before it installs its own.
        ::sigprocmask(SIG_BLOCK, &all, &launch.master_mask);
        const pid_t pid = ::fork();
        if (pid == 0) worker_process(launch);
        const int fork_error = errno;
        ::sigprocmask(SIG_SETMASK, &launch.master_mask, nullptr);

        if (pid < 0) {
            slot.state = WorkerState::empty;
            log::error("fork() failed while spawning worker {}: {}; retrying in {} ms", i + 1, error_text(fork_error),
                       milliseconds(p.backoff));
            p.spawn_at = Clock::now() + p.backoff;
            p.backoff = std::min(p.backoff * 2, backoff_max);
            return;
        }
        p.pid = pid;
        p.started = Clock::now();
        p.spawn_at.reset();
        slot.pid = pid;
        slot.spawns.fetch_add(1);
        if (p.ever_spawned) slot.respawns.fetch_add(1);
        p.ever_spawned = true;
        log::info("worker {} started (pid {}, generation {})", i + 1, pid, generation_);
    }

    void reap() {
        for (;;) {
            int status = 0;
            const pid_t pid = ::waitpid(-1, &status, WNOHANG);
            if (pid == 0) return;
            if (pid < 0) {
                if (errno == EINTR) continue;
                if (errno != ECHILD) log::error("waitpid() failed: {}", error_text(errno));
                return;
            }
            const auto it =
                std::find_if(positions_.begin(), positions_.end(), [pid](const Position& p) { return p.pid == pid; });
            if (it == positions_.end()) continue;  // not a worker (a handler's own child, say)
            worker_ended(std::size_t(it - positions_.begin()), status);
        }
    }

    void worker_ended(std::size_t i, int status) {
        Position& p = positions_[i];
        WorkerSlot& slot = board_.slot(i);
        const auto now = Clock::now();
        const auto lived = now - p.started;
        const auto requests = slot.process_requests.load();
        const std::string who = fmt::format("worker {} (pid {})", i + 1, p.pid);
        const std::string how = describe_wait_status(status);
        const bool timed_out = std::exchange(p.timed_out, false);
        const bool replacing = std::exchange(p.replacing, false);
        p.pid = 0;
        slot.pid = 0;
        slot.busy_since_ms = 0;
        slot.state = WorkerState::empty;

        if (WIFEXITED(status) && WEXITSTATUS(status) == exit_config_error) {
            log::error("{} {}: it is not respawned, and the pool stops", who, how);
            if (phase_ != Phase::fast_stop) {
                exit_code_ = exit_config_error;
                begin_fast_stop("a worker's configuration error");
            }
            return;
        }
        if (phase_ != Phase::running) {
            log::info("{} {} after {} requests", who, how, requests);
            return;
        }
        if (i >= std::size_t(settings_.workers)) {
            log::info("{} {}; its position was retired by a reload", who, how);
            return;
        }
        if (timed_out) {
            log::warning("{} {} (request_timeout_s); respawning", who, how);
            p.spawn_at = now;
            return;
        }
        if (replacing) {
            log::info("{} {} for the reload; respawning", who, how);
            p.spawn_at = now;
            return;
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == exit_recycled) {
            log::info("{} recycled after {} requests (max_requests); respawning", who, requests);
            p.backoff = backoff_initial;
            p.spawn_at = now;
            return;
        }
        if (lived >= healthy_after) p.backoff = backoff_initial;
        log::warning("{} {} after {:.1f} s and {} requests; respawning in {} ms", who, how, seconds(lived), requests,
                     milliseconds(p.backoff));
        p.spawn_at = now + p.backoff;
        p.backoff = std::min(p.backoff * 2, backoff_max);
    }

    void check_request_timeouts() {
        if (settings_.request_timeout_s <= 0) return;
        const std::int64_t now_ms = monotonic_ms();
        const std::int64_t limit_ms = std::int64_t(settings_.request_timeout_s) * 1000;
        for (std::size_t i = 0; i < positions_.size(); ++i) {
            Position& p = positions_[i];
            if (p.pid <= 0 || p.timed_out) continue;
            const std::int64_t since = board_.slot(i).busy_since_ms.load();
            if (since == 0 || now_ms - since <= limit_ms) continue;
            log::error(
                "worker {} (pid {}) has been busy with one request for {:.1f} s, over request_timeout_s = {}: "
                "sending SIGKILL",
                i + 1, p.pid, double(now_ms - since) / 1000, settings_.request_timeout_s);
            signal_worker(i, SIGKILL);
            p.timed_out = true;
            board_.slot(i).timeouts_killed.fetch_add(1);
        }
    }

    PoolSettings settings_;
    const HandlerFactory& make_handler_;
    const SettingsReload& reload_;
    OwnedListenSocket listen_;
    Scoreboard board_;
    Fd signal_read_;
    Fd signal_write_;
    std::optional<MasterSignals> signals_;
    std::vector<Position> positions_;
    Phase phase_ = Phase::running;
    std::optional<Clock::time_point> deadline_;  // while stopping: when to SIGKILL (or give up)
    bool killed_leftovers_ = false;
    std::uint64_t generation_ = 0;
    int exit_code_ = 0;
};

}  // namespace

int run_pool(const PoolSettings& settings, const HandlerFactory& make_handler, const SettingsReload& reload) {
    std::optional<Master> master;
    try {
        validate(settings);
        master.emplace(settings, make_handler, reload);
    } catch (const ConfigError& e) {
        log::error("{}", e.what());
        return exit_config_error;
    } catch (const std::invalid_argument& e) {
        log::error("{}", e.what());
        return exit_config_error;
    } catch (const std::exception& e) {
        log::error("cannot start the pool: {}", e.what());
        return 1;
    }
    try {
        return master->run();
    } catch (const std::exception& e) {
        log::error("pool master failed: {}; killing the workers", e.what());
        return 1;
    }
}

}  // namespace vx::service
