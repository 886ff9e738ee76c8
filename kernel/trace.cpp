// Names of the trace's enumerations, as they appear in JSON and on screen.
#include "trace.hpp"

#include <fmt/format.h>

namespace timeslice {

std::string_view name(EventKind kind) {
    switch (kind) {
        case EventKind::Arrive:
            return "arrive";
        case EventKind::Dispatch:
            return "dispatch";
        case EventKind::Switch:
            return "switch";
        case EventKind::Yield:
            return "yield";
        case EventKind::Preempt:
            return "preempt";
        case EventKind::Renew:
            return "renew";
        case EventKind::Block:
            return "block";
        case EventKind::Wake:
            return "wake";
        case EventKind::Exit:
            return "exit";
        case EventKind::Fail:
            return "fail";
        case EventKind::Stop:
            return "stop";
        case EventKind::Acquire:
            return "acquire";
        case EventKind::Release:
            return "release";
        case EventKind::Wait:
            return "wait";
        case EventKind::Spin:
            return "spin";
        case EventKind::Handoff:
            return "handoff";
        case EventKind::Notify:
            return "notify";
        case EventKind::NotifyAll:
            return "notify_all";
        case EventKind::Spawn:
            return "spawn";
        case EventKind::Inherit:
            return "inherit";
    }
    return "?";
}

std::string_view name(TaskState state) {
    switch (state) {
        case TaskState::New:
            return "new";
        case TaskState::Ready:
            return "ready";
        case TaskState::Running:
            return "running";
        case TaskState::Blocked:
            return "blocked";
        case TaskState::Done:
            return "done";
        case TaskState::Failed:
            return "failed";
    }
    return "?";
}

std::string_view name(StopReason reason) {
    switch (reason) {
        case StopReason::None:
            return "none";
        case StopReason::MaxTicks:
            return "max-ticks";
        case StopReason::MaxEvents:
            return "max-events";
        case StopReason::NoProgress:
            return "no-progress";
        case StopReason::Deadlock:
            return "deadlock";
    }
    return "?";
}

std::string_view name(SyncKind kind) {
    switch (kind) {
        case SyncKind::Lock:
            return "lock";
        case SyncKind::Semaphore:
            return "semaphore";
        case SyncKind::Condition:
            return "condition";
        case SyncKind::Task:
            return "task";
    }
    return "?";
}

const std::string& object_name(const Trace& trace, SyncRef ref) {
    switch (ref.kind) {
        case SyncKind::Lock:
            return trace.sync.locks.at(ref.index).name;
        case SyncKind::Semaphore:
            return trace.sync.semaphores.at(ref.index).name;
        case SyncKind::Condition:
            return trace.sync.conditions.at(ref.index);
        case SyncKind::Task:
            break;
    }
    return trace.tasks.at(ref.index).name;
}

std::string describe(const Trace& trace, SyncRef ref) {
    return fmt::format("{} '{}'", name(ref.kind), object_name(trace, ref));
}

}  // namespace timeslice
