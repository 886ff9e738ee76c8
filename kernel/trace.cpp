// Names of the trace's enumerations, as they appear in JSON and on screen.
#include "trace.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace timeslice {

void* map_pages(std::size_t bytes) {
    if (bytes == 0) return nullptr;
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ::madvise(p, bytes, MADV_HUGEPAGE);  // A hint: without huge pages it still works.
    return p;
}

void prefault_pages(void* p, std::size_t bytes) noexcept {
#if defined(MADV_POPULATE_WRITE)
    constexpr std::uintptr_t kPage = 4096;  // madvise() wants a page-aligned start.
    const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(p) & ~(kPage - 1);
    const std::uintptr_t end = reinterpret_cast<std::uintptr_t>(p) + bytes;
    // Linux 5.14 and later; earlier kernels refuse, and pages fault in as usual.
    ::madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)bytes;
#endif
}

void unmap_pages(void* p, std::size_t bytes) noexcept {
    if (p != nullptr) ::munmap(p, bytes);
}

std::string_view name(EventKind kind) {
    switch (kind) {
        case EventKind::Arrive:
            return "arrive";
        case EventKind::Dispatch:
            return "dispatch";
        case EventKind::Switch:
            return "switch";
        case EventKind::Yield:
            return "yield";
        case EventKind::Preempt:
            return "preempt";
        case EventKind::Block:
            return "block";
        case EventKind::Wake:
            return "wake";
        case EventKind::Exit:
            return "exit";
        case EventKind::Fail:
            return "fail";
        case EventKind::Stop:
            return "stop";
    }
    return "?";
}

std::string_view name(TaskState state) {
    switch (state) {
        case TaskState::New:
            return "new";
        case TaskState::Ready:
            return "ready";
        case TaskState::Running:
            return "running";
        case TaskState::Blocked:
            return "blocked";
        case TaskState::Done:
            return "done";
        case TaskState::Failed:
            return "failed";
    }
    return "?";
}

std::string_view name(StopReason reason) {
    switch (reason) {
        case StopReason::None:
            return "none";
        case StopReason::MaxTicks:
            return "max-ticks";
        case StopReason::MaxEvents:
            return "max-events";
        case StopReason::NoProgress:
            return "no-progress";
    }
    return "?";
}

}  // namespace timeslice
