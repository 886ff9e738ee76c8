// Locks, spin locks, semaphores, condition variables, spawn and join: what each
// call does to the tasks, checked on exact traces; deadlocks, priority inversion,
// and what a misused call does.
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "kernel/api.hpp"

namespace timeslice::test {
namespace {

KernelConfig cores(std::uint32_t n) {
    KernelConfig config;
    config.cores = n;
    return config;
}

const std::vector<Job> kOppositeOrders = {
    {"A", 0, "lock a; compute 10; lock b; compute 5; unlock b; unlock a"},
    {"B", 0, "lock b; compute 10; lock a; compute 5; unlock a; unlock b"}};

const std::vector<Job> kOneOrder = {
    {"A", 0, "lock a; compute 10; lock b; compute 5; unlock b; unlock a"},
    {"B", 0, "lock a; compute 10; lock b; compute 5; unlock b; unlock a"}};

/// inversion() runs the classic priority inversion under preemptive priority: L
/// (priority 1) holds the lock r that H (10) needs, and M (5) arrives in between.
Run inversion(bool inherit) {
    SyncSpec sync;
    sync.locks = {{"r", inherit}};
    return run_prioritized({{"L", 0, "lock r; compute 50; unlock r; compute 5"},
                            {"H", 10, "compute 5; lock r; compute 5; unlock r"},
                            {"M", 20, "compute 100"}},
                           {1, 10, 5}, "priority", {}, sync);
}

}  // namespace

TEST_CASE("a released lock goes to the task blocked on it, which wakes a latency later") {
    const Run run = run_jobs({{"A", 0, "lock a; compute 10; unlock a; compute 3"},
                              {"B", 0, "compute 2; lock a; compute 3; unlock a"}},
                             "round-robin", {}, cores(2), locks({"a"}));
    CHECK(event_log(run.trace) ==
          "0 A arrive cpu0\n"
          "0 B arrive cpu0\n"
          "0 A dispatch cpu0 100\n"
          "0 A acquire cpu0 lock 'a'\n"
          "0 B dispatch cpu1 100\n"
          "2 B wait cpu1 lock 'a'\n"
          "10 A release cpu0 lock 'a'\n"
          "10 B handoff cpu0 lock 'a'\n"
          "11 B wake cpu0\n"
          "11 B dispatch cpu1 100\n"
          "13 A exit cpu0\n"
          "14 B release cpu1 lock 'a'\n"
          "14 B exit cpu1\n");
    CHECK(run.metrics.tasks[1].blocked_sync == 9);
    CHECK(run.metrics.tasks[1].blocked_io == 0);
}

TEST_CASE("a lock's waiters get it in the order they came") {
    const Run run = run_jobs({{"A", 0, "lock a; compute 10; unlock a"},
                              {"B", 1, "lock a; unlock a"},
                              {"C", 2, "lock a; unlock a"}},
                             "round-robin", {{"quantum", 1}}, {}, locks({"a"}));
    const std::string log = event_log(run.trace);
    CHECK(log.find("B handoff lock 'a'") < log.find("C handoff lock 'a'"));
}

TEST_CASE("A then B against B then A deadlocks under round-robin with a small slice") {
    const Run run =
        run_jobs(kOppositeOrders, "round-robin", {{"quantum", 5}}, {}, locks({"a", "b"}));
    CHECK(run.trace.stop == StopReason::Deadlock);
    CHECK(run.trace.end == 20);
    CHECK(event_log(run.trace).ends_with("15 A wait lock 'b'\n"
                                         "15 B dispatch 5\n"
                                         "20 B wait lock 'a'\n"
                                         "20 stop deadlock\n"));
}

TEST_CASE("A then B against B then A deadlocks on two CPUs at once") {
    const Run run = run_jobs(kOppositeOrders, "cooperative", {}, cores(2), locks({"a", "b"}));
    CHECK(run.trace.stop == StopReason::Deadlock);
    CHECK(run.trace.end == 10);
}

TEST_CASE("A then B against B then A does not deadlock when nothing interrupts between them") {
    const Run run = run_jobs(kOppositeOrders, "cooperative", {}, {}, locks({"a", "b"}));
    CHECK(run.trace.stop == StopReason::None);
    CHECK(finishes(run) == std::vector<Tick>{15, 30});
}

TEST_CASE("tasks that take the locks in one order never deadlock") {
    for (const char* policy : {"cooperative", "round-robin", "priority", "cfs"}) {
        for (std::uint32_t n : {1u, 2u}) {
            for (std::int64_t quantum : {1, 3, 5, 100}) {
                CAPTURE(policy);
                CAPTURE(n);
                CAPTURE(quantum);
                const PolicyParams params = std::string_view(policy) == "round-robin"
                                                ? PolicyParams{{"quantum", quantum}}
                                                : PolicyParams{};
                const Run run = run_jobs(kOneOrder, policy, params, cores(n), locks({"a", "b"}));
                CHECK(run.trace.stop == StopReason::None);
            }
        }
    }
}

TEST_CASE("a cycle of three tasks and three locks deadlocks") {
    const Run run = run_jobs({{"A", 0, "lock a; compute 5; lock b; unlock b; unlock a"},
                              {"B", 0, "lock b; compute 5; lock c; unlock c; unlock b"},
                              {"C", 0, "lock c; compute 5; lock a; unlock a; unlock c"}},
                             "round-robin", {{"quantum", 2}}, {}, locks({"a", "b", "c"}));
    CHECK(run.trace.stop == StopReason::Deadlock);
}

TEST_CASE("a deadlock stops the run only when no other task can go on") {
    std::vector<Job> jobs = kOppositeOrders;
    jobs.push_back({"C", 0, "compute 500"});
    const Run run = run_jobs(jobs, "round-robin", {{"quantum", 5}}, {}, locks({"a", "b"}));
    CHECK(run.trace.stop == StopReason::Deadlock);
    CHECK(run.metrics.tasks[2].final_state == TaskState::Done);
    CHECK(run.trace.end == *run.metrics.tasks[2].finish);
}

TEST_CASE("priority inversion: the high-priority task waits for the medium one's hog") {
    const Run run = inversion(false);
    CHECK(*run.metrics.tasks[1].finish == 161);
    CHECK(*run.metrics.tasks[2].finish == 120);
    CHECK(event_log(run.trace).find("inherit") == std::string::npos);
}

TEST_CASE("priority inheritance: the holder runs at its waiter's priority until it unlocks") {
    const Run run = inversion(true);
    CHECK(*run.metrics.tasks[1].finish == 61);
    CHECK(*run.metrics.tasks[2].finish == 160);
    const std::string log = event_log(run.trace);
    CHECK(log.find("15 L inherit 10\n") != std::string::npos);
    // Back at priority 1, L gives the CPU to M (5) at once; H wakes a tick later.
    CHECK(log.find("55 L release lock 'r'\n55 H handoff lock 'r'\n55 L inherit 1\n55 L "
                   "preempt\n55 M dispatch\n56 H wake\n56 M preempt\n") != std::string::npos);
}

TEST_CASE("priority inheritance reaches the holder before the freed CPU picks") {
    // M is ready when H blocks: the CPU H leaves must go to L, which now inherits
    // H's priority, not to M.
    SyncSpec sync;
    sync.locks = {{"r", true}};
    const Run run = run_prioritized({{"L", 0, "lock r; compute 50; unlock r; compute 5"},
                                     {"M", 5, "compute 100"},
                                     {"H", 10, "compute 5; lock r; compute 5; unlock r"}},
                                    {1, 5, 10}, "priority", {}, sync);
    CHECK(*run.metrics.tasks[2].finish == 66);
    CHECK(event_log(run.trace).find("15 L inherit 10\n15 H wait lock 'r'\n") !=
          std::string::npos);
}

TEST_CASE("a spinning task keeps its CPU and burns its slice while the holder cannot run") {
    const Run run = run_jobs({{"A", 0, "lock a; compute 30; unlock a"},
                              {"B", 0, "compute 2; spin_lock a; compute 3; unlock a"}},
                             "round-robin", {{"quantum", 10}}, {}, locks({"a"}));
    CHECK(run.metrics.tasks[1].spin == 18);
    CHECK(run.metrics.tasks[1].cpu == 5 + 18);
    CHECK(event_log(run.trace).find("12 B spin lock 'a'\n20 B preempt\n") != std::string::npos);
}

TEST_CASE("on two CPUs a spinning task takes the lock a latency after its release") {
    const Run run = run_jobs({{"A", 0, "lock a; compute 30; unlock a"},
                              {"B", 0, "compute 2; spin_lock a; compute 3; unlock a"}},
                             "round-robin", {{"quantum", 100}}, cores(2), locks({"a"}));
    CHECK(event_log(run.trace).find("30 A release cpu0 lock 'a'\n30 A exit cpu0\n"
                                    "31 B acquire cpu1 lock 'a'\n") != std::string::npos);
    CHECK(run.metrics.tasks[1].spin == 29);
}

TEST_CASE("a task that spins on a lock whose holder never runs is a deadlock, not a hang") {
    const Run run = run_jobs({{"A", 0, "lock a; yield; unlock a"}, {"B", 0, "spin_lock a"}},
                             "cooperative", {}, {}, locks({"a"}));
    CHECK(run.trace.stop == StopReason::Deadlock);
}

TEST_CASE("semaphores make a bounded buffer: the producer waits for a free slot") {
    SyncSpec sync;
    sync.semaphores = {{"items", 0, std::nullopt}, {"slots", 2, std::nullopt}};
    const Run run = run_jobs({{"P", 0, "repeat 3 { sem_wait slots; compute 5; sem_post items }"},
                              {"C", 0, "repeat 3 { sem_wait items; compute 8; sem_post slots }"}},
                             "round-robin", {}, {}, sync);
    const std::string log = event_log(run.trace);
    CHECK(log.find("10 P wait semaphore 'slots'\n") != std::string::npos);
    CHECK(log.find("18 C release semaphore 'slots'\n18 P handoff semaphore 'slots'\n") !=
          std::string::npos);
    CHECK(finishes(run) == std::vector<Tick>{31, 40});
}

TEST_CASE("a waiter on a condition gives up its lock and takes it back once notified") {
    SyncSpec sync = locks({"m"});
    sync.conditions = {"ready"};
    const Run run = run_jobs({{"W", 0, "lock m; wait ready m; compute 2; unlock m"},
                              {"N", 0, "compute 5; lock m; notify ready; compute 1; unlock m"}},
                             "round-robin", {}, {}, sync);
    CHECK(event_log(run.trace) ==
          "0 W arrive\n"
          "0 N arrive\n"
          "0 W dispatch 100\n"
          "0 W acquire lock 'm'\n"
          "0 W release lock 'm'\n"
          "0 W wait condition 'ready'\n"
          "0 N dispatch 100\n"
          "5 N acquire lock 'm'\n"
          "5 N notify condition 'ready'\n"
          "5 W handoff condition 'ready'\n"
          "6 W wake\n"
          "6 N release lock 'm'\n"
          "6 N exit\n"
          "6 W dispatch 100\n"
          "6 W acquire lock 'm'\n"
          "8 W release lock 'm'\n"
          "8 W exit\n");
}

TEST_CASE("notify_all releases every waiter, and a notify with no waiter is lost") {
    SyncSpec sync = locks({"m"});
    sync.conditions = {"go"};
    const Run run = run_jobs({{"N", 0, "notify go; yield; lock m; notify_all go; unlock m"},
                              {"W1", 0, "lock m; wait go m; unlock m"},
                              {"W2", 0, "lock m; wait go m; unlock m"}},
                             "cooperative", {}, {}, sync);
    CHECK(run.trace.stop == StopReason::None);
    const std::string log = event_log(run.trace);
    CHECK(log.find("W1 handoff condition 'go'") != std::string::npos);
    CHECK(log.find("W2 handoff condition 'go'") != std::string::npos);
}

TEST_CASE("a spawned task arrives a latency after its spawn, and join waits for its end") {
    KernelConfig config = cores(2);
    config.wakeup_latency = 2;
    const Run run = run_jobs({{"Main", 0, "spawn Child; compute 3; join Child; compute 1"},
                              {"Child", kSpawned, "compute 10"}},
                             "round-robin", {}, config);
    CHECK(event_log(run.trace) ==
          "0 Main arrive cpu0\n"
          "0 Main dispatch cpu0 100\n"
          "0 Main spawn cpu0 Child\n"
          "2 Child arrive cpu0\n"
          "2 Child dispatch cpu1 100\n"
          "3 Main wait cpu0 task 'Child'\n"
          "12 Child exit cpu1\n"
          "12 Main handoff cpu1 task 'Child'\n"
          "14 Main wake cpu0\n"
          "14 Main dispatch cpu0 100\n"
          "15 Main exit cpu0\n");
    CHECK(run.metrics.tasks[1].arrival == 2);
}

TEST_CASE("join of a task that has ended returns at once") {
    const Run run = run_jobs({{"A", 0, "compute 5"}, {"B", 0, "compute 1; join A; compute 1"}},
                             "cooperative");
    CHECK(event_log(run.trace).find("wait") == std::string::npos);
    CHECK(finishes(run) == std::vector<Tick>{5, 7});
}

TEST_CASE("a task spawned twice, or one that starts by itself, fails the spawner") {
    const Run run = run_jobs({{"A", 0, "spawn B; spawn B"}, {"B", kSpawned, "compute 1"},
                              {"C", 0, "spawn A"}},
                             "cooperative");
    CHECK(run.metrics.tasks[0].error == "it spawns 'B' a second time");
    CHECK(run.metrics.tasks[2].error ==
          "it spawns 'A', which starts by itself (its start is not \"spawned\")");
}

TEST_CASE("misused calls fail the task that made them, with a message that says why") {
    SyncSpec sync = locks({"a"});
    sync.semaphores = {{"s", 1, 1}};
    sync.conditions = {"c"};
    const Run run = run_jobs({{"A", 0, "compute 2; unlock a; compute 1"},
                              {"B", 0, "lock a; lock a"},
                              {"C", 0, "join C"},
                              {"D", 0, "sem_post s"},
                              {"E", 0, "wait c a"}},
                             "cooperative", {}, {}, sync);
    CHECK(run.metrics.tasks[0].error ==
          "it unlocks lock 'a', which it does not hold (nobody holds it)");
    CHECK(run.metrics.tasks[1].error ==
          "it locks lock 'a', which it holds already: a lock is not recursive");
    CHECK(run.metrics.tasks[2].error == "it joins itself, which would wait forever");
    CHECK(run.metrics.tasks[3].error == "it posts semaphore 's' past its maximum of 1");
    CHECK(run.metrics.tasks[4].error == "it waits on condition 'c' without holding lock 'a'");
    CHECK(event_log(run.trace).find("2 A fail \"it unlocks") != std::string::npos);
}

TEST_CASE("unlocking a lock another task holds names the holder") {
    const Run run = run_jobs({{"A", 0, "lock a; yield; unlock a"}, {"B", 0, "unlock a"}},
                             "cooperative", {}, {}, locks({"a"}));
    CHECK(run.metrics.tasks[1].error == "it unlocks lock 'a', which it does not hold (A holds it)");
}

TEST_CASE("a task's code may catch a misused call and go on") {
    Kernel kernel({}, make_policy("cooperative"));
    kernel.declare(locks({"a"}));
    bool caught = false;
    kernel.spawn(cxx_task("A", [&caught] {
        try {
            unlock(LockId{0});
        } catch (const std::logic_error&) {
            caught = true;
        }
        compute(1);
    }));
    kernel.run();
    CHECK(caught);
    CHECK(kernel.trace().stop == StopReason::None);
}

}  // namespace timeslice::test
