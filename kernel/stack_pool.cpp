// Implements StackPool with mmap: one mapping per guarded stack (its lowest page
// made inaccessible), and slabs of many unguarded stacks in one mapping each.
#include "stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

#include "check.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace timeslice {
namespace {

// A stack may come back from a fiber that was unwound by an exception or left
// mid-call, and its address range may have held an earlier stack: clear the
// AddressSanitizer poison such frames leave behind before the stack is reused.
void forget_old_frames([[maybe_unused]] const Stack& stack) {
#if defined(__SANITIZE_ADDRESS__)
    ASAN_UNPOISON_MEMORY_REGION(stack.base, stack.size);
#endif
}

constexpr std::size_t kStacksPerSlab = 256;

void* map(std::size_t bytes) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return p;
}

}  // namespace

StackPool::StackPool(std::size_t stack_size, std::size_t guarded_limit)
    : page_size_(static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))),
      stack_size_((stack_size + page_size_ - 1) / page_size_ * page_size_),
      guarded_limit_(guarded_limit) {}

StackPool::~StackPool() {
    TS_CHECK(in_use_ == 0, "a stack is destroyed while a fiber still runs on it");
    for (const Stack& m : mappings_) {
        forget_old_frames(m);  // A later mapping at the same address starts clean.
        ::munmap(m.base, m.size);
    }
}

Stack StackPool::take() {
    Stack stack;
    if (!free_.empty()) {
        stack = free_.back();
        free_.pop_back();
    } else if (guarded_count_ < guarded_limit_) {
        stack = new_guarded();
    } else {
        stack = new_from_slab();
    }
    ++in_use_;
    forget_old_frames(stack);
    return stack;
}

void StackPool::give_back(Stack stack) noexcept {
    --in_use_;
    free_.push_back(stack);
}

Stack StackPool::new_guarded() {
    const std::size_t bytes = stack_size_ + page_size_;
    char* p = static_cast<char*>(map(bytes));
    mappings_.push_back({p, bytes});
    if (::mprotect(p, page_size_, PROT_NONE) != 0) throw std::bad_alloc();
    ++guarded_count_;
    return {p + page_size_, stack_size_};
}

Stack StackPool::new_from_slab() {
    if (slab_next_ == slab_end_) {
        const std::size_t bytes = stack_size_ * kStacksPerSlab;
        slab_next_ = static_cast<char*>(map(bytes));
        slab_end_ = slab_next_ + bytes;
        mappings_.push_back({slab_next_, bytes});
    }
    Stack stack{slab_next_, stack_size_};
    slab_next_ += stack_size_;
    return stack;
}

}  // namespace timeslice
