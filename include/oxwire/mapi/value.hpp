// oxwire — the MAPI property value model (MS-OXCDATA 2.11.1): one C++ type per property type, in
// two storages that share every algorithm:
//   property_value  owns its data (std::u16string, std::vector, ...): build, store, compare;
//   value_view      points into the decoded buffer (zero-copy): what the decoders return.
//
//   value_view v = decode_value(in, PropertyType::PtypString).value();
//   property_value owned = to_owned(v);
//   std::u16string_view s = *owned.get_if<PropertyType::PtypString>();
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/filetime.hpp>
#include <oxwire/core/guid.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/gen/mapi/error_codes.hpp>
#include <oxwire/mapi/detail/wire_strings.hpp>
#include <oxwire/mapi/error.hpp>
#include <oxwire/mapi/property_tag.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace oxwire::mapi {

using gen::mapi::ErrorCode;

struct restriction;   // MS-OXCDATA 2.12, defined in restriction.hpp
struct rule_actions;  // MS-OXORULE 2.2.5, defined in rule_action.hpp

/// MS-OXCDATA 2.11.1.1: width of COUNT fields. In ROP buffers PtypBinary byte counts are 16 bits
/// and PtypMultiple* value counts 32 bits; in extended rules (MS-OXORULE 2.2.4) and MAPI over
/// HTTP (MS-OXCMAPIHTTP 2.2.5) both are 32 bits.
enum class count_width : std::uint8_t { rop, extended };

/// How values are laid out and how far decoders may go.
struct value_options {
  count_width counts = count_width::rop;
  unsigned max_depth = 255;  // nesting limit of restrictions and rule actions (MS-OXCDATA 2.12)
  unsigned depth = 0;        // current nesting, kept by the decoders

  /// The options one level deeper: `decode_restriction(in, opts.nested())`.
  [[nodiscard]] constexpr value_options nested() const noexcept {
    value_options o = *this;
    ++o.depth;
    return o;
  }
};

/// MS-OXCDATA 2.11.1 PtypCurrency: a signed count of 1/10000 units.
struct currency {
  std::int64_t value = 0;
  friend constexpr bool operator==(currency, currency) noexcept = default;
};

/// MS-OXCDATA 2.11.1 PtypFloatingTime: days since 1899-12-30, fraction = time of day.
struct floating_time {
  double value = 0;
  friend constexpr bool operator==(floating_time, floating_time) noexcept = default;
};

/// MS-OXCDATA 2.11.1 PtypTime: a FILETIME, 100 ns ticks since 1601-01-01 UTC.
struct filetime {
  std::uint64_t value = 0;
  [[nodiscard]] constexpr auto time_point() const noexcept { return from_filetime(value); }
  friend constexpr bool operator==(filetime, filetime) noexcept = default;
};

/// MS-OXCDATA 2.11.1.4 PtypServerId with Ours = 0x01: a folder ID, a message ID (zero for a
/// folder) and an instance number. Ours = 0x00 carries client-defined bytes instead.
struct server_id {
  std::uint8_t Ours = 1;
  std::uint64_t FolderId = 0;
  std::uint64_t MessageId = 0;
  std::uint32_t Instance = 0;
  std::vector<std::uint8_t> client_data{};  // Ours == 0x00: the bytes after Ours
  friend bool operator==(const server_id&, const server_id&) = default;
};

/// A UTF-16LE string in the wire buffer, without its terminating NUL; decoders validate it.
struct utf16le {
  bytes_view bytes{};
  [[nodiscard]] std::size_t units() const noexcept { return bytes.size() / 2; }
  [[nodiscard]] std::u16string to_u16string() const { return detail::to_u16string(bytes); }
  [[nodiscard]] result<std::string> to_utf8() const { return utf16::to_utf8(bytes); }
  friend bool operator==(const utf16le& a, const utf16le& b) noexcept {
    return std::ranges::equal(a.bytes, b.bytes);
  }
};

/// Fixed-size little-endian elements in the wire buffer (the values of a PtypMultiple* of a
/// fixed-size type): `for (std::int32_t v : array) ...`.
template <class T>
struct le_array {
  bytes_view bytes{};
  static constexpr std::size_t element_size = sizeof(T);

  [[nodiscard]] std::size_t size() const noexcept { return bytes.size() / element_size; }
  [[nodiscard]] T operator[](std::size_t i) const noexcept {
    if constexpr (std::is_same_v<T, oxwire::guid>) {
      reader in(bytes.subspan(i * 16, 16));
      oxwire::guid g{};
      (void)oxwire::decode(in, g);  // 16 bytes are there
      return g;
    } else if constexpr (std::is_same_v<T, currency> || std::is_same_v<T, filetime> ||
                         std::is_same_v<T, floating_time>) {
      using raw = decltype(T{}.value);
      return T{oxwire::detail::load_le<raw>(bytes.data() + i * element_size)};
    } else {
      return oxwire::detail::load_le<T>(bytes.data() + i * element_size);
    }
  }
  struct iterator {
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::input_iterator_tag;
    const le_array* a = nullptr;
    std::size_t i = 0;
    T operator*() const noexcept { return (*a)[i]; }
    iterator& operator++() noexcept { return ++i, *this; }
    iterator operator++(int) noexcept { return {a, i++}; }
    bool operator==(const iterator&) const noexcept = default;
  };
  [[nodiscard]] iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {this, size()}; }
  friend bool operator==(const le_array& a, const le_array& b) noexcept {
    return std::ranges::equal(a.bytes, b.bytes);
  }
};

/// A heap-held T with value semantics, for the recursive members of the model.
template <class T>
class boxed {
 public:
  boxed() : p_(std::make_unique<T>()) {}
  boxed(T v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT: implicit like std::optional
  boxed(const boxed& o) : p_(std::make_unique<T>(*o.p_)) {}
  boxed(boxed&&) noexcept = default;
  boxed& operator=(const boxed& o) { return *this = boxed(o); }
  boxed& operator=(boxed&&) noexcept = default;
  ~boxed() = default;
  [[nodiscard]] const T& operator*() const noexcept { return *p_; }
  [[nodiscard]] T& operator*() noexcept { return *p_; }
  [[nodiscard]] const T* operator->() const noexcept { return p_.get(); }
  [[nodiscard]] T* operator->() noexcept { return p_.get(); }
  friend bool operator==(const boxed& a, const boxed& b) { return *a == *b; }

 private:
  std::unique_ptr<T> p_;
};

/// An encoded structure kept as its validated wire bytes (restrictions and rule actions in a
/// value_view); `decode_restriction(in)` / `decode_rule_actions(in)` turn it into the model.
template <class T>
struct encoded {
  bytes_view bytes{};
  count_width counts = count_width::rop;  // how the bytes were laid out
  friend bool operator==(const encoded& a, const encoded& b) noexcept {
    return std::ranges::equal(a.bytes, b.bytes);
  }
};

/// Storage that owns every value.
struct owned {
  using string = std::u16string;
  using string8 = std::string;
  using binary = std::vector<std::uint8_t>;
  template <class T>
  using array = std::vector<T>;
  template <class T>
  using list = std::vector<T>;
  template <class T>
  using nested = boxed<T>;
};

/// Storage that points into the decoded buffer.
struct view {
  using string = utf16le;
  using string8 = std::string_view;
  using binary = bytes_view;
  template <class T>
  using array = le_array<T>;
  template <class T>
  using list = std::vector<T>;
  template <class T>
  using nested = encoded<T>;
};

namespace detail {

template <PropertyType T, class S>
struct value_of;
#define OXWIRE_MAPI_VALUE(ptyp, ...)       \
  template <class S>                       \
  struct value_of<PropertyType::ptyp, S> { \
    using type = __VA_ARGS__;              \
  }
// MS-OXCDATA 2.11.1, one line per property type.
OXWIRE_MAPI_VALUE(PtypNull, std::monostate);
OXWIRE_MAPI_VALUE(PtypInteger16, std::int16_t);
OXWIRE_MAPI_VALUE(PtypInteger32, std::int32_t);
OXWIRE_MAPI_VALUE(PtypFloating32, float);
OXWIRE_MAPI_VALUE(PtypFloating64, double);
OXWIRE_MAPI_VALUE(PtypCurrency, currency);
OXWIRE_MAPI_VALUE(PtypFloatingTime, floating_time);
OXWIRE_MAPI_VALUE(PtypErrorCode, ErrorCode);
OXWIRE_MAPI_VALUE(PtypBoolean, bool);
OXWIRE_MAPI_VALUE(PtypInteger64, std::int64_t);
OXWIRE_MAPI_VALUE(PtypString, typename S::string);
OXWIRE_MAPI_VALUE(PtypString8, typename S::string8);
OXWIRE_MAPI_VALUE(PtypTime, filetime);
OXWIRE_MAPI_VALUE(PtypGuid, oxwire::guid);
OXWIRE_MAPI_VALUE(PtypServerId, server_id);
OXWIRE_MAPI_VALUE(PtypRestriction, typename S::template nested<restriction>);
OXWIRE_MAPI_VALUE(PtypRuleAction, typename S::template nested<rule_actions>);
OXWIRE_MAPI_VALUE(PtypBinary, typename S::binary);
OXWIRE_MAPI_VALUE(PtypObject, typename S::binary);
OXWIRE_MAPI_VALUE(PtypMultipleInteger16, typename S::template array<std::int16_t>);
OXWIRE_MAPI_VALUE(PtypMultipleInteger32, typename S::template array<std::int32_t>);
OXWIRE_MAPI_VALUE(PtypMultipleFloating32, typename S::template array<float>);
OXWIRE_MAPI_VALUE(PtypMultipleFloating64, typename S::template array<double>);
OXWIRE_MAPI_VALUE(PtypMultipleCurrency, typename S::template array<currency>);
OXWIRE_MAPI_VALUE(PtypMultipleFloatingTime, typename S::template array<floating_time>);
OXWIRE_MAPI_VALUE(PtypMultipleInteger64, typename S::template array<std::int64_t>);
OXWIRE_MAPI_VALUE(PtypMultipleString, typename S::template list<typename S::string>);
OXWIRE_MAPI_VALUE(PtypMultipleString8, typename S::template list<typename S::string8>);
OXWIRE_MAPI_VALUE(PtypMultipleTime, typename S::template array<filetime>);
OXWIRE_MAPI_VALUE(PtypMultipleGuid, typename S::template array<oxwire::guid>);
OXWIRE_MAPI_VALUE(PtypMultipleBinary, typename S::template list<typename S::binary>);
#undef OXWIRE_MAPI_VALUE

/// The property types that carry a value, in variant order (PtypUnspecified carries none).
inline constexpr std::array value_types{
    PropertyType::PtypNull,
    PropertyType::PtypInteger16,
    PropertyType::PtypInteger32,
    PropertyType::PtypFloating32,
    PropertyType::PtypFloating64,
    PropertyType::PtypCurrency,
    PropertyType::PtypFloatingTime,
    PropertyType::PtypErrorCode,
    PropertyType::PtypBoolean,
    PropertyType::PtypInteger64,
    PropertyType::PtypString,
    PropertyType::PtypString8,
    PropertyType::PtypTime,
    PropertyType::PtypGuid,
    PropertyType::PtypServerId,
    PropertyType::PtypRestriction,
    PropertyType::PtypRuleAction,
    PropertyType::PtypBinary,
    PropertyType::PtypObject,
    PropertyType::PtypMultipleInteger16,
    PropertyType::PtypMultipleInteger32,
    PropertyType::PtypMultipleFloating32,
    PropertyType::PtypMultipleFloating64,
    PropertyType::PtypMultipleCurrency,
    PropertyType::PtypMultipleFloatingTime,
    PropertyType::PtypMultipleInteger64,
    PropertyType::PtypMultipleString,
    PropertyType::PtypMultipleString8,
    PropertyType::PtypMultipleTime,
    PropertyType::PtypMultipleGuid,
    PropertyType::PtypMultipleBinary,
};
static_assert(value_types.size() + 1 == gen::mapi::property_types.size(),
              "every MS-OXCDATA type but PtypUnspecified has a C++ value type");

/// value_types positions by type code (codes are sparse but below 0x1200); value_types.size()
/// where a code carries no value. At namespace scope so that it is not rebuilt per call.
inline constexpr auto value_index_table = [] {
  std::array<std::uint8_t, 0x1200> idx{};
  idx.fill(static_cast<std::uint8_t>(value_types.size()));
  for (std::size_t i = 0; i < value_types.size(); ++i)
    idx[static_cast<std::uint16_t>(value_types[i])] = static_cast<std::uint8_t>(i);
  return idx;
}();

/// Position of `t` in value_types, or value_types.size() if it carries no value.
[[nodiscard]] constexpr std::size_t value_index(PropertyType t) noexcept {
  const auto code = static_cast<std::uint16_t>(t);
  return code < value_index_table.size() ? value_index_table[code] : value_types.size();
}

template <class S, class I>
struct variant_of;
template <class S, std::size_t... I>
struct variant_of<S, std::index_sequence<I...>> {
  using type = std::variant<typename value_of<value_types[I], S>::type...>;
};

}  // namespace detail

/// The C++ type of a `T` value in storage S: `value_type_t<PropertyType::PtypString>` is
/// std::u16string; `value_type_t<PropertyType::PtypString, view>` is utf16le.
template <PropertyType T, class S = owned>
using value_type_t = typename detail::value_of<T, S>::type;

/// True for every type code MS-OXCDATA 2.11.1 defines, PtypUnspecified included.
[[nodiscard]] constexpr bool is_known_type(PropertyType t) noexcept {
  return t == PropertyType::PtypUnspecified || detail::value_index(t) < detail::value_types.size();
}

/// A property value of any type, in storage S (`owned` or `view`).
template <class S>
class basic_value {
 public:
  using storage = S;
  using variant_type =
      typename detail::variant_of<S, std::make_index_sequence<detail::value_types.size()>>::type;

  /// PtypNull.
  basic_value() = default;

  /// `property_value::make<PropertyType::PtypInteger32>(42)`.
  template <PropertyType T>
  [[nodiscard]] static basic_value make(value_type_t<T, S> v) {
    basic_value r;
    r.v_.template emplace<detail::value_index(T)>(std::move(v));
    return r;
  }

  [[nodiscard]] PropertyType type() const noexcept { return detail::value_types[v_.index()]; }

  /// The value if it has type T, else nullptr: `if (auto* s = v.get_if<PtypString>()) ...`.
  template <PropertyType T>
  [[nodiscard]] const value_type_t<T, S>* get_if() const noexcept {
    return std::get_if<detail::value_index(T)>(&v_);
  }
  template <PropertyType T>
  [[nodiscard]] value_type_t<T, S>* get_if() noexcept {
    return std::get_if<detail::value_index(T)>(&v_);
  }

  [[nodiscard]] const variant_type& variant() const noexcept { return v_; }
  [[nodiscard]] variant_type& variant() noexcept { return v_; }

  friend bool operator==(const basic_value&, const basic_value&) = default;

 private:
  variant_type v_;
};

using property_value = basic_value<owned>;
using value_view = basic_value<view>;

/// Calls f(std::integral_constant<PropertyType, T>{}) for the runtime type t; t must carry a value.
template <class F>
decltype(auto) visit_type(PropertyType t, F&& f) {
  return [&]<std::size_t... I>(std::index_sequence<I...>)->decltype(auto) {
    using R = decltype(f(std::integral_constant<PropertyType, detail::value_types[0]>{}));
    static constexpr R (*table[])(F&) = {+[](F& g) -> R {
      return g(std::integral_constant<PropertyType, detail::value_types[I]>{});
    }...};
    return table[detail::value_index(t)](f);
  }
  (std::make_index_sequence<detail::value_types.size()>{});
}

}  // namespace oxwire::mapi
