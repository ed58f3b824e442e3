// oxwire — MAPI properties as TNEF carries them (MS-OXTNEF 2.1.3.4): the property lists of
// attMAPIProps and attAttachment, and the rows of attRecipTable. TNEF lays values out in its own
// way (every value padded to 4 bytes, a value count before variable-length and multi-valued
// values, a size before each variable-length value, named properties with their name inline);
// the values themselves are the MS-OXCDATA 2.11.1 model of oxwire/mapi/value.hpp, read as views
// of the stream and written from the owning model.
//
//   std::vector<named_id_view> names;
//   scratch held;
//   reader in(attribute.Data, attribute.data_offset);
//   decode_property_list(in, names, held, [&](mapi::property_tag t) -> mapi::value_view& {...});
//   encode_property_list(w, bag, map);               // a MsgPropertyList from a property bag
#pragma once

#include <oxwire/mapi/message.hpp>
#include <oxwire/tnef/error.hpp>
#include <oxwire/tnef/message_view.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace oxwire::tnef {

using mapi::PropertyType;

/// True for the property types a TNEF property list carries (MS-OXTNEF 2.1.3.4): every
/// MS-OXCDATA type but PtypUnspecified, PtypNull, PtypServerId, PtypRestriction, PtypRuleAction.
[[nodiscard]] constexpr bool is_tnef_type(PropertyType t) noexcept {
  using enum oxwire::gen::mapi::PropertyType;
  return mapi::is_known_type(t) && t != PtypUnspecified && t != PtypNull && t != PtypServerId &&
         t != PtypRestriction && t != PtypRuleAction;
}

/// MS-OXTNEF 2.1.3.4: a named property's PropertyName carries a 32-bit Kind.
inline constexpr std::uint32_t MNID_ID = 0, MNID_STRING = 1;

namespace detail {

[[nodiscard]] constexpr std::size_t padding_of(std::size_t n) noexcept {
  return (4 - n % 4) % 4;
}

/// The padding after a value; a stream that ends before the padding is accepted (some writers
/// leave the last one out).
[[nodiscard]] inline result<void> skip_padding(reader& in, std::size_t n) noexcept {
  return in.skip(n < in.remaining() ? n : in.remaining());
}

/// The C++ value of a fixed-size type as it stands on the wire (before padding).
template <class V>
struct wire_of {
  using type = V;
};
template <>
struct wire_of<bool> {
  using type = std::uint16_t;  // MS-OXTNEF 2.1.3.4: 2 bytes, then padding
};
template <>
struct wire_of<mapi::ErrorCode> {
  using type = std::uint32_t;
};
template <>
struct wire_of<mapi::currency> {
  using type = std::int64_t;
};
template <>
struct wire_of<mapi::floating_time> {
  using type = double;
};
template <>
struct wire_of<mapi::filetime> {
  using type = std::uint64_t;
};

/// One fixed-size value and its padding to 4 bytes.
template <class V>
[[nodiscard]] result<V> read_fixed(reader& in, const char* what) {
  if constexpr (std::is_same_v<V, oxwire::guid>) {
    oxwire::guid g{};
    if (auto r = oxwire::decode(in, g, what); !r) [[unlikely]]
      return r.error();
    return g;
  } else {
    using raw = typename wire_of<V>::type;
    auto v = in.read<raw>(what);
    if (!v) [[unlikely]]
      return v.error();
    if (auto r = skip_padding(in, padding_of(sizeof(raw))); !r) [[unlikely]]
      return r.error();
    if constexpr (std::is_same_v<V, bool>)
      return *v != 0;
    else
      return V{*v};
  }
}

template <class Sink, class V>
[[nodiscard]] result<void> write_fixed(basic_writer<Sink>& w, const V& v) {
  if constexpr (std::is_same_v<V, oxwire::guid>) {
    return oxwire::encode(w, v);
  } else {
    using raw = typename wire_of<V>::type;
    raw x;
    if constexpr (std::is_same_v<V, bool>)
      x = v ? 1 : 0;
    else if constexpr (std::is_same_v<V, mapi::ErrorCode>)
      x = static_cast<raw>(v);
    else if constexpr (std::is_class_v<V>)
      x = v.value;
    else
      x = v;
    if (auto r = w.template write<raw>(x, "PropertyValue"); !r) return r;
    return w.fill(padding_of(sizeof(raw)), 0, "Padding");
  }
}

/// A value count (MS-OXTNEF 2.1.3.4 NumberOfValues), checked against the bytes left for
/// values of at least `min_size` bytes each.
[[nodiscard]] inline result<std::uint32_t> read_value_count(reader& in, std::size_t min_size) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint32_t>("NumberOfValues");
  if (!n) [[unlikely]]
    return n.error();
  if (std::uint64_t{*n} * min_size > in.remaining()) [[unlikely]]
    return error{mapi::errc::count_too_large, at, "NumberOfValues"};
  return *n;
}

/// One variable-length value: ValueSize, the bytes, padding to 4.
[[nodiscard]] inline result<bytes_view> read_sized(reader& in) {
  auto size = in.read<std::uint32_t>("ValueSize");
  if (!size) [[unlikely]]
    return size.error();
  auto b = in.bytes(*size, "ValueData");
  if (!b) [[unlikely]]
    return b.error();
  if (auto r = skip_padding(in, padding_of(*size)); !r) [[unlikely]]
    return r.error();
  return *b;
}

/// A variable-length value's view (mapi::utf16le, std::string_view or bytes_view) of its bytes;
/// strings lose their terminating NUL and any NULs before it (MS-OXCDATA 2.11.1: a string ends
/// at its terminator), as the legacy attributes and .msg string streams do.
template <class E>
[[nodiscard]] result<E> view_of_sized(bytes_view b, std::size_t at) {
  if constexpr (std::is_same_v<E, mapi::utf16le>) {
    if (b.size() % 2 != 0) [[unlikely]]
      return error{errc::invalid_size, at, "PtypString ValueSize"};
    while (b.size() >= 2 && b[b.size() - 1] == 0 && b[b.size() - 2] == 0) b = b.first(b.size() - 2);
    return mapi::utf16le{b};
  } else if constexpr (std::is_same_v<E, std::string_view>) {
    while (!b.empty() && b.back() == 0) b = b.first(b.size() - 1);
    return as_chars(b);
  } else {
    return b;
  }
}

template <class Sink>
[[nodiscard]] result<void> write_sized(basic_writer<Sink>& w, bytes_view b, std::size_t nul) {
  const std::size_t size = b.size() + nul;
  if (size > 0xFFFFFFFFu) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), "ValueSize"};
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(size), "ValueSize"); !r)
    return r;
  if (auto r = w.write_bytes(b, "ValueData"); !r) return r;
  return w.fill(nul + padding_of(size), 0, "Padding");
}

template <class Sink, class V>
[[nodiscard]] result<void> write_variable(basic_writer<Sink>& w, const V& v) {
  if constexpr (std::is_same_v<V, std::u16string>)
    return write_sized(w, utf16::as_utf16le(v), 2);
  else if constexpr (std::is_same_v<V, std::string>)
    return write_sized(w, as_bytes(v), 1);
  else
    return write_sized(w, bytes_view(v.data(), v.size()), 0);
}

template <PropertyType T>
inline constexpr bool is_variable =
    T == PropertyType::PtypString || T == PropertyType::PtypString8 ||
    T == PropertyType::PtypBinary || T == PropertyType::PtypObject;
template <PropertyType T>
inline constexpr bool is_multiple_variable =
    T == PropertyType::PtypMultipleString || T == PropertyType::PtypMultipleString8 ||
    T == PropertyType::PtypMultipleBinary;

}  // namespace detail

/// MS-OXTNEF 2.1.3.4 the value(s) of a property of type `type`, without the tag, as a view of
/// the stream (PtypMultipleInteger16 values, padded to 4 bytes each there, are gathered in
/// `held`), into `out`.
[[nodiscard]] inline result<void> decode_value(reader& in, PropertyType type, scratch& held,
                                               mapi::value_view& out) {
  const std::size_t at = in.offset();
  if (!is_tnef_type(type)) [[unlikely]]
    return error{errc::unsupported_property_type, at, "PropertyType"};
  return mapi::visit_type(
      type, [&]<PropertyType T>(std::integral_constant<PropertyType, T>) -> result<void> {
        auto& dst = out.variant().template emplace<mapi::detail::value_index(T)>();
        using V = std::remove_cvref_t<decltype(dst)>;
        if constexpr (!is_tnef_type(T)) {
          return error{errc::unsupported_property_type, at, "PropertyType"};  // excluded above
        } else if constexpr (detail::is_variable<T>) {
          auto n = detail::read_value_count(in, 4);
          if (!n) [[unlikely]]
            return n.error();
          if (*n != 1) [[unlikely]]
            return error{errc::invalid_value_count, at, "NumberOfValues"};
          const std::size_t value_at = in.offset() + 4;
          auto b = detail::read_sized(in);
          if (!b) [[unlikely]]
            return b.error();
          auto v = detail::view_of_sized<V>(*b, value_at);
          if (!v) [[unlikely]]
            return v.error();
          dst = *v;
        } else if constexpr (detail::is_multiple_variable<T>) {
          auto n = detail::read_value_count(in, 4);
          if (!n) [[unlikely]]
            return n.error();
          dst.reserve(*n);
          for (std::uint32_t i = 0; i < *n; ++i) {
            const std::size_t value_at = in.offset() + 4;
            auto b = detail::read_sized(in);
            if (!b) [[unlikely]]
              return b.error();
            auto v = detail::view_of_sized<typename V::value_type>(*b, value_at);
            if (!v) [[unlikely]]
              return v.error();
            dst.push_back(*v);
          }
        } else if constexpr ((static_cast<std::uint16_t>(T) & 0x1000) != 0) {
          // A le_array: the values as they stand when each fills its 4 bytes, else gathered.
          constexpr std::size_t size = V::element_size;
          auto n = detail::read_value_count(in, 4);
          if (!n) [[unlikely]]
            return n.error();
          if constexpr (detail::padding_of(size) == 0) {
            auto b = in.bytes(*n * size, "PropertyValue");
            if (!b) [[unlikely]]
              return b.error();
            dst.bytes = *b;
          } else {
            std::vector<std::uint8_t> packed;
            packed.reserve(*n * size);
            for (std::uint32_t i = 0; i < *n; ++i) {
              auto b = in.bytes(size, "PropertyValue");
              if (!b) [[unlikely]]
                return b.error();
              packed.insert(packed.end(), b->begin(), b->end());
              if (auto r = detail::skip_padding(in, detail::padding_of(size)); !r) [[unlikely]]
                return r.error();
            }
            dst.bytes = held.keep(std::move(packed));
          }
        } else {
          auto v = detail::read_fixed<V>(in, "PropertyValue");
          if (!v) [[unlikely]]
            return v.error();
          dst = *v;
        }
        return {};
      });
}

/// Writes the value(s) of `v` as decode_value reads them.
template <class Sink>
[[nodiscard]] result<void> encode_value(basic_writer<Sink>& w, const mapi::property_value& v) {
  if (!is_tnef_type(v.type())) [[unlikely]]
    return error{errc::unsupported_property_type, w.size(), "PropertyType"};
  return mapi::visit_type(
      v.type(), [&]<PropertyType T>(std::integral_constant<PropertyType, T>) -> result<void> {
        const auto& x = *v.template get_if<T>();
        if constexpr (!is_tnef_type(T)) {
          return error{errc::unsupported_property_type, w.size(),
                       "PropertyType"};  // excluded above
        } else if constexpr (detail::is_variable<T>) {
          if (auto r = w.template write<std::uint32_t>(1, "NumberOfValues"); !r) return r;
          return detail::write_variable(w, x);
        } else if constexpr ((static_cast<std::uint16_t>(T) & 0x1000) != 0) {
          if (x.size() > 0xFFFFFFFFu) [[unlikely]]
            return error{oxwire::errc::out_of_range, w.size(), "NumberOfValues"};
          if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(x.size()),
                                                       "NumberOfValues");
              !r)
            return r;
          for (const auto& e : x) {
            result<void> r;
            if constexpr (detail::is_multiple_variable<T>)
              r = detail::write_variable(w, e);
            else
              r = detail::write_fixed(w, e);
            if (!r) return r;
          }
          return {};
        } else {
          return detail::write_fixed(w, x);
        }
      });
}

/// MS-OXTNEF 2.1.3.4 PropertyName of a named property (id 0x8000 and up): GUID, Kind, then the
/// ID or the NameLength, Name (UTF-16LE with its NUL) and padding; into `n`.
[[nodiscard]] inline result<void> decode_property_name(reader& in, property_name_view& n) {
  if (auto r = oxwire::decode(in, n.GUID, "PropertyName GUID"); !r) [[unlikely]]
    return r.error();
  const std::size_t kind_at = in.offset();
  auto kind = in.read<std::uint32_t>("Kind");
  if (!kind) [[unlikely]]
    return kind.error();
  if (*kind == MNID_ID) {
    n.Kind = mapi::name_kind::lid;
    auto lid = in.read<std::uint32_t>("ID");
    if (!lid) [[unlikely]]
      return lid.error();
    n.LID = *lid;
    return {};
  }
  if (*kind != MNID_STRING) [[unlikely]]
    return error{errc::invalid_name_kind, kind_at, "Kind"};
  n.Kind = mapi::name_kind::name;
  const std::size_t name_at = in.offset() + 4;
  auto b = detail::read_sized(in);
  if (!b) [[unlikely]]
    return b.error();
  auto s = detail::view_of_sized<mapi::utf16le>(*b, name_at);
  if (!s) [[unlikely]]
    return s.error();
  n.Name = *s;
  return {};
}

template <class Sink>
[[nodiscard]] result<void> encode_property_name(basic_writer<Sink>& w,
                                                const mapi::property_name& n) {
  if (auto r = oxwire::encode(w, n.GUID); !r) return r;
  if (n.Kind == mapi::name_kind::lid) {
    if (auto r = w.template write<std::uint32_t>(MNID_ID, "Kind"); !r) return r;
    return w.template write<std::uint32_t>(n.LID, "ID");
  }
  if (n.Kind != mapi::name_kind::name) [[unlikely]]
    return error{errc::invalid_name_kind, w.size(), "Kind"};
  if (auto r = w.template write<std::uint32_t>(MNID_STRING, "Kind"); !r) return r;
  return detail::write_variable(w, n.Name);
}

/// MS-OXTNEF 2.1.3.4 MsgPropertyList: a 32-bit count, then each property (tag, name if named,
/// value): each name goes to `names`, each value to the place `sink(tag)` gives
/// (a mapi::value_view&), after `sink.reserve(count)` where the sink has it.
template <class Sink>
[[nodiscard]] result<void> decode_property_list(reader& in, std::vector<named_id_view>& names,
                                                scratch& held, Sink&& sink) {
  auto n = detail::read_value_count(in, 8);  // a tag and at least 4 bytes of value
  if (!n) [[unlikely]]
    return n.error();
  if constexpr (requires { sink.reserve(std::size_t{}); }) sink.reserve(*n);
  for (std::uint32_t i = 0; i < *n; ++i) {
    auto tag = in.read<std::uint32_t>("PropertyTag");
    if (!tag) [[unlikely]]
      return tag.error();
    const mapi::property_tag t{*tag};
    if (t.id() >= 0x8000) {
      auto& named = names.emplace_back();
      named.id = t.id();
      if (auto r = tnef::decode_property_name(in, named.name); !r) [[unlikely]]
        return r.error();
    }
    if (auto r = tnef::decode_value(in, t.type(), held, sink(t)); !r) [[unlikely]]
      return r.error();
  }
  return {};
}

/// Writes the properties of `bag` for which `keep(tag)` holds as a MsgPropertyList whose count
/// includes `extra` properties the caller writes after them; a named property whose id `names`
/// does not know is mapi::errc::unresolved_named_property.
template <class Sink, class Keep>
[[nodiscard]] result<void> encode_property_list(basic_writer<Sink>& w,
                                                const mapi::property_bag& bag,
                                                const mapi::named_property_map& names, Keep keep,
                                                std::uint32_t extra = 0) {
  std::uint32_t n = extra;
  for (const auto& p : bag) n += keep(p.tag) ? 1 : 0;
  if (auto r = w.template write<std::uint32_t>(n, "NumberOfProperties"); !r) return r;
  for (const auto& p : bag) {
    if (!keep(p.tag)) continue;
    if (auto r = w.template write<std::uint32_t>(p.tag.value, "PropertyTag"); !r) return r;
    if (p.tag.id() >= 0x8000) {
      const mapi::property_name* name = names.name_of(p.tag.id());
      if (!name) [[unlikely]]
        return error{mapi::errc::unresolved_named_property, w.size(), "PropertyName"};
      if (auto r = tnef::encode_property_name(w, *name); !r) return r;
    }
    if (auto r = tnef::encode_value(w, p.value); !r) return r;
  }
  return {};
}

template <class Sink>
[[nodiscard]] result<void> encode_property_list(basic_writer<Sink>& w,
                                                const mapi::property_bag& bag,
                                                const mapi::named_property_map& names) {
  return encode_property_list(w, bag, names, [](mapi::property_tag) { return true; });
}

/// MS-OXTNEF 2.1.3.3 attRecipTable: a 32-bit row count, then one MsgPropertyList per row.
template <class Sink>
[[nodiscard]] result<void> encode_recipient_table(basic_writer<Sink>& w,
                                                  const std::vector<mapi::recipient>& rows,
                                                  const mapi::named_property_map& names) {
  if (rows.size() > 0xFFFFFFFFu) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), "RowCount"};
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(rows.size()), "RowCount");
      !r)
    return r;
  for (const auto& row : rows)
    if (auto r = encode_property_list(w, row.properties, names); !r) return r;
  return {};
}

}  // namespace oxwire::tnef
