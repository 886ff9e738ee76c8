// Greedy line filling (good enough for one-paragraph messages and legends), UTF-8
// character counting, and the edit distance behind "did you mean".
#include "text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace timeslice {

namespace {

/// is_continuation() returns whether `byte` continues a UTF-8 character.
bool is_continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

/// code_points() decodes UTF-8 `text`; a byte that starts no valid sequence
/// stands for itself.
std::u32string code_points(std::string_view text) {
    std::u32string out;
    for (std::size_t at = 0; at < text.size();) {
        const auto lead = static_cast<unsigned char>(text[at]);
        const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        const std::size_t end = next_character(text, at);
        if (end - at != length) {
            out += static_cast<char32_t>(lead);
            ++at;
            continue;
        }
        char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t i = at + 1; i < end; ++i) {
            cp = cp << 6 | (static_cast<unsigned char>(text[i]) & 0x3F);
        }
        out += cp;
        at = end;
    }
    return out;
}

/// is_wide() returns whether `cp` takes two columns: East Asian wide characters
/// and emoji, by the same ranges fmt pads by (compute_width in fmt/format.h), so
/// that counting and padding agree.
bool is_wide(char32_t cp) {
    return cp >= 0x1100 && (cp <= 0x115F || cp == 0x2329 || cp == 0x232A ||
                            (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
                            (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                            (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
                            (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
                            (cp >= 0x20000 && cp <= 0x2FFFD) || (cp >= 0x30000 && cp <= 0x3FFFD) ||
                            (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF));
}

/// edit_distance() returns how many characters must be added, left out, changed
/// or swapped with the next to turn `a` into `b`, ignoring the case of ASCII
/// letters (the optimal string alignment distance).
std::size_t edit_distance(std::u32string_view a, std::u32string_view b) {
    const auto lower = [](char32_t c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; };
    // d[i][j]: the distance between the first i letters of a and the first j of b.
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t changed = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + changed});
            const bool swapped = i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                                 lower(a[i - 2]) == lower(b[j - 1]);
            if (swapped) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

std::size_t characters(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char byte) { return !is_continuation(byte); }));
}

std::size_t columns(std::string_view text) {
    std::size_t shown = 0;
    for (char32_t cp : code_points(text)) shown += is_wide(cp) ? 2 : 1;
    return shown;
}

std::size_t next_character(std::string_view text, std::size_t at) {
    do {
        ++at;
    } while (at < text.size() && is_continuation(text[at]));
    return at;
}

std::string shorten(std::string_view text, std::size_t max_columns) {
    if (columns(text) <= max_columns) return std::string(text);
    std::size_t end = 0;
    for (std::size_t shown = 0;;) {  // Characters while they leave a column for the '~'.
        const std::size_t after = next_character(text, end);
        shown += columns(text.substr(end, after - end));
        if (shown + 1 > max_columns) break;
        end = after;
    }
    return std::string(text.substr(0, end)) + "~";
}

std::string wrap_words(std::string_view text, std::size_t width, std::size_t indent,
                       std::size_t hanging) {
    constexpr std::string_view kBlank = " \t\r\n";
    std::string out;
    std::string line(indent, ' ');
    std::size_t shown = indent;  // Columns the line shows.
    std::size_t start = indent;  // Where the words of the current line begin.
    std::size_t gap = 0;         // Spaces between the line's last word and the next.
    for (std::size_t at = text.find_first_not_of(kBlank); at < text.size();) {
        const std::size_t end = std::min(text.find_first_of(kBlank, at), text.size());
        const std::string_view word = text.substr(at, end - at);
        if (shown > start && shown + gap + columns(word) > width) {
            out += line + "\n";
            line = std::string(indent + hanging, ' ');
            shown = start = line.size();
        } else if (shown > start) {
            line.append(gap, ' ');
            shown += gap;
        }
        line += word;
        shown += columns(word);
        // Within a line a gap of spaces is kept as written (figures are set apart by
        // two); any other gap (a tab, a newline) becomes one space.
        at = std::min(text.find_first_not_of(kBlank, end), text.size());
        const std::string_view blank = text.substr(end, at - end);
        gap = blank.find_first_not_of(' ') == std::string_view::npos ? blank.size() : 1;
    }
    return shown > start ? out + line + "\n" : out;
}

std::string did_you_mean(std::string_view given, std::span<const std::string_view> names) {
    const std::u32string typed = code_points(given);
    std::string_view best;
    std::size_t best_distance = 3;  // At most two edits, and...
    bool tied = false;
    for (std::string_view name : names) {
        const std::u32string candidate = code_points(name);
        const std::size_t length_gap =
            std::max(typed.size(), candidate.size()) - std::min(typed.size(), candidate.size());
        if (length_gap > best_distance) continue;  // Too far, and too long to compare.
        const std::size_t distance = edit_distance(typed, candidate);
        if (3 * distance > typed.size() || distance > best_distance) continue;  // ...a third.
        tied = distance == best_distance && !best.empty();
        if (distance < best_distance) {
            best = name;
            best_distance = distance;
        }
    }
    return best.empty() || tied ? "" : fmt::format("; did you mean '{}'?", best);
}

std::string option_name(std::string_view param) {
    std::string name(param);
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

std::vector<ColumnGroup> column_groups(std::span<const std::size_t> widths, std::size_t keys,
                                       std::size_t gap, std::size_t width) {
    std::size_t key_width = 0;
    for (std::size_t c = 0; c < keys; ++c) key_width += (c == 0 ? 0 : gap) + widths[c];
    std::vector<ColumnGroup> groups;
    for (std::size_t first = keys; first < widths.size();) {
        std::size_t end = first + 1;
        std::size_t used = key_width + gap + widths[first];
        while (end < widths.size() && used + gap + widths[end] <= width)
            used += gap + widths[end++];
        groups.push_back({first, end});
        first = end;
    }
    return groups;
}

std::string join_items(std::span<const std::string> items, std::size_t width) {
    std::string out;
    std::string line;
    for (const std::string& item : items) {
        if (!line.empty() && line.size() + 2 + item.size() > width) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : "  ") + item;
    }
    return line.empty() ? out : out + line + "\n";
}

}  // namespace timeslice
