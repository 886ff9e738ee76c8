// Line charts as self-contained SVG, written by hand so that the same chart is
// always the same bytes: fixed-precision coordinates, no dates, no random ids.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace timeslice {

/// ChartPanel is one plot of a LineChart: a figure over the shared x values, with
/// one line per series. values[s][i] is series s at x[i]; an empty value breaks
/// the line there.
struct ChartPanel {
    std::string title;  ///< Above the plot, e.g. "average response (ticks)".
    std::vector<std::vector<std::optional<double>>> values;
};

/// LineChart is panels stacked one above the other on one x axis.
struct LineChart {
    std::string title;                   ///< First line, in bold.
    std::vector<std::string> subtitles;  ///< Lines under the title, e.g. the scenario.
    std::string x_label;                 ///< Under the x axis.
    std::vector<double> x;               ///< Increasing; at least one value.
    std::vector<std::string> series;     ///< A legend entry per series, same in every panel.
    std::vector<ChartPanel> panels;
};

/// render_svg() returns `chart` as an SVG document that starts with "<svg".
/// Each panel's y axis runs from 0 to a round number above its largest value.
/// Precondition: every panel has a row of x.size() values per series.
std::string render_svg(const LineChart& chart);

}  // namespace timeslice
