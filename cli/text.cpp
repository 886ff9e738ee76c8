// Greedy line filling: good enough for one-paragraph messages and legends.
#include "text.hpp"

#include <algorithm>
#include <sstream>

namespace timeslice {

std::string wrap_words(std::string_view text, std::size_t width, std::size_t indent,
                       std::size_t hanging) {
    // A line that fits keeps its spacing (tables of figures use two spaces).
    if (indent + text.size() <= width && text.find('\n') == std::string_view::npos &&
        !text.empty()) {
        return std::string(indent, ' ') + std::string(text) + "\n";
    }
    std::istringstream words{std::string(text)};
    std::string out;
    std::string line(indent, ' ');
    std::size_t start = indent;  // Where the words of the current line begin.
    for (std::string word; words >> word;) {
        if (line.size() > start && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line = std::string(indent + hanging, ' ');
            start = line.size();
        } else if (line.size() > start) {
            line += ' ';
        }
        line += word;
    }
    return line.size() > start ? out + line + "\n" : out;
}

std::string option_name(std::string_view param) {
    std::string name(param);
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
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
