// oxwire — MS-OXCDATA 2.12 restrictions and 2.13 sort orders: the model and the codec
// declarations (definitions in restriction_codec.hpp, included by <oxwire/mapi/value_codec.hpp>).
//
//   reader in(bytes);
//   restriction r = decode_restriction(in).value();        // ROP buffer: 16-bit counts
//   if (auto* p = std::get_if<PropertyRestriction>(&r.value)) ... p->PropTag ...
//   std::vector<std::uint8_t> out;
//   vector_writer w(out);
//   encode_restriction(w, r).value();                      // the same bytes again
#pragma once

#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/mapi/value.hpp>

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace oxwire::mapi {

template <class S>
struct basic_tagged_value;  // MS-OXCDATA 2.11.4 TaggedPropertyValue, defined in value_codec.hpp

/// A TaggedPropertyValue held in the restriction and rule-action models. It is boxed because its
/// definition comes after this header (value_codec.hpp decodes restrictions inside values).
using boxed_tagged_value = boxed<basic_tagged_value<owned>>;

/// MS-OXCDATA 2.12: the first byte of every restriction; also its index in restriction::value.
enum class RestrictType : std::uint8_t {
  AndRestriction = 0x00,
  OrRestriction = 0x01,
  NotRestriction = 0x02,
  ContentRestriction = 0x03,
  PropertyRestriction = 0x04,
  ComparePropertiesRestriction = 0x05,
  BitMaskRestriction = 0x06,
  SizeRestriction = 0x07,
  ExistRestriction = 0x08,
  SubObjectRestriction = 0x09,
  CommentRestriction = 0x0A,
  CountRestriction = 0x0B,
};

/// MS-OXCDATA 2.12.5.1 RelOp (also 2.12.6.1 and 2.12.8.1), by the table's alternate names.
enum class RelOp : std::uint8_t {
  RELOP_LT = 0x00,
  RELOP_LE = 0x01,
  RELOP_GT = 0x02,
  RELOP_GE = 0x03,
  RELOP_EQ = 0x04,
  RELOP_NE = 0x05,
  RELOP_MEMBER_OF_DL = 0x64,
};

/// MS-OXCDATA 2.12.4.1 FuzzyLevelLow: exactly one of these.
enum class FuzzyLevelLow : std::uint16_t {
  FL_FULLSTRING = 0x0000,
  FL_SUBSTRING = 0x0001,
  FL_PREFIX = 0x0002,
};

/// MS-OXCDATA 2.12.4.1 FuzzyLevelHigh: any combination of these bits.
enum class FuzzyLevelHigh : std::uint16_t {
  FL_IGNORECASE = 0x0001,
  FL_IGNORENONSPACE = 0x0002,
  FL_LOOSE = 0x0004,
};
[[nodiscard]] constexpr FuzzyLevelHigh operator|(FuzzyLevelHigh a, FuzzyLevelHigh b) noexcept {
  return static_cast<FuzzyLevelHigh>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}

/// MS-OXCDATA 2.12.7.1 BitmapRelOp.
enum class BitmapRelOp : std::uint8_t {
  BMR_EQZ = 0x00,
  BMR_NEZ = 0x01,
};

struct restriction;

/// MS-OXCDATA 2.12.1.1 AndRestriction and 2.12.2.1 OrRestriction share one layout: RestrictCount
/// (a COUNT: 16 bits in ROPs, 32 in extended rules) and Restricts. RestrictCount is
/// Restricts.size().
template <RestrictType T>
struct junction_restriction {
  std::vector<restriction> Restricts;
  friend bool operator==(const junction_restriction&, const junction_restriction&) = default;
};
using AndRestriction = junction_restriction<RestrictType::AndRestriction>;
using OrRestriction = junction_restriction<RestrictType::OrRestriction>;

/// MS-OXCDATA 2.12.3.1.
struct NotRestriction {
  boxed<restriction> Restriction;
  friend bool operator==(const NotRestriction&, const NotRestriction&) = default;
};

/// MS-OXCDATA 2.12.4.1. The property types of PropertyTag and of TaggedValue's tag must agree
/// (the multi-value bit aside).
struct ContentRestriction {
  mapi::FuzzyLevelLow FuzzyLevelLow = mapi::FuzzyLevelLow::FL_FULLSTRING;
  mapi::FuzzyLevelHigh FuzzyLevelHigh{};
  property_tag PropertyTag{};
  boxed_tagged_value TaggedValue;
  friend bool operator==(const ContentRestriction&, const ContentRestriction&) = default;
};

/// MS-OXCDATA 2.12.5.1.
struct PropertyRestriction {
  mapi::RelOp RelOp = mapi::RelOp::RELOP_EQ;
  property_tag PropTag{};
  boxed_tagged_value TaggedValue;
  friend bool operator==(const PropertyRestriction&, const PropertyRestriction&) = default;
};

/// MS-OXCDATA 2.12.6.1.
struct ComparePropertiesRestriction {
  mapi::RelOp RelOp = mapi::RelOp::RELOP_EQ;
  property_tag PropTag1{};
  property_tag PropTag2{};
  friend bool operator==(const ComparePropertiesRestriction&,
                         const ComparePropertiesRestriction&) = default;
};

/// MS-OXCDATA 2.12.7.1. PropTag must be of type PtypInteger32.
struct BitMaskRestriction {
  mapi::BitmapRelOp BitmapRelOp = mapi::BitmapRelOp::BMR_EQZ;
  property_tag PropTag{};
  std::uint32_t Mask = 0;
  friend bool operator==(const BitMaskRestriction&, const BitMaskRestriction&) = default;
};

/// MS-OXCDATA 2.12.8.1.
struct SizeRestriction {
  mapi::RelOp RelOp = mapi::RelOp::RELOP_EQ;
  property_tag PropTag{};
  std::uint32_t Size = 0;
  friend bool operator==(const SizeRestriction&, const SizeRestriction&) = default;
};

/// MS-OXCDATA 2.12.9.1.
struct ExistRestriction {
  property_tag PropTag{};
  friend bool operator==(const ExistRestriction&, const ExistRestriction&) = default;
};

/// MS-OXCDATA 2.12.10.1. Subobject is PidTagMessageRecipients or PidTagMessageAttachments.
struct SubObjectRestriction {
  property_tag Subobject{};
  boxed<restriction> Restriction;
  friend bool operator==(const SubObjectRestriction&, const SubObjectRestriction&) = default;
};

/// MS-OXCDATA 2.12.11 (TaggedValuesCount is 1 byte; RestrictionPresent is whether Restriction
/// holds a value). The tagged values must be single-valued.
struct CommentRestriction {
  std::vector<basic_tagged_value<owned>> TaggedValues;
  std::optional<boxed<restriction>> Restriction;
  friend bool operator==(const CommentRestriction&, const CommentRestriction&) = default;
};

/// MS-OXCDATA 2.12.12.
struct CountRestriction {
  std::uint32_t Count = 0;
  boxed<restriction> SubRestriction;
  friend bool operator==(const CountRestriction&, const CountRestriction&) = default;
};

/// One MS-OXCDATA 2.12 restriction; the variant index is the RestrictType:
/// `restriction r{ExistRestriction{property_tag{0x0037001F}}};`.
struct restriction {
  using variant_type =
      std::variant<AndRestriction, OrRestriction, NotRestriction, ContentRestriction,
                   PropertyRestriction, ComparePropertiesRestriction, BitMaskRestriction,
                   SizeRestriction, ExistRestriction, SubObjectRestriction, CommentRestriction,
                   CountRestriction>;
  variant_type value;

  [[nodiscard]] mapi::RestrictType RestrictType() const noexcept {
    return static_cast<mapi::RestrictType>(value.index());
  }
  friend bool operator==(const restriction&, const restriction&) = default;
};

/// MS-OXCDATA 2.12 Restriction; `opts.counts` picks the COUNT width (count_width::rop for ROP
/// buffers, count_width::extended for extended rules), `opts.max_depth` bounds the nesting
/// (errc::nesting_too_deep at the restriction past it): `decode_restriction(in)`.
[[nodiscard]] inline result<restriction> decode_restriction(reader& in,
                                                            const value_options& opts = {});

/// Writes `r` in the form `decode_restriction` reads: `encode_restriction(w, r)`.
template <class Sink>
[[nodiscard]] result<void> encode_restriction(basic_writer<Sink>& w, const restriction& r,
                                              const value_options& opts = {});

namespace detail {

// Shared by the restriction and rule-action codecs (defined in restriction_codec.hpp; declared
// here because value_codec.hpp may bring in rule_action_codec.hpp before restriction_codec.hpp).

/// Smallest TaggedPropertyValue: a PropertyTag with a PtypNull value (MS-OXCDATA 2.11.4).
inline constexpr std::size_t min_tagged_value_size = 4;

/// MS-OXCDATA 2.11.4 TaggedPropertyValue straight into the owned model; a nested PtypRestriction
/// or PtypRuleAction is decoded once, with `opts` (its COUNT width included).
[[nodiscard]] inline result<basic_tagged_value<owned>> read_tagged_value(reader& in,
                                                                         const value_options& opts);

/// `n` TaggedPropertyValues after their count (already read and checked); `single_valued`
/// rejects multi-valued ones with errc::type_mismatch naming `what`.
[[nodiscard]] inline result<std::vector<basic_tagged_value<owned>>> read_tagged_values(
    reader& in, std::uint32_t n, const value_options& opts, bool single_valued, const char* what);

template <class Sink>
[[nodiscard]] result<void> write_tagged_values(basic_writer<Sink>& w,
                                               const std::vector<basic_tagged_value<owned>>& vs,
                                               const value_options& opts, bool single_valued,
                                               const char* what);

}  // namespace detail

/// MS-OXCDATA 2.13.1 Order.
enum class Order : std::uint8_t {
  Ascending = 0x00,
  Descending = 0x01,
  MaximumCategory = 0x04,  // sort categories by their maximum value of this column
};

/// MS-OXCDATA 2.13.1 SortOrder.
struct SortOrder {
  mapi::PropertyType PropertyType = mapi::PropertyType::PtypUnspecified;
  std::uint16_t PropertyId = 0;
  mapi::Order Order = mapi::Order::Ascending;
  friend bool operator==(const SortOrder&, const SortOrder&) = default;
};

/// MS-OXCDATA 2.13.2 SortOrderSet; SortOrderCount is Sorts.size(), and
/// ExpandedCount <= CategorizedCount <= SortOrderCount.
struct SortOrderSet {
  std::uint16_t CategorizedCount = 0;
  std::uint16_t ExpandedCount = 0;
  std::vector<SortOrder> Sorts;
  friend bool operator==(const SortOrderSet&, const SortOrderSet&) = default;
};

/// MS-OXCDATA 2.13.1: `auto s = decode_sort_order(in);`.
[[nodiscard]] inline result<SortOrder> decode_sort_order(reader& in);
template <class Sink>
[[nodiscard]] result<void> encode_sort_order(basic_writer<Sink>& w, const SortOrder& s);

/// MS-OXCDATA 2.13.2: `auto set = decode_sort_order_set(in);` (the counts are checked).
[[nodiscard]] inline result<SortOrderSet> decode_sort_order_set(reader& in);
template <class Sink>
[[nodiscard]] result<void> encode_sort_order_set(basic_writer<Sink>& w, const SortOrderSet& s);

}  // namespace oxwire::mapi
