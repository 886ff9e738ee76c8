// Fiber: one suspended computation with its own stack. fiber.cpp is the only place
// in timeslice that knows the machine-level switch comes from Boost.Context.
// A fiber ends by returning the fiber to continue with; destroying one that is
// suspended is a bug (its destructors would never run), and panics.
#pragma once

#include <cstddef>
#include <utility>

#include "stack_pool.hpp"

namespace timeslice {

/// Fiber is a handle to a suspended execution context: moved, never copied, and
/// consumed by resuming it.
class Fiber {
  public:
    /// Entry is a fiber's code. It receives the context that first resumed it and
    /// returns the context to continue with when it ends. It must not throw.
    using Entry = Fiber (*)(Fiber&& from, void* arg);

    /// Fiber() makes an empty handle.
    Fiber() noexcept = default;
    /// Fiber() makes a fiber that will run entry(from, arg) on a stack from `pool`
    /// when first resumed; the stack goes back to `pool` when the fiber ends.
    Fiber(StackPool& pool, Entry entry, void* arg);
    Fiber(Fiber&& other) noexcept { take(other); }
    Fiber& operator=(Fiber&& other) noexcept {
        if (context_ != nullptr) abandon();
        take(other);
        return *this;
    }
    ~Fiber() {
        if (context_ != nullptr) abandon();
    }

    /// resume() suspends the calling context and continues this one; it returns, as
    /// a Fiber, the context that later switches back to the caller (empty if that
    /// context ended).
    Fiber resume() &&;

    /// prefetch() starts loading the saved context and the frames just above it
    /// into the cache, ahead of a resume().
    void prefetch() const {
        for (int line = 0; line < 4; ++line) {
            __builtin_prefetch(static_cast<const char*>(context_) + 64 * line);
        }
    }

    /// Returns whether the handle holds a context.
    explicit operator bool() const noexcept { return context_ != nullptr; }

  private:
    friend struct FiberAccess;
    void take(Fiber& other) noexcept {
        context_ = std::exchange(other.context_, nullptr);
#if defined(__SANITIZE_ADDRESS__)
        stack_bottom_ = other.stack_bottom_;
        stack_size_ = other.stack_size_;
#endif
    }
    [[noreturn]] static void abandon();

    void* context_ = nullptr;  ///< The saved registers: Boost.Context's fcontext_t.
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer must be told which stack each switch lands on.
    const void* stack_bottom_ = nullptr;
    std::size_t stack_size_ = 0;
#endif
};

}  // namespace timeslice
