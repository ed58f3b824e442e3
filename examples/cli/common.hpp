// Shared plumbing of the command-line tool: options, input, output, the exit-status convention.
// Each area's commands live in examples/cli/<area>.hpp as `int cmd_<area>(verb, args, input)` with
// a `<area>_usage` text; examples/oxwire.cpp dispatches to them.
#pragma once
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <oxwire/core.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oxwire_cli {

inline constexpr int exit_usage = 1;
inline constexpr int exit_decode = 2;
// A command returns this to have main print the usage text and exit with exit_usage.
inline constexpr int usage_requested = -1;

inline int fail(const oxwire::error& e) {
  std::cerr << "error: " << e.message() << "\n";
  return exit_decode;
}

// Options that take a value: `--version 16.1` as well as `--version=16.1`.
inline constexpr std::string_view value_options[] = {"--version"};

// Options (--x, --x=value, or a value option followed by its value) and at most one positional
// FILE argument. Every option's name is in `flags`, so commands reject options they do not know.
struct args {
  std::vector<std::string_view> flags;
  std::vector<std::pair<std::string_view, std::string_view>> values;  // (name, value)
  std::string_view file = "-";
  [[nodiscard]] bool has(std::string_view f) const {
    return std::find(flags.begin(), flags.end(), f) != flags.end();
  }
  /// The value of an option given with one, or nullptr.
  [[nodiscard]] const std::string_view* value(std::string_view f) const {
    for (const auto& [name, v] : values)
      if (name == f) return &v;
    return nullptr;
  }
};

inline args parse(std::span<char*> rest) {
  args a;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string_view s = rest[i];
    if (s.size() <= 2 || !s.starts_with("--")) {
      a.file = s;
      continue;
    }
    const std::size_t eq = s.find('=');
    const std::string_view name = s.substr(0, eq);
    a.flags.push_back(name);
    if (eq != std::string_view::npos)
      a.values.emplace_back(name, s.substr(eq + 1));
    else if (std::ranges::find(value_options, name) != std::end(value_options))
      a.values.emplace_back(name, i + 1 < rest.size() ? std::string_view(rest[++i]) : "");
  }
  return a;
}

inline bool read_input(std::string_view file, std::string& out) {
  if (file == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), {});
    return true;
  }
  std::ifstream f{std::string(file), std::ios::binary};
  if (!f) {
    std::cerr << "error: cannot open " << file << "\n";
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(f), {});
  return true;
}

inline void write(oxwire::bytes_view b) {
  std::fwrite(b.data(), 1, b.size(), stdout);
}
inline void write(std::string_view s) {
  write(oxwire::as_bytes(s));
}

}  // namespace oxwire_cli
