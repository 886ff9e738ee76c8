// Fiber: one suspended computation with its own stack. This is the only place in
// timeslice that knows the machine-level switch comes from Boost.Context (fiber.cpp).
// Code that owns fibers should let each one end by returning, rather than destroy
// it while suspended: that forces an unwind that sanitizers cannot follow.
#pragma once

#include <cstddef>

#include "stack_pool.hpp"

namespace timeslice {

/// Fiber is a handle to a suspended execution context, like boost::context::fiber:
/// it is moved, never copied, and resuming it consumes it.
class Fiber {
  public:
    /// Entry is a fiber's code. It receives the context that first resumed it and
    /// returns the context to continue with when it ends.
    using Entry = Fiber (*)(Fiber&& from, void* arg);

    /// Fiber() makes an empty handle.
    Fiber() noexcept;
    /// Fiber() makes a fiber that will run entry(from, arg) on a stack from `pool`
    /// when first resumed; the stack goes back to `pool` when the fiber ends.
    Fiber(StackPool& pool, Entry entry, void* arg);
    Fiber(Fiber&& other) noexcept;
    Fiber& operator=(Fiber&& other) noexcept;
    /// ~Fiber() unwinds the stack of a fiber that was started but has not ended.
    ~Fiber();

    /// resume() suspends the calling context and continues this one; it returns, as
    /// a Fiber, the context that later switches back to the caller.
    Fiber resume() &&;

    /// Returns whether the handle holds a context.
    explicit operator bool() const noexcept;

    /// rethrow_if_unwinding() must be the first statement of a `catch (...)` in
    /// fiber code: it lets the unwinding of a destroyed fiber pass through.
    static void rethrow_if_unwinding();

  private:
    friend struct FiberAccess;
    alignas(void*) std::byte storage_[sizeof(void*)];
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer must be told which stack a switch lands on (fiber.cpp).
    const void* stack_bottom_ = nullptr;
    std::size_t stack_size_ = 0;
#endif
};

}  // namespace timeslice
