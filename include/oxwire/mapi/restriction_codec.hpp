// oxwire — MS-OXCDATA 2.12 restriction and 2.13 sort order codecs (the model and the declarations
// are in restriction.hpp). Included at the bottom of <oxwire/mapi/value_codec.hpp>, because a
// restriction holds TaggedPropertyValues and a PtypRestriction value holds a restriction.
#pragma once

#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/value_codec.hpp>

#include <array>
#include <string_view>
#include <type_traits>
#include <utility>

namespace oxwire::mapi {

namespace detail {

/// Smallest restriction on the wire, in either COUNT width: a CommentRestriction with no tagged
/// values and no restriction (RestrictType, TaggedValuesCount, RestrictionPresent: MS-OXCDATA
/// 2.12.11.1); an empty And/Or is 3 bytes with 16-bit counts and 5 with 32-bit ones.
inline constexpr std::size_t min_restriction_size = 3;

/// The property type without the MultivalueFlag (0x1000) and MultivalueInstance (0x2000) bits.
[[nodiscard]] constexpr std::uint16_t base_type(property_tag t) noexcept {
  return static_cast<std::uint16_t>(t.value & 0x0FFF);
}
[[nodiscard]] constexpr bool is_multivalued(property_tag t) noexcept {
  return (t.value & 0x1000) != 0;
}

// The value checks shared by decoder and encoder, so that whatever encodes also decodes.
[[nodiscard]] constexpr bool is_valid(RelOp v) noexcept {
  return static_cast<std::uint8_t>(v) <= 0x05 || v == RelOp::RELOP_MEMBER_OF_DL;
}
[[nodiscard]] constexpr bool is_valid(FuzzyLevelLow v) noexcept {
  return static_cast<std::uint16_t>(v) <= 0x0002;
}
[[nodiscard]] constexpr bool is_valid(FuzzyLevelHigh v) noexcept {
  return (static_cast<std::uint16_t>(v) & ~0x0007u) == 0;
}
[[nodiscard]] constexpr bool is_valid(BitmapRelOp v) noexcept {
  return static_cast<std::uint8_t>(v) <= 0x01;
}
[[nodiscard]] constexpr bool is_valid(Order v) noexcept {
  return v == Order::Ascending || v == Order::Descending || v == Order::MaximumCategory;
}
/// MS-OXCDATA 2.12.10.1: the only two subobjects.
inline constexpr std::array<property_tag, 2> subobjects{prop::PidTagMessageRecipients.tag(),
                                                        prop::PidTagMessageAttachments.tag()};
[[nodiscard]] constexpr bool is_valid_subobject(property_tag t) noexcept {
  return t == subobjects[0] || t == subobjects[1];
}
/// MS-OXCDATA 2.12.7.1: the tested property is a single-valued PtypInteger32.
[[nodiscard]] constexpr bool is_valid_bitmask_tag(property_tag t) noexcept {
  return t.type() == PropertyType::PtypInteger32;
}
/// MS-OXCDATA 2.12.4.1: PropertyTag and the TaggedValue's tag have the same base type.
[[nodiscard]] constexpr bool same_base_type(property_tag a, property_tag b) noexcept {
  return base_type(a) == base_type(b);
}

/// Reads a one-byte enum and checks it: `read_enum<RelOp>(in, "RelOp")`.
template <class E>
[[nodiscard]] result<E> read_enum(reader& in, const char* what) noexcept {
  const std::size_t at = in.offset();
  auto v = in.read<std::underlying_type_t<E>>(what);
  if (!v) [[unlikely]]
    return v.error();
  const auto e = static_cast<E>(*v);
  if (!is_valid(e)) [[unlikely]]
    return error{errc::invalid_kind, at, what};
  return e;
}

template <class Sink, class E>
[[nodiscard]] result<void> write_enum(basic_writer<Sink>& w, E e, const char* what) {
  if (!is_valid(e)) [[unlikely]]
    return error{errc::invalid_kind, w.size(), what};
  return w.template write<std::underlying_type_t<E>>(static_cast<std::underlying_type_t<E>>(e),
                                                     what);
}

inline result<basic_tagged_value<owned>> read_tagged_value(reader& in, const value_options& opts) {
  const std::size_t at = in.offset();
  auto t = in.read<std::uint32_t>("PropertyTag");
  if (!t) [[unlikely]]
    return t.error();
  basic_tagged_value<owned> out{property_tag{*t}, {}};
  const PropertyType type = out.tag.type();
  if (type == PropertyType::PtypRestriction) {
    auto r = decode_restriction(in, opts);
    if (!r) [[unlikely]]
      return r.error();
    out.value = property_value::make<PropertyType::PtypRestriction>(std::move(*r));
  } else if (type == PropertyType::PtypRuleAction) {
    auto a = decode_rule_actions(in, opts);
    if (!a) [[unlikely]]
      return a.error();
    out.value = property_value::make<PropertyType::PtypRuleAction>(std::move(*a));
  } else {
    if (!is_known_type(type)) [[unlikely]]
      return error{errc::unknown_property_type, at, "PropertyTag"};
    auto v = decode_value(in, type, opts);
    if (!v) [[unlikely]]
      return v.error();
    out.value = to_owned(*v);
  }
  return out;
}

inline result<std::vector<basic_tagged_value<owned>>> read_tagged_values(
    reader& in, std::uint32_t n, const value_options& opts, bool single_valued, const char* what) {
  std::vector<basic_tagged_value<owned>> out;
  out.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::size_t at = in.offset();
    auto v = read_tagged_value(in, opts);
    if (!v) [[unlikely]]
      return v.error();
    if (single_valued && is_multivalued(v->tag)) [[unlikely]]
      return error{errc::type_mismatch, at, what};
    out.push_back(std::move(*v));
  }
  return out;
}

template <class Sink>
result<void> write_tagged_values(basic_writer<Sink>& w,
                                 const std::vector<basic_tagged_value<owned>>& vs,
                                 const value_options& opts, bool single_valued, const char* what) {
  for (const auto& v : vs) {
    if (single_valued && is_multivalued(v.tag)) [[unlikely]]
      return error{errc::type_mismatch, w.size(), what};
    if (auto r = encode_tagged_value(w, v, opts); !r) [[unlikely]]
      return r;
  }
  return {};
}

/// A count followed by `n` restrictions (MS-OXCDATA 2.12.1.1, 2.12.2.1).
template <RestrictType T>
[[nodiscard]] result<restriction> read_junction(reader& in, const value_options& inner, bool wide) {
  const std::size_t count_at = in.offset();
  auto n = read_count(in, wide, "RestrictCount");
  if (!n) [[unlikely]]
    return n.error();
  if (auto ok = check_count(in, *n, min_restriction_size, count_at, "RestrictCount"); !ok)
      [[unlikely]]
    return ok.error();
  junction_restriction<T> j;
  j.Restricts.reserve(*n);
  for (std::uint32_t i = 0; i < *n; ++i) {
    auto c = decode_restriction(in, inner);
    if (!c) [[unlikely]]
      return c.error();
    j.Restricts.push_back(std::move(*c));
  }
  return restriction{std::move(j)};
}

/// A restriction that is the last field of its parent.
[[nodiscard]] inline result<boxed<restriction>> read_child(reader& in, const value_options& inner) {
  auto c = decode_restriction(in, inner);
  if (!c) [[unlikely]]
    return c.error();
  return boxed<restriction>(std::move(*c));
}

}  // namespace detail

inline result<restriction> decode_restriction(reader& in, const value_options& opts) {
  using namespace detail;
  const std::size_t at = in.offset();
  if (opts.depth >= opts.max_depth) [[unlikely]]
    return error{errc::nesting_too_deep, at, "Restriction"};
  const bool wide = opts.counts == count_width::extended;
  const value_options inner = opts.nested();
  // MS-OXCDATA 2.12: the first byte is RestrictType.
  auto type = in.read<std::uint8_t>("RestrictType");
  if (!type) [[unlikely]]
    return type.error();

  switch (static_cast<RestrictType>(*type)) {
    case RestrictType::AndRestriction:
      return read_junction<RestrictType::AndRestriction>(in, inner, wide);
    case RestrictType::OrRestriction:
      return read_junction<RestrictType::OrRestriction>(in, inner, wide);
    case RestrictType::NotRestriction: {
      auto c = read_child(in, inner);
      if (!c) [[unlikely]]
        return c.error();
      return restriction{NotRestriction{std::move(*c)}};
    }
    case RestrictType::ContentRestriction: {  // MS-OXCDATA 2.12.4.1
      ContentRestriction x;
      auto low = read_enum<FuzzyLevelLow>(in, "FuzzyLevelLow");
      if (!low) [[unlikely]]
        return low.error();
      x.FuzzyLevelLow = *low;
      const std::size_t high_at = in.offset();
      std::uint16_t high = 0;
      if (auto ok = in.read_into("ContentRestriction", high, x.PropertyTag.value); !ok) [[unlikely]]
        return ok.error();
      x.FuzzyLevelHigh = static_cast<FuzzyLevelHigh>(high);
      if (!is_valid(x.FuzzyLevelHigh)) [[unlikely]]
        return error{errc::invalid_flag, high_at, "FuzzyLevelHigh"};
      const std::size_t value_at = in.offset();
      auto v = read_tagged_value(in, inner);
      if (!v) [[unlikely]]
        return v.error();
      if (!same_base_type(x.PropertyTag, v->tag)) [[unlikely]]
        return error{errc::type_mismatch, value_at, "TaggedValue"};
      x.TaggedValue = std::move(*v);
      return restriction{std::move(x)};
    }
    case RestrictType::PropertyRestriction: {  // MS-OXCDATA 2.12.5.1
      PropertyRestriction x;
      auto op = read_enum<RelOp>(in, "RelOp");
      if (!op) [[unlikely]]
        return op.error();
      x.RelOp = *op;
      if (auto ok = in.read_into("PropTag", x.PropTag.value); !ok) [[unlikely]]
        return ok.error();
      auto v = read_tagged_value(in, inner);
      if (!v) [[unlikely]]
        return v.error();
      x.TaggedValue = std::move(*v);
      return restriction{std::move(x)};
    }
    case RestrictType::ComparePropertiesRestriction: {  // MS-OXCDATA 2.12.6.1
      ComparePropertiesRestriction x;
      auto op = read_enum<RelOp>(in, "RelOp");
      if (!op) [[unlikely]]
        return op.error();
      x.RelOp = *op;
      if (auto ok =
              in.read_into("ComparePropertiesRestriction", x.PropTag1.value, x.PropTag2.value);
          !ok) [[unlikely]]
        return ok.error();
      return restriction{x};
    }
    case RestrictType::BitMaskRestriction: {  // MS-OXCDATA 2.12.7.1
      BitMaskRestriction x;
      auto op = read_enum<BitmapRelOp>(in, "BitmapRelOp");
      if (!op) [[unlikely]]
        return op.error();
      x.BitmapRelOp = *op;
      const std::size_t tag_at = in.offset();
      if (auto ok = in.read_into("BitMaskRestriction", x.PropTag.value, x.Mask); !ok) [[unlikely]]
        return ok.error();
      if (!is_valid_bitmask_tag(x.PropTag)) [[unlikely]]
        return error{errc::type_mismatch, tag_at, "PropTag"};
      return restriction{x};
    }
    case RestrictType::SizeRestriction: {  // MS-OXCDATA 2.12.8.1
      SizeRestriction x;
      auto op = read_enum<RelOp>(in, "RelOp");
      if (!op) [[unlikely]]
        return op.error();
      x.RelOp = *op;
      if (auto ok = in.read_into("SizeRestriction", x.PropTag.value, x.Size); !ok) [[unlikely]]
        return ok.error();
      return restriction{x};
    }
    case RestrictType::ExistRestriction: {  // MS-OXCDATA 2.12.9.1
      ExistRestriction x;
      if (auto ok = in.read_into("PropTag", x.PropTag.value); !ok) [[unlikely]]
        return ok.error();
      return restriction{x};
    }
    case RestrictType::SubObjectRestriction: {  // MS-OXCDATA 2.12.10.1
      SubObjectRestriction x;
      const std::size_t sub_at = in.offset();
      if (auto ok = in.read_into("Subobject", x.Subobject.value); !ok) [[unlikely]]
        return ok.error();
      if (!is_valid_subobject(x.Subobject)) [[unlikely]]
        return error{errc::invalid_kind, sub_at, "Subobject"};
      auto c = read_child(in, inner);
      if (!c) [[unlikely]]
        return c.error();
      x.Restriction = std::move(*c);
      return restriction{std::move(x)};
    }
    case RestrictType::CommentRestriction: {  // MS-OXCDATA 2.12.11
      CommentRestriction x;
      const std::size_t count_at = in.offset();
      auto n = in.read<std::uint8_t>("TaggedValuesCount");
      if (!n) [[unlikely]]
        return n.error();
      if (auto ok = check_count(in, *n, min_tagged_value_size, count_at, "TaggedValuesCount"); !ok)
          [[unlikely]]
        return ok.error();
      auto vs = read_tagged_values(in, *n, inner, true, "TaggedValues");
      if (!vs) [[unlikely]]
        return vs.error();
      x.TaggedValues = std::move(*vs);
      const std::size_t present_at = in.offset();
      auto present = in.read<std::uint8_t>("RestrictionPresent");
      if (!present) [[unlikely]]
        return present.error();
      if (*present > 1) [[unlikely]]
        return error{errc::invalid_boolean, present_at, "RestrictionPresent"};
      if (*present == 1) {
        auto c = read_child(in, inner);
        if (!c) [[unlikely]]
          return c.error();
        x.Restriction = std::move(*c);
      }
      return restriction{std::move(x)};
    }
    case RestrictType::CountRestriction: {  // MS-OXCDATA 2.12.12
      CountRestriction x;
      if (auto ok = in.read_into("Count", x.Count); !ok) [[unlikely]]
        return ok.error();
      auto c = read_child(in, inner);
      if (!c) [[unlikely]]
        return c.error();
      x.SubRestriction = std::move(*c);
      return restriction{std::move(x)};
    }
  }
  return error{errc::invalid_kind, at, "RestrictType"};
}

template <class Sink>
result<void> encode_restriction(basic_writer<Sink>& w, const restriction& r,
                                const value_options& opts) {
  using namespace detail;
  if (opts.depth >= opts.max_depth) [[unlikely]]
    return error{errc::nesting_too_deep, w.size(), "Restriction"};
  const bool wide = opts.counts == count_width::extended;
  const value_options inner = opts.nested();
  if (auto ok = w.template write<std::uint8_t>(static_cast<std::uint8_t>(r.RestrictType()),
                                               "RestrictType");
      !ok) [[unlikely]]
    return ok;
  const auto u32 = [&](std::uint32_t v, const char* what) {
    return w.template write<std::uint32_t>(v, what);
  };
  return std::visit(
      [&]<class X>(const X& x) -> result<void> {
        if constexpr (std::is_same_v<X, AndRestriction> || std::is_same_v<X, OrRestriction>) {
          if (auto ok = write_count(w, x.Restricts.size(), wide, "RestrictCount"); !ok) [[unlikely]]
            return ok;
          for (const restriction& c : x.Restricts)
            if (auto ok = encode_restriction(w, c, inner); !ok) [[unlikely]]
              return ok;
          return {};
        } else if constexpr (std::is_same_v<X, NotRestriction>) {
          return encode_restriction(w, *x.Restriction, inner);
        } else if constexpr (std::is_same_v<X, ContentRestriction>) {
          if (auto ok = write_enum(w, x.FuzzyLevelLow, "FuzzyLevelLow"); !ok) [[unlikely]]
            return ok;
          if (!is_valid(x.FuzzyLevelHigh)) [[unlikely]]
            return error{errc::invalid_flag, w.size(), "FuzzyLevelHigh"};
          if (auto ok = w.template write<std::uint16_t>(
                  static_cast<std::uint16_t>(x.FuzzyLevelHigh), "FuzzyLevelHigh");
              !ok) [[unlikely]]
            return ok;
          if (auto ok = u32(x.PropertyTag.value, "PropertyTag"); !ok) [[unlikely]]
            return ok;
          if (!same_base_type(x.PropertyTag, x.TaggedValue->tag)) [[unlikely]]
            return error{errc::type_mismatch, w.size(), "TaggedValue"};
          return encode_tagged_value(w, *x.TaggedValue, inner);
        } else if constexpr (std::is_same_v<X, PropertyRestriction>) {
          if (auto ok = write_enum(w, x.RelOp, "RelOp"); !ok) [[unlikely]]
            return ok;
          if (auto ok = u32(x.PropTag.value, "PropTag"); !ok) [[unlikely]]
            return ok;
          return encode_tagged_value(w, *x.TaggedValue, inner);
        } else if constexpr (std::is_same_v<X, ComparePropertiesRestriction>) {
          if (auto ok = write_enum(w, x.RelOp, "RelOp"); !ok) [[unlikely]]
            return ok;
          if (auto ok = u32(x.PropTag1.value, "PropTag1"); !ok) [[unlikely]]
            return ok;
          return u32(x.PropTag2.value, "PropTag2");
        } else if constexpr (std::is_same_v<X, BitMaskRestriction>) {
          if (auto ok = write_enum(w, x.BitmapRelOp, "BitmapRelOp"); !ok) [[unlikely]]
            return ok;
          if (!is_valid_bitmask_tag(x.PropTag)) [[unlikely]]
            return error{errc::type_mismatch, w.size(), "PropTag"};
          if (auto ok = u32(x.PropTag.value, "PropTag"); !ok) [[unlikely]]
            return ok;
          return u32(x.Mask, "Mask");
        } else if constexpr (std::is_same_v<X, SizeRestriction>) {
          if (auto ok = write_enum(w, x.RelOp, "RelOp"); !ok) [[unlikely]]
            return ok;
          if (auto ok = u32(x.PropTag.value, "PropTag"); !ok) [[unlikely]]
            return ok;
          return u32(x.Size, "Size");
        } else if constexpr (std::is_same_v<X, ExistRestriction>) {
          return u32(x.PropTag.value, "PropTag");
        } else if constexpr (std::is_same_v<X, SubObjectRestriction>) {
          if (!is_valid_subobject(x.Subobject)) [[unlikely]]
            return error{errc::invalid_kind, w.size(), "Subobject"};
          if (auto ok = u32(x.Subobject.value, "Subobject"); !ok) [[unlikely]]
            return ok;
          return encode_restriction(w, *x.Restriction, inner);
        } else if constexpr (std::is_same_v<X, CommentRestriction>) {
          if (x.TaggedValues.size() > 0xFF) [[unlikely]]
            return error{oxwire::errc::out_of_range, w.size(), "TaggedValuesCount"};
          if (auto ok = w.template write<std::uint8_t>(
                  static_cast<std::uint8_t>(x.TaggedValues.size()), "TaggedValuesCount");
              !ok) [[unlikely]]
            return ok;
          if (auto ok = write_tagged_values(w, x.TaggedValues, inner, true, "TaggedValues"); !ok)
              [[unlikely]]
            return ok;
          if (auto ok = w.template write<std::uint8_t>(x.Restriction ? 1 : 0, "RestrictionPresent");
              !ok) [[unlikely]]
            return ok;
          return x.Restriction ? encode_restriction(w, **x.Restriction, inner) : result<void>{};
        } else {
          static_assert(std::is_same_v<X, CountRestriction>);
          if (auto ok = u32(x.Count, "Count"); !ok) [[unlikely]]
            return ok;
          return encode_restriction(w, *x.SubRestriction, inner);
        }
      },
      r.value);
}

inline result<SortOrder> decode_sort_order(reader& in) {
  // MS-OXCDATA 2.13.1: PropertyType, PropertyId (together the bytes of a PropertyTag), Order.
  SortOrder s;
  std::uint16_t type = 0;
  if (auto ok = in.read_into("SortOrder", type, s.PropertyId); !ok) [[unlikely]]
    return ok.error();
  s.PropertyType = static_cast<PropertyType>(type);
  auto order = detail::read_enum<Order>(in, "Order");
  if (!order) [[unlikely]]
    return order.error();
  s.Order = *order;
  return s;
}

template <class Sink>
result<void> encode_sort_order(basic_writer<Sink>& w, const SortOrder& s) {
  if (auto ok = w.template write<std::uint16_t>(static_cast<std::uint16_t>(s.PropertyType),
                                                "PropertyType");
      !ok) [[unlikely]]
    return ok;
  if (auto ok = w.template write<std::uint16_t>(s.PropertyId, "PropertyId"); !ok) [[unlikely]]
    return ok;
  return detail::write_enum(w, s.Order, "Order");
}

namespace detail {

/// MS-OXCDATA 2.13.2 (and MS-OXCTABL 2.2.2.3.1): ExpandedCount <= CategorizedCount <=
/// SortOrderCount, and a MaximumCategory sort stands right after the category sorts. Returns the
/// index of the first field in error: 0 CategorizedCount, 1 ExpandedCount, 2 + i Sorts[i]; -1 ok.
[[nodiscard]] inline std::ptrdiff_t sort_order_set_fault(const SortOrderSet& s,
                                                         std::size_t count) noexcept {
  if (s.CategorizedCount > count) return 0;
  if (s.ExpandedCount > s.CategorizedCount) return 1;
  for (std::size_t i = 0; i < s.Sorts.size(); ++i)
    if (s.Sorts[i].Order == Order::MaximumCategory &&
        (s.CategorizedCount == 0 || i != s.CategorizedCount))
      return static_cast<std::ptrdiff_t>(2 + i);
  return -1;
}

}  // namespace detail

inline result<SortOrderSet> decode_sort_order_set(reader& in) {
  const std::size_t at = in.offset();
  SortOrderSet s;
  std::uint16_t count = 0;
  if (auto ok = in.read_into("SortOrderSet", count, s.CategorizedCount, s.ExpandedCount); !ok)
      [[unlikely]]
    return ok.error();
  if (auto ok = detail::check_count(in, count, 5, at, "SortOrderCount"); !ok) [[unlikely]]
    return ok.error();
  if (s.CategorizedCount > count) [[unlikely]]
    return error{oxwire::errc::out_of_range, at + 2, "CategorizedCount"};
  if (s.ExpandedCount > s.CategorizedCount) [[unlikely]]
    return error{oxwire::errc::out_of_range, at + 4, "ExpandedCount"};
  s.Sorts.reserve(count);
  for (std::uint16_t i = 0; i < count; ++i) {
    auto o = decode_sort_order(in);
    if (!o) [[unlikely]]
      return o.error();
    s.Sorts.push_back(*o);
  }
  if (const auto bad = detail::sort_order_set_fault(s, count); bad >= 0) [[unlikely]]
    return error{errc::invalid_kind, at + 6 + 5 * static_cast<std::size_t>(bad - 2) + 4, "Order"};
  return s;
}

template <class Sink>
result<void> encode_sort_order_set(basic_writer<Sink>& w, const SortOrderSet& s) {
  const std::size_t at = w.size();
  if (s.Sorts.size() > 0xFFFF) [[unlikely]]
    return error{oxwire::errc::out_of_range, at, "SortOrderCount"};
  switch (const auto bad = detail::sort_order_set_fault(s, s.Sorts.size()); bad) {
    case -1: break;
    case 0: return error{oxwire::errc::out_of_range, at + 2, "CategorizedCount"};
    case 1: return error{oxwire::errc::out_of_range, at + 4, "ExpandedCount"};
    default:
      return error{errc::invalid_kind, at + 6 + 5 * static_cast<std::size_t>(bad - 2) + 4, "Order"};
  }
  for (const std::uint16_t v :
       {static_cast<std::uint16_t>(s.Sorts.size()), s.CategorizedCount, s.ExpandedCount})
    if (auto ok = w.template write<std::uint16_t>(v, "SortOrderSet"); !ok) [[unlikely]]
      return ok;
  for (const SortOrder& o : s.Sorts)
    if (auto ok = encode_sort_order(w, o); !ok) [[unlikely]]
      return ok;
  return {};
}

}  // namespace oxwire::mapi
