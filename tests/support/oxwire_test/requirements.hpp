// Declares which spec requirements (REQ_IDs of specs/requirements/*.json) a test checks.
//
//   TEST(Utf16, LoneSurrogateIsAnError) {
//     OXWIRE_REQ("MS-OXCDATA_R123", "MS-OXCDATA_R124");
//     ...
//   }
//
// The IDs go into the test's XML report (build/test-results/); tests/trace_requirements.py
// counts, per spec and scope, the Normative requirements covered by at least one passing test.
// Call it once per test; the IDs are checked for their shape at compile time.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace oxwire_test {

// MS-XXXX_R<digits>
constexpr bool is_req_id(std::string_view id) {
  if (id.size() < 6 || id.substr(0, 3) != "MS-") return false;
  const auto sep = id.find("_R");
  if (sep == std::string_view::npos || sep == 3 || sep + 2 == id.size()) return false;
  for (char c : id.substr(3, sep - 3))
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  for (char c : id.substr(sep + 2))
    if (c < '0' || c > '9') return false;
  return true;
}

template <class... Ids>
void record_requirements(Ids... ids) {
  std::string joined;
  ((joined += (joined.empty() ? "" : " "), joined += ids), ...);
  ::testing::Test::RecordProperty("requirements", joined);
}

}  // namespace oxwire_test

#define OXWIRE_REQ(...)                                            \
  do {                                                             \
    static_assert(                                                 \
        [] {                                                       \
          for (std::string_view id : {__VA_ARGS__})                \
            if (!::oxwire_test::is_req_id(id)) return false;       \
          return true;                                             \
        }(),                                                       \
        "OXWIRE_REQ: every argument must look like MS-XXXX_R123"); \
    ::oxwire_test::record_requirements(__VA_ARGS__);               \
  } while (0)
