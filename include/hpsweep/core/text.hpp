#pragma once
/// Text from files that may be crafted, made safe to show.

#include <string>
#include <string_view>

namespace hpsweep::core {

/// `text` with every control character (C0, DEL and the UTF-8-encoded C1 range) replaced by '?',
/// so that a name or message from a crafted file cannot send escape sequences to a terminal.
[[nodiscard]] std::string printable(std::string_view text);

/// `text` cut to at most `limit` bytes (then "... (N bytes)"), printable: for echoing input in
/// messages without echoing megabytes.
[[nodiscard]] std::string excerpt(std::string_view text, std::size_t limit = 80);

}  // namespace hpsweep::core
