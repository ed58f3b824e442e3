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

inline void sample_fields(void* obj, const struct_info& s, unsigned seed);

// A value of each column type the samples' rows use (sample_columns and the fixed columns of
// RopGetReceiveFolderTable, MS-OXCROPS 2.2.3.4.2).
inline mapi::property_value sample_column_value(mapi::PropertyType t, unsigned seed) {
  using mapi::PropertyType;
  switch (t) {
    case PropertyType::PtypInteger32:
      return mapi::property_value::make<PropertyType::PtypInteger32>(7);
    case PropertyType::PtypInteger64:
      return mapi::property_value::make<PropertyType::PtypInteger64>(0x0102030405 + seed);
    case PropertyType::PtypString8:
      return mapi::property_value::make<PropertyType::PtypString8>("IPM.Note");
    case PropertyType::PtypTime:
      return mapi::property_value::make<PropertyType::PtypTime>({0x01D0000000000000u + seed});
    default: return mapi::property_value::make<PropertyType::PtypString>(u"Subject");
  }
}

template <kind K>
void sample_value(rop::detail::value_t<K>& v, unsigned seed,
                  std::span<const mapi::property_tag> columns = sample_columns) {
  using mapi::PropertyType;
  if constexpr (K == kind::u8 || K == kind::u16 || K == kind::u32 || K == kind::u64 ||
                K == kind::i32) {
    v = static_cast<rop::detail::value_t<K>>(seed % 5);
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
  } else {
    static_assert(K == kind::row);
    v.Flag = seed % 2 ? mapi::row_flag::flagged : mapi::row_flag::standard;
    v.ValueArray.clear();
    for (const mapi::property_tag c : columns)
      v.ValueArray.push_back(
          {c.type(), mapi::value_flag::present, sample_column_value(c.type(), seed)});
  }
}

// Field f of the struct at obj: present, two elements in a vector, every array element set.
inline void sample_field(void* obj, const field& f, unsigned seed) {
  void* m = rop::detail::member_at(obj, f);
  if (f.kind == kind::nested) {
    const struct_info& e = *f.nested;
    if (f.shape == shape::one) return sample_fields(m, e, seed);
    auto* p = static_cast<std::byte*>(e.vector_resize(m, 2));
    for (std::size_t i = 0; i < 2; ++i) sample_fields(p + i * e.element_size, e, seed);
    return;
  }
  const auto columns = f.columns == columns_from::fixed
                           ? f.fixed_columns
                           : std::span<const mapi::property_tag>(sample_columns);
  rop::detail::with_kind(f.kind, [&](auto k) {
    constexpr kind K = decltype(k)::value;
    using T = rop::detail::value_t<K>;
    if (f.shape == shape::array) {
      for (std::size_t i = 0; i < f.fixed; ++i)
        sample_value<K>(static_cast<T*>(m)[i], seed + 1, columns);
    } else if (f.shape == shape::vector) {
      auto& v = f.conditional ? static_cast<std::optional<std::vector<T>>*>(m)->emplace()
                              : *static_cast<std::vector<T>*>(m);
      v.resize(2);
      for (auto& e : v) sample_value<K>(e, seed, columns);
    } else {
      sample_value<K>(
          f.conditional ? static_cast<std::optional<T>*>(m)->emplace() : *static_cast<T*>(m), seed,
          columns);
    }
  });
}

inline void sample_fields(void* obj, const struct_info& s, unsigned seed) {
  for (const field& f : s.fields)
    if (f.value < 0) sample_field(obj, f, seed);
}

// ReturnValue (and LogonFlags) that select response variant `s.variant`.
inline void select_variant(void* obj, const struct_info& s, unsigned seed) {
  const std::string_view v = s.variant;
  for (const field& f : s.fields) {
    if (std::string_view(f.name) == "ReturnValue" && v != "request")
      (void)rop::detail::set_scalar(obj, f,
                                    v.starts_with("success")          ? 0
                                    : v == "redirect"                 ? 0x478
                                    : v == "null_destination_failure" ? 0x503
                                    : v == "failure"                  ? 0x80004005
                                    : seed % 2                        ? 0x480  // ServerBusy
                                                                      : 0);
    if (std::string_view(f.name) == "LogonFlags" && v.starts_with("success_p"))
      (void)rop::detail::set_scalar(obj, f, v == "success_private_mailbox" ? 1 : 0);
  }
}

// Conditional fields are present exactly where their condition holds (a condition may read a
// count that fill_counts set after the field was first left out: RopOptionsData HelpFileName).
inline void settle(void* obj, const struct_info& s, const context& ctx, unsigned seed) {
  for (const field& f : s.fields) {
    if (!f.conditional) continue;
    if (rop::detail::holds(f.present, obj, s.fields, ctx)) {
      sample_field(obj, f, seed);
      continue;
    }
    void* m = rop::detail::member_at(obj, f);
    rop::detail::with_kind(f.kind, [&](auto k) {
      using T = rop::detail::value_t<decltype(k)::value>;
      if (f.shape == shape::vector)
        static_cast<std::optional<std::vector<T>>*>(m)->reset();
      else
        static_cast<std::optional<T>*>(m)->reset();
    });
  }
}

/// A value of S, built from its table (nothing per field is instantiated).
template <class S>
S make_sample(unsigned seed, const context& ctx = {}) {
  S s{};
  const struct_info& i = info<S>;
  sample_fields(&s, i, seed);
  select_variant(&s, i, seed);
  for (int round = 0; round < 2; ++round) {  // conditions may read counts, counts the data
    settle(&s, i, ctx, seed);
    (void)fill_counts(s, ctx);
  }
  return s;
}

}  // namespace oxwire_test
