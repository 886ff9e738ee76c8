// render_svg(): lays a LineChart out on a fixed page, top to bottom: title,
// subtitles, legend, then the panels, each with grid lines and y labels, and the
// x labels under the last one. Coordinates are printed with one decimal, so the
// bytes depend only on the chart.
#include "chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace timeslice {
namespace {

constexpr double kWidth = 720;
constexpr double kLeft = 72;  // Room for the y labels.
constexpr double kRight = 24;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPanelHeight = 140;
constexpr double kPanelGap = 44;  // Between panels: the x axis above, the next title.
constexpr double kLegendRow = 18;
constexpr std::size_t kLegendPerRow = 4;
constexpr double kLegendItem = kPlotWidth / kLegendPerRow;

// Okabe and Ito's palette, which people with colour blindness can tell apart.
constexpr std::array<const char*, 8> kColors = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                                "#e69f00", "#56b4e9", "#000000", "#999999"};

/// Axis maps values onto pixels, with round-numbered ticks.
struct Axis {
    double low = 0;
    double high = 1;
    double step = 1;  ///< Between ticks.
    double from = 0;  ///< Pixel of `low`.
    double to = 1;    ///< Pixel of `high`.

    double pixel(double value) const { return from + (value - low) / (high - low) * (to - from); }
};

/// nice_step() returns the least of 1, 2 and 5 times a power of ten that is at
/// least `raw` (> 0): tick spacings people read at a glance.
double nice_step(double raw) {
    double power = 1;
    while (power * 10 <= raw) power *= 10;
    while (power > raw) power /= 10;
    for (double m : {1.0, 2.0, 5.0}) {
        if (m * power >= raw) return m * power;
    }
    return 10 * power;
}

/// decimals() returns how many decimals print every multiple of `step`.
int decimals(double step) {
    int digits = 0;
    for (double s = step; s < 1 - 1e-9 && digits < 6; s *= 10) ++digits;
    return digits;
}

std::string num(double value) { return fmt::format("{:.1f}", value); }

std::string escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string text(double x, double y, std::string_view content, std::string_view attributes = "") {
    return fmt::format("<text x=\"{}\" y=\"{}\"{}{}>{}</text>\n", num(x), num(y),
                       attributes.empty() ? "" : " ", attributes, escape(content));
}

std::string line(double x1, double y1, double x2, double y2, std::string_view stroke) {
    return fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>\n", num(x1),
                       num(y1), num(x2), num(y2), stroke);
}

/// y_axis() spans 0 to the first tick at or above the panel's largest value.
Axis y_axis(const ChartPanel& panel, double top) {
    double largest = 0;
    for (const auto& series : panel.values) {
        for (const std::optional<double>& v : series) largest = std::max(largest, v.value_or(0));
    }
    if (largest <= 0) largest = 1;
    Axis axis;
    axis.step = nice_step(largest / 4);
    axis.high = std::ceil(largest / axis.step - 1e-9) * axis.step;
    axis.from = top + kPanelHeight;
    axis.to = top;
    return axis;
}

Axis x_axis(const std::vector<double>& x) {
    Axis axis;
    axis.low = x.front();
    axis.high = x.back();
    if (axis.high <= axis.low) {  // One value: centre it.
        axis.low -= 1;
        axis.high += 1;
    }
    axis.step = nice_step((axis.high - axis.low) / 6);
    axis.from = kLeft;
    axis.to = kLeft + kPlotWidth;
    return axis;
}

/// ticks() returns the multiples of the axis's step between its ends.
std::vector<double> ticks(const Axis& axis) {
    std::vector<double> out;
    const double first = std::ceil(axis.low / axis.step - 1e-9);
    for (double k = first; k * axis.step <= axis.high + axis.step * 1e-9; ++k) {
        out.push_back(k * axis.step + 0.0);  // + 0.0 turns -0 into 0.
    }
    return out;
}

std::string legend(const LineChart& chart, double top) {
    std::string out;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        const double x = kLeft + static_cast<double>(s % kLegendPerRow) * kLegendItem;
        const double y = top + static_cast<double>(s / kLegendPerRow) * kLegendRow;
        out += fmt::format(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
            "stroke-width=\"2\"/>\n",
            num(x), num(y - 4), num(x + 20), num(y - 4), kColors[s % kColors.size()]);
        out += text(x + 26, y, chart.series[s]);
    }
    return out;
}

// One polyline per unbroken stretch of values, a dot on every value.
std::string series_lines(const std::vector<std::optional<double>>& values, const Axis& x_axis,
                         const std::vector<double>& x, const Axis& y_axis, const char* color) {
    std::string out;
    std::string points;
    std::string dots;
    const auto flush = [&] {
        if (!points.empty()) {
            out += fmt::format(
                "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", color,
                points);
        }
        points.clear();
    };
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i]) {
            flush();
            continue;
        }
        const std::string px = num(x_axis.pixel(x[i]));
        const std::string py = num(y_axis.pixel(*values[i]));
        points += fmt::format("{}{},{}", points.empty() ? "" : " ", px, py);
        dots += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"/>\n", px, py, color);
    }
    flush();
    return out + dots;
}

std::string panel(const LineChart& chart, const ChartPanel& p, const Axis& x, double top) {
    const Axis y = y_axis(p, top);
    std::string out = text(kLeft, top - 8, p.title, "font-weight=\"bold\"");
    for (double t : ticks(x)) out += line(x.pixel(t), top, x.pixel(t), top + kPanelHeight, "#ddd");
    for (double t : ticks(y)) {
        out += line(kLeft, y.pixel(t), kLeft + kPlotWidth, y.pixel(t), "#ddd");
        out += text(kLeft - 6, y.pixel(t) + 4, fmt::format("{:.{}f}", t, decimals(y.step)),
                    "text-anchor=\"end\"");
    }
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
        "stroke=\"#888\"/>\n",
        num(kLeft), num(top), num(kPlotWidth), num(kPanelHeight));
    for (std::size_t s = 0; s < p.values.size(); ++s)
        out += series_lines(p.values[s], x, chart.x, y, kColors[s % kColors.size()]);
    return out;
}

}  // namespace

// The page grows downwards: each part's top is where the one above it ended.
std::string render_svg(const LineChart& chart) {
    constexpr double kSubtitleLine = 18;
    const double legend_top = 50 + static_cast<double>(chart.subtitles.size()) * kSubtitleLine;
    const double legend_rows =
        static_cast<double>((chart.series.size() + kLegendPerRow - 1) / kLegendPerRow);
    const double panels_top = legend_top + legend_rows * kLegendRow + 24;
    const double panels = static_cast<double>(chart.panels.size());
    const double bottom = panels_top + panels * kPanelHeight + (panels - 1) * kPanelGap;
    const double height = bottom + 48;
    std::string body = text(kLeft, 26, chart.title, "font-size=\"16\" font-weight=\"bold\"");
    for (std::size_t i = 0; i < chart.subtitles.size(); ++i) {
        body += text(kLeft, 46 + static_cast<double>(i) * kSubtitleLine, chart.subtitles[i]);
    }
    body += legend(chart, legend_top);
    const Axis x = x_axis(chart.x);
    for (std::size_t i = 0; i < chart.panels.size(); ++i) {
        const double top = panels_top + static_cast<double>(i) * (kPanelHeight + kPanelGap);
        body += panel(chart, chart.panels[i], x, top);
    }
    for (double t : ticks(x)) {
        body += text(x.pixel(t), bottom + 16, fmt::format("{:.{}f}", t, decimals(x.step)),
                     "text-anchor=\"middle\"");
    }
    body += text(kLeft + kPlotWidth / 2, bottom + 36, chart.x_label, "text-anchor=\"middle\"");
    return fmt::format(
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
               "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n"
               "<title>{2}</title>\n"
               "<rect width=\"{0:.0f}\" height=\"{1:.0f}\" fill=\"white\"/>\n",
               kWidth, height, escape(chart.title)) +
           body + "</svg>\n";
}

}  // namespace timeslice
