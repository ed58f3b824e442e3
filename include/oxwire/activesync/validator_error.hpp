// oxwire — what the ActiveSync schema validator reports (validator.hpp).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::activesync {

/// Schema violations of a WBXML document; `error::what` names the element (its tag).
enum class schema_errc : int {
  unexpected_element = 1,  // the parent's content model has no such child (or it is a leaf)
  out_of_order,            // a sequence child after one that must follow it
  too_many,                // more occurrences than maxOccurs
  missing_required,        // a required child is absent at the parent's END
  choice_conflict,         // a second alternative of an exclusive xs:choice
  not_in_version,          // the tag does not exist in the protocol version in use
  text_not_allowed,        // text or opaque data in element-only content
  invalid_integer,         // not an xs:integer lexical value
  integer_out_of_range,    // outside the type's range or min/maxInclusive
  invalid_boolean,         // not 0 or 1 (MS-ASDTYPE 2.1)
  invalid_datetime,        // neither MS-ASDTYPE 2.3 dateTime form
  invalid_double,          // not an xs:double lexical value
  not_in_enumeration,      // not one of the xs:enumeration values
  invalid_length,          // outside min/maxLength (characters), or text in an empty element
  pattern_mismatch,        // does not match the xs:pattern
  no_schema,               // the root has no schema for this direction (options::require_schema)
  depth_exceeded,          // deeper than validator_max_depth
  excluded_by_sibling,     // a sibling already present excludes it (validator_rules.hpp)
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(schema_errc e) noexcept {
  switch (e) {
    case schema_errc::unexpected_element: return "element not allowed here";
    case schema_errc::out_of_order: return "element out of sequence order";
    case schema_errc::too_many: return "element occurs too often";
    case schema_errc::missing_required: return "required element missing";
    case schema_errc::choice_conflict: return "second alternative of an exclusive choice";
    case schema_errc::not_in_version: return "element not in this protocol version";
    case schema_errc::text_not_allowed: return "text not allowed in element content";
    case schema_errc::invalid_integer: return "invalid integer";
    case schema_errc::integer_out_of_range: return "integer out of range";
    case schema_errc::invalid_boolean: return "invalid boolean";
    case schema_errc::invalid_datetime: return "invalid dateTime";
    case schema_errc::invalid_double: return "invalid double";
    case schema_errc::not_in_enumeration: return "value not in the enumeration";
    case schema_errc::invalid_length: return "value length out of range";
    case schema_errc::pattern_mismatch: return "value does not match the pattern";
    case schema_errc::no_schema: return "no schema for this root element";
    case schema_errc::depth_exceeded: return "nesting deeper than the validator's stack";
    case schema_errc::excluded_by_sibling:
      return "element not allowed together with a sibling already present";
  }
  return "unknown oxwire.activesync.schema error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<schema_errc> schema_category_instance{
    0x6f78776972650042ULL, "oxwire.activesync.schema"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& schema_category() noexcept {
  return detail::schema_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(schema_errc e) noexcept {
  return {static_cast<int>(e), schema_category()};
}

}  // namespace oxwire::activesync

template <>
struct boost::system::is_error_code_enum<oxwire::activesync::schema_errc> : std::true_type {};
