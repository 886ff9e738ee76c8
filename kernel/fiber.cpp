// Implements Fiber on boost::context::fiber, stored in place inside the Fiber,
// with stacks from a StackPool. Boost.Context appears in this file only.
#include "fiber.hpp"

#include <boost/context/fiber.hpp>
#include <memory>
#include <new>
#include <utility>

namespace timeslice {

namespace ctx = boost::context;
static_assert(sizeof(ctx::fiber) == sizeof(void*));

/// FiberAccess reaches the boost::context::fiber inside a Fiber.
struct FiberAccess {
    static ctx::fiber& get(Fiber& f) {
        return *std::launder(reinterpret_cast<ctx::fiber*>(f.storage_));
    }
    static Fiber wrap(ctx::fiber&& raw) {
        Fiber f;
        get(f) = std::move(raw);
        return f;
    }
};

namespace {

/// PoolAllocator adapts StackPool to Boost.Context's StackAllocator concept.
struct PoolAllocator {
    StackPool* pool;

    ctx::stack_context allocate() {
        const Stack stack = pool->take();
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
    new (storage_) ctx::fiber(std::allocator_arg, PoolAllocator{&pool},
                              [entry, arg](ctx::fiber&& from) -> ctx::fiber {
                                  Fiber next = entry(FiberAccess::wrap(std::move(from)), arg);
                                  return std::move(FiberAccess::get(next));
                              });
}

Fiber::Fiber(Fiber&& other) noexcept {
    new (storage_) ctx::fiber(std::move(FiberAccess::get(other)));
}

Fiber& Fiber::operator=(Fiber&& other) noexcept {
    FiberAccess::get(*this) = std::move(FiberAccess::get(other));
    return *this;
}

Fiber::~Fiber() { std::destroy_at(&FiberAccess::get(*this)); }

Fiber Fiber::resume() && { return FiberAccess::wrap(std::move(FiberAccess::get(*this)).resume()); }

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
