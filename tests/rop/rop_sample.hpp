// A value of any ROP struct, built from its layout (the table, not code per ROP): every field
// filled, counted arrays with two elements, conditional fields present exactly where their
// condition holds, counts and sizes consistent. `seed` varies the scalars and flags, so both
// sides of the conditions are reached.
#pragma once

#include <oxwire/rop.hpp>

#include "oxwire_test/assertions.hpp"

#include <string_view>

namespace oxwire_test {

using namespace oxwire;
using namespace oxwire::rop;

/// Columns the samples' rows use: a PtypInteger32 and a PtypString column.
inline constexpr std::array<mapi::property_tag, 2> sample_columns{mapi::property_tag{0x0E080003},
                                                                  mapi::property_tag{0x0037001F}};

template <class S>
S make_sample(unsigned seed, const context& ctx = {});

template <kind K, class T>
void sample_value(T& v, unsigned seed) {
  using mapi::PropertyType;
  if constexpr (K == kind::u8 || K == kind::u16 || K == kind::u32 || K == kind::u64 ||
                K == kind::i32) {
    v = static_cast<T>(seed % 5);
  } else if constexpr (K == kind::u48) {
    v = 0x123456789ABCu + seed;
  } else if constexpr (K == kind::guid) {
    v = oxwire::guid::from_string("{00020329-0000-0000-C000-000000000046}");
  } else if constexpr (K == kind::bytes || K == kind::rest) {
    v = {1, 2, static_cast<std::uint8_t>(seed)};
  } else if constexpr (K == kind::asciiz) {
    v = "IPM.Note";
  } else if constexpr (K == kind::sized_asciiz) {
    if (seed % 2) v = "/o=First Organization/ou=Exchange";
  } else if constexpr (K == kind::flex_string) {
    v = u"Inbox";
  } else if constexpr (K == kind::tag) {
    v = mapi::property_tag{0x0037001F};
  } else if constexpr (K == kind::tagged_value) {
    v = {mapi::property_tag{0x0E080003},
         mapi::property_value::make<PropertyType::PtypInteger32>(static_cast<std::int32_t>(seed))};
  } else if constexpr (K == kind::typed_string) {
    v = {mapi::string_type::unicode, {}, u"RE: "};
  } else if constexpr (K == kind::problem) {
    v = {1, mapi::property_tag{0x0037001F}, static_cast<gen::mapi::ErrorCode>(0x8004010F)};
  } else if constexpr (K == kind::restriction) {
    if (seed % 2) v = mapi::restriction{mapi::ExistRestriction{mapi::property_tag{0x0037001F}}};
  } else if constexpr (K == kind::long_term_id) {
    v = {oxwire::guid::from_string("{00020329-0000-0000-C000-000000000046}"), 0x0102030405};
  } else if constexpr (K == kind::name) {
    v = {mapi::name_kind::lid,
         oxwire::guid::from_string("{00062008-0000-0000-C000-000000000046}"),
         0x8501,
         {}};
  } else if constexpr (K == kind::sort_order) {
    v = {PropertyType::PtypInteger32, 0x0E08, mapi::Order::Descending};
  } else if constexpr (K == kind::row) {
    v.Flag = seed % 2 ? mapi::row_flag::flagged : mapi::row_flag::standard;
    v.ValueArray = {{PropertyType::PtypInteger32, mapi::value_flag::present,
                     mapi::property_value::make<PropertyType::PtypInteger32>(7)},
                    {PropertyType::PtypString, mapi::value_flag::present,
                     mapi::property_value::make<PropertyType::PtypString>(u"Subject")}};
  } else {
    static_assert(K == kind::nested);
    v = make_sample<T>(seed);
  }
}

// ReturnValue (and LogonFlags) that select response variant `variant`.
template <class S>
void select_variant(S& s, unsigned seed) {
  if constexpr (requires { s.ReturnValue; }) {
    constexpr std::string_view v = layout<S>::variant;
    s.ReturnValue = v.starts_with("success")          ? 0
                    : v == "redirect"                 ? 0x478
                    : v == "null_destination_failure" ? 0x503
                    : v == "failure"                  ? 0x80004005
                    : seed % 2                        ? 0x480  // ServerBusy (BackoffTime)
                                                      : 0;
  }
  if constexpr (requires { s.LogonFlags; })
    if (layout<S>::variant.starts_with("success_p"))
      s.LogonFlags = layout<S>::variant == "success_private_mailbox" ? 1 : 0;
}

template <class S, std::size_t I>
void sample_member(S& s, unsigned seed) {
  constexpr field_info f = layout<S>::fields[I];
  if constexpr (f.value < 0) {
    auto& m = rop::detail::member<I>(s);
    auto& data = [&]() -> auto& {
      if constexpr (f.conditional) {
        if (!m) m.emplace();
        return *m;
      } else {
        return m;
      }
    }
    ();
    if constexpr (f.array) {
      data.resize(2);
      for (auto& e : data) sample_value<f.kind>(e, seed);
    } else if constexpr (f.fixed) {
      for (auto& e : data) sample_value<f.kind>(e, seed + 1);
    } else {
      sample_value<f.kind>(data, seed);
    }
  }
}

template <class S, std::size_t I>
void settle_member(S& s, const context& ctx) {
  if constexpr (layout<S>::fields[I].conditional)
    if (!layout<S>::present(I, s, ctx)) rop::detail::member<I>(s).reset();
}

template <class S>
S make_sample(unsigned seed, const context& ctx) {
  S s{};
  constexpr std::size_t n = layout<S>::fields.size();
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (sample_member<S, I>(s, seed), ...);
  }
  (std::make_index_sequence<n>{});
  select_variant(s, seed);
  for (int round = 0; round < 2; ++round) {  // conditions may read counts, counts the data
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (settle_member<S, I>(s, ctx), ...);
    }
    (std::make_index_sequence<n>{});
    (void)fill_counts(s, ctx);
  }
  return s;
}

}  // namespace oxwire_test
