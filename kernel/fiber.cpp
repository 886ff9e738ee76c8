// Implements Fiber on Boost.Context's lowest layer (make_fcontext, jump_fcontext,
// ontop_fcontext), the layer boost::context::fiber and Boost.Fiber are built on:
// a context is one pointer and a switch saves and restores a few registers.
//
// When a fiber's code returns, the fiber jumps to its successor and, running on
// top of the successor, gives its own stack back to the pool.
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
/// ended fiber's stack is no longer in use, so it returns to its pool.
fctx::transfer_t give_back_stack(fctx::transfer_t from) {
    const Start* ended = static_cast<const Start*>(from.data);
    ended->pool->give_back(ended->stack);
    return {nullptr, nullptr};
}

/// trampoline() is the bottom frame of every fiber. It keeps a copy of its Start,
/// returns at once to the constructor, and when first resumed runs the entry;
/// then it switches to the successor the entry returned, never to come back.
[[noreturn]] void trampoline(fctx::transfer_t from) {
    const Start start = *static_cast<const Start*>(from.data);
    Fiber creator = FiberAccess::wrap(from.fctx);
    FiberAccess::finish(nullptr, creator);
    void* saved = nullptr;
    FiberAccess::start(&saved, creator);
    from = fctx::jump_fcontext(FiberAccess::release(creator), nullptr);

    Fiber caller = FiberAccess::wrap(from.fctx);
    FiberAccess::finish(saved, caller);
    Fiber next = start.entry(std::move(caller), start.arg);
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

Fiber Fiber::resume() && {
    void* saved = nullptr;
    FiberAccess::start(&saved, *this);
    const fctx::transfer_t back = fctx::jump_fcontext(FiberAccess::release(*this), nullptr);
    Fiber from = FiberAccess::wrap(back.fctx);
    FiberAccess::finish(saved, from);
    return from;
}

void Fiber::abandon() {
    detail::panic(__FILE__, __LINE__, "a suspended fiber was destroyed; its stack would leak");
}

}  // namespace timeslice
