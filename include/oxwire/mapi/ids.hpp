// oxwire — MS-OXCDATA 2.2.1 identifiers (Folder ID, Message ID, GID, LongTermID) and the
// MS-OXCFXICS 2.2.2.2 XID / 2.2.2.3.1 SizedXid built on them.
//
//   oxwire::reader in(bytes);
//   auto fid = oxwire::mapi::decode_folder_id(in);          // result<folder_id>, 8 bytes
//   auto ltid = oxwire::mapi::decode_long_term_id(in);      // result<long_term_id>, 24 bytes
//   auto key = oxwire::mapi::decode_xid(in, in.remaining()); // PidTagSourceKey: XID of 17..24
//   bytes oxwire::mapi::encode(w, *fid);                           // result<void>
//
// GlobalCounter is the 48-bit counter value. On the wire its 6 bytes come most significant first
// (MS-OXCFXICS 2.2.2.5 GLOBCNT and 2.2.2.6 GLOBSET, whose commands share the high-order bytes
// first; MS-OXODLGT 4.1.1 prints FID 0001-00174ea8cda0 and a Folder EntryID ending
// 00 17 4E A8 9C 98 for the same mailbox). ReplicaId is little-endian like every other integer.
//
// Decoders read exactly their structure from the reader and leave the reader where it was on
// failure. Errors: errc::truncated at the field that does not fit; errc::out_of_range for a Pad
// that is not zero; mapi::errc::invalid_size for an XID size outside 17..24. Encoders check what
// the decoders check (a GlobalCounter wider than 48 bits, an empty or over-long LocalId) and fail
// at the offset where the field would be written; after a failure the writer holds a partial
// structure.
#pragma once

#include <oxwire/core/error.hpp>
#include <oxwire/core/guid.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/mapi/error.hpp>

#include <boost/container/static_vector.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace oxwire::mapi {

namespace detail {

/// Largest GlobalCounter (48 bits).
inline constexpr std::uint64_t global_counter_max = (std::uint64_t{1} << 48) - 1;

/// Runs `f(in)`; on failure puts the reader back where it was, so decoders are all or nothing.
template <class F>
[[nodiscard]] auto atomically(reader& in, F&& f) -> decltype(f(in)) {
  const reader saved = in;
  auto r = std::forward<F>(f)(in);
  if (!r) in = saved;
  return r;
}

/// The 6 GlobalCounter bytes, most significant first (see the top of this file).
[[nodiscard]] inline result<std::uint64_t> read_global_counter(reader& in,
                                                               const char* what) noexcept {
  const result<bytes_view> b = in.bytes(6, what);
  if (!b) return b.error();
  std::uint64_t v = 0;
  for (const std::uint8_t x : *b) v = v << 8 | x;
  return v;
}

template <class Sink>
[[nodiscard]] result<void> write_global_counter(basic_writer<Sink>& w, std::uint64_t v,
                                                const char* what) {
  if (v > global_counter_max) return error{oxwire::errc::out_of_range, w.size(), what};
  std::array<std::uint8_t, 6> b;
  for (std::size_t i = b.size(); i-- > 0; v >>= 8) b[i] = static_cast<std::uint8_t>(v);
  return w.write_bytes(b, what);
}

/// Field names of a GUID + GlobalCounter pair, for error reports.
struct gid_names {
  const char* DatabaseGuid;
  const char* GlobalCounter;
};

/// A DatabaseGuid and a GlobalCounter: the GID layout (MS-OXCDATA 2.2.1.3), also the tail of
/// Folder and Message EntryIDs (2.2.4.1, 2.2.4.2).
[[nodiscard]] inline result<void> read_gid_fields(reader& in, guid& g, std::uint64_t& counter,
                                                  gid_names names) noexcept {
  if (auto r = oxwire::decode(in, g, names.DatabaseGuid); !r) return r;
  const result<std::uint64_t> c = read_global_counter(in, names.GlobalCounter);
  if (!c) return c.error();
  counter = *c;
  return {};
}

template <class Sink>
[[nodiscard]] result<void> write_gid_fields(basic_writer<Sink>& w, const guid& g,
                                            std::uint64_t counter, gid_names names) {
  if (auto r = oxwire::encode(w, g, names.DatabaseGuid); !r) return r;
  return write_global_counter(w, counter, names.GlobalCounter);
}

/// Checks a 2-byte Pad that MUST be zero and skips it.
[[nodiscard]] inline result<void> expect_zero_pad(reader& in, const char* what) noexcept {
  return in.expect<std::uint16_t>(0, what);
}

}  // namespace detail

/// MS-OXCDATA 2.2.1.1 Folder ID and 2.2.1.2 Message ID: the same 8 bytes (ReplicaId, then a
/// 48-bit GlobalCounter), told apart by `Kind` so that one cannot be passed for the other.
template <class Kind>
struct basic_object_id {
  std::uint16_t ReplicaId = 0;
  std::uint64_t GlobalCounter = 0;  // 48 bits

  static constexpr std::size_t wire_size = 8;

  /// The 8 wire bytes as the little-endian PtypInteger64 that ROP buffers and PidTagFolderId
  /// carry: `folder_id{1, 0x00174EA8CDA0}.to_u64() == 0xA0CDA84E17000001`.
  [[nodiscard]] constexpr std::uint64_t to_u64() const noexcept {
    std::uint64_t v = ReplicaId;
    for (int k = 0; k < 6; ++k)  // byte 2 + k holds counter byte k, most significant first
      v |= (GlobalCounter >> (8 * (5 - k)) & 0xFF) << (8 * (2 + k));
    return v;
  }
  /// The inverse of `to_u64`: `folder_id::from_u64(0xA0CDA84E17000001)`.
  [[nodiscard]] static constexpr basic_object_id from_u64(std::uint64_t v) noexcept {
    basic_object_id id;
    id.ReplicaId = static_cast<std::uint16_t>(v);
    for (int k = 0; k < 6; ++k)
      id.GlobalCounter = id.GlobalCounter << 8 | (v >> (8 * (2 + k)) & 0xFF);
    return id;
  }
  friend constexpr auto operator<=>(const basic_object_id&, const basic_object_id&) = default;
};

/// Field names of the two kinds of basic_object_id.
struct folder_id_kind {
  static constexpr const char* ReplicaId = "Folder ID ReplicaId";
  static constexpr const char* GlobalCounter = "Folder ID GlobalCounter";
};
struct message_id_kind {
  static constexpr const char* ReplicaId = "Message ID ReplicaId";
  static constexpr const char* GlobalCounter = "Message ID GlobalCounter";
};

/// MS-OXCDATA 2.2.1.1 Folder ID (FID).
using folder_id = basic_object_id<folder_id_kind>;
/// MS-OXCDATA 2.2.1.2 Message ID (MID).
using message_id = basic_object_id<message_id_kind>;

/// Reads a Folder ID or Message ID: `auto mid = decode_object_id<message_id_kind>(in);`.
template <class Kind>
[[nodiscard]] result<basic_object_id<Kind>> decode_object_id(reader& in) noexcept {
  return detail::atomically(in, [](reader& r) -> result<basic_object_id<Kind>> {
    basic_object_id<Kind> id;
    if (auto v = r.read_into(Kind::ReplicaId, id.ReplicaId); !v) return v.error();
    const result<std::uint64_t> c = detail::read_global_counter(r, Kind::GlobalCounter);
    if (!c) return c.error();
    id.GlobalCounter = *c;
    return id;
  });
}

/// `auto fid = decode_folder_id(in);` (8 bytes).
[[nodiscard]] inline result<folder_id> decode_folder_id(reader& in) noexcept {
  return decode_object_id<folder_id_kind>(in);
}
/// `auto mid = decode_message_id(in);` (8 bytes).
[[nodiscard]] inline result<message_id> decode_message_id(reader& in) noexcept {
  return decode_object_id<message_id_kind>(in);
}

/// `encode(w, fid)`: 8 bytes; errc::out_of_range if GlobalCounter does not fit 48 bits.
template <class Sink, class Kind>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const basic_object_id<Kind>& id) {
  if (id.GlobalCounter > detail::global_counter_max)
    return error{oxwire::errc::out_of_range, w.size() + 2, Kind::GlobalCounter};
  if (auto r = w.template write<std::uint16_t>(id.ReplicaId, Kind::ReplicaId); !r) return r;
  return detail::write_global_counter(w, id.GlobalCounter, Kind::GlobalCounter);
}

/// MS-OXCDATA 2.2.1.3 Global Identifier (GID): 22 bytes.
struct gid {
  guid DatabaseGuid{};
  std::uint64_t GlobalCounter = 0;  // 48 bits

  static constexpr std::size_t wire_size = 22;
  friend constexpr auto operator<=>(const gid&, const gid&) = default;
};

/// MS-OXCDATA 2.2.1.3.1 LongTermID: a GID and a 2-byte Pad of 0x0000, 24 bytes.
struct long_term_id {
  guid DatabaseGuid{};
  std::uint64_t GlobalCounter = 0;  // 48 bits

  static constexpr std::size_t wire_size = 24;
  friend constexpr auto operator<=>(const long_term_id&, const long_term_id&) = default;
};

/// `auto g = decode_gid(in);` (22 bytes).
[[nodiscard]] inline result<gid> decode_gid(reader& in) noexcept {
  return detail::atomically(in, [](reader& r) -> result<gid> {
    gid g;
    if (auto v = detail::read_gid_fields(r, g.DatabaseGuid, g.GlobalCounter,
                                         {"GID DatabaseGuid", "GID GlobalCounter"});
        !v)
      return v.error();
    return g;
  });
}

/// `auto ltid = decode_long_term_id(in);` (24 bytes); errc::out_of_range if Pad is not zero.
[[nodiscard]] inline result<long_term_id> decode_long_term_id(reader& in) noexcept {
  return detail::atomically(in, [](reader& r) -> result<long_term_id> {
    long_term_id l;
    if (auto v = detail::read_gid_fields(r, l.DatabaseGuid, l.GlobalCounter,
                                         {"LongTermID DatabaseGuid", "LongTermID GlobalCounter"});
        !v)
      return v.error();
    if (auto v = detail::expect_zero_pad(r, "LongTermID Pad"); !v) return v.error();
    return l;
  });
}

/// `encode(w, gid)`: 22 bytes.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const gid& g) {
  return detail::write_gid_fields(w, g.DatabaseGuid, g.GlobalCounter,
                                  {"GID DatabaseGuid", "GID GlobalCounter"});
}

/// `encode(w, ltid)`: 24 bytes, the Pad written as zero.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const long_term_id& l) {
  if (auto r = detail::write_gid_fields(w, l.DatabaseGuid, l.GlobalCounter,
                                        {"LongTermID DatabaseGuid", "LongTermID GlobalCounter"});
      !r)
    return r;
  return w.template write<std::uint16_t>(0, "LongTermID Pad");
}

/// MS-OXCFXICS 2.2.2.2 XID: a NamespaceGuid and a LocalId of 1 to 8 bytes whose length the
/// context gives (a SizedXid, a property value's size).
struct xid {
  guid NamespaceGuid{};
  boost::container::static_vector<std::uint8_t, 8> LocalId;

  static constexpr std::size_t min_size = 17;  // 16 + 1
  static constexpr std::size_t max_size = 24;  // 16 + 8
  /// Bytes on the wire: `16 + LocalId.size()`.
  [[nodiscard]] std::size_t size() const noexcept { return guid::wire_size + LocalId.size(); }
  friend bool operator==(const xid&, const xid&) = default;
};

/// MS-OXCFXICS 2.2.2.3.1 SizedXid: XidSize (1 byte, the XID's length) then the XID.
struct sized_xid {
  xid XID;
  friend bool operator==(const sized_xid&, const sized_xid&) = default;
};

/// A GID as an XID (MS-OXCFXICS 2.2.2.2: DatabaseGuid is the NamespaceGuid, the 6 GlobalCounter
/// bytes the LocalId): `to_xid(source_key_gid)`.
[[nodiscard]] inline xid to_xid(const gid& g) {
  xid x;
  x.NamespaceGuid = g.DatabaseGuid;
  for (int k = 5; k >= 0; --k)
    x.LocalId.push_back(static_cast<std::uint8_t>(g.GlobalCounter >> (8 * k)));
  return x;
}

/// Reads an XID of `size` bytes, the whole XID (17..24): `decode_xid(in, in.remaining())`.
/// mapi::errc::invalid_size at the XID if `size` is out of that range.
[[nodiscard]] inline result<xid> decode_xid(reader& in, std::size_t size) noexcept {
  if (size < xid::min_size || size > xid::max_size)
    return error{errc::invalid_size, in.offset(), "XID size"};
  return detail::atomically(in, [size](reader& r) -> result<xid> {
    xid x;
    if (auto v = oxwire::decode(r, x.NamespaceGuid, "XID NamespaceGuid"); !v) return v.error();
    const result<bytes_view> local = r.bytes(size - guid::wire_size, "XID LocalId");
    if (!local) return local.error();
    x.LocalId.assign(local->begin(), local->end());
    return x;
  });
}

/// Reads a SizedXid: `auto x = decode_sized_xid(in);`. mapi::errc::invalid_size at XidSize if it
/// is not 17..24.
[[nodiscard]] inline result<sized_xid> decode_sized_xid(reader& in) noexcept {
  return detail::atomically(in, [](reader& r) -> result<sized_xid> {
    const std::size_t at = r.offset();
    const result<std::uint8_t> n = r.read<std::uint8_t>("SizedXid XidSize");
    if (!n) return n.error();
    if (*n < xid::min_size || *n > xid::max_size)
      return error{errc::invalid_size, at, "SizedXid XidSize"};
    result<xid> x = decode_xid(r, *n);
    if (!x) return x.error();
    return sized_xid{std::move(*x)};
  });
}

/// `encode(w, x)`: 16 + LocalId.size() bytes; mapi::errc::invalid_size if LocalId is empty.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const xid& x) {
  if (x.LocalId.empty()) return error{errc::invalid_size, w.size(), "XID LocalId"};
  if (auto r = oxwire::encode(w, x.NamespaceGuid, "XID NamespaceGuid"); !r) return r;
  return w.write_bytes({x.LocalId.data(), x.LocalId.size()}, "XID LocalId");
}

/// `encode(w, sized_xid{x})`: XidSize then the XID.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const sized_xid& s) {
  if (s.XID.LocalId.empty()) return error{errc::invalid_size, w.size(), "XID LocalId"};
  if (auto r = w.template write<std::uint8_t>(static_cast<std::uint8_t>(s.XID.size()),
                                              "SizedXid XidSize");
      !r)
    return r;
  return encode(w, s.XID);
}

}  // namespace oxwire::mapi
