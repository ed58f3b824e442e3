// ../shared (spec sources and the conformance corpus) for tests that read it.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace oxwire_test {

/// ../shared/<sub>: $OXWIRE_SHARED_DIR, else the compile definition of that name, else beside the
/// source tree. Empty path when absent.
inline std::filesystem::path shared_dir(const std::filesystem::path& sub) {
  std::filesystem::path shared;
  if (const char* env = std::getenv("OXWIRE_SHARED_DIR")) {
    shared = env;
  } else {
#ifdef OXWIRE_SHARED_DIR
    shared = OXWIRE_SHARED_DIR;
#else
    shared = std::filesystem::path(__FILE__).parent_path() / "../../../../shared";
#endif
  }
  const auto dir = shared / sub;
  return std::filesystem::is_directory(dir) ? dir : std::filesystem::path{};
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

/// The path of an executable on $PATH, or "" (oracle tools: wbxml2xml, php, node, ...).
inline std::string find_tool(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (::access((std::filesystem::path(dir) / name).c_str(), X_OK) == 0)
      return std::filesystem::path(dir) / name;
  return {};
}

}  // namespace oxwire_test

/// Declares `var` = ../shared/<sub>; without it the test is skipped loudly, or fails under CI=true.
#define OXWIRE_REQUIRE_SHARED(var, sub)                                                     \
  const auto var = ::oxwire_test::shared_dir(sub);                                          \
  if (var.empty()) {                                                                        \
    const char* ci_ = std::getenv("CI");                                                    \
    if (ci_ && std::string(ci_) == "true") FAIL() << "../shared/" sub " is missing";        \
    GTEST_SKIP() << "*** NOT RUN: ../shared/" sub " is missing; set OXWIRE_SHARED_DIR ***"; \
  }                                                                                         \
  static_assert(true)
