// Thread placement for the engine's role threads: which kernel thread we are, which
// cores it may run on, whether its pages are locked and whether it runs SCHED_FIFO.
// Plain C++ (no napi.h) so it can be tested alone. Every call acts on the CALLING
// thread (mlockall is process-wide by nature) and reports failure as an errno value,
// 0 meaning success: the binding decides what is an exception and what is a warning.
#pragma once
#include <vector>

namespace veloz::sched {

// Kernel thread id: the <tid> of /proc/self/task/<tid>, what `top -H` shows.
int current_tid() noexcept;

// Number of cpus the kernel has configured (cpu ids are 0 .. count-1).
int configured_cpu_count() noexcept;

// Upper bound (exclusive) of a cpu id that fits a cpu_set_t.
int cpu_set_capacity() noexcept;

// pthread_setaffinity_np on the calling thread. Ids must be in [0, cpu_set_capacity());
// returns EINVAL otherwise, or the errno of the call.
int set_affinity(const std::vector<int>& cpus) noexcept;

// pthread_getaffinity_np of the calling thread, ascending ids in `out`.
int get_affinity(std::vector<int>& out);

// mlockall(MCL_CURRENT | MCL_FUTURE).
int lock_all_memory() noexcept;

// pthread_setschedparam(SCHED_FIFO, priority) on the calling thread; EINVAL when the
// priority is outside sched_get_priority_min/max(SCHED_FIFO).
int set_sched_fifo(int priority) noexcept;

// The valid SCHED_FIFO priority range on this kernel.
int sched_fifo_min() noexcept;
int sched_fifo_max() noexcept;

}  // namespace veloz::sched
