// oxwire — .msg writer (MS-OXMSG): the message model of oxwire/mapi/message.hpp to a compound
// file.
//
//   auto file = oxwire::msg::write_message(m);   // result<std::vector<std::uint8_t>>
//
// Strings are written as their bag holds them (PtypString or PtypString8); every property gets
// Flags PROPATTR_READABLE | PROPATTR_WRITABLE. A PidTagAttachDataObject that is an OLE storage
// (IID_IStorage and a compound file, as TNEF carries it) becomes the custom attachment storage;
// any other PtypObject value is errc::unsupported_object. Embedded messages use the top-level
// message's named-property map (MS-OXMSG 2.2.3: there is only one), so their ids must agree with
// it.
#pragma once

#include <oxwire/cfb/writer.hpp>
#include <oxwire/core/crc32.hpp>
#include <oxwire/msg/reader.hpp>  // stream names, header sizes, type classes

#include <array>
#include <vector>

namespace oxwire::msg {

namespace detail {

inline cfb::node stream_node(std::u16string name, std::vector<std::uint8_t> data) {
  return cfb::node::stream(std::move(name), std::move(data));
}

inline std::vector<std::uint8_t> utf16_bytes(std::u16string_view s, bool nul) {
  std::vector<std::uint8_t> out;
  out.reserve(2 * s.size() + 2);
  for (char16_t c : s) out.push_back(static_cast<std::uint8_t>(c)), out.push_back(c >> 8);
  if (nul) out.insert(out.end(), {0, 0});
  return out;
}

// MS-OXMSG 2.4: the property stream of one object and the streams of its values, into `st`.
inline result<void> write_properties(const mapi::property_bag& bag,
                                     std::vector<std::uint8_t> header, cfb::node& st) {
  using mapi::PropertyType;
  std::vector<std::uint8_t> ps = std::move(header);
  vector_writer w(ps);
  for (const auto& [tag, value] : bag) {
    const PropertyType t = tag.type();
    if (tag.value == 0x3701000D) continue;  // PidTagAttachDataObject: a storage, see below
    if (t == PropertyType::PtypObject) [[unlikely]]
      return error{errc::unsupported_object, ps.size(), "Property Tag"};
    (void)w.write<std::uint32_t>(tag.value);
    (void)w.write<std::uint32_t>(0x00000006);  // PROPATTR_READABLE | PROPATTR_WRITABLE
    if (is_fixed(t)) {
      const std::size_t start = ps.size();
      if (auto r = mapi::encode_value(w, value); !r) return r;
      (void)w.fill(8 - (ps.size() - start), 0, "Reserved");
      continue;
    }
    std::vector<std::uint8_t> data;
    std::uint32_t size = 0;
    if (const auto* s = value.get_if<PropertyType::PtypString>()) {
      data = utf16_bytes(*s, false);
      size = static_cast<std::uint32_t>(data.size() + 2);  // MS-OXMSG 2.4.2.2
    } else if (const auto* s8 = value.get_if<PropertyType::PtypString8>()) {
      data.assign(s8->begin(), s8->end());
      size = static_cast<std::uint32_t>(data.size() + 1);
    } else if (const auto* b = value.get_if<PropertyType::PtypBinary>()) {
      data = *b;
    } else if (t == PropertyType::PtypMultipleString || t == PropertyType::PtypMultipleString8 ||
               t == PropertyType::PtypMultipleBinary) {
      // MS-OXMSG 2.1.4.2: a length stream, then one stream per value.
      std::vector<std::vector<std::uint8_t>> values;
      if (const auto* l = value.get_if<PropertyType::PtypMultipleString>())
        for (const auto& s : *l) values.push_back(utf16_bytes(s, true));
      if (const auto* l = value.get_if<PropertyType::PtypMultipleString8>())
        for (const auto& s : *l)
          values.emplace_back(s.begin(), s.end()), values.back().push_back(0);
      if (const auto* l = value.get_if<PropertyType::PtypMultipleBinary>()) values = *l;
      vector_writer lw(data);
      for (std::size_t i = 0; i < values.size(); ++i) {
        (void)lw.write<std::uint32_t>(static_cast<std::uint32_t>(values[i].size()));
        if (t == PropertyType::PtypMultipleBinary) (void)lw.write<std::uint32_t>(0);
        st.children.push_back(stream_node(value_stream_name(tag.value, static_cast<long long>(i)),
                                          std::move(values[i])));
      }
    } else if (t == PropertyType::PtypGuid || is_multiple_fixed(t)) {
      vector_writer vw(data);
      if (auto r = mapi::encode_value(vw, value); !r) return r;
      if (t != PropertyType::PtypGuid) data.erase(data.begin(), data.begin() + 4);  // the COUNT
    } else {
      return error{mapi::errc::unknown_property_type, ps.size() - 8, "Property Tag"};
    }
    if (size == 0) size = static_cast<std::uint32_t>(data.size());
    (void)w.write<std::uint32_t>(size);
    (void)w.write<std::uint32_t>(0);
    st.children.push_back(stream_node(value_stream_name(tag.value), std::move(data)));
  }
  st.children.push_back(stream_node(u"__properties_version1.0", std::move(ps)));
  return {};
}

// A PidTagAttachDataObject value that is IID_IStorage and a compound file (MS-OXTNEF 2.1.3.4):
// that file's root storage. Errors at offsets in the value.
inline result<cfb::node> storage_of(bytes_view value) {
  reader in(value);
  oxwire::guid iid{};
  if (!oxwire::decode(in, iid) || iid != mapi::IID_IStorage)
    return error{errc::unsupported_object, 0, "PidTagAttachDataObject"};
  auto cf = cfb::compound_file::open(value.subspan(16));
  if (!cf) {
    error e = cf.error();
    e.offset += 16;
    return e;
  }
  return node_of(*cf, cfb::root_id, read_options{}.max_depth);
}

inline std::u16string object_name(const char* prefix, std::size_t i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%08X", prefix, static_cast<std::uint32_t>(i));
  return {buf, buf + std::char_traits<char>::length(buf)};
}

// MS-OXMSG 2.4.1.1 / 2.4.1.2 header, then the message's storages.
inline result<void> write_message_storage(const mapi::message& m, bool top, cfb::node& st) {
  std::vector<std::uint8_t> header;
  vector_writer h(header);
  const auto nr = static_cast<std::uint32_t>(m.recipients.size());
  const auto na = static_cast<std::uint32_t>(m.attachments.size());
  (void)h.fill(8, 0, "Reserved");
  for (std::uint32_t v : {nr, na, nr, na}) (void)h.write<std::uint32_t>(v);
  if (top) (void)h.fill(8, 0, "Reserved");
  if (auto r = write_properties(m.properties, std::move(header), st); !r) return r;
  for (std::size_t i = 0; i < m.recipients.size(); ++i) {
    cfb::node r = cfb::node::storage(object_name("__recip_version1.0_#", i));
    if (auto ok = write_properties(m.recipients[i].properties, std::vector<std::uint8_t>(8), r);
        !ok)
      return ok;
    st.children.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    const mapi::attachment& a = m.attachments[i];
    cfb::node n = cfb::node::storage(object_name("__attach_version1.0_#", i));
    std::vector<std::uint8_t> header8(8);
    const auto* object = a.properties.find(mapi::property_tag{0x3701000D});
    if (a.embedded || object) {
      // MS-OXMSG 2.2.2: the __substg1.0_3701000D storage of an embedded message or of a custom
      // attachment storage; 2.4.2.2: PidTagAttachDataObject's entry has Size 0xFFFFFFFF.
      vector_writer e(header8);
      for (std::uint32_t v : {0x3701000Du, 0x6u, 0xFFFFFFFFu, 0u}) (void)e.write<std::uint32_t>(v);
      cfb::node sub = cfb::node::storage(value_stream_name(0x3701000D));
      if (a.embedded) {
        if (auto ok = write_message_storage(**a.embedded, false, sub); !ok) return ok;
      } else {
        auto storage = storage_of(*object->get_if<mapi::PropertyType::PtypObject>());
        if (!storage) return storage.error();
        sub.children = std::move(storage->children);
        sub.clsid = storage->clsid;
      }
      n.children.push_back(std::move(sub));
    }
    if (auto ok = write_properties(a.properties, std::move(header8), n); !ok) return ok;
    st.children.push_back(std::move(n));
  }
  return {};
}

// MS-OXMSG 2.2.3: GUID, entry and string streams of the named property map, and the name to ID
// mapping streams (2.2.3.2.2) that hold each entry again under the hash of its name.
inline cfb::node write_names(const mapi::named_property_map& map) {
  std::vector<std::uint8_t> guids, entries, strings;
  std::array<std::vector<std::uint8_t>, 0x1F> buckets;
  vector_writer g(guids), e(entries), s(strings);
  std::vector<oxwire::guid> seen;
  for (std::uint32_t id = 0x8000; id <= 0xFFFF; ++id) {
    const mapi::property_name* n = map.name_of(static_cast<std::uint16_t>(id));
    if (!n) continue;
    std::uint32_t guid_index = 0;
    if (n->GUID == PS_MAPI) {
      guid_index = 1;
    } else if (n->GUID == PS_PUBLIC_STRINGS) {
      guid_index = 2;
    } else {
      auto it = std::ranges::find(seen, n->GUID);
      if (it == seen.end()) {
        seen.push_back(n->GUID);
        (void)oxwire::encode(g, n->GUID);
        it = seen.end() - 1;
      }
      guid_index = static_cast<std::uint32_t>(it - seen.begin()) + 3;
    }
    const bool by_name = n->Kind == mapi::name_kind::name;
    std::uint32_t hash = n->LID;
    if (by_name) {
      const auto name = utf16_bytes(n->Name, false);
      hash = crc32_no_final_xor(name);  // MS-OXMSG 2.2.3.2.2
      (void)e.write<std::uint32_t>(static_cast<std::uint32_t>(strings.size()));
      (void)s.write<std::uint32_t>(static_cast<std::uint32_t>(name.size()));
      (void)s.write_bytes(name);
      (void)s.fill((4 - strings.size() % 4) % 4, 0, "padding");
    } else {
      (void)e.write<std::uint32_t>(n->LID);
    }
    const std::uint32_t index_and_kind = (id - 0x8000) << 16 | guid_index << 1 | (by_name ? 1 : 0);
    (void)e.write<std::uint32_t>(index_and_kind);
    vector_writer b(buckets[name_stream_id(hash, index_and_kind) - 0x1000]);
    (void)b.write<std::uint32_t>(hash);
    (void)b.write<std::uint32_t>(index_and_kind);
  }
  cfb::node storage = cfb::node::storage(
      u"__nameid_version1.0", {stream_node(u"__substg1.0_00020102", std::move(guids)),
                               stream_node(u"__substg1.0_00030102", std::move(entries)),
                               stream_node(u"__substg1.0_00040102", std::move(strings))});
  for (std::size_t i = 0; i < buckets.size(); ++i)
    if (!buckets[i].empty())
      storage.children.push_back(stream_node(
          object_name("__substg1.0_", (0x1000 + i) << 16 | 0x0102), std::move(buckets[i])));
  return storage;
}

}  // namespace detail

/// The .msg bytes of `m` (a version 3 compound file).
[[nodiscard]] inline result<std::vector<std::uint8_t>> write_message(const mapi::message& m) {
  cfb::node root = cfb::node::storage(u"Root Entry");
  // MS-OXMSG 2.2.3: the map storage is there even when no named property is.
  root.children.push_back(detail::write_names(m.names));
  if (auto r = detail::write_message_storage(m, true, root); !r) return r.error();
  return cfb::write(root);
}

}  // namespace oxwire::msg
