// printable(): text quoted in a message, kept on one line.
#pragma once

#include <string>
#include <string_view>

namespace timeslice {

/// printable() returns `text` with each control character written as an escape
/// ("\n", "\t", "\r", "\u0000"), for a message that quotes it and must stay on
/// one line (a raw NUL would even end it).
std::string printable(std::string_view text);

}  // namespace timeslice
