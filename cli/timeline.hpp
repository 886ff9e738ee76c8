// The ASCII Gantt chart: one lane per task and one for the CPU, on a time axis
// scaled to the terminal. Rendered from runs' histories, never from the kernel.
#pragma once

#include <span>
#include <string>

#include "simulate.hpp"

namespace timeslice {

/// Style is how output looks: its width in columns and whether it is coloured.
struct Style {
    int width = 80;
    bool color = false;
};

/// LabeledRun is a run with the title printed above its lanes.
struct LabeledRun {
    std::string title;
    const RunResult* run;
};

/// render_timelines() renders `runs` stacked on one shared time axis, followed by
/// the legend. Each column shows the state a lane spent most of its ticks in.
std::string render_timelines(std::span<const LabeledRun> runs, const Style& style);

/// task_key() returns the character that stands for task `i` in the CPU lane:
/// 1-9, then A-Z, then a-z, then '?'.
char task_key(std::size_t i);

}  // namespace timeslice
