// Helpers shared by the typed-model tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/hana/for_each.hpp>
#include <cstdint>
#include <deque>
#include <oxwire/activesync/model_codec.hpp>
#include <string>
#include <type_traits>
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

// ------------------------------------------------------------- generated instances

/// Storage the string views of generated instances point to (a deque: views stay valid).
inline std::deque<std::string>& generated_strings() {
  static std::deque<std::string> s;
  return s;
}

namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;
namespace hana = boost::hana;

// A value for every leaf type; containers filled recursively to a small depth.
template <class V>
inline void fill(V& v, int depth, int& n);

template <class T>
inline void fill_struct(T& v, int depth, int& n) {
  hana::for_each(model::model_traits<T>::fields, [&](auto f) {
    using F = decltype(f);
    auto& m = v.*F::member;
    using M = std::remove_cvref_t<decltype(m)>;
    using O = as::detail_model::occurs<M>;
    if constexpr (model::model_struct<typename O::value>)
      if (depth > 3 && F::min_occurs == 0) return;  // the recursive Search And/Or end here
    if constexpr (O::vector) {
      m.resize(F::max_occurs > 1 ? 2 : 1);
      if constexpr (std::is_same_v<typename O::value, bool>)
        for (std::size_t i = 0; i < m.size(); ++i) m[i] = (++n % 2) != 0;
      else
        for (auto& x : m) fill(x, depth + 1, n);
    } else if constexpr (O::optional) {
      fill(m.emplace(), depth + 1, n);
    } else {
      fill(m, depth + 1, n);
    }
  });
}

inline constexpr std::uint8_t opaque_bytes[] = {0x00, 0xFF, 0x03, 0x01};

template <class V>
inline void fill(V& v, int depth, int& n) {
  ++n;
  if constexpr (model::model_struct<V>) {
    fill_struct(v, depth, n);
  } else if constexpr (std::is_same_v<V, std::string_view>) {
    std::string s(1, 's');
    s += std::to_string(n);
    v = generated_strings().emplace_back(std::move(s));
  } else if constexpr (std::is_same_v<V, model::opaque>) {
    v.data = oxwire::bytes_view(opaque_bytes, static_cast<std::size_t>(n % 4 + 1));
  } else if constexpr (std::is_same_v<V, model::date_time>) {
    v.text = "2009-11-12T10:20:30.000Z";
  } else if constexpr (std::is_same_v<V, model::empty>) {
  } else if constexpr (as::detail_model::is_or_empty<V>::value) {
    if (n % 2) v.value.emplace(static_cast<typename decltype(v.value)::value_type>(n % 100));
  } else if constexpr (std::is_same_v<V, bool>) {
    v = n % 2;
  } else if constexpr (std::is_same_v<V, double>) {
    v = n + 0.25;
  } else {
    v = static_cast<V>(n % 100);
  }
}

template <class T>
::testing::AssertionResult generated_round_trip() {
  T v{};
  int n = 0;
  fill(v, 0, n);
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  oxwire::wbxml::basic_encoder enc(w);
  if (auto r = enc.header(); !r) return ::testing::AssertionFailure() << r.error().message();
  if (auto r = as::encode_element(v, enc, 0x00, 0x05); !r)  // any tag of the code pages
    return ::testing::AssertionFailure()
           << model::model_traits<T>::name << ": " << r.error().message();
  auto tok = oxwire::wbxml::tokenizer::create(out);
  auto start = tok->next();
  auto back = as::decode<T>(*tok, *start);
  if (!back)
    return ::testing::AssertionFailure()
           << model::model_traits<T>::name << ": " << back.error().message();
  if (!(*back == v)) return ::testing::AssertionFailure() << model::model_traits<T>::name;
  return ::testing::AssertionSuccess();
}

}  // namespace oxwire_test
