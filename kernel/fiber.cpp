// Implements Fiber on Boost.Context's lowest layer (make_fcontext, jump_fcontext,
// ontop_fcontext), the layer boost::context::fiber and Boost.Fiber are built on:
// a context is one pointer and a switch saves and restores a few registers.
//
// A hand-over is one ontop_fcontext(): it switches to the target and runs the
// Arrival on top of it. When a fiber's code returns, the fiber jumps to its
// successor and, running on top of the successor, gives its own stack back to
// the pool. Built with AddressSanitizer, which must hear of every switch before
// the continued context's own code runs, a hand-over is a jump_fcontext() instead,
// after which the continued context tells AddressSanitizer and runs the Arrival
// itself: the same steps in the same order, without the tail call.
#include "fiber.hpp"

#include <fmt/core.h>

#include <boost/context/detail/fcontext.hpp>
#include <cstdio>
#include <cstdlib>

#include "check.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace timeslice {

namespace fctx = boost::context::detail;

/// Start is what a new fiber runs and where its stack came from.
struct Start {
    StackPool* pool;
    Stack stack;
    Fiber::Entry entry;
    void* arg;
};

/// FiberAccess reaches a Fiber's context, and tells AddressSanitizer about each
/// switch: start() before leaving a stack (with no `save` when that stack is
/// ending for good), finish() on arriving at one, noting where we came from.
struct FiberAccess {
    static Fiber wrap(void* context) {
        Fiber f;
        f.context_ = context;
        return f;
    }

    static void* release(Fiber& f) { return std::exchange(f.context_, nullptr); }

    static void start([[maybe_unused]] void** save, [[maybe_unused]] const Fiber& to) {
#if defined(__SANITIZE_ADDRESS__)
        __sanitizer_start_switch_fiber(save, to.stack_bottom_, to.stack_size_);
#endif
    }

    static void finish([[maybe_unused]] void* saved, [[maybe_unused]] Fiber& from) {
#if defined(__SANITIZE_ADDRESS__)
        __sanitizer_finish_switch_fiber(saved, &from.stack_bottom_, &from.stack_size_);
#endif
    }

    static void set_stack([[maybe_unused]] Fiber& f, [[maybe_unused]] const Stack& stack) {
#if defined(__SANITIZE_ADDRESS__)
        f.stack_bottom_ = stack.base;
        f.stack_size_ = stack.size;
#endif
    }
};

namespace {

/// give_back_stack() runs on top of the successor of a fiber that ended: the
/// ended fiber's stack is no longer in use, so it returns to its pool. The
/// successor runs no Arrival: nobody keeps the handle of an ended fiber.
fctx::transfer_t give_back_stack(fctx::transfer_t from) {
    const Start* ended = static_cast<const Start*>(from.data);
    ended->pool->give_back(ended->stack);
    return {nullptr, nullptr};
}

/// run_arrival() runs on top of a context continued by a hand-over: the Arrival
/// that came with it, given the context that handed over.
[[maybe_unused]] fctx::transfer_t run_arrival(fctx::transfer_t from) {
    const auto& arrival = *static_cast<const Fiber::Arrival*>(from.data);
    arrival.run(FiberAccess::wrap(from.fctx), arrival.arg);
    return {nullptr, nullptr};
}

/// keep_context() runs on top of a context continued by hand_over_keeping(): the
/// context that handed over goes into the slot it named.
[[maybe_unused]] fctx::transfer_t keep_context(fctx::transfer_t from) {
    *static_cast<Fiber*>(from.data) = FiberAccess::wrap(from.fctx);
    return {nullptr, nullptr};
}

/// keep() is keep_context() as an Arrival, for the hand-over AddressSanitizer sees.
[[maybe_unused]] void keep(Fiber&& from, void* slot) {
    *static_cast<Fiber*>(slot) = std::move(from);
}

/// settle() is what a context does when a jump_fcontext() of its own returns:
/// tell AddressSanitizer where it came from (`saved` is what it stored on
/// leaving), then run the Arrival that came with the jump, if any. Without
/// AddressSanitizer only a fiber's first start arrives this way, and its Arrival
/// has already run on top of it.
void settle(fctx::transfer_t back, void* saved) {
    Fiber from = FiberAccess::wrap(back.fctx);
    FiberAccess::finish(saved, from);
    if (back.data != nullptr) {
        const auto& arrival = *static_cast<const Fiber::Arrival*>(back.data);
        arrival.run(std::move(from), arrival.arg);
    }
}

/// trampoline() is the bottom frame of every fiber. It keeps a copy of its Start,
/// returns at once to the constructor, and when first continued runs the entry;
/// then it switches to the successor the entry returned, never to come back.
[[noreturn]] void trampoline(fctx::transfer_t from) {
    const Start start = *static_cast<const Start*>(from.data);
    Fiber creator = FiberAccess::wrap(from.fctx);
    FiberAccess::finish(nullptr, creator);
    void* saved = nullptr;
    FiberAccess::start(&saved, creator);
    settle(fctx::jump_fcontext(FiberAccess::release(creator), nullptr), saved);

    Fiber next = start.entry(start.arg);
    TS_CHECK(next, "a fiber ended without a successor");
    FiberAccess::start(nullptr, next);
    fctx::ontop_fcontext(FiberAccess::release(next), const_cast<Start*>(&start), give_back_stack);
    TS_CHECK(false, "an ended fiber was resumed");
}

}  // namespace

// Boost.Context hands a brand-new context its first transfer in registers that
// ontop_fcontext() does not set, so every fiber is entered once right here and
// suspends at once: from then on, every switch into it is an ordinary one.
Fiber::Fiber(StackPool& pool, Entry entry, void* arg) {
    const Stack stack = pool.take();
    FiberAccess::set_stack(*this, stack);
    void* const fresh =
        fctx::make_fcontext(static_cast<char*>(stack.base) + stack.size, stack.size, trampoline);
    Start start{&pool, stack, entry, arg};
    void* saved = nullptr;
    FiberAccess::start(&saved, *this);
    context_ = fctx::jump_fcontext(fresh, &start).fctx;
    FiberAccess::finish(saved, *this);
}

void Fiber::hand_over(Fiber&& target, const Arrival& arrival) {
    void* const context = FiberAccess::release(target);
    auto* const data = const_cast<Arrival*>(&arrival);
#if defined(__SANITIZE_ADDRESS__)
    void* saved = nullptr;
    FiberAccess::start(&saved, target);
    settle(fctx::jump_fcontext(context, data), saved);
#else
    fctx::ontop_fcontext(context, data, run_arrival);
#endif
}

void Fiber::hand_over_keeping(Fiber&& target, Fiber& slot) {
#if defined(__SANITIZE_ADDRESS__)
    const Arrival keep_in_slot{keep, &slot};  // Read on arrival, while this frame waits.
    hand_over(std::move(target), keep_in_slot);
#else
    fctx::ontop_fcontext(FiberAccess::release(target), &slot, keep_context);
#endif
}

void Fiber::abandon() {
    detail::panic(__FILE__, __LINE__, "a suspended fiber was destroyed; its stack would leak");
}

}  // namespace timeslice
