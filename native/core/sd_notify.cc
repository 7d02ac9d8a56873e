#include "core/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace veloz::systemd {

namespace {

// Parses a decimal u64 with nothing around it; false on anything else (sign, blanks, overflow).
bool parse_u64(const char* text, std::uint64_t& out) {
  if (text == nullptr || *text == '\0') return false;
  std::uint64_t v = 0;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return false;
    const std::uint64_t digit = static_cast<std::uint64_t>(*p - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  out = v;
  return true;
}

}  // namespace

const char* notify_socket() noexcept {
  const char* path = std::getenv("NOTIFY_SOCKET");
  return path != nullptr && *path != '\0' ? path : nullptr;
}

int notify(const char* socket_path, const char* state, std::size_t length) noexcept {
  if (socket_path == nullptr || *socket_path == '\0' || state == nullptr || length == 0) return EINVAL;
  if (socket_path[0] != '/' && socket_path[0] != '@') return EAFNOSUPPORT;

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::size_t path_len = std::strlen(socket_path);
  socklen_t addr_len;
  if (socket_path[0] == '@') {
    // Abstract namespace: sun_path starts with NUL and the name is exactly path_len - 1
    // bytes after it; the address length says where it ends (no terminator).
    if (path_len > sizeof(addr.sun_path)) return ENAMETOOLONG;
    addr.sun_path[0] = '\0';
    std::memcpy(addr.sun_path + 1, socket_path + 1, path_len - 1);
    addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path_len);
  } else {
    if (path_len >= sizeof(addr.sun_path)) return ENAMETOOLONG;
    std::memcpy(addr.sun_path, socket_path, path_len + 1);
    addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path_len + 1);
  }

  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  int err = 0;
  ssize_t sent;
  do {
    sent = ::sendto(fd, state, length, MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&addr), addr_len);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    err = errno;
  } else if (static_cast<std::size_t>(sent) != length) {
    err = EMSGSIZE;  // a datagram is all or nothing; a short count means it was cut
  }
  ::close(fd);
  return err;
}

std::uint64_t watchdog_usec() noexcept {
  std::uint64_t usec = 0;
  if (!parse_u64(std::getenv("WATCHDOG_USEC"), usec) || usec == 0) return 0;
  const char* pid_text = std::getenv("WATCHDOG_PID");
  if (pid_text != nullptr && *pid_text != '\0') {
    std::uint64_t pid = 0;
    if (!parse_u64(pid_text, pid) || pid != static_cast<std::uint64_t>(::getpid())) return 0;
  }
  return usec;
}

}  // namespace veloz::systemd
