#include "core/sched.h"

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace veloz::sched {

int current_tid() noexcept {
  // glibc only gained gettid() in 2.30; the raw syscall works everywhere.
  return static_cast<int>(::syscall(SYS_gettid));
}

int configured_cpu_count() noexcept {
  long n = ::sysconf(_SC_NPROCESSORS_CONF);
  return n > 0 ? static_cast<int>(n) : 1;
}

int cpu_set_capacity() noexcept { return CPU_SETSIZE; }

int set_affinity(const std::vector<int>& cpus) noexcept {
  if (cpus.empty()) return EINVAL;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    CPU_SET(cpu, &set);
  }
  // pthread_* return the error number instead of setting errno.
  return ::pthread_setaffinity_np(::pthread_self(), sizeof(set), &set);
}

int get_affinity(std::vector<int>& out) {
  cpu_set_t set;
  CPU_ZERO(&set);
  int rc = ::pthread_getaffinity_np(::pthread_self(), sizeof(set), &set);
  if (rc != 0) return rc;
  out.clear();
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) out.push_back(cpu);
  }
  return 0;
}

int lock_all_memory() noexcept {
  return ::mlockall(MCL_CURRENT | MCL_FUTURE) == 0 ? 0 : errno;
}

int sched_fifo_min() noexcept { return ::sched_get_priority_min(SCHED_FIFO); }
int sched_fifo_max() noexcept { return ::sched_get_priority_max(SCHED_FIFO); }

int set_sched_fifo(int priority) noexcept {
  if (priority < sched_fifo_min() || priority > sched_fifo_max()) return EINVAL;
  sched_param param{};
  param.sched_priority = priority;
  return ::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &param);
}

}  // namespace veloz::sched
