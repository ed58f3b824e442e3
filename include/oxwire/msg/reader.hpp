// oxwire — .msg reader (MS-OXMSG): a compound file to the message model of
// oxwire/mapi/message.hpp.
//
//   auto m = oxwire::msg::read_message(bytes);            // result<mapi::message>
//   auto subject = m->properties.get(mapi::prop::PidTagSubject);
//
// Errors carry absolute file offsets: a fault inside a stream is reported at the file offset of
// the offending stream byte (streams need not be contiguous in the file). String-name hashes are
// CRC-32 (core/crc32.hpp): link libdeflate.
#pragma once

#include <oxwire/cfb/reader.hpp>
#include <oxwire/cfb/writer.hpp>
#include <oxwire/core/crc32.hpp>
#include <oxwire/mapi/message.hpp>
#include <oxwire/mapi/property_lookup.hpp>
#include <oxwire/msg/error.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace oxwire::msg {

/// Limits of the reader.
struct read_options {
  unsigned max_depth = 16;         // embedded messages inside embedded messages
  std::size_t max_objects = 8192;  // recipients plus attachments of one message
  cfb::options container{};
  /// Check the property name to property ID mapping streams (MS-OXMSG 2.2.3.2.2) against the
  /// entry stream, where a file has them (some writers leave them all out): each entry in the
  /// stream its name hashes to, and nothing else there.
  bool verify_name_streams = true;
};

// MS-OXMSG 2.4.1: property stream header sizes.
inline constexpr std::size_t top_level_header_size = 32;
inline constexpr std::size_t embedded_header_size = 24;
inline constexpr std::size_t object_header_size = 8;  // recipients and attachments

namespace detail {

/// MS-OXMSG 2.2.3.2.2: the property name to property ID mapping stream of an entry, 0x1000 +
/// ((ID XOR (GUID index << 1 | Kind)) MOD 0x1F), ID being the LID or the CRC-32 of the string
/// name; `index_and_kind` is the entry's second field (2.2.3.1.2), whose low 16 bits are GUID
/// index << 1 | Kind.
[[nodiscard]] constexpr std::uint16_t name_stream_id(std::uint32_t id,
                                                     std::uint32_t index_and_kind) noexcept {
  return static_cast<std::uint16_t>(0x1000 + (id ^ (index_and_kind & 0xFFFF)) % 0x1F);
}

/// "__substg1.0_TTTTTTTT" (MS-OXMSG 2.1.3), with "-XXXXXXXX" for value `index` of a
/// multiple-valued property (2.1.4.2).
inline std::u16string value_stream_name(std::uint32_t tag, long long index = -1) {
  char buf[40];
  if (index < 0)
    std::snprintf(buf, sizeof buf, "__substg1.0_%08X", tag);
  else
    std::snprintf(buf, sizeof buf, "__substg1.0_%08X-%08X", tag, static_cast<std::uint32_t>(index));
  return {buf, buf + std::char_traits<char>::length(buf)};
}

/// MS-OXMSG 2.1.2: PtypInteger16 ... PtypTime, whose values sit in the property stream.
[[nodiscard]] constexpr bool is_fixed(mapi::PropertyType t) noexcept {
  switch (static_cast<std::uint16_t>(t)) {
    case 0x0002:
    case 0x0003:
    case 0x0004:
    case 0x0005:
    case 0x0006:
    case 0x0007:
    case 0x000A:
    case 0x000B:
    case 0x0014:
    case 0x0040: return true;
    default: return false;
  }
}
/// MS-OXMSG 2.1.4.1: multiple-valued types of fixed-size elements, one stream for all values.
[[nodiscard]] constexpr bool is_multiple_fixed(mapi::PropertyType t) noexcept {
  switch (static_cast<std::uint16_t>(t)) {
    case 0x1002:
    case 0x1003:
    case 0x1004:
    case 0x1005:
    case 0x1006:
    case 0x1007:
    case 0x1014:
    case 0x1040:
    case 0x1048: return true;
    default: return false;
  }
}

/// A storage of `cf` and everything below it, as a tree cfb::write takes; nesting_too_deep past
/// `depth` levels.
inline result<cfb::node> node_of(const cfb::compound_file& cf, std::uint32_t id, unsigned depth) {
  const cfb::directory_entry& e = cf.entry(id);
  if (e.is_stream()) {
    auto data = cf.read_stream(id);
    if (!data) return data.error();
    return cfb::node::stream(e.name, std::move(*data));
  }
  if (depth == 0) return error{errc::nesting_too_deep, cf.file_offset(id, 0), "storage"};
  cfb::node n = cfb::node::storage(e.name);
  n.clsid = e.CLSID;
  for (std::uint32_t child : cf.children(id)) {
    auto c = node_of(cf, child, depth - 1);
    if (!c) return c.error();
    n.children.push_back(std::move(*c));
  }
  return n;
}

/// MS-OXMSG 2.2.3.1.2 GUID Index 1 and 2.
inline const oxwire::guid PS_MAPI = *mapi::property_set_guid("PS_MAPI");
inline const oxwire::guid PS_PUBLIC_STRINGS = *mapi::property_set_guid("PS_PUBLIC_STRINGS");

class msg_reader {
 public:
  msg_reader(const cfb::compound_file& cf, const read_options& opt) : cf_(cf), opt_(opt) {}

  result<mapi::message> read_top() {
    mapi::message m;
    if (auto r = read_names(m.names); !r) return r.error();
    if (auto r = read_message(cfb::root_id, top_level_header_size, 0, m); !r) return r.error();
    return m;
  }

 private:
  // A stream's bytes in `buf`, or the error at its entry.
  result<bytes_view> stream(std::uint32_t id, std::vector<std::uint8_t>& buf) const {
    return cf_.read_stream(id, buf);
  }
  // A stream-relative error moved to the file offset of that byte.
  error in_file(error e, std::uint32_t id) const {
    e.offset = cf_.file_offset(id, e.offset);
    return e;
  }
  error at_entry(std::uint32_t id, errc code, const char* what) const {
    return {code, cf_.file_offset(id, 0), what};
  }

  result<void> read_message(std::uint32_t storage, std::size_t header, unsigned depth,
                            mapi::message& m) {
    if (auto r = read_properties(storage, header, m.properties); !r) return r;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> recips, attachs;  // (index, id)
    for (std::uint32_t id : cf_.children(storage)) {
      const cfb::directory_entry& e = cf_.entry(id);
      if (!e.is_storage()) continue;
      for (auto [prefix, list] :
           {std::pair{std::u16string_view(u"__recip_version1.0_#"), &recips},
            std::pair{std::u16string_view(u"__attach_version1.0_#"), &attachs}}) {
        if (!std::u16string_view(e.name).starts_with(prefix)) continue;
        auto index = hex_suffix(std::u16string_view(e.name).substr(prefix.size()));
        if (!index) return at_entry(id, errc::invalid_storage_name, "storage name");
        if (recips.size() + attachs.size() >= opt_.max_objects)
          return at_entry(id, errc::too_many_objects, "storage");
        list->emplace_back(*index, id);
      }
    }
    std::ranges::sort(recips);
    std::ranges::sort(attachs);
    for (auto [index, id] : recips) {
      mapi::recipient r;
      if (auto ok = read_properties(id, object_header_size, r.properties); !ok) return ok;
      m.recipients.push_back(std::move(r));
    }
    for (auto [index, id] : attachs) {
      mapi::attachment a;
      if (auto ok = read_properties(id, object_header_size, a.properties); !ok) return ok;
      // MS-OXMSG 2.2.2: an embedded message or a custom attachment storage (afStorage) lives
      // in the __substg1.0_3701000D storage.
      const auto sub = cf_.find(id, value_stream_name(0x3701000D));
      if (sub && cf_.entry(*sub).is_storage() && cf_.find(*sub, u"__properties_version1.0")) {
        if (depth + 1 > opt_.max_depth)
          return at_entry(*sub, errc::nesting_too_deep, "embedded message");
        mapi::message inner;
        if (auto ok = read_message(*sub, embedded_header_size, depth + 1, inner); !ok) return ok;
        inner.names = names_;
        a.embedded.emplace(std::move(inner));
      } else if (sub && cf_.entry(*sub).is_storage()) {
        if (auto ok = read_storage(*sub, a.properties); !ok) return ok;
      }
      m.attachments.push_back(std::move(a));
    }
    return {};
  }

  // A custom attachment storage as PidTagAttachDataObject: IID_IStorage and the storage as a
  // compound file of its own (the form MS-OXTNEF 2.1.3.4 gives the value).
  result<void> read_storage(std::uint32_t storage, mapi::property_bag& bag) const {
    auto root = node_of(cf_, storage, opt_.max_depth);
    if (!root) return root.error();
    root->name = u"Root Entry";
    auto file = cfb::write(*root);
    if (!file) return file.error();
    std::vector<std::uint8_t> value;
    vector_writer w(value);
    (void)oxwire::encode(w, mapi::IID_IStorage);
    value.insert(value.end(), file->begin(), file->end());
    return bag.set(mapi::property_tag{0x3701000D},
                   mapi::property_value::make<mapi::PropertyType::PtypObject>(std::move(value)));
  }

  static std::optional<std::uint32_t> hex_suffix(std::u16string_view s) {
    if (s.size() != 8) return std::nullopt;
    std::uint32_t v = 0;
    for (char16_t c : s) {
      const int d = c >= u'0' && c <= u'9'   ? c - u'0'
                    : c >= u'A' && c <= u'F' ? c - u'A' + 10
                    : c >= u'a' && c <= u'f' ? c - u'a' + 10
                                             : -1;
      if (d < 0) return std::nullopt;
      v = v << 4 | static_cast<std::uint32_t>(d);
    }
    return v;
  }

  // MS-OXMSG 2.4: the property stream of one object, and the streams of its values.
  result<void> read_properties(std::uint32_t storage, std::size_t header, mapi::property_bag& bag) {
    const auto ps = cf_.find(storage, u"__properties_version1.0");
    if (!ps || !cf_.entry(*ps).is_stream())
      return at_entry(storage, errc::missing_property_stream, "__properties_version1.0");
    std::vector<std::uint8_t> buf;
    auto bytes = stream(*ps, buf);
    if (!bytes) return bytes.error();
    reader in(*bytes);
    if (auto r = in.skip(header, "property stream header"); !r) return in_file(r.error(), *ps);
    while (!in.empty()) {
      std::uint32_t tag = 0, flags = 0;
      if (auto r = in.read_into("property entry", tag, flags); !r) return in_file(r.error(), *ps);
      auto value = in.sub(8, "property entry Value");
      if (!value) return in_file(value.error(), *ps);
      auto v = read_value(storage, *ps, mapi::property_tag{tag}, *value);
      if (!v) return v.error();
      if (*v) (void)bag.set(mapi::property_tag{tag}, std::move(**v));
    }
    return {};
  }

  // One property value (errors at file offsets); nullopt for PtypObject (a storage, read by
  // its owner). `ps` is the property stream, `value` the entry's 8-byte Value field.
  result<std::optional<mapi::property_value>> read_value(std::uint32_t storage, std::uint32_t ps,
                                                         mapi::property_tag tag, reader value) {
    using mapi::PropertyType;
    const PropertyType t = tag.type();
    const std::size_t at = cf_.file_offset(ps, value.offset() - 8);
    if (is_fixed(t)) {
      auto v = mapi::decode_value(value, t);  // MS-OXMSG 2.4.2.1: Data, then Reserved
      if (!v) return in_file(v.error(), ps);
      return std::optional(mapi::to_owned(*v));
    }
    if (t == PropertyType::PtypObject) return std::optional<mapi::property_value>{};
    const bool mv_var = t == PropertyType::PtypMultipleString ||
                        t == PropertyType::PtypMultipleString8 ||
                        t == PropertyType::PtypMultipleBinary;
    if (!mv_var && !is_multiple_fixed(t) && t != PropertyType::PtypString &&
        t != PropertyType::PtypString8 && t != PropertyType::PtypBinary &&
        t != PropertyType::PtypGuid)
      return error{mapi::errc::unknown_property_type, at, "Property Tag"};
    const auto sid = cf_.find(storage, value_stream_name(tag.value));
    if (!sid || !cf_.entry(*sid).is_stream())
      return error{errc::missing_value_stream, at, "__substg1.0_ stream"};
    std::vector<std::uint8_t> buf;
    auto s = stream(*sid, buf);
    if (!s) return s.error();
    if (mv_var) return read_multiple(storage, tag, *sid, *s, at);
    if (t == PropertyType::PtypGuid) {
      if (s->size() != 16) return at_entry(*sid, errc::size_mismatch, "PtypGuid stream");
      reader g(*s);
      oxwire::guid v{};
      (void)oxwire::decode(g, v);
      return std::optional(mapi::property_value::make<PropertyType::PtypGuid>(v));
    }
    if (is_multiple_fixed(t)) {
      // The values without the COUNT that MS-OXCDATA 2.11.1.1 puts in front of them.
      const std::size_t size = element_size(t);
      if (s->size() % size != 0) return at_entry(*sid, errc::size_mismatch, "value stream");
      std::vector<std::uint8_t> wire(4 + s->size());
      std::ranges::copy(*s, wire.begin() + 4);
      oxwire::detail::store_le<std::uint32_t>(wire.data(),
                                              static_cast<std::uint32_t>(s->size() / size));
      reader wr(wire);
      auto v = mapi::decode_value(wr, t);
      if (!v) return at_entry(*sid, errc::size_mismatch, "value stream");
      return std::optional(mapi::to_owned(*v));
    }
    return std::optional(single(t, *s));
  }

  // MS-OXCDATA 2.11.1: the element size of a multiple-valued fixed-size type.
  static std::size_t element_size(mapi::PropertyType t) noexcept {
    switch (static_cast<std::uint16_t>(t) & 0x0FFF) {
      case 0x0002: return 2;
      case 0x0003:
      case 0x0004: return 4;
      case 0x0048: return 16;
      default: return 8;
    }
  }

  // A string, string8 or binary from its stream; trailing NULs of strings dropped.
  static mapi::property_value single(mapi::PropertyType t, bytes_view s) {
    using mapi::PropertyType;
    switch (t) {
      case PropertyType::PtypString: {
        std::u16string v(s.size() / 2, u'\0');
        for (std::size_t i = 0; i < v.size(); ++i)
          v[i] = static_cast<char16_t>(s[2 * i] | s[2 * i + 1] << 8);
        while (!v.empty() && v.back() == u'\0') v.pop_back();
        return mapi::property_value::make<PropertyType::PtypString>(std::move(v));
      }
      case PropertyType::PtypString8: {
        std::string v(as_chars(s));
        while (!v.empty() && v.back() == '\0') v.pop_back();
        return mapi::property_value::make<PropertyType::PtypString8>(std::move(v));
      }
      default: return mapi::property_value::make<PropertyType::PtypBinary>({s.begin(), s.end()});
    }
  }

  result<std::optional<mapi::property_value>> read_multiple(std::uint32_t storage,
                                                            mapi::property_tag tag,
                                                            std::uint32_t length_id,
                                                            bytes_view lengths, std::size_t at) {
    using mapi::PropertyType;
    const PropertyType t = tag.type();
    // MS-OXMSG 2.1.4.2: the length stream has one entry per value (8 bytes for binaries).
    const std::size_t entry = t == PropertyType::PtypMultipleBinary ? 8 : 4;
    if (lengths.size() % entry != 0)
      return error{errc::size_mismatch, cf_.file_offset(length_id, 0), "length stream"};
    const std::size_t n = lengths.size() / entry;
    std::vector<std::u16string> strings;
    std::vector<std::string> strings8;
    std::vector<std::vector<std::uint8_t>> binaries;
    std::vector<std::uint8_t> buf;
    for (std::size_t i = 0; i < n; ++i) {
      const auto sid = cf_.find(storage, value_stream_name(tag.value, static_cast<long long>(i)));
      if (!sid || !cf_.entry(*sid).is_stream())
        return error{errc::missing_value_stream, at, "__substg1.0_ value stream"};
      auto s = stream(*sid, buf);
      if (!s) return s.error();
      mapi::property_value one =
          single(t == PropertyType::PtypMultipleString    ? PropertyType::PtypString
                 : t == PropertyType::PtypMultipleString8 ? PropertyType::PtypString8
                                                          : PropertyType::PtypBinary,
                 *s);
      if (auto* v = one.get_if<PropertyType::PtypString>()) strings.push_back(std::move(*v));
      if (auto* v = one.get_if<PropertyType::PtypString8>()) strings8.push_back(std::move(*v));
      if (auto* v = one.get_if<PropertyType::PtypBinary>()) binaries.push_back(std::move(*v));
    }
    if (t == PropertyType::PtypMultipleString)
      return std::optional(mapi::property_value::make<PropertyType::PtypMultipleString>(strings));
    if (t == PropertyType::PtypMultipleString8)
      return std::optional(mapi::property_value::make<PropertyType::PtypMultipleString8>(strings8));
    return std::optional(mapi::property_value::make<PropertyType::PtypMultipleBinary>(binaries));
  }

  // MS-OXMSG 2.2.3 Named Property Mapping Storage.
  result<void> read_names(mapi::named_property_map& map) {
    const auto st = cf_.find(cfb::root_id, u"__nameid_version1.0");
    if (!st || !cf_.entry(*st).is_storage()) return {};
    std::vector<std::uint8_t> gbuf, ebuf, sbuf;
    const auto get =
        [&](const char16_t* name,
            std::vector<std::uint8_t>& buf) -> result<std::pair<bytes_view, std::uint32_t>> {
      const auto id = cf_.find(*st, name);
      if (!id || !cf_.entry(*id).is_stream()) return std::pair{bytes_view{}, cfb::NOSTREAM};
      auto s = stream(*id, buf);
      if (!s) return s.error();
      return std::pair{*s, *id};
    };
    auto guids = get(u"__substg1.0_00020102", gbuf);
    if (!guids) return guids.error();
    auto entries = get(u"__substg1.0_00030102", ebuf);
    if (!entries) return entries.error();
    auto strings = get(u"__substg1.0_00040102", sbuf);
    if (!strings) return strings.error();
    const auto [ebytes, eid] = *entries;
    std::vector<name_hash> hashes;  // for verify_names
    reader in(ebytes);
    while (in.remaining() >= 8) {
      const std::size_t at = in.offset();
      std::uint32_t id_or_offset = 0, info = 0;
      (void)in.read_into(id_or_offset, info);
      // MS-OXMSG 2.2.3.1.2: Property Index (16 bits), GUID Index (15 bits), Property Kind (1).
      const std::uint32_t guid_index = (info >> 1) & 0x7FFF;
      mapi::property_name n;
      if (guid_index == 1) {
        n.GUID = PS_MAPI;
      } else if (guid_index == 2) {
        n.GUID = PS_PUBLIC_STRINGS;
      } else {
        const std::size_t g = std::size_t{guid_index - 3} * 16;
        if (guid_index < 3 || g + 16 > guids->first.size())
          return in_file(error{errc::invalid_named_property, at + 4, "GUID Index"}, eid);
        reader gr(guids->first.subspan(g, 16));
        (void)oxwire::decode(gr, n.GUID);
      }
      std::uint32_t hash = id_or_offset;
      if ((info & 1) == 0) {
        n.Kind = mapi::name_kind::lid;
        n.LID = id_or_offset;
      } else {
        n.Kind = mapi::name_kind::name;
        // MS-OXMSG 2.2.3.1.3: a 4-byte length, then the UTF-16LE name.
        const bytes_view sb = strings->first;
        if (std::size_t{id_or_offset} + 4 > sb.size())
          return in_file(error{errc::invalid_named_property, at, "String Offset"}, eid);
        const std::uint32_t len = oxwire::detail::load_le<std::uint32_t>(sb.data() + id_or_offset);
        if (len % 2 != 0 || len > sb.size() - id_or_offset - 4)
          return in_file(error{errc::invalid_named_property, at, "Name Length"}, eid);
        const bytes_view name = sb.subspan(std::size_t{id_or_offset} + 4, len);
        hash = crc32_no_final_xor(name);
        for (std::size_t i = 0; i < len / 2; ++i)
          n.Name.push_back(
              static_cast<char16_t>(oxwire::detail::load_le<std::uint16_t>(name.data() + 2 * i)));
      }
      map.add(n, static_cast<std::uint16_t>(0x8000 + (info >> 16)));
      hashes.push_back({std::uint64_t{hash} << 32 | info, at});
    }
    if (opt_.verify_name_streams)
      if (auto r = verify_names(*st, hashes, eid); !r) return r;
    names_ = map;
    return {};
  }

  struct name_hash {
    std::uint64_t entry;  // ID (LID or CRC-32 of the name) << 32 | index and kind
    std::size_t at;       // in the entry stream
  };

  // MS-OXMSG 2.2.3.2.2: every entry again, as (ID, index and kind), in the mapping stream its ID
  // hashes to, and nothing else in those streams; a file without any of them passes.
  result<void> verify_names(std::uint32_t storage, std::span<const name_hash> hashes,
                            std::uint32_t eid) const {
    std::array<std::vector<std::uint64_t>, 0x1F> held;
    std::array<std::uint32_t, 0x1F> ids{};
    std::vector<std::uint8_t> buf;
    for (std::uint32_t i = 0; i < 0x1F; ++i) {
      const auto id = cf_.find(storage, value_stream_name((0x1000 + i) << 16 | 0x0102));
      ids[i] = id ? *id : cfb::NOSTREAM;
      if (!id || !cf_.entry(*id).is_stream()) continue;
      auto s = stream(*id, buf);
      if (!s) return s.error();
      if (s->size() % 8 != 0)
        return in_file(error{errc::name_stream_mismatch, s->size() / 8 * 8, "mapping entry"}, *id);
      for (std::size_t k = 0; k < s->size(); k += 8)
        held[i].push_back(std::uint64_t{oxwire::detail::load_le<std::uint32_t>(s->data() + k)}
                              << 32 |
                          oxwire::detail::load_le<std::uint32_t>(s->data() + k + 4));
      std::ranges::sort(held[i]);
    }
    if (std::ranges::all_of(ids, [](std::uint32_t id) { return id == cfb::NOSTREAM; }))
      return {};  // none written
    std::array<std::size_t, 0x1F> found{};
    for (const auto& h : hashes) {
      const std::size_t i = name_stream_id(static_cast<std::uint32_t>(h.entry >> 32),
                                           static_cast<std::uint32_t>(h.entry)) -
                            0x1000;
      if (!std::ranges::binary_search(held[i], h.entry))
        return in_file(error{errc::name_stream_mismatch, h.at, "entry not in its mapping stream"},
                       eid);
      ++found[i];
    }
    for (std::size_t i = 0; i < 0x1F; ++i)
      if (held[i].size() != found[i])
        return at_entry(ids[i], errc::name_stream_mismatch, "mapping stream holds other entries");
    return {};
  }

  const cfb::compound_file& cf_;
  const read_options& opt_;
  mapi::named_property_map names_;  // the top-level map, copied into embedded messages
};

}  // namespace detail

/// Reads the message of an opened compound file.
[[nodiscard]] inline result<mapi::message> read_message(const cfb::compound_file& cf,
                                                        const read_options& opt = {}) {
  return detail::msg_reader(cf, opt).read_top();
}

/// Reads a .msg file: `auto m = read_message(bytes);`.
[[nodiscard]] inline result<mapi::message> read_message(bytes_view file,
                                                        const read_options& opt = {}) {
  auto cf = cfb::compound_file::open(file, opt.container);
  if (!cf) return cf.error();
  return read_message(*cf, opt);
}

}  // namespace oxwire::msg
