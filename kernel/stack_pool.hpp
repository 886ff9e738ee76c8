// StackPool hands out the stacks tasks run on, and takes them back for reuse.
// Stacks are guard-paged (a write past the end faults at once) until the pool
// holds `guarded_limit` of them; beyond that, stacks are carved without guards
// from large slabs, because each guarded stack costs two memory mappings and
// Linux allows about 65,530 per process (vm.max_map_count).
#pragma once

#include <cstddef>
#include <vector>

namespace timeslice {

/// Stack is a block of memory a fiber runs on: [base, base + size).
struct Stack {
    void* base = nullptr;
    std::size_t size = 0;
};

class StackPool {
  public:
    /// StackPool() makes an empty pool of stacks of `stack_size` bytes (rounded up to
    /// whole pages), the first `guarded_limit` of them guard-paged.
    explicit StackPool(std::size_t stack_size, std::size_t guarded_limit = 16384);
    /// ~StackPool() unmaps every stack; none may still be in use.
    ~StackPool();
    StackPool(const StackPool&) = delete;
    StackPool& operator=(const StackPool&) = delete;

    /// take() returns a stack: a reused one if any was given back, else a new one.
    /// Throws std::bad_alloc when the system has no memory left.
    Stack take();
    /// give_back() returns `stack`, which take() handed out, for reuse.
    void give_back(Stack stack) noexcept;

    /// stack_size() returns the usable size of each stack in bytes.
    std::size_t stack_size() const { return stack_size_; }
    /// in_use() returns how many stacks are taken and not given back.
    std::size_t in_use() const { return in_use_; }

  private:
    Stack new_guarded();
    Stack new_from_slab();

    std::size_t page_size_;
    std::size_t stack_size_;
    std::size_t guarded_limit_;
    std::size_t guarded_count_ = 0;
    std::size_t in_use_ = 0;
    std::vector<Stack> free_;
    std::vector<Stack> mappings_;  ///< Every mmap'ed region, unmapped at destruction.
    char* slab_next_ = nullptr;    ///< Next unused stack in the newest slab.
    char* slab_end_ = nullptr;
};

}  // namespace timeslice
