// Implements Fiber on boost::context::fiber, stored in place inside the Fiber,
// with stacks from a StackPool. Boost.Context appears in this file only.
#include "fiber.hpp"

#include <boost/context/fiber.hpp>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif
#include <memory>
#include <new>
#include <utility>

namespace timeslice {

namespace ctx = boost::context;
static_assert(sizeof(ctx::fiber) == sizeof(void*));

/// FiberAccess reaches the boost::context::fiber inside a Fiber, and tells
/// AddressSanitizer about each switch: start() before leaving a stack (with no
/// `save` when the stack is ending for good), finish() on arriving at one.
struct FiberAccess {
    static ctx::fiber& get(Fiber& f) {
        return *std::launder(reinterpret_cast<ctx::fiber*>(f.storage_));
    }

    static Fiber wrap(ctx::fiber&& raw) {
        Fiber f;
        get(f) = std::move(raw);
        return f;
    }

    static void start([[maybe_unused]] void** save, [[maybe_unused]] const Fiber& to) {
#if defined(__SANITIZE_ADDRESS__)
        __sanitizer_start_switch_fiber(save, to.stack_bottom_, to.stack_size_);
#endif
    }

    /// finish() completes the switch and records in `from` the stack we came from.
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

/// PoolAllocator adapts StackPool to Boost.Context's StackAllocator concept, and
/// tells the Fiber being made which stack it got.
struct PoolAllocator {
    StackPool* pool;
    Fiber* owner;

    ctx::stack_context allocate() {
        const Stack stack = pool->take();
        FiberAccess::set_stack(*owner, stack);
        ctx::stack_context sc;
        sc.size = stack.size;
        sc.sp = static_cast<char*>(stack.base) + stack.size;
        return sc;
    }

    void deallocate(ctx::stack_context& sc) noexcept {
        pool->give_back({static_cast<char*>(sc.sp) - sc.size, sc.size});
    }
};

}  // namespace

Fiber::Fiber() noexcept { new (storage_) ctx::fiber(); }

Fiber::Fiber(StackPool& pool, Entry entry, void* arg) {
    auto body = [entry, arg](ctx::fiber&& caller) -> ctx::fiber {
        Fiber from = FiberAccess::wrap(std::move(caller));
        FiberAccess::finish(nullptr, from);
        Fiber next = entry(std::move(from), arg);
        FiberAccess::start(nullptr, next);
        return std::move(FiberAccess::get(next));
    };
    new (storage_) ctx::fiber(std::allocator_arg, PoolAllocator{&pool, this}, std::move(body));
}

Fiber::Fiber(Fiber&& other) noexcept {
    new (storage_) ctx::fiber(std::move(FiberAccess::get(other)));
#if defined(__SANITIZE_ADDRESS__)
    stack_bottom_ = other.stack_bottom_;
    stack_size_ = other.stack_size_;
#endif
}

Fiber& Fiber::operator=(Fiber&& other) noexcept {
    FiberAccess::get(*this) = std::move(FiberAccess::get(other));
#if defined(__SANITIZE_ADDRESS__)
    stack_bottom_ = other.stack_bottom_;
    stack_size_ = other.stack_size_;
#endif
    return *this;
}

Fiber::~Fiber() { std::destroy_at(&FiberAccess::get(*this)); }

Fiber Fiber::resume() && {
    void* saved = nullptr;
    FiberAccess::start(&saved, *this);
    Fiber from = FiberAccess::wrap(std::move(FiberAccess::get(*this)).resume());
    FiberAccess::finish(saved, from);
    return from;
}

Fiber::operator bool() const noexcept {
    return static_cast<bool>(FiberAccess::get(const_cast<Fiber&>(*this)));
}

void Fiber::rethrow_if_unwinding() {
    try {
        throw;
    } catch (const ctx::detail::forced_unwind&) {
        throw;
    } catch (...) {
    }
}

}  // namespace timeslice
