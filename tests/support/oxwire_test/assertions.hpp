// Assertions shared by the oxwire tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <oxwire/core/error.hpp>
#include <oxwire/core/hex.hpp>
#include <string_view>
#include <vector>

namespace oxwire_test {

/// `r` is an error with this code and byte offset (and this `what`, when given):
///   EXPECT_TRUE(fails_with(decode("Zg="), errc::invalid_base64_padding, 2));
/// Any error enum of the library works: `fails_with(r, oxwire::mapi::errc::invalid_flag, 0)`.
template <class R, class E>
::testing::AssertionResult fails_with(const R& r, E code, std::size_t offset,
                                      const char* what = nullptr) {
  const oxwire::error want{code, offset, what ? what : ""};
  if (r) return ::testing::AssertionFailure() << "succeeded; expected " << want.message();
  if (r.error() != want || (what && std::strcmp(r.error().what, what) != 0))
    return ::testing::AssertionFailure() << r.error().message() << "; expected " << want.message();
  return ::testing::AssertionSuccess();
}

/// The bytes of a string literal or view (embedded NULs kept with an explicit length).
inline std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

/// The bytes of a spec-style hex dump ("01 02 0A", whitespace ignored); the dump must be valid.
inline std::vector<std::uint8_t> from_hex(std::string_view dump) {
  return oxwire::hex::decode_dump(dump).value();
}

}  // namespace oxwire_test
