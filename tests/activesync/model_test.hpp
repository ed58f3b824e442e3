// Helpers shared by the typed-model tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <oxwire/activesync/model_codec.hpp>
#include <vector>

namespace oxwire_test {

/// Decodes `in` as T, encodes it back, decodes that again; `canonical` says whether the bytes came
/// back unchanged (canonical input).
template <class T>
::testing::AssertionResult model_round_trip(const std::vector<std::uint8_t>& in, bool& canonical) {
  namespace as = oxwire::activesync;
  auto v = as::decode<T>(in);
  if (!v) return ::testing::AssertionFailure() << "decode: " << v.error().message();
  auto out = as::encode(*v);
  if (!out) return ::testing::AssertionFailure() << "encode: " << out.error().message();
  canonical = *out == in;
  auto again = as::decode<T>(*out);
  if (!again) return ::testing::AssertionFailure() << "re-decode: " << again.error().message();
  if (!(*again == *v)) return ::testing::AssertionFailure() << "decode(encode(x)) != x";
  return ::testing::AssertionSuccess();
}

}  // namespace oxwire_test
