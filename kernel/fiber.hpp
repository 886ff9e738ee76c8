// Fiber: one suspended computation with its own stack. fiber.cpp is the only place
// in timeslice that knows the machine-level switch comes from Boost.Context.
// A fiber ends by returning the fiber to continue with; destroying one that is
// suspended is a bug (its destructors would never run), and panics.
//
// A switch is a hand-over: the context that leaves names the one to continue and
// an Arrival, work that runs on the continued context's stack as soon as it is
// back (it keeps the handle of the context that left). See hand_over() for why
// the switch is written so that it can be the last act of its caller.
#pragma once

#include <cstddef>
#include <utility>

#include "stack_pool.hpp"

namespace timeslice {

/// Fiber is a handle to a suspended execution context: moved, never copied, and
/// consumed by resuming it.
class Fiber {
  public:
    /// Entry is a fiber's code. It returns the context to continue with when it
    /// ends. It cannot throw: nothing below a fiber's first frame could catch it.
    using Entry = Fiber (*)(void* arg) noexcept;

    /// Arrival is what a context does first whenever it is continued by a
    /// hand-over: `run(from, arg)`, with `from` the context that handed over. It may
    /// throw, as if from the call that suspended the context.
    struct Arrival {
        void (*run)(Fiber&& from, void* arg);
        void* arg;
    };

    /// Fiber() makes an empty handle.
    Fiber() noexcept = default;
    /// Fiber() makes a fiber that will run entry(arg) on a stack from `pool` when
    /// first continued; the stack goes back to `pool` when the fiber ends.
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

    /// hand_over() suspends the calling context and continues `target` (which is
    /// left empty): on `target`'s stack `arrival` runs first, with the calling
    /// context, then `target` goes on from where it was suspended. It returns when
    /// a later hand-over continues the caller; `arrival` must live until the switch
    /// is over. It also returns, with no Arrival, when a fiber that ends names the
    /// caller as its successor.
    ///
    /// Make it the last act of a function that returns nothing, and make that
    /// function's callers do the same: the compiler then jumps to it rather than
    /// calls it, and a context is suspended, and continued, directly in the code
    /// that first entered the chain (a task's loop, say). A return that crosses a
    /// switch lands somewhere else than the processor's return predictor expects,
    /// and costs a mispredicted branch; after a tail-called hand-over no return
    /// crosses it, and the Arrival's own return lands where the predictor expects
    /// whenever the two contexts were suspended at the same place. Correct either
    /// way, it measured about 7 ns faster per switch and per call level here.
    static void hand_over(Fiber&& target, const Arrival& arrival);
    /// hand_over_keeping() is the plain hand-over: its only Arrival keeps the
    /// calling context in `slot` (which must be empty) once it is suspended. It costs
    /// less than an Arrival that does the same, since nothing is called through a
    /// pointer. The rest is as for hand_over(), tail call included.
    static void hand_over_keeping(Fiber&& target, Fiber& slot);

    /// prefetch() starts loading into the cache the saved context, the frames just
    /// above it (where the fiber returns to) and the stack just below it (where its
    /// Arrival will run), ahead of a hand_over().
    /// An empty handle (a task not started yet) prefetches nothing.
    void prefetch() const {
        if (context_ == nullptr) return;
        for (int line = -7; line < 4; ++line) {
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
