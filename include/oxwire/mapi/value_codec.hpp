// oxwire — wire forms of MAPI property values (MS-OXCDATA 2.11.2–2.11.7) and the structures made
// of them: PropertyTag arrays (2.9), PropertyName (2.6.1), PropertyProblem (2.7), PropertyRow and
// PropertyRowSet (2.8), TypedString (2.11.7).
//
//   reader in(bytes);
//   auto v = decode_tagged_value(in);              // tagged_value_view, strings point into bytes
//   std::vector<std::uint8_t> out;
//   vector_writer w(out);
//   encode_tagged_value(w, *v);                    // the same bytes again
#pragma once

#include <oxwire/core/writer.hpp>
#include <oxwire/mapi/detail/wire_strings.hpp>
#include <oxwire/mapi/restriction.hpp>
#include <oxwire/mapi/rule_action.hpp>
#include <oxwire/mapi/value.hpp>

#include <algorithm>
#include <span>

namespace oxwire::mapi {

namespace detail {

using oxwire::detail::load_le;

/// A PtypString value (MS-OXCDATA 2.11.1.2: NUL-terminated UTF-16LE), validated.
[[nodiscard]] inline result<utf16le> read_string(reader& in, const char* what = "PtypString") {
  auto s = read_utf16z(in, what);
  if (!s) [[unlikely]]
    return s.error();
  return utf16le{*s};
}
[[nodiscard]] inline result<std::string_view> read_string8(reader& in,
                                                           const char* what = "PtypString8") {
  return read_string8z(in, what);
}

/// A COUNT (MS-OXCDATA 2.11.1.1) of `wide` (32-bit) or 16-bit width.
[[nodiscard]] inline result<std::uint32_t> read_count(reader& in, bool wide,
                                                      const char* what) noexcept {
  if (wide) return in.read<std::uint32_t>(what);
  auto c = in.read<std::uint16_t>(what);
  if (!c) [[unlikely]]
    return c.error();
  return std::uint32_t{*c};
}

/// Fails with count_too_large if `count` items of at least `min_size` bytes cannot fit in what is
/// left: checked before anything is allocated.
[[nodiscard]] inline result<void> check_count(const reader& in, std::uint64_t count,
                                              std::size_t min_size, std::size_t count_at,
                                              const char* what) noexcept {
  if (count * min_size > in.remaining()) [[unlikely]]
    return error{errc::count_too_large, count_at, what};
  return {};
}

[[nodiscard]] inline result<bytes_view> read_binary(reader& in, bool wide) noexcept {
  auto n = read_count(in, wide, "PtypBinary COUNT");
  if (!n) [[unlikely]]
    return n.error();
  return in.bytes(*n, "PtypBinary");
}

template <class T>
[[nodiscard]] result<le_array<T>> read_array(reader& in, const char* what) noexcept {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint32_t>(what);  // value counts are 32 bits in every context
  if (!n) [[unlikely]]
    return n.error();
  if (auto ok = check_count(in, *n, le_array<T>::element_size, at, what); !ok) [[unlikely]]
    return ok.error();
  return le_array<T>{*in.bytes(std::size_t{*n} * le_array<T>::element_size)};
}

template <class T, class F>
[[nodiscard]] result<std::vector<T>> read_list(reader& in, std::size_t min_size, const char* what,
                                               F&& read_one) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint32_t>(what);
  if (!n) [[unlikely]]
    return n.error();
  if (auto ok = check_count(in, *n, min_size, at, what); !ok) [[unlikely]]
    return ok.error();
  std::vector<T> out;
  out.reserve(*n);
  for (std::uint32_t i = 0; i < *n; ++i) {
    auto e = read_one(in);
    if (!e) [[unlikely]]
      return e.error();
    out.push_back(*e);
  }
  return out;
}

[[nodiscard]] inline result<server_id> read_server_id(reader& in) noexcept {
  // MS-OXCDATA 2.11.1: a 16-bit COUNT, then the 2.11.1.4 structure.
  auto n = in.read<std::uint16_t>("PtypServerId COUNT");
  if (!n) [[unlikely]]
    return n.error();
  auto body = in.sub(*n, "PtypServerId");
  if (!body) [[unlikely]]
    return body.error();
  server_id id;
  auto ours = body->read<std::uint8_t>("Ours");
  if (!ours) [[unlikely]]
    return ours.error();
  id.Ours = *ours;
  if (id.Ours == 0) {  // client-defined bytes
    const bytes_view rest = body->rest();
    id.client_data.assign(rest.begin(), rest.end());
    return id;
  }
  if (id.Ours != 1) [[unlikely]]
    return error{errc::invalid_flag, body->offset() - 1, "Ours"};
  if (auto ok = body->read_into("PtypServerId", id.FolderId, id.MessageId, id.Instance); !ok)
      [[unlikely]]
    return ok.error();
  if (!body->empty()) [[unlikely]]
    return error{errc::invalid_size, body->offset(), "PtypServerId COUNT"};
  return id;
}

/// A restriction or rule actions value, validated by decoding it, kept as its bytes.
template <class T, class F>
[[nodiscard]] result<encoded<T>> read_nested(reader& in, const value_options& opts, F&& decode) {
  const bytes_view start = in.rest();
  auto r = decode(in, opts);
  if (!r) [[unlikely]]
    return r.error();
  return encoded<T>{start.first(start.size() - in.remaining()), opts.counts};
}

/// A PropertyType on the wire (TypedPropertyValue, FlaggedPropertyValueWithType).
[[nodiscard]] inline result<PropertyType> read_type(reader& in) noexcept {
  const std::size_t at = in.offset();
  auto t = in.read<std::uint16_t>("PropertyType");
  if (!t) [[unlikely]]
    return t.error();
  const auto type = static_cast<PropertyType>(*t);
  if (!is_known_type(type)) [[unlikely]]
    return error{errc::unknown_property_type, at, "PropertyType"};
  return type;
}

}  // namespace detail

/// MS-OXCDATA 2.11.2 PropertyValue of a type known from context, decoded into `out` (which keeps
/// its storage for the next value): `decode_value_into(in, PropertyType::PtypInteger32, v, {})`.
/// On error `out` is unspecified.
[[nodiscard]] inline result<void> decode_value_into(reader& in, PropertyType type, value_view& out,
                                                    const value_options& opts) {
  using enum PropertyType;
  const bool wide = opts.counts == count_width::extended;
  auto& var = out.variant();
  const auto set = [&]<PropertyType T>(std::integral_constant<PropertyType, T>,
                                       auto&& r) -> result<void> {
    if (!r) [[unlikely]]
      return r.error();
    var.template emplace<detail::value_index(T)>(std::move(*r));
    return {};
  };
  const auto fixed = [&]<PropertyType T, class Raw>(std::integral_constant<PropertyType, T>,
                                                    std::type_identity<Raw>,
                                                    const char* what) -> result<void> {
    auto r = in.read<Raw>(what);
    if (!r) [[unlikely]]
      return r.error();
    var.template emplace<detail::value_index(T)>(value_type_t<T, view>{*r});
    return {};
  };
#define OXWIRE_K(T) \
  std::integral_constant<PropertyType, T> {}
  switch (type) {
    case PtypNull: var.template emplace<detail::value_index(PtypNull)>(); return {};
    case PtypInteger16:
      return fixed(OXWIRE_K(PtypInteger16), std::type_identity<std::int16_t>{}, "PtypInteger16");
    case PtypInteger32:
      return fixed(OXWIRE_K(PtypInteger32), std::type_identity<std::int32_t>{}, "PtypInteger32");
    case PtypFloating32:
      return fixed(OXWIRE_K(PtypFloating32), std::type_identity<float>{}, "PtypFloating32");
    case PtypFloating64:
      return fixed(OXWIRE_K(PtypFloating64), std::type_identity<double>{}, "PtypFloating64");
    case PtypCurrency:
      return fixed(OXWIRE_K(PtypCurrency), std::type_identity<std::int64_t>{}, "PtypCurrency");
    case PtypFloatingTime:
      return fixed(OXWIRE_K(PtypFloatingTime), std::type_identity<double>{}, "PtypFloatingTime");
    case PtypErrorCode:
      return fixed(OXWIRE_K(PtypErrorCode), std::type_identity<std::uint32_t>{}, "PtypErrorCode");
    case PtypInteger64:
      return fixed(OXWIRE_K(PtypInteger64), std::type_identity<std::int64_t>{}, "PtypInteger64");
    case PtypTime:
      return fixed(OXWIRE_K(PtypTime), std::type_identity<std::uint64_t>{}, "PtypTime");
    case PtypBoolean: {
      // MS-OXCDATA 2.11.1: 1 byte, restricted to 1 or 0.
      const std::size_t at = in.offset();
      auto b = in.read<std::uint8_t>("PtypBoolean");
      if (!b) [[unlikely]]
        return b.error();
      if (*b > 1) [[unlikely]]
        return error{errc::invalid_boolean, at, "PtypBoolean"};
      return set(OXWIRE_K(PtypBoolean), result<bool>(*b == 1));
    }
    case PtypGuid: {
      oxwire::guid g{};
      if (auto r = oxwire::decode(in, g, "PtypGuid"); !r) [[unlikely]]
        return r.error();
      return set(OXWIRE_K(PtypGuid), result<oxwire::guid>(g));
    }
    case PtypString: return set(OXWIRE_K(PtypString), detail::read_string(in));
    case PtypString8: return set(OXWIRE_K(PtypString8), detail::read_string8(in));
    case PtypBinary: return set(OXWIRE_K(PtypBinary), detail::read_binary(in, wide));
    case PtypObject:  // MS-OXCDATA 2.11.1.5: no inline form is defined; carried like PtypBinary
      return set(OXWIRE_K(PtypObject), detail::read_binary(in, wide));
    case PtypServerId: return set(OXWIRE_K(PtypServerId), detail::read_server_id(in));
    case PtypRestriction:
      return set(OXWIRE_K(PtypRestriction),
                 detail::read_nested<restriction>(in, opts, [](reader& r, const value_options& o) {
                   return decode_restriction(r, o);
                 }));
    case PtypRuleAction:
      return set(OXWIRE_K(PtypRuleAction),
                 detail::read_nested<rule_actions>(in, opts, [](reader& r, const value_options& o) {
                   return decode_rule_actions(r, o);
                 }));
    case PtypMultipleInteger16:
      return set(OXWIRE_K(PtypMultipleInteger16),
                 detail::read_array<std::int16_t>(in, "PtypMultipleInteger16"));
    case PtypMultipleInteger32:
      return set(OXWIRE_K(PtypMultipleInteger32),
                 detail::read_array<std::int32_t>(in, "PtypMultipleInteger32"));
    case PtypMultipleFloating32:
      return set(OXWIRE_K(PtypMultipleFloating32),
                 detail::read_array<float>(in, "PtypMultipleFloating32"));
    case PtypMultipleFloating64:
      return set(OXWIRE_K(PtypMultipleFloating64),
                 detail::read_array<double>(in, "PtypMultipleFloating64"));
    case PtypMultipleCurrency:
      return set(OXWIRE_K(PtypMultipleCurrency),
                 detail::read_array<currency>(in, "PtypMultipleCurrency"));
    case PtypMultipleFloatingTime:
      return set(OXWIRE_K(PtypMultipleFloatingTime),
                 detail::read_array<floating_time>(in, "PtypMultipleFloatingTime"));
    case PtypMultipleInteger64:
      return set(OXWIRE_K(PtypMultipleInteger64),
                 detail::read_array<std::int64_t>(in, "PtypMultipleInteger64"));
    case PtypMultipleTime:
      return set(OXWIRE_K(PtypMultipleTime), detail::read_array<filetime>(in, "PtypMultipleTime"));
    case PtypMultipleGuid:
      return set(OXWIRE_K(PtypMultipleGuid),
                 detail::read_array<oxwire::guid>(in, "PtypMultipleGuid"));
    case PtypMultipleString:
      return set(OXWIRE_K(PtypMultipleString),
                 detail::read_list<utf16le>(in, 2, "PtypMultipleString",
                                            [](reader& r) { return detail::read_string(r); }));
    case PtypMultipleString8:
      return set(OXWIRE_K(PtypMultipleString8),
                 detail::read_list<std::string_view>(in, 1, "PtypMultipleString8", [](reader& r) {
                   return detail::read_string8(r);
                 }));
    case PtypMultipleBinary:
      return set(
          OXWIRE_K(PtypMultipleBinary),
          detail::read_list<bytes_view>(in, wide ? 4 : 2, "PtypMultipleBinary", [wide](reader& r) {
            return detail::read_binary(r, wide);
          }));
    case PtypUnspecified: return error{errc::type_has_no_value, in.offset(), "PropertyValue"};
  }
#undef OXWIRE_K
  return error{errc::unknown_property_type, in.offset(), "PropertyValue"};
}

/// MS-OXCDATA 2.11.2 PropertyValue: a value of a type known from context, e.g.
/// `decode_value(in, PropertyType::PtypInteger32)`. The result points into the input.
[[nodiscard]] inline result<value_view> decode_value(reader& in, PropertyType type,
                                                     const value_options& opts) {
  value_view v;
  if (auto r = decode_value_into(in, type, v, opts); !r) [[unlikely]]
    return r.error();
  return v;
}

/// `decode_value` with default options (ROP buffers).
[[nodiscard]] inline result<value_view> decode_value(reader& in, PropertyType type) {
  return decode_value(in, type, value_options{});
}

namespace detail {

template <class Sink>
[[nodiscard]] result<void> write_count(basic_writer<Sink>& w, std::size_t n, bool wide,
                                       const char* what) {
  if (wide) {
    if (n > 0xFFFFFFFFu) [[unlikely]]
      return error{oxwire::errc::out_of_range, w.size(), what};
    return w.template write<std::uint32_t>(static_cast<std::uint32_t>(n), what);
  }
  if (n > 0xFFFFu) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), what};
  return w.template write<std::uint16_t>(static_cast<std::uint16_t>(n), what);
}

template <class Sink>
[[nodiscard]] result<void> write_string(basic_writer<Sink>& w, const utf16le& s) {
  return write_utf16z(w, s.bytes, "PtypString");
}
template <class Sink>
[[nodiscard]] result<void> write_string(basic_writer<Sink>& w, std::u16string_view s) {
  return write_utf16z(w, s, "PtypString");
}
template <class Sink>
[[nodiscard]] result<void> write_string8(basic_writer<Sink>& w, std::string_view s) {
  return write_string8z(w, s, "PtypString8");
}
template <class Sink, class B>
[[nodiscard]] result<void> write_binary(basic_writer<Sink>& w, const B& b, bool wide) {
  if (auto r = write_count(w, b.size(), wide, "PtypBinary COUNT"); !r) return r;
  return w.write_bytes(bytes_view(b.data(), b.size()), "PtypBinary");
}

template <class Sink, class T>
[[nodiscard]] result<void> write_scalar(basic_writer<Sink>& w, const T& v) {
  if constexpr (std::is_same_v<T, oxwire::guid>) {
    return oxwire::encode(w, v);
  } else if constexpr (std::is_same_v<T, currency> || std::is_same_v<T, floating_time> ||
                       std::is_same_v<T, filetime>) {
    return w.template write<decltype(v.value)>(v.value);
  } else if constexpr (std::is_same_v<T, ErrorCode>) {
    return w.template write<std::uint32_t>(static_cast<std::uint32_t>(v));
  } else if constexpr (std::is_same_v<T, bool>) {
    return w.template write<std::uint8_t>(v ? 1 : 0);
  } else {
    return w.template write<T>(v);
  }
}

template <class Sink, class A>
[[nodiscard]] result<void> write_array(basic_writer<Sink>& w, const A& a) {
  if (a.size() > 0xFFFFFFFFu) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), "PtypMultiple COUNT"};
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(a.size())); !r) return r;
  if constexpr (requires { a.bytes; }) {
    return w.write_bytes(a.bytes);
  } else {
    for (const auto& e : a)
      if (auto r = write_scalar(w, e); !r) return r;
    return {};
  }
}

template <class Sink, class L, class F>
[[nodiscard]] result<void> write_list(basic_writer<Sink>& w, const L& l, F&& write_one) {
  if (l.size() > 0xFFFFFFFFu) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), "PtypMultiple COUNT"};
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(l.size())); !r) return r;
  for (const auto& e : l)
    if (auto r = write_one(e); !r) return r;
  return {};
}

template <class Sink>
[[nodiscard]] result<void> write_server_id(basic_writer<Sink>& w, const server_id& id) {
  const std::size_t size = id.Ours == 0 ? 1 + id.client_data.size() : 21;
  if (auto r = write_count(w, size, false, "PtypServerId COUNT"); !r) return r;
  if (auto r = w.template write<std::uint8_t>(id.Ours, "Ours"); !r) return r;
  if (id.Ours == 0) return w.write_bytes(id.client_data, "PtypServerId");
  if (auto r = w.template write<std::uint64_t>(id.FolderId); !r) return r;
  if (auto r = w.template write<std::uint64_t>(id.MessageId); !r) return r;
  return w.template write<std::uint32_t>(id.Instance);
}

template <class Sink, class T>
[[nodiscard]] result<void> write_nested(basic_writer<Sink>& w, const encoded<T>& e,
                                        const value_options& o) {
  if (e.counts == o.counts) return w.write_bytes(e.bytes);
  // Laid out for the other COUNT width: through the model.
  reader in(e.bytes);
  const value_options as_read{.counts = e.counts, .max_depth = ~0u};
  if constexpr (std::is_same_v<T, restriction>) {
    auto r = decode_restriction(in, as_read);
    if (!r) [[unlikely]]
      return error{r.error().code, w.size(), "PtypRestriction"};
    return encode_restriction(w, *r, o);
  } else {
    auto r = decode_rule_actions(in, as_read);
    if (!r) [[unlikely]]
      return error{r.error().code, w.size(), "PtypRuleAction"};
    return encode_rule_actions(w, *r, o);
  }
}
template <class Sink>
[[nodiscard]] result<void> write_nested(basic_writer<Sink>& w, const boxed<restriction>& r,
                                        const value_options& o) {
  return encode_restriction(w, *r, o);
}
template <class Sink>
[[nodiscard]] result<void> write_nested(basic_writer<Sink>& w, const boxed<rule_actions>& a,
                                        const value_options& o) {
  return encode_rule_actions(w, *a, o);
}

}  // namespace detail

/// MS-OXCDATA 2.11.2 PropertyValue: writes v without its type.
template <class Sink, class S>
[[nodiscard]] result<void> encode_value(basic_writer<Sink>& w, const basic_value<S>& v,
                                        const value_options& opts = {}) {
  using enum PropertyType;
  const bool wide = opts.counts == count_width::extended;
  return visit_type(v.type(), [&]<PropertyType T>(std::integral_constant<PropertyType, T>) {
    const auto& x = *v.template get_if<T>();
    if constexpr (T == PtypNull) {
      return result<void>{};
    } else if constexpr (T == PtypString) {
      return detail::write_string(w, x);
    } else if constexpr (T == PtypString8) {
      return detail::write_string8(w, x);
    } else if constexpr (T == PtypBinary || T == PtypObject) {
      return detail::write_binary(w, x, wide);
    } else if constexpr (T == PtypServerId) {
      return detail::write_server_id(w, x);
    } else if constexpr (T == PtypRestriction || T == PtypRuleAction) {
      return detail::write_nested(w, x, opts);
    } else if constexpr (T == PtypMultipleString) {
      return detail::write_list(w, x, [&](const auto& s) { return detail::write_string(w, s); });
    } else if constexpr (T == PtypMultipleString8) {
      return detail::write_list(w, x, [&](const auto& s) { return detail::write_string8(w, s); });
    } else if constexpr (T == PtypMultipleBinary) {
      return detail::write_list(w, x,
                                [&](const auto& b) { return detail::write_binary(w, b, wide); });
    } else if constexpr ((static_cast<std::uint16_t>(T) & 0x1000) != 0) {
      return detail::write_array(w, x);
    } else {
      return detail::write_scalar(w, x);
    }
  });
}

/// MS-OXCDATA 2.11.3 TypedPropertyValue: PropertyType, then PropertyValue.
[[nodiscard]] inline result<value_view> decode_typed_value(reader& in,
                                                           const value_options& opts = {}) {
  auto type = detail::read_type(in);
  if (!type) [[unlikely]]
    return type.error();
  return decode_value(in, *type, opts);
}

template <class Sink, class S>
[[nodiscard]] result<void> encode_typed_value(basic_writer<Sink>& w, const basic_value<S>& v,
                                              const value_options& opts = {}) {
  if (auto r =
          w.template write<std::uint16_t>(static_cast<std::uint16_t>(v.type()), "PropertyType");
      !r)
    return r;
  return encode_value(w, v, opts);
}

/// MS-OXCDATA 2.11.4 TaggedPropertyValue.
template <class S>
struct basic_tagged_value {
  property_tag tag{};
  basic_value<S> value{};
  friend bool operator==(const basic_tagged_value&, const basic_tagged_value&) = default;
};
using tagged_value = basic_tagged_value<owned>;
using tagged_value_view = basic_tagged_value<view>;

[[nodiscard]] inline result<tagged_value_view> decode_tagged_value(reader& in,
                                                                   const value_options& opts = {}) {
  const std::size_t at = in.offset();
  auto t = in.read<std::uint32_t>("PropertyTag");
  if (!t) [[unlikely]]
    return t.error();
  const property_tag tag{*t};
  if (!is_known_type(tag.type())) [[unlikely]]
    return error{errc::unknown_property_type, at, "PropertyTag"};
  auto v = decode_value(in, tag.type(), opts);
  if (!v) [[unlikely]]
    return v.error();
  return tagged_value_view{tag, std::move(*v)};
}

template <class Sink, class S>
[[nodiscard]] result<void> encode_tagged_value(basic_writer<Sink>& w,
                                               const basic_tagged_value<S>& v,
                                               const value_options& opts = {}) {
  if (v.value.type() != v.tag.type()) [[unlikely]]
    return error{errc::type_mismatch, w.size(), "TaggedPropertyValue"};
  if (auto r = w.template write<std::uint32_t>(v.tag.value, "PropertyTag"); !r) return r;
  return encode_value(w, v.value, opts);
}

/// MS-OXCDATA 2.11.5 FlaggedPropertyValue Flag.
enum class value_flag : std::uint8_t {
  present = 0x00,  // PropertyValue follows
  absent = 0x01,   // no PropertyValue
  error = 0x0A,    // a PtypErrorCode says why the value is absent
};

/// MS-OXCDATA 2.11.5 FlaggedPropertyValue and 2.11.6 FlaggedPropertyValueWithType; also a value of
/// a StandardPropertyRow (flag `present`). `type` is the property's type (the column's, or the
/// one on the wire); `value` is PtypNull when absent and PtypErrorCode on `error`.
template <class S>
struct basic_flagged_value {
  PropertyType type = PropertyType::PtypNull;
  value_flag flag = value_flag::present;
  basic_value<S> value{};
  friend bool operator==(const basic_flagged_value&, const basic_flagged_value&) = default;
};
using flagged_value = basic_flagged_value<owned>;
using flagged_value_view = basic_flagged_value<view>;

/// MS-OXCDATA 2.8.1 PropertyRow Flag.
enum class row_flag : std::uint8_t { standard = 0x00, flagged = 0x01 };

namespace detail {

/// FlaggedPropertyValue into `out` (its type already set).
[[nodiscard]] inline result<void> decode_flagged_into(reader& in, flagged_value_view& out,
                                                      const value_options& opts) {
  const std::size_t at = in.offset();
  auto f = in.read<std::uint8_t>("Flag");
  if (!f) [[unlikely]]
    return f.error();
  out.flag = static_cast<value_flag>(*f);
  switch (out.flag) {
    case value_flag::present: return decode_value_into(in, out.type, out.value, opts);
    case value_flag::absent: out.value = value_view{}; return {};
    case value_flag::error:
      return decode_value_into(in, PropertyType::PtypErrorCode, out.value, opts);
  }
  return error{errc::invalid_flag, at, "FlaggedPropertyValue Flag"};
}

/// One value of a PropertyRow (MS-OXCDATA 2.8.1) for a column of type `t` into `out`.
[[nodiscard]] inline result<void> decode_row_value_into(reader& in, PropertyType t, row_flag flag,
                                                        flagged_value_view& out,
                                                        const value_options& opts) {
  if (t == PropertyType::PtypUnspecified) {
    auto type = read_type(in);
    if (!type) [[unlikely]]
      return type.error();
    t = *type;
  }
  out.type = t;
  if (flag == row_flag::flagged) return decode_flagged_into(in, out, opts);
  out.flag = value_flag::present;
  return decode_value_into(in, t, out.value, opts);
}

}  // namespace detail

[[nodiscard]] inline result<flagged_value_view> decode_flagged_value(
    reader& in, PropertyType type, const value_options& opts = {}) {
  flagged_value_view out{type, value_flag::present, {}};
  if (auto r = detail::decode_flagged_into(in, out, opts); !r) [[unlikely]]
    return r.error();
  return out;
}

/// MS-OXCDATA 2.11.6 FlaggedPropertyValueWithType: PropertyType, Flag, PropertyValue.
[[nodiscard]] inline result<flagged_value_view> decode_flagged_value_with_type(
    reader& in, const value_options& opts = {}) {
  auto type = detail::read_type(in);
  if (!type) [[unlikely]]
    return type.error();
  return decode_flagged_value(in, *type, opts);
}

template <class Sink, class S>
[[nodiscard]] result<void> encode_flagged_value(basic_writer<Sink>& w,
                                                const basic_flagged_value<S>& v,
                                                const value_options& opts = {}) {
  const PropertyType expected = v.flag == value_flag::present ? v.type
                                : v.flag == value_flag::error ? PropertyType::PtypErrorCode
                                                              : PropertyType::PtypNull;
  if (v.value.type() != expected) [[unlikely]]
    return error{errc::type_mismatch, w.size(), "FlaggedPropertyValue"};
  if (auto r = w.template write<std::uint8_t>(static_cast<std::uint8_t>(v.flag), "Flag"); !r)
    return r;
  return encode_value(w, v.value, opts);
}

template <class Sink, class S>
[[nodiscard]] result<void> encode_flagged_value_with_type(basic_writer<Sink>& w,
                                                          const basic_flagged_value<S>& v,
                                                          const value_options& opts = {}) {
  if (auto r = w.template write<std::uint16_t>(static_cast<std::uint16_t>(v.type), "PropertyType");
      !r)
    return r;
  return encode_flagged_value(w, v, opts);
}

/// MS-OXCDATA 2.8.1 PropertyRow: StandardPropertyRow or FlaggedPropertyRow, one value per column
/// (in a standard row every flag is `present`).
template <class S>
struct basic_property_row {
  row_flag Flag = row_flag::standard;
  std::vector<basic_flagged_value<S>> ValueArray;
  friend bool operator==(const basic_property_row&, const basic_property_row&) = default;
};
using property_row = basic_property_row<owned>;
using property_row_view = basic_property_row<view>;

inline void to_owned_into(const value_view& v, property_value& out);  // below

/// Decodes a PropertyRow for `columns` (MS-OXCDATA 2.8.1.1–2.8.1.2): a PtypUnspecified column
/// carries its type on the wire (TypedPropertyValue, FlaggedPropertyValueWithType). With S = owned
/// each value is copied out of one view as it is decoded (no row of views in between):
/// `decode_property_row<owned>(in, columns)`.
template <class S = view>
[[nodiscard]] result<basic_property_row<S>> decode_property_row(
    reader& in, std::span<const property_tag> columns, const value_options& opts = {}) {
  const std::size_t at = in.offset();
  auto f = in.read<std::uint8_t>("PropertyRow Flag");
  if (!f) [[unlikely]]
    return f.error();
  if (*f > 1) [[unlikely]]
    return error{errc::invalid_flag, at, "PropertyRow Flag"};
  basic_property_row<S> row{static_cast<row_flag>(*f), {}};
  [[maybe_unused]] flagged_value_view one;  // S = owned: each value, then its copy
  if constexpr (std::is_same_v<S, view>)
    row.ValueArray.resize(columns.size());
  else
    row.ValueArray.reserve(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if constexpr (std::is_same_v<S, view>) {
      if (auto r = detail::decode_row_value_into(in, columns[i].type(), row.Flag, row.ValueArray[i],
                                                 opts);
          !r) [[unlikely]]
        return r.error();
    } else {
      if (auto r = detail::decode_row_value_into(in, columns[i].type(), row.Flag, one, opts); !r)
          [[unlikely]]
        return r.error();
      auto& v = row.ValueArray.emplace_back();
      v.type = one.type, v.flag = one.flag;
      to_owned_into(one.value, v.value);
    }
  }
  return row;
}

template <class Sink, class S>
[[nodiscard]] result<void> encode_property_row(basic_writer<Sink>& w,
                                               const basic_property_row<S>& row,
                                               std::span<const property_tag> columns,
                                               const value_options& opts = {}) {
  if (row.ValueArray.size() != columns.size()) [[unlikely]]
    return error{errc::invalid_size, w.size(), "PropertyRow ValueArray"};
  if (auto r = w.template write<std::uint8_t>(static_cast<std::uint8_t>(row.Flag), "Flag"); !r)
    return r;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& v = row.ValueArray[i];
    const bool typed = columns[i].type() == PropertyType::PtypUnspecified;
    if (!typed && v.type != columns[i].type()) [[unlikely]]
      return error{errc::type_mismatch, w.size(), "PropertyRow value"};
    result<void> r;
    if (row.Flag == row_flag::flagged) {
      r = typed ? encode_flagged_value_with_type(w, v, opts) : encode_flagged_value(w, v, opts);
    } else if (v.flag != value_flag::present) [[unlikely]] {
      return error{errc::invalid_flag, w.size(), "StandardPropertyRow value not present"};
    } else {
      r = typed ? encode_typed_value(w, v.value, opts) : encode_value(w, v.value, opts);
    }
    if (!r) [[unlikely]]
      return r;
  }
  return {};
}

/// MS-OXCDATA 2.8.2 PropertyRowSet: RowCount (16 bits) PropertyRows.
[[nodiscard]] inline result<std::vector<property_row_view>> decode_property_row_set(
    reader& in, std::span<const property_tag> columns, const value_options& opts = {}) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint16_t>("RowCount");
  if (!n) [[unlikely]]
    return n.error();
  if (auto ok = detail::check_count(in, *n, 1, at, "RowCount"); !ok) [[unlikely]]
    return ok.error();
  std::vector<property_row_view> rows;
  rows.reserve(*n);
  for (unsigned i = 0; i < *n; ++i) {
    auto r = decode_property_row(in, columns, opts);
    if (!r) [[unlikely]]
      return r.error();
    rows.push_back(std::move(*r));
  }
  return rows;
}

template <class Sink, class S>
[[nodiscard]] result<void> encode_property_row_set(basic_writer<Sink>& w,
                                                   std::span<const basic_property_row<S>> rows,
                                                   std::span<const property_tag> columns,
                                                   const value_options& opts = {}) {
  if (auto r = detail::write_count(w, rows.size(), false, "RowCount"); !r) return r;
  for (const auto& row : rows)
    if (auto r = encode_property_row(w, row, columns, opts); !r) return r;
  return {};
}

/// MS-OXCDATA 2.9 PropertyTag array with a 16-bit count (PropertyTagCount, as ROPs carry it).
[[nodiscard]] inline result<std::vector<property_tag>> decode_property_tags(reader& in) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint16_t>("PropertyTagCount");
  if (!n) [[unlikely]]
    return n.error();
  if (auto ok = detail::check_count(in, *n, 4, at, "PropertyTagCount"); !ok) [[unlikely]]
    return ok.error();
  std::vector<property_tag> tags(*n);
  for (auto& t : tags) t.value = *in.read<std::uint32_t>();
  return tags;
}

template <class Sink>
[[nodiscard]] result<void> encode_property_tags(basic_writer<Sink>& w,
                                                std::span<const property_tag> tags) {
  if (auto r = detail::write_count(w, tags.size(), false, "PropertyTagCount"); !r) return r;
  for (const property_tag t : tags)
    if (auto r = w.template write<std::uint32_t>(t.value, "PropertyTag"); !r) return r;
  return {};
}

/// MS-OXCDATA 2.7 PropertyProblem.
struct property_problem {
  std::uint16_t Index = 0;
  property_tag PropertyTag{};
  gen::mapi::ErrorCode ErrorCode{};
  friend bool operator==(const property_problem&, const property_problem&) = default;
};

/// MS-OXCDATA 2.7.1 PropertyProblemArray: Count (16 bits) PropertyProblems.
[[nodiscard]] inline result<std::vector<property_problem>> decode_property_problems(reader& in) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint16_t>("PropertyProblemCount");
  if (!n) [[unlikely]]
    return n.error();
  if (auto ok = detail::check_count(in, *n, 10, at, "PropertyProblemCount"); !ok) [[unlikely]]
    return ok.error();
  std::vector<property_problem> out(*n);
  for (auto& p : out) {
    std::uint32_t tag = 0, ec = 0;
    (void)in.read_into(p.Index, tag, ec);  // fits: checked above
    p.PropertyTag.value = tag;
    p.ErrorCode = static_cast<ErrorCode>(ec);
  }
  return out;
}

template <class Sink>
[[nodiscard]] result<void> encode_property_problems(basic_writer<Sink>& w,
                                                    std::span<const property_problem> problems) {
  if (auto r = detail::write_count(w, problems.size(), false, "PropertyProblemCount"); !r) return r;
  for (const auto& p : problems) {
    if (auto r = w.template write<std::uint16_t>(p.Index); !r) return r;
    if (auto r = w.template write<std::uint32_t>(p.PropertyTag.value); !r) return r;
    if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(p.ErrorCode)); !r)
      return r;
  }
  return {};
}

/// MS-OXCDATA 2.6.1 PropertyName Kind.
enum class name_kind : std::uint8_t { lid = 0x00, name = 0x01, none = 0xFF };

/// MS-OXCDATA 2.6.1 PropertyName: a property set GUID and a LID or a string name.
struct property_name {
  name_kind Kind = name_kind::lid;
  oxwire::guid GUID{};
  std::uint32_t LID = 0;  // Kind lid
  std::u16string Name{};  // Kind name, without its terminating NUL
  friend bool operator==(const property_name&, const property_name&) = default;
};

/// Decodes a PropertyName. NameSize counts the bytes of Name including its 2-byte terminating
/// NUL, so it is even, at least 2, and Name ends with a NUL unit.
[[nodiscard]] inline result<property_name> decode_property_name(reader& in) {
  const std::size_t at = in.offset();
  auto k = in.read<std::uint8_t>("Kind");
  if (!k) [[unlikely]]
    return k.error();
  property_name n;
  n.Kind = static_cast<name_kind>(*k);
  if (n.Kind != name_kind::lid && n.Kind != name_kind::name && n.Kind != name_kind::none)
      [[unlikely]]
    return error{errc::invalid_kind, at, "PropertyName Kind"};
  if (auto g = oxwire::decode(in, n.GUID, "PropertyName GUID"); !g) [[unlikely]]
    return g.error();
  if (n.Kind == name_kind::lid) {
    auto lid = in.read<std::uint32_t>("LID");
    if (!lid) [[unlikely]]
      return lid.error();
    n.LID = *lid;
  } else if (n.Kind == name_kind::name) {
    const std::size_t size_at = in.offset();
    auto size = in.read<std::uint8_t>("NameSize");
    if (!size) [[unlikely]]
      return size.error();
    auto name = in.sub(*size, "Name");
    if (!name) [[unlikely]]
      return name.error();
    const std::size_t name_at = name->offset();
    auto s = name->until_u16_nul("Name");
    if (*size % 2 != 0 || !s || !name->empty()) [[unlikely]]
      return error{errc::invalid_size, size_at, "NameSize"};
    if (auto ok = detail::check_utf16le(*s, name_at, "Name"); !ok) [[unlikely]]
      return ok.error();
    n.Name = utf16le{*s}.to_u16string();
  }
  return n;
}

template <class Sink>
[[nodiscard]] result<void> encode_property_name(basic_writer<Sink>& w, const property_name& n) {
  if (auto r = w.template write<std::uint8_t>(static_cast<std::uint8_t>(n.Kind), "Kind"); !r)
    return r;
  if (auto r = oxwire::encode(w, n.GUID); !r) return r;
  if (n.Kind == name_kind::lid) return w.template write<std::uint32_t>(n.LID, "LID");
  if (n.Kind != name_kind::name) return {};
  const std::size_t size = 2 * n.Name.size() + 2;
  if (size > 0xFF) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), "NameSize"};
  if (auto r = w.template write<std::uint8_t>(static_cast<std::uint8_t>(size), "NameSize"); !r)
    return r;
  return detail::write_string(w, n.Name);
}

/// MS-OXCDATA 2.11.7 TypedString StringType.
enum class string_type : std::uint8_t {
  none = 0x00,             // no string
  empty = 0x01,            // an empty string
  string8 = 0x02,          // NUL-terminated 8-bit string in the logon's code page
  reduced_unicode = 0x03,  // NUL-terminated 8-bit string of Unicode code points below 0x100
  unicode = 0x04,          // NUL-terminated UTF-16LE string
};

/// MS-OXCDATA 2.11.7 TypedString.
struct typed_string {
  string_type StringType = string_type::none;
  std::string narrow{};   // string8 and reduced_unicode
  std::u16string wide{};  // unicode
  friend bool operator==(const typed_string&, const typed_string&) = default;
};

[[nodiscard]] inline result<typed_string> decode_typed_string(reader& in) {
  const std::size_t at = in.offset();
  auto t = in.read<std::uint8_t>("StringType");
  if (!t) [[unlikely]]
    return t.error();
  typed_string s{static_cast<string_type>(*t)};
  switch (s.StringType) {
    case string_type::none:
    case string_type::empty: return s;
    case string_type::string8:
    case string_type::reduced_unicode: {
      auto v = detail::read_string8(in);
      if (!v) [[unlikely]]
        return v.error();
      s.narrow = std::string(*v);
      return s;
    }
    case string_type::unicode: {
      auto v = detail::read_string(in);
      if (!v) [[unlikely]]
        return v.error();
      s.wide = v->to_u16string();
      return s;
    }
  }
  return error{errc::invalid_kind, at, "StringType"};
}

template <class Sink>
[[nodiscard]] result<void> encode_typed_string(basic_writer<Sink>& w, const typed_string& s) {
  if (auto r =
          w.template write<std::uint8_t>(static_cast<std::uint8_t>(s.StringType), "StringType");
      !r)
    return r;
  switch (s.StringType) {
    case string_type::none:
    case string_type::empty: return {};
    case string_type::string8:
    case string_type::reduced_unicode: return detail::write_string8(w, s.narrow);
    case string_type::unicode: return detail::write_string(w, s.wide);
  }
  return error{errc::invalid_kind, w.size(), "StringType"};
}

/// A decoded value copied into `out` as one that owns its data (strings become std::u16string,
/// ...).
inline void to_owned_into(const value_view& v, property_value& out) {
  using enum PropertyType;
  visit_type(v.type(), [&]<PropertyType T>(std::integral_constant<PropertyType, T>) {
    const auto& x = *v.template get_if<T>();
    auto& dst = out.variant().template emplace<detail::value_index(T)>();
    if constexpr (T == PtypString) {
      dst = x.to_u16string();
    } else if constexpr (T == PtypString8) {
      dst = std::string(x);
    } else if constexpr (T == PtypBinary || T == PtypObject) {
      dst.assign(x.begin(), x.end());
    } else if constexpr (T == PtypRestriction || T == PtypRuleAction) {
      // The bytes were validated when the view was decoded, with these counts.
      reader in(x.bytes);
      const value_options o{.counts = x.counts, .max_depth = ~0u};
      if constexpr (T == PtypRestriction)
        dst = decode_restriction(in, o).value();
      else
        dst = decode_rule_actions(in, o).value();
    } else if constexpr (T == PtypMultipleString) {
      for (const auto& s : x) dst.push_back(s.to_u16string());
    } else if constexpr (T == PtypMultipleString8) {
      for (const auto& s : x) dst.emplace_back(s);
    } else if constexpr (T == PtypMultipleBinary) {
      for (const auto& b : x) dst.emplace_back(b.begin(), b.end());
    } else if constexpr ((static_cast<std::uint16_t>(T) & 0x1000) != 0) {
      dst.assign(x.begin(), x.end());
    } else {
      dst = x;
    }
  });
}

/// A decoded value as one that owns its data.
[[nodiscard]] inline property_value to_owned(const value_view& v) {
  property_value out;
  to_owned_into(v, out);
  return out;
}

[[nodiscard]] inline tagged_value to_owned(const tagged_value_view& v) {
  return {v.tag, to_owned(v.value)};
}
[[nodiscard]] inline flagged_value to_owned(const flagged_value_view& v) {
  return {v.type, v.flag, to_owned(v.value)};
}
[[nodiscard]] inline property_row to_owned(const property_row_view& r) {
  property_row out{r.Flag, {}};
  out.ValueArray.reserve(r.ValueArray.size());
  for (const auto& v : r.ValueArray) out.ValueArray.push_back(to_owned(v));
  return out;
}

}  // namespace oxwire::mapi

#include <oxwire/mapi/restriction_codec.hpp>
#include <oxwire/mapi/rule_action_codec.hpp>
