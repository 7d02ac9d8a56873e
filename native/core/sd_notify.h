// systemd's readiness protocol (sd_notify(3)) without libsystemd: one datagram of
// newline-separated assignments ("READY=1\nSTATUS=…") to the unix socket systemd names
// in $NOTIFY_SOCKET. Plain C++ (no napi.h); failures are errno values, 0 = sent.
#pragma once
#include <cstddef>
#include <cstdint>

namespace veloz::systemd {

// $NOTIFY_SOCKET, or nullptr when unset or empty (not started by systemd with Type=notify).
const char* notify_socket() noexcept;

// Sends `state` (length bytes) as one datagram to `socket_path`: an absolute filesystem
// path, or '@' + name for the Linux abstract namespace (sent with a leading NUL byte).
// EINVAL: empty path or state; EAFNOSUPPORT: any other address form (e.g. vsock:);
// ENAMETOOLONG: longer than sun_path; otherwise the errno of socket()/sendto().
int notify(const char* socket_path, const char* state, std::size_t length) noexcept;

// The watchdog period systemd expects pings within, in microseconds: $WATCHDOG_USEC when
// it parses as a positive integer and $WATCHDOG_PID is unset or this process's pid
// (sd_watchdog_enabled rules); 0 = no watchdog.
std::uint64_t watchdog_usec() noexcept;

}  // namespace veloz::systemd
