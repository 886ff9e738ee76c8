// Names of the trace's enumerations, as they appear in JSON and on screen.
#include "trace.hpp"

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
    }
    return "?";
}

}  // namespace timeslice
