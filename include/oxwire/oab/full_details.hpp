// oxwire — MS-OXOAB 2.9 uncompressed OAB version 4 Full Details files, read and written.
//
//   auto oab = oxwire::oab::decode_full_details(bytes).value();     // owning model
//   for (const auto& rec : oab.records) rec.get(prop::PidTagDisplayName) ...
//   auto view = oxwire::oab::full_details_view::parse(bytes).value();  // zero-copy
//   auto cur = view.records();
//   for (auto r = cur.next(); r && *r; r = cur.next())                  // r: error, end or record
//     (*r)->for_each_value([](const oxwire::oab::value_ref& v) { ... });
//   std::vector<std::uint8_t> again = oxwire::oab::encode_full_details(oab).value();
//
// The file is OAB_HDR, the metadata record (two OAB_PROP_TABLEs), the header record and
// ulTotRecs Address Book object records (OAB_V4_REC). Values use the OAB encodings of 2.9.6:
// integers in 1 to 5 bytes, NUL-terminated strings (PtypString as UTF-8), counted binaries and
// counted multi-valued lists. PtypString values become UTF-16 (std::u16string) in the model.
#pragma once

#include <oxwire/core/reader.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/mapi/error.hpp>
#include <oxwire/mapi/property_bag.hpp>
#include <oxwire/oab/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::oab {

using mapi::property_tag;
using mapi::PropertyType;

/// MS-OXOAB 2.9.1 OAB_HDR of a version 4 Full Details file.
struct OAB_HDR {
  static constexpr std::uint32_t version4_full_details = 0x00000020;
  std::uint32_t ulVersion = version4_full_details;
  std::uint32_t ulSerial = 0;
  std::uint32_t ulTotRecs = 0;  // Address Book object records after the header record
  friend bool operator==(const OAB_HDR&, const OAB_HDR&) = default;
};

/// MS-OXOAB 2.9.4 OAB_PROP_REC: a property of the header or object records, with how it is
/// indexed online (bit a: ANR index; bit b: primary key, present on every record).
struct OAB_PROP_REC {
  static constexpr std::uint32_t anr_index = 0x00000001;    // a
  static constexpr std::uint32_t primary_key = 0x00000002;  // b
  property_tag ulPropId{};
  std::uint32_t flags = 0;
  friend bool operator==(const OAB_PROP_REC&, const OAB_PROP_REC&) = default;
};

/// The property types MS-OXOAB 2.9.4 allows in an OAB_PROP_REC.
[[nodiscard]] constexpr bool is_oab_type(PropertyType t) noexcept {
  switch (t) {
    case PropertyType::PtypInteger32:
    case PropertyType::PtypBoolean:
    case PropertyType::PtypObject:
    case PropertyType::PtypString8:
    case PropertyType::PtypString:
    case PropertyType::PtypBinary:
    case PropertyType::PtypMultipleInteger32:
    case PropertyType::PtypMultipleString8:
    case PropertyType::PtypMultipleString:
    case PropertyType::PtypMultipleBinary: return true;
    default: return false;
  }
}

/// Decoder limits; each one reached is errc::limit_exceeded at the field that reaches it.
struct limits {
  std::size_t max_records = std::size_t{1} << 22;      // ulTotRecs
  std::size_t max_record_size = std::size_t{1} << 24;  // cbSize of one record (16 MiB)
  std::size_t max_properties = 4096;                   // cAtts of one OAB_PROP_TABLE
  /// MS-OXOAB 2.9.4 bit b: a primary-key property MUST have a value on every object record.
  bool require_primary_keys = true;
};

/// The owning model of a Full Details file; `encode_full_details` sets ulTotRecs itself.
struct full_details {
  std::uint32_t ulSerial = 0;
  std::vector<OAB_PROP_REC> rgHdrAtts;  // MS-OXOAB 2.9.2: schema of the header record
  std::vector<OAB_PROP_REC> rgOabAtts;  // MS-OXOAB 2.9.2: schema of the object records
  mapi::property_bag header;            // the OAB header record
  std::vector<mapi::property_bag> records;
  friend bool operator==(const full_details&, const full_details&) = default;
};

namespace detail {

/// MS-OXOAB 2.9.6.1 integer encoding: below 0x80 one byte; else 0x81..0x84 giving how many
/// little-endian bytes follow. Also the byte counts and value counts of 2.9.6.
[[nodiscard]] inline result<std::uint32_t> read_int(reader& in, const char* what) noexcept {
  const std::size_t at = in.offset();
  const auto first = in.read<std::uint8_t>(what);
  if (!first) return first.error();
  if (*first < 0x80) return *first;
  const unsigned n = *first & 0x7Fu;
  if (n == 0 || n > 4) return error{errc::invalid_integer, at, what};
  const auto b = in.bytes(n, what);
  if (!b) return b.error();
  std::uint32_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= static_cast<std::uint32_t>((*b)[i]) << (8 * i);
  return v;
}

template <class Sink>
[[nodiscard]] result<void> write_int(basic_writer<Sink>& w, std::uint32_t v, const char* what) {
  if (v < 0x80) return w.template write<std::uint8_t>(static_cast<std::uint8_t>(v), what);
  const unsigned n = v <= 0xFF ? 1 : v <= 0xFFFF ? 2 : v <= 0xFFFFFF ? 3 : 4;
  const auto p = w.claim(1 + n, what);
  if (!p) return p.error();
  (*p)[0] = static_cast<std::uint8_t>(0x80 | n);
  for (unsigned i = 0; i < n; ++i) (*p)[1 + i] = static_cast<std::uint8_t>(v >> (8 * i));
  return {};
}

/// A count of values that each take at least one byte: no more than the bytes left.
[[nodiscard]] inline result<std::uint32_t> read_count(reader& in, const char* what) noexcept {
  const std::size_t at = in.offset();
  const auto n = read_int(in, what);
  if (n && *n > in.remaining()) return error{mapi::errc::count_too_large, at, what};
  return n;
}

/// MS-OXOAB 2.9.6.3 / 2.9.6.4: NUL-terminated, never empty.
[[nodiscard]] inline result<bytes_view> read_cstr(reader& in, const char* what) noexcept {
  const std::size_t at = in.offset();
  const auto s = in.until_nul(what);
  if (s && s->empty()) return error{errc::empty_value, at, what};
  return s;
}

/// MS-OXOAB 2.9.6.4: PtypString is UTF-8 on the wire, UTF-16 in the model.
[[nodiscard]] inline result<std::u16string> utf8_to_u16(bytes_view s, std::size_t at) {
  std::u16string out(utf16::utf16_bound(s.size()) / 2, u'\0');
  const auto n =
      utf16::from_utf8(std::string_view(reinterpret_cast<const char*>(s.data()), s.size()),
                       mutable_bytes(reinterpret_cast<std::uint8_t*>(out.data()), out.size() * 2));
  if (!n) return error{n.error().code, at + n.error().offset, "PtypString"};
  out.resize(*n / 2);
  return out;
}

[[nodiscard]] inline result<bytes_view> read_binary(reader& in, const char* what) noexcept {
  const auto n = read_int(in, what);
  if (!n) return n.error();
  return in.bytes(*n, what);
}

/// One value of type t (MS-OXOAB 2.9.6); the model value when Keep, else only its extent.
template <bool Keep>
[[nodiscard]] result<mapi::property_value> read_value(reader& in, PropertyType t) {
  using mapi::property_value;
  const auto strings = [&]<PropertyType M>(auto convert) -> result<property_value> {
    const auto n = read_count(in, "cValues");
    if (!n) return n.error();
    mapi::value_type_t<M> list;
    if constexpr (Keep) list.reserve(*n);
    for (std::uint32_t i = 0; i < *n; ++i) {
      const std::size_t at = in.offset();
      const auto s = read_cstr(in, "string");
      if (!s) return s.error();
      if constexpr (Keep) {
        auto v = convert(*s, at);
        if (!v) return v.error();
        list.push_back(std::move(*v));
      }
    }
    return property_value::make<M>(std::move(list));
  };
  const auto string8 = [](bytes_view s, std::size_t) -> result<std::string> {
    return std::string(reinterpret_cast<const char*>(s.data()), s.size());
  };
  switch (t) {
    case PropertyType::PtypInteger32: {
      const auto v = read_int(in, "PtypInteger32");
      if (!v) return v.error();
      return property_value::make<PropertyType::PtypInteger32>(static_cast<std::int32_t>(*v));
    }
    case PropertyType::PtypBoolean: {
      const std::size_t at = in.offset();
      const auto v = in.read<std::uint8_t>("PtypBoolean");
      if (!v) return v.error();
      if (*v > 1) return error{mapi::errc::invalid_boolean, at, "PtypBoolean"};
      return property_value::make<PropertyType::PtypBoolean>(*v == 1);
    }
    case PropertyType::PtypString8: {
      const auto s = read_cstr(in, "PtypString8");
      if (!s) return s.error();
      if constexpr (!Keep) return property_value{};
      return property_value::make<PropertyType::PtypString8>(string8(*s, 0).value());
    }
    case PropertyType::PtypString: {
      const std::size_t at = in.offset();
      const auto s = read_cstr(in, "PtypString");
      if (!s) return s.error();
      if constexpr (!Keep) return property_value{};
      auto u = utf8_to_u16(*s, at);
      if (!u) return u.error();
      return property_value::make<PropertyType::PtypString>(std::move(*u));
    }
    case PropertyType::PtypBinary:
    case PropertyType::PtypObject: {
      const auto b = read_binary(in, "PtypBinary");
      if (!b) return b.error();
      if constexpr (!Keep) return property_value{};
      std::vector<std::uint8_t> v(b->begin(), b->end());
      return t == PropertyType::PtypBinary
                 ? property_value::make<PropertyType::PtypBinary>(std::move(v))
                 : property_value::make<PropertyType::PtypObject>(std::move(v));
    }
    case PropertyType::PtypMultipleInteger32: {
      const auto n = read_count(in, "cValues");
      if (!n) return n.error();
      std::vector<std::int32_t> list;
      if constexpr (Keep) list.reserve(*n);
      for (std::uint32_t i = 0; i < *n; ++i) {
        const auto v = read_int(in, "PtypInteger32");
        if (!v) return v.error();
        if constexpr (Keep) list.push_back(static_cast<std::int32_t>(*v));
      }
      return property_value::make<PropertyType::PtypMultipleInteger32>(std::move(list));
    }
    case PropertyType::PtypMultipleString8:
      return strings.template operator()<PropertyType::PtypMultipleString8>(string8);
    case PropertyType::PtypMultipleString:
      return strings.template operator()<PropertyType::PtypMultipleString>(utf8_to_u16);
    case PropertyType::PtypMultipleBinary: {
      const auto n = read_count(in, "cValues");
      if (!n) return n.error();
      std::vector<std::vector<std::uint8_t>> list;
      if constexpr (Keep) list.reserve(*n);
      for (std::uint32_t i = 0; i < *n; ++i) {
        const auto b = read_binary(in, "PtypBinary");
        if (!b) return b.error();
        if constexpr (Keep) list.emplace_back(b->begin(), b->end());
      }
      return property_value::make<PropertyType::PtypMultipleBinary>(std::move(list));
    }
    default: break;  // tables are checked before any value is read
  }
  return error{errc::unsupported_property_type, in.offset(), "ulPropId"};
}

/// MS-OXOAB 2.9.3 OAB_PROP_TABLE rules shared by the reader and the writer: allowed types, no
/// property twice. `at(i)` is the offset reported for entry i.
template <class At>
[[nodiscard]] result<void> check_table(std::span<const OAB_PROP_REC> props, At at) {
  std::vector<std::pair<std::uint32_t, std::size_t>> tags;
  tags.reserve(props.size());
  for (std::size_t i = 0; i < props.size(); ++i) {
    if (!is_oab_type(props[i].ulPropId.type()))
      return error{errc::unsupported_property_type, at(i), "ulPropId"};
    tags.emplace_back(props[i].ulPropId.value, i);
  }
  std::ranges::sort(tags);
  for (std::size_t i = 1; i < tags.size(); ++i)
    if (tags[i].first == tags[i - 1].first)
      return error{errc::duplicate_property, at(std::max(tags[i].second, tags[i - 1].second)),
                   "ulPropId"};
  return {};
}

[[nodiscard]] inline result<std::vector<OAB_PROP_REC>> read_table(reader& in, const limits& lim) {
  const std::size_t at = in.offset();
  const auto n = in.read<std::uint32_t>("cAtts");
  if (!n) return n.error();
  if (*n > lim.max_properties) return error{oxwire::errc::limit_exceeded, at, "cAtts"};
  if (std::size_t{*n} * 8 > in.remaining()) return error{mapi::errc::count_too_large, at, "cAtts"};
  std::vector<OAB_PROP_REC> props(*n);
  for (auto& p : props) (void)in.read_into("OAB_PROP_REC", p.ulPropId.value, p.flags);
  if (auto r = check_table(props, [&](std::size_t i) { return at + 4 + 8 * i; }); !r)
    return r.error();
  return props;
}

}  // namespace detail

/// One present value of a record, still encoded: where it is and its MS-OXOAB 2.9.6 bytes.
struct value_ref {
  OAB_PROP_REC prop;
  bytes_view encoded;
  std::size_t offset = 0;

  /// The value in the MAPI model (UTF-8 strings checked and widened).
  [[nodiscard]] result<mapi::property_value> decode() const {
    reader in(encoded, offset);
    return detail::read_value<true>(in, prop.ulPropId.type());
  }
};

/// MS-OXOAB 2.9.5 OAB_V4_REC, checked for its size and presence bits, values not yet read.
class record_view {
 public:
  /// Reads the record at `in` against `props`: cbSize, presenceBitArray.
  [[nodiscard]] static result<record_view> parse(reader& in, std::span<const OAB_PROP_REC> props,
                                                 const limits& lim, bool object_record) {
    const std::size_t at = in.offset();
    const auto cb = in.read<std::uint32_t>("cbSize");
    if (!cb) return cb.error();
    const std::size_t presence = (props.size() + 7) / 8;
    if (*cb < 4 + presence) return error{errc::invalid_record_size, at, "cbSize"};
    if (*cb > lim.max_record_size) return error{oxwire::errc::limit_exceeded, at, "cbSize"};
    auto body = in.sub(*cb - 4, "OAB_V4_REC");
    if (!body) return body.error();
    record_view r;
    r.offset_ = at;
    r.props_ = props;
    r.bits_ = body->bytes(presence, "presenceBitArray").value();
    r.data_ = *body;
    // MS-OXOAB 2.9.5: unused bits in the final byte MUST be 0.
    if (const unsigned used = props.size() % 8; used && (r.bits_.back() & (0xFFu >> used)))
      return error{errc::invalid_presence_bits, at + 4 + presence - 1, "presenceBitArray"};
    if (object_record && lim.require_primary_keys)
      for (std::size_t i = 0; i < props.size(); ++i)
        if ((props[i].flags & OAB_PROP_REC::primary_key) && !r.present(i))
          return error{errc::missing_primary_key, at + 4 + i / 8, "presenceBitArray"};
    return r;
  }

  /// Offset of cbSize in the file.
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
  [[nodiscard]] bytes_view presenceBitArray() const noexcept { return bits_; }
  /// MS-OXOAB 2.9.5: bit i (most significant bit of byte 0 first) marks property i present.
  [[nodiscard]] bool present(std::size_t i) const noexcept {
    return (bits_[i / 8] << (i % 8)) & 0x80;
  }

  /// Calls f(const value_ref&) for each present value in table order, checking that every value
  /// is well framed and that no byte follows the last one. Strings are not UTF-8 checked here.
  template <class F>
  [[nodiscard]] result<void> for_each_value(F&& f) const {
    return walk<false>([&](const OAB_PROP_REC& p, mapi::property_value&&, bytes_view raw,
                           std::size_t at) -> result<void> {
      f(value_ref{p, raw, at});
      return {};
    });
  }

  /// The record as a property bag (absent properties left out).
  [[nodiscard]] result<mapi::property_bag> to_bag() const {
    mapi::property_bag bag;
    auto r = walk<true>([&](const OAB_PROP_REC& p, mapi::property_value&& v, bytes_view,
                            std::size_t) { return bag.set(p.ulPropId, std::move(v)); });
    if (!r) return r.error();
    return bag;
  }

 private:
  template <bool Keep, class F>
  [[nodiscard]] result<void> walk(F&& f) const {
    reader in = data_;
    for (std::size_t i = 0; i < props_.size(); ++i) {
      if (!present(i)) continue;
      const std::size_t at = in.offset();
      const bytes_view rest = in.rest();
      auto v = detail::read_value<Keep>(in, props_[i].ulPropId.type());
      if (!v) return v.error();
      if (auto r = f(props_[i], std::move(*v), rest.first(in.offset() - at), at); !r)
        return r.error();
    }
    if (!in.empty()) return error{errc::trailing_data, in.offset(), "OAB_V4_REC"};
    return {};
  }

  std::size_t offset_ = 0;
  std::span<const OAB_PROP_REC> props_;
  bytes_view bits_;
  reader data_;
};

/// The Address Book object records of a file, one at a time: `next()` gives the next record,
/// std::nullopt after the last (checking that nothing follows it), or an error.
class record_cursor {
 public:
  record_cursor(reader in, std::span<const OAB_PROP_REC> props, std::uint32_t count,
                const limits& lim) noexcept
      : in_(in), props_(props), left_(count), lim_(lim) {}

  [[nodiscard]] result<std::optional<record_view>> next() {
    if (left_ == 0) {
      if (!in_.empty()) return error{errc::trailing_data, in_.offset(), "ulTotRecs"};
      return std::optional<record_view>{};
    }
    auto r = record_view::parse(in_, props_, lim_, true);
    if (!r) return r.error();
    --left_;
    return std::optional<record_view>{*r};
  }
  /// Records not yet returned.
  [[nodiscard]] std::uint32_t remaining() const noexcept { return left_; }

 private:
  reader in_;
  std::span<const OAB_PROP_REC> props_;
  std::uint32_t left_;
  limits lim_;
};

/// A Full Details file read in place: header, schema and header record checked up front, object
/// records read on demand. The bytes must outlive the view.
class full_details_view {
 public:
  [[nodiscard]] static result<full_details_view> parse(bytes_view file, const limits& lim = {}) {
    full_details_view v;
    v.lim_ = lim;
    reader in(file);
    // MS-OXOAB 2.9.1 OAB_HDR
    if (auto r = in.read_into("OAB_HDR", v.hdr_.ulVersion, v.hdr_.ulSerial, v.hdr_.ulTotRecs); !r)
      return r.error();
    if (v.hdr_.ulVersion != OAB_HDR::version4_full_details)
      return error{errc::invalid_version, 0, "ulVersion"};
    if (v.hdr_.ulTotRecs > lim.max_records)
      return error{oxwire::errc::limit_exceeded, 8, "ulTotRecs"};
    // MS-OXOAB 2.9.2 OAB_META_DATA: cbSize, rgHdrAtts, rgOabAtts
    const std::size_t meta_at = in.offset();
    const auto cb = in.read<std::uint32_t>("cbSize");
    if (!cb) return cb.error();
    if (*cb < 12) return error{errc::invalid_record_size, meta_at, "cbSize"};
    auto meta = in.sub(*cb - 4, "OAB_META_DATA");
    if (!meta) return meta.error();
    auto hdr_atts = detail::read_table(*meta, lim);
    if (!hdr_atts) return hdr_atts.error();
    auto oab_atts = detail::read_table(*meta, lim);
    if (!oab_atts) return oab_atts.error();
    if (!meta->empty()) return error{errc::trailing_data, meta->offset(), "OAB_META_DATA"};
    v.hdr_atts_ = std::move(*hdr_atts);
    v.oab_atts_ = std::move(*oab_atts);
    auto header = record_view::parse(in, v.hdr_atts_, lim, false);
    if (!header) return header.error();
    v.header_ = *header;
    // Each object record takes at least cbSize and its presence bits.
    const std::size_t min_record = 4 + (v.oab_atts_.size() + 7) / 8;
    if (std::size_t{v.hdr_.ulTotRecs} > in.remaining() / min_record)
      return error{mapi::errc::count_too_large, 8, "ulTotRecs"};
    v.records_ = in;
    return v;
  }

  // The record views point into this object's tables: moving keeps the vectors' buffers, a
  // copy would not.
  full_details_view(const full_details_view&) = delete;
  full_details_view& operator=(const full_details_view&) = delete;
  full_details_view(full_details_view&&) noexcept = default;
  full_details_view& operator=(full_details_view&&) noexcept = default;

  [[nodiscard]] const OAB_HDR& header() const noexcept { return hdr_; }
  [[nodiscard]] std::span<const OAB_PROP_REC> rgHdrAtts() const noexcept { return hdr_atts_; }
  [[nodiscard]] std::span<const OAB_PROP_REC> rgOabAtts() const noexcept { return oab_atts_; }
  /// The OAB header record.
  [[nodiscard]] const record_view& header_record() const noexcept { return header_; }
  /// A cursor over the ulTotRecs object records.
  [[nodiscard]] record_cursor records() const noexcept {
    return {records_, oab_atts_, hdr_.ulTotRecs, lim_};
  }

 private:
  full_details_view() = default;

  OAB_HDR hdr_;
  std::vector<OAB_PROP_REC> hdr_atts_, oab_atts_;
  limits lim_;
  reader records_;
  record_view header_;
};

/// Reads a whole Full Details file into the owning model.
[[nodiscard]] inline result<full_details> decode_full_details(bytes_view file,
                                                              const limits& lim = {}) {
  auto v = full_details_view::parse(file, lim);
  if (!v) return v.error();
  full_details out;
  out.ulSerial = v->header().ulSerial;
  out.rgHdrAtts.assign(v->rgHdrAtts().begin(), v->rgHdrAtts().end());
  out.rgOabAtts.assign(v->rgOabAtts().begin(), v->rgOabAtts().end());
  auto header = v->header_record().to_bag();
  if (!header) return header.error();
  out.header = std::move(*header);
  out.records.reserve(v->header().ulTotRecs);
  for (auto cur = v->records();;) {
    auto r = cur.next();
    if (!r) return r.error();
    if (!*r) break;
    auto bag = (*r)->to_bag();
    if (!bag) return bag.error();
    out.records.push_back(std::move(*bag));
  }
  return out;
}

namespace detail {

/// MS-OXOAB 2.9.6: an empty string, binary or list is not encoded but marked absent.
[[nodiscard]] inline bool is_empty(const mapi::property_value& v) {
  return std::visit(
      []<class T>(const T& x) {
        if constexpr (requires { x.empty(); })
          return x.empty();
        else
          return false;
      },
      v.variant());
}

template <class Sink>
[[nodiscard]] result<void> write_cstr(basic_writer<Sink>& w, std::string_view s, const char* what) {
  if (s.empty()) return error{errc::empty_value, w.size(), what};
  if (s.find('\0') != std::string_view::npos) return error{errc::embedded_nul, w.size(), what};
  if (auto r = w.write_bytes(as_bytes(s), what); !r) return r;
  return w.template write<std::uint8_t>(0, what);
}

template <class Sink>
[[nodiscard]] result<void> write_u16(basic_writer<Sink>& w, std::u16string_view s,
                                     const char* what) {
  const auto u8 = utf16::to_utf8(s);
  if (!u8) return error{u8.error().code, w.size(), what};
  return write_cstr(w, *u8, what);
}

template <class Sink>
[[nodiscard]] result<void> write_binary(basic_writer<Sink>& w, bytes_view b, const char* what) {
  if (b.size() > std::numeric_limits<std::uint32_t>::max())
    return error{oxwire::errc::limit_exceeded, w.size(), what};
  if (auto r = write_int(w, static_cast<std::uint32_t>(b.size()), what); !r) return r;
  return w.write_bytes(b, what);
}

template <class Sink, class List, class F>
[[nodiscard]] result<void> write_list(basic_writer<Sink>& w, const List& list, F each) {
  if (list.size() > std::numeric_limits<std::uint32_t>::max())
    return error{oxwire::errc::limit_exceeded, w.size(), "cValues"};
  if (auto r = write_int(w, static_cast<std::uint32_t>(list.size()), "cValues"); !r) return r;
  for (const auto& x : list)
    if (auto r = each(x); !r) return r;
  return {};
}

/// One value in its MS-OXOAB 2.9.6 encoding; the type is the table's (the bag found it by tag).
template <class Sink>
[[nodiscard]] result<void> write_value(basic_writer<Sink>& w, const mapi::property_value& v) {
  using P = PropertyType;
  if (const auto* i = v.get_if<P::PtypInteger32>())
    return write_int(w, static_cast<std::uint32_t>(*i), "PtypInteger32");
  if (const auto* b = v.get_if<P::PtypBoolean>())
    return w.template write<std::uint8_t>(*b ? 1 : 0, "PtypBoolean");
  if (const auto* s = v.get_if<P::PtypString8>()) return write_cstr(w, *s, "PtypString8");
  if (const auto* s = v.get_if<P::PtypString>()) return write_u16(w, *s, "PtypString");
  if (const auto* b = v.get_if<P::PtypBinary>()) return write_binary(w, *b, "PtypBinary");
  if (const auto* b = v.get_if<P::PtypObject>()) return write_binary(w, *b, "PtypObject");
  if (const auto* l = v.get_if<P::PtypMultipleInteger32>())
    return write_list(w, *l, [&](std::int32_t i) {
      return write_int(w, static_cast<std::uint32_t>(i), "PtypInteger32");
    });
  if (const auto* l = v.get_if<P::PtypMultipleString8>())
    return write_list(w, *l, [&](const std::string& s) { return write_cstr(w, s, "PtypString8"); });
  if (const auto* l = v.get_if<P::PtypMultipleString>())
    return write_list(w, *l,
                      [&](const std::u16string& s) { return write_u16(w, s, "PtypString"); });
  if (const auto* l = v.get_if<P::PtypMultipleBinary>())
    return write_list(w, *l, [&](const std::vector<std::uint8_t>& b) {
      return write_binary(w, b, "PtypBinary");
    });
  return error{errc::unsupported_property_type, w.size(), "ulPropId"};
}

/// MS-OXOAB 2.9.5 OAB_V4_REC of `bag` against `props`; every value of the bag must be in props.
template <class Sink>
[[nodiscard]] result<void> write_record(basic_writer<Sink>& w, std::span<const OAB_PROP_REC> props,
                                        const mapi::property_bag& bag, bool object_record) {
  const std::size_t at = w.size();
  std::size_t found = 0;
  std::vector<const mapi::property_value*> values(props.size());
  for (std::size_t i = 0; i < props.size(); ++i) {
    values[i] = bag.find(props[i].ulPropId);
    if (values[i]) ++found;
    if (values[i] && is_empty(*values[i])) values[i] = nullptr;
  }
  if (found != bag.size()) return error{errc::property_not_in_table, at, "OAB_V4_REC"};
  if (object_record)  // MS-OXOAB 2.9.4 bit b
    for (std::size_t i = 0; i < props.size(); ++i)
      if ((props[i].flags & OAB_PROP_REC::primary_key) && !values[i])
        return error{errc::missing_primary_key, at, "OAB_V4_REC"};
  const auto size_at = w.template reserve_at<std::uint32_t>("cbSize");
  if (!size_at) return size_at.error();
  const auto bits = w.claim((props.size() + 7) / 8, "presenceBitArray");
  if (!bits) return bits.error();
  std::uint8_t* p = *bits;  // claim's bytes are uninitialised
  std::fill_n(p, (props.size() + 7) / 8, std::uint8_t{0});
  for (std::size_t i = 0; i < props.size(); ++i)
    if (values[i]) p[i / 8] |= static_cast<std::uint8_t>(0x80u >> (i % 8));
  for (const auto* v : values)
    if (v)
      if (auto r = write_value(w, *v); !r) return r;
  if (w.size() - at > std::numeric_limits<std::uint32_t>::max())
    return error{oxwire::errc::limit_exceeded, at, "cbSize"};
  return w.template patch<std::uint32_t>(*size_at, static_cast<std::uint32_t>(w.size() - at),
                                         "cbSize");
}

}  // namespace detail

/// Writes `oab` as a Full Details file (MS-OXOAB 2.9): ulTotRecs is records.size(); empty
/// strings, binaries and lists are marked absent (2.9.6). Errors: unsupported_property_type and
/// duplicate_property in a table, property_not_in_table, embedded_nul, empty_value (an empty
/// string inside a list), core errors of the sink.
template <class Sink>
[[nodiscard]] result<void> encode_full_details(basic_writer<Sink>& w, const full_details& oab) {
  for (const auto* t : {&oab.rgHdrAtts, &oab.rgOabAtts})
    if (auto r = detail::check_table(*t, [&](std::size_t) { return w.size(); }); !r) return r;
  if (oab.records.size() > std::numeric_limits<std::uint32_t>::max())
    return error{oxwire::errc::limit_exceeded, w.size(), "ulTotRecs"};
  const OAB_HDR hdr{OAB_HDR::version4_full_details, oab.ulSerial,
                    static_cast<std::uint32_t>(oab.records.size())};
  for (const std::uint32_t v : {hdr.ulVersion, hdr.ulSerial, hdr.ulTotRecs})
    if (auto r = w.template write<std::uint32_t>(v, "OAB_HDR"); !r) return r;
  const std::size_t meta_at = w.size();
  const auto size_at = w.template reserve_at<std::uint32_t>("cbSize");
  if (!size_at) return size_at.error();
  for (const auto* t : {&oab.rgHdrAtts, &oab.rgOabAtts}) {
    if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(t->size()), "cAtts");
        !r)
      return r;
    for (const auto& p : *t)
      for (const std::uint32_t v : {p.ulPropId.value, p.flags})
        if (auto r = w.template write<std::uint32_t>(v, "OAB_PROP_REC"); !r) return r;
  }
  if (auto r = w.template patch<std::uint32_t>(
          *size_at, static_cast<std::uint32_t>(w.size() - meta_at), "cbSize");
      !r)
    return r;
  if (auto r = detail::write_record(w, oab.rgHdrAtts, oab.header, false); !r) return r;
  for (const auto& rec : oab.records)
    if (auto r = detail::write_record(w, oab.rgOabAtts, rec, true); !r) return r;
  return {};
}

/// `encode_full_details` into a new vector.
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode_full_details(
    const full_details& oab) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  if (auto r = encode_full_details(w, oab); !r) return r.error();
  return out;
}

}  // namespace oxwire::oab
