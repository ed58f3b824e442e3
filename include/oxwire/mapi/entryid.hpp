// oxwire — MS-OXCDATA 2.2.4 / 2.2.5 EntryIDs (and the MS-OXOCNTC 2.2.2.2.4.1.1 WrappedEntryId of
// personal distribution list members): one plain struct per structure, a `decode_<x>(reader&)`
// and an `encode(writer, x)` for each, and `decode_entryid` that recognises the kind.
//
//   auto e = oxwire::mapi::decode_entryid(prop_bytes);        // result<entryid> (a std::variant)
//   if (auto* f = std::get_if<oxwire::mapi::folder_entryid>(&*e)) use(f->GlobalCounter);
//   std::vector<std::uint8_t> out;
//   oxwire::vector_writer w(out);
//   oxwire::mapi::encode(w, *e);                               // the same bytes back
//
// Recognition (decode_entryid): the ProviderUID names the kind for One-Off, Address Book, Store
// Object, Contact Address / Personal Distribution List (then Type 0x04 / 0x05) and Wrapped
// EntryIDs. Folder and Message EntryIDs carry the mailbox's own GUID there, so they are told by
// the Store object type at bytes 20-21 (MS-OXCDATA 2.2.4): a folder type gives a Folder EntryID,
// a message type a Message EntryID. Everything else is an `unknown_entryid` (not an error).
// An EntryID of another provider whose bytes 20-21 happen to hold such a type is therefore read
// as a Folder or Message EntryID and, unless it is one, rejected.
//
// Errors, each with the field name and the absolute byte offset of the field:
//   errc::truncated            the input ends inside a field, or a string has no terminator
//   mapi::errc::invalid_flag   Flags / WrappedFlags / Flag that MUST be zero is not
//   mapi::errc::invalid_kind   a ProviderUID, object type, Type or WrappedType the structure
//                              does not allow
//   errc::out_of_range         a Version, Pad, DLLFileName or Index other than the spec's value
//   errc::lone_surrogate       a One-Off Unicode string that is not valid UTF-16
//   mapi::errc::count_too_large EntryIdCount larger than the bytes left
//   mapi::errc::invalid_size   decode_entryid: bytes left after the structure ("EntryID trailing
//                              bytes"), e.g. a 47-byte Folder EntryID
//   errc::limit_exceeded       decode_entryid: input longer than entryid_limits::max_size
// Decoders leave the reader where it was on failure. Variable-length EntryIDs whose last field
// has no length of its own (Store Object: bytes after the last field; Wrapped: EmbeddedEntryID;
// unknown: ProviderData) take the rest of the reader, so give them a reader over just the EntryID
// (`in.sub(cb)`). Encoders check what the decoders check, with the same codes, at the offset where
// the field would be written (strings with an embedded NUL: errc::invalid_argument); after a
// failure the writer holds a partial EntryID. Nothing is canonicalised: decode then encode gives
// the input bytes back.
#pragma once

#include <oxwire/core/error.hpp>
#include <oxwire/core/guid.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/mapi/detail/wire_strings.hpp>
#include <oxwire/mapi/error.hpp>
#include <oxwire/mapi/ids.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace oxwire::mapi {

namespace detail {

/// A ProviderUID given as the byte sequence the spec shows, as the guid whose packet
/// representation (MS-DTYP 2.3.4.2) is exactly those bytes.
[[nodiscard]] constexpr guid provider_uid(const std::array<std::uint8_t, 16>& b) noexcept {
  guid g;
  g.Data1 = static_cast<std::uint32_t>(b[0] | b[1] << 8 | b[2] << 16) | std::uint32_t{b[3]} << 24;
  g.Data2 = static_cast<std::uint16_t>(b[4] | b[5] << 8);
  g.Data3 = static_cast<std::uint16_t>(b[6] | b[7] << 8);
  for (std::size_t k = 0; k < 8; ++k) g.Data4[k] = b[8 + k];
  return g;
}

}  // namespace detail

// ProviderUIDs, byte for byte as the spec gives them.
/// MS-OXCDATA 2.2.5.1 One-Off EntryID: %x81.2B.1F.A4.BE.A3.10.19.9D.6E.00.DD.01.0F.54.02.
inline constexpr guid one_off_provider_uid =
    detail::provider_uid({0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD,
                          0x01, 0x0F, 0x54, 0x02});
/// MS-OXCDATA 2.2.5.2 Address Book EntryID: %xDC.A7.40.C8.C0.42.10.1A.B4.B9.08.00.2B.2F.E1.82.
inline constexpr guid address_book_provider_uid =
    detail::provider_uid({0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A, 0xB4, 0xB9, 0x08, 0x00,
                          0x2B, 0x2F, 0xE1, 0x82});
/// MS-OXCDATA 2.2.4.3 Store Object EntryID: %x38.A1.BB.10.05.E5.10.1A.A1.BB.08.00.2B.2A.56.C2.
inline constexpr guid store_object_provider_uid =
    detail::provider_uid({0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A, 0xA1, 0xBB, 0x08, 0x00,
                          0x2B, 0x2A, 0x56, 0xC2});
/// MS-OXCDATA 2.2.4.3 WrappedProvider UID of a mailbox Store object:
/// %x1B.55.FA.20.AA.66.11.CD.9B.C8.00.AA.00.2F.C4.5A.
inline constexpr guid mailbox_store_provider_uid =
    detail::provider_uid({0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA,
                          0x00, 0x2F, 0xC4, 0x5A});
/// MS-OXCDATA 2.2.4.3 WrappedProvider UID of a public folder Store object:
/// %x1C.83.02.10.AA.66.11.CD.9B.C8.00.AA.00.2F.C4.5A.
inline constexpr guid public_store_provider_uid =
    detail::provider_uid({0x1C, 0x83, 0x02, 0x10, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA,
                          0x00, 0x2F, 0xC4, 0x5A});
/// MS-OXCDATA 2.2.5.3 / 2.2.5.4 Contact Address and Personal Distribution List EntryIDs:
/// %xFE.42.AA.0A.18.C7.1A.10.E8.85.0B.65.1C.24.00.00.
inline constexpr guid contact_provider_uid =
    detail::provider_uid({0xFE, 0x42, 0xAA, 0x0A, 0x18, 0xC7, 0x1A, 0x10, 0xE8, 0x85, 0x0B, 0x65,
                          0x1C, 0x24, 0x00, 0x00});
/// MS-OXOCNTC 2.2.2.2.4.1.1 WrappedEntryId: %xC0.91.AD.D3.51.9D.CF.11.A4.A9.00.AA.00.47.FA.A4.
inline constexpr guid wrapped_entryid_provider_uid =
    detail::provider_uid({0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11, 0xA4, 0xA9, 0x00, 0xAA,
                          0x00, 0x47, 0xFA, 0xA4});

/// MS-OXCDATA 2.2.4 Store object types: the FolderType / MessageType of Folder and Message
/// EntryIDs.
enum class store_object_type : std::uint16_t {
  PrivateFolder = 0x0001,          // eitLTPrivateFolder
  PublicFolder = 0x0003,           // eitLTPublicFolder
  MappedPublicFolder = 0x0005,     // eitLTWackyFolder
  PrivateMessage = 0x0007,         // eitLTPrivateMessage
  PublicMessage = 0x0009,          // eitLTPublicMessage
  MappedPublicMessage = 0x000B,    // eitLTWackyMessage
  PublicNewsgroupFolder = 0x000C,  // eitLTPublicFolderByName
};

/// True for the folder types of the MS-OXCDATA 2.2.4 table.
[[nodiscard]] constexpr bool is_folder_type(std::uint16_t t) noexcept {
  return t == 0x0001 || t == 0x0003 || t == 0x0005 || t == 0x000C;
}
/// True for the message types of the MS-OXCDATA 2.2.4 table.
[[nodiscard]] constexpr bool is_message_type(std::uint16_t t) noexcept {
  return t == 0x0007 || t == 0x0009 || t == 0x000B;
}

/// MS-OXCDATA 2.2.4.1 Folder EntryID, 46 bytes. Flags and Pad are zero on the wire.
struct folder_entryid {
  guid ProviderUID{};  // the MailboxGuid of RopLogon for a private mailbox
  store_object_type FolderType = store_object_type::PrivateFolder;
  guid DatabaseGuid{};
  std::uint64_t GlobalCounter = 0;  // 48 bits

  static constexpr std::size_t wire_size = 46;
  friend bool operator==(const folder_entryid&, const folder_entryid&) = default;
};

/// MS-OXCDATA 2.2.4.2 Message EntryID, 70 bytes. Flags and both Pads are zero on the wire.
struct message_entryid {
  guid ProviderUID{};
  store_object_type MessageType = store_object_type::PrivateMessage;
  guid FolderDatabaseGuid{};
  std::uint64_t FolderGlobalCounter = 0;  // 48 bits
  guid MessageDatabaseGuid{};
  std::uint64_t MessageGlobalCounter = 0;  // 48 bits

  static constexpr std::size_t wire_size = 70;
  friend bool operator==(const message_entryid&, const message_entryid&) = default;
};

/// MS-OXCDATA 2.2.4.3 Store Object EntryID. Flags, ProviderUID, Version, Flag, DLLFileName
/// ("EMSMDB.DLL") and WrappedFlags have fixed values and are not stored.
struct store_object_entryid {
  guid WrappedProviderUID = mailbox_store_provider_uid;  // or public_store_provider_uid
  std::uint32_t WrappedType = mailbox_wrapped_type;      // 0x0C mailbox, 0x06 public folders
  std::string ServerShortname;
  std::optional<std::string> MailboxDN;  // present exactly for a mailbox store
  /// Bytes after the last field the spec page shows, kept verbatim (Outlook's later store
  /// EntryID versions append data here; it is not interpreted).
  std::vector<std::uint8_t> extension;

  static constexpr std::uint32_t mailbox_wrapped_type = 0x0000000C;
  static constexpr std::uint32_t public_wrapped_type = 0x00000006;
  friend bool operator==(const store_object_entryid&, const store_object_entryid&) = default;
};

/// MS-OXCDATA 2.2.5.1 One-Off EntryID strings: UTF-16 (U set) or 8-bit, NUL-terminated on the wire.
template <class String>
struct one_off_strings {
  String DisplayName;
  String AddressType;
  String EmailAddress;
  friend bool operator==(const one_off_strings&, const one_off_strings&) = default;
};

/// MS-OXCDATA 2.2.5.1 One-Off EntryID. After Version comes a little-endian 16-bit word whose bits
/// the spec names Pad, MAE, Format, M, U, R, L, Pad; the "word value" columns of its tables place
/// them at M 0x0001, Format 0x001E, MAE 0x0060, Pad 0x0F80, L 0x1000, R 0x6000, U 0x8000. U is
/// which alternative `strings` holds. Flags, Version, R and the Pads are "set to" zero (not
/// MUST) and are kept as read.
struct one_off_entryid {
  std::uint32_t Flags = 0;
  std::uint16_t Version = 0;
  std::uint8_t MAE = BinHex;  // 2 bits: Macintosh attachment encoding
  std::uint8_t Format = 0;    // 4 bits: message format (TextOnly, HtmlOnly, TextAndHtml)
  bool M = false;             // message content is MIME, not TNEF
  std::uint8_t R = 0;         // 2 bits, reserved
  bool L = false;             // do not look the address up
  std::uint16_t Pad = 0;      // both Pad fields, as their bits in the word (mask 0x0F80)
  std::variant<one_off_strings<std::u16string>, one_off_strings<std::string>> strings;

  // MAE values (the field, not the word).
  static constexpr std::uint8_t BinHex = 0, UUENCODE = 1, AppleSingle = 2, AppleDouble = 3;
  // Format values (the field; TextOnly is word value 0x0006).
  static constexpr std::uint8_t TextOnly = 0x3, HtmlOnly = 0x7, TextAndHtml = 0xB;

  /// The U bit: the strings are UTF-16LE.
  [[nodiscard]] bool U() const noexcept { return strings.index() == 0; }
  friend bool operator==(const one_off_entryid&, const one_off_entryid&) = default;
};

/// MS-OXCDATA 2.2.5.2 Address Book EntryID Type values.
enum class address_book_type : std::uint32_t {
  LocalMailUser = 0x00000000,
  DistributionList = 0x00000001,
  BulletinBoardOrPublicFolder = 0x00000002,
  AutomatedMailbox = 0x00000003,
  OrganizationalMailbox = 0x00000004,
  PrivateDistributionList = 0x00000005,
  RemoteMailUser = 0x00000006,
  Container = 0x00000100,
  Template = 0x00000101,
  OneOffUser = 0x00000102,
  Search = 0x00000200,
};

/// True for the Type values of the MS-OXCDATA 2.2.5.2 table.
[[nodiscard]] constexpr bool is_address_book_type(std::uint32_t t) noexcept {
  return t <= 0x6 || (t >= 0x100 && t <= 0x102) || t == 0x200;
}

/// MS-OXCDATA 2.2.5.2 Address Book EntryID. Flags (0) and Version (1) are fixed.
struct address_book_entryid {
  address_book_type Type = address_book_type::LocalMailUser;
  std::string X500DN;
  friend bool operator==(const address_book_entryid&, const address_book_entryid&) = default;
};

/// MS-OXCDATA 2.2.5.3 Contact Address EntryID. Flags (0), Version (3) and Type (4) are fixed;
/// EntryIdCount is EntryIdBytes.size(). EntryIdBytes is the contact's Message EntryID, kept raw
/// (decode it with decode_message_entryid if needed).
struct contact_address_entryid {
  std::uint32_t Index = 0;  // 0..2 Email1..3, 3..5 Fax1..3
  std::vector<std::uint8_t> EntryIdBytes;

  static constexpr std::uint32_t max_index = 5;
  friend bool operator==(const contact_address_entryid&, const contact_address_entryid&) = default;
};

/// MS-OXCDATA 2.2.5.4 Personal Distribution List EntryID. Flags (0), Version (3), Type (5) and
/// Index (0xFF) are fixed; EntryIdBytes is the list's Message EntryID, kept raw.
struct personal_distribution_list_entryid {
  std::vector<std::uint8_t> EntryIdBytes;
  friend bool operator==(const personal_distribution_list_entryid&,
                         const personal_distribution_list_entryid&) = default;
};

/// MS-OXOCNTC 2.2.2.2.4.1.1 WrappedEntryId (a personal distribution list member). Flags (0) is
/// fixed; EmbeddedEntryID is kept raw (decode_entryid reads it).
struct wrapped_entryid {
  std::uint8_t Type = 0;  // low 4 bits: 0 one-off, 3 contact, 4 PDL, 5 GAL user, 6 GAL list
  std::vector<std::uint8_t> EmbeddedEntryID;

  /// The rules of the Type table: low nibble 0, 3, 4, 5 or 6; bits 0x70 zero for a one-off,
  /// not 7 for a contact, 3 otherwise; bit 0x80 set exactly when not a one-off.
  [[nodiscard]] static constexpr bool valid_type(std::uint8_t t) noexcept {
    const unsigned kind = t & 0x0F, mid = t >> 4 & 0x7;
    const bool high = (t & 0x80) != 0;
    if (kind == 0) return mid == 0 && !high;
    if (kind < 3 || kind > 6 || !high) return false;
    return kind == 3 ? mid != 7 : mid == 3;
  }
  friend bool operator==(const wrapped_entryid&, const wrapped_entryid&) = default;
};

/// An EntryID of a provider this library does not interpret (MS-OXCDATA 2.2.4: Flags,
/// ProviderUID, then provider data).
struct unknown_entryid {
  std::uint32_t Flags = 0;
  guid ProviderUID{};
  std::vector<std::uint8_t> ProviderData;
  friend bool operator==(const unknown_entryid&, const unknown_entryid&) = default;
};

/// Any EntryID, as decode_entryid recognises it.
using entryid = std::variant<folder_entryid, message_entryid, store_object_entryid, one_off_entryid,
                             address_book_entryid, contact_address_entryid,
                             personal_distribution_list_entryid, wrapped_entryid, unknown_entryid>;

/// Limits of decode_entryid.
struct entryid_limits {
  /// Longest EntryID accepted (PtypBinary in a ROP buffer is at most 0xFFFF bytes).
  std::size_t max_size = 0xFFFF;
};

namespace detail {

/// Flags (4 bytes) that MUST be zero.
[[nodiscard]] inline result<void> expect_zero_flags(reader& in, const char* what) noexcept {
  const result<std::uint32_t> v = in.peek<std::uint32_t>(what);
  if (!v) return v.error();
  if (*v != 0) return error{errc::invalid_flag, in.offset(), what};
  return in.skip(4, what);
}

/// A ProviderUID that MUST have one value.
[[nodiscard]] inline result<void> expect_provider_uid(reader& in, const guid& want,
                                                      const char* what) noexcept {
  const std::size_t at = in.offset();
  guid g;
  if (auto r = oxwire::decode(in, g, what); !r) return r;
  if (g != want) return error{errc::invalid_kind, at, what};
  return {};
}

/// Flags (zero) and a fixed ProviderUID, the start of most EntryIDs.
[[nodiscard]] inline result<void> expect_header(reader& in, const guid& provider,
                                                const char* flags_what,
                                                const char* provider_what) noexcept {
  if (auto r = expect_zero_flags(in, flags_what); !r) return r;
  return expect_provider_uid(in, provider, provider_what);
}

template <class Sink>
[[nodiscard]] result<void> write_header(basic_writer<Sink>& w, const guid& provider,
                                        const char* provider_what) {
  if (auto r = w.template write<std::uint32_t>(0, "EntryID Flags"); !r) return r;
  return oxwire::encode(w, provider, provider_what);
}

/// An 8-bit NUL-terminated string (PtypString8), bytes as they are.
[[nodiscard]] inline result<std::string> read_narrow(reader& in, const char* what) {
  auto b = read_string8z(in, what);
  if (!b) return b.error();
  return std::string(*b);
}

/// A UTF-16LE NUL-terminated string; errc::lone_surrogate at the offending code unit.
[[nodiscard]] inline result<std::u16string> read_unicode(reader& in, const char* what) {
  auto b = read_utf16z(in, what);
  if (!b) return b.error();
  return to_u16string(*b);
}

template <class String>
[[nodiscard]] result<one_off_strings<String>> read_one_off_strings(reader& in) {
  constexpr bool wide = std::is_same_v<String, std::u16string>;
  const auto read = [&in](const char* what) {
    if constexpr (wide)
      return read_unicode(in, what);
    else
      return read_narrow(in, what);
  };
  one_off_strings<String> s;
  for (auto [field, what] : {std::pair{&s.DisplayName, "One-Off EntryID DisplayName"},
                             std::pair{&s.AddressType, "One-Off EntryID AddressType"},
                             std::pair{&s.EmailAddress, "One-Off EntryID EmailAddress"}}) {
    auto v = read(what);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  return s;
}

template <class Sink, class String>
[[nodiscard]] result<void> write_one_off_strings(basic_writer<Sink>& w,
                                                 const one_off_strings<String>& s) {
  for (auto [field, what] : {std::pair{&s.DisplayName, "One-Off EntryID DisplayName"},
                             std::pair{&s.AddressType, "One-Off EntryID AddressType"},
                             std::pair{&s.EmailAddress, "One-Off EntryID EmailAddress"}}) {
    if constexpr (std::is_same_v<String, std::u16string>) {
      if (auto r = write_utf16z(w, *field, what); !r) return r;
    } else {
      if (auto r = write_string8z(w, *field, what); !r) return r;
    }
  }
  return {};
}

/// Field names of the Contact Address and Personal Distribution List EntryIDs.
struct contab_names {
  const char* Flags;
  const char* ProviderUID;
  const char* Version;
  const char* Type;
  const char* Index;
  const char* EntryIdCount;
  const char* EntryIdBytes;
};

/// The layout the Contact Address and Personal Distribution List EntryIDs share (MS-OXCDATA
/// 2.2.5.3, 2.2.5.4): Flags, ProviderUID, Version 3, Type, Index, EntryIdCount, EntryIdBytes.
/// Checks all but Index, which it returns.
[[nodiscard]] inline result<std::uint32_t> read_contab(reader& in, std::uint32_t type,
                                                       const contab_names& n,
                                                       std::vector<std::uint8_t>& bytes) {
  if (auto r = expect_header(in, contact_provider_uid, n.Flags, n.ProviderUID); !r)
    return r.error();
  if (auto r = in.expect<std::uint32_t>(3, n.Version); !r) return r.error();
  const std::size_t type_at = in.offset();
  const result<std::uint32_t> t = in.read<std::uint32_t>(n.Type);
  if (!t) return t.error();
  if (*t != type) return error{errc::invalid_kind, type_at, n.Type};
  std::uint32_t index = 0, count = 0;
  if (auto r = in.read_into(n.Index, index); !r) return r.error();
  const std::size_t count_at = in.offset();
  if (auto r = in.read_into(n.EntryIdCount, count); !r) return r.error();
  if (count > in.remaining()) return error{errc::count_too_large, count_at, n.EntryIdCount};
  const result<bytes_view> b = in.bytes(count, n.EntryIdBytes);
  if (!b) return b.error();
  bytes.assign(b->begin(), b->end());
  return index;
}

template <class Sink>
[[nodiscard]] result<void> write_contab(basic_writer<Sink>& w, std::uint32_t type,
                                        std::uint32_t index, const std::vector<std::uint8_t>& bytes,
                                        const contab_names& n) {
  if (bytes.size() > UINT32_MAX) return error{oxwire::errc::out_of_range, w.size(), n.EntryIdCount};
  if (auto r = write_header(w, contact_provider_uid, n.ProviderUID); !r) return r;
  if (auto r = w.template write<std::uint32_t>(3, n.Version); !r) return r;
  if (auto r = w.template write<std::uint32_t>(type, n.Type); !r) return r;
  if (auto r = w.template write<std::uint32_t>(index, n.Index); !r) return r;
  if (auto r =
          w.template write<std::uint32_t>(static_cast<std::uint32_t>(bytes.size()), n.EntryIdCount);
      !r)
    return r;
  return w.write_bytes(bytes, n.EntryIdBytes);
}

inline constexpr contab_names contact_names{
    "Contact Address EntryID Flags",       "Contact Address EntryID ProviderUID",
    "Contact Address EntryID Version",     "Contact Address EntryID Type",
    "Contact Address EntryID Index",       "Contact Address EntryID EntryIdCount",
    "Contact Address EntryID EntryIdBytes"};
inline constexpr contab_names pdl_names{"Personal Distribution List EntryID Flags",
                                        "Personal Distribution List EntryID ProviderUID",
                                        "Personal Distribution List EntryID Version",
                                        "Personal Distribution List EntryID Type",
                                        "Personal Distribution List EntryID Index",
                                        "Personal Distribution List EntryID EntryIdCount",
                                        "Personal Distribution List EntryID EntryIdBytes"};
inline constexpr std::uint32_t contact_type = 0x04, pdl_type = 0x05, pdl_index = 0xFF;

/// DLLFileName of a Store Object EntryID: "EMSMDB.DLL" padded with NULs to 14 bytes.
inline constexpr std::array<std::uint8_t, 14> emsmdb_dll = {
    0x45, 0x4D, 0x53, 0x4D, 0x44, 0x42, 0x2E, 0x44, 0x4C, 0x4C, 0x00, 0x00, 0x00, 0x00};

/// The WrappedType a WrappedProvider UID requires, or 0 if the UID is neither allowed value.
[[nodiscard]] constexpr std::uint32_t wrapped_type_for(const guid& wrapped_provider) noexcept {
  if (wrapped_provider == mailbox_store_provider_uid)
    return store_object_entryid::mailbox_wrapped_type;
  if (wrapped_provider == public_store_provider_uid)
    return store_object_entryid::public_wrapped_type;
  return 0;
}

// The 16-bit word after a One-Off EntryID's Version (see one_off_entryid).
inline constexpr std::uint16_t one_off_M = 0x0001, one_off_L = 0x1000, one_off_U = 0x8000,
                               one_off_pad_mask = 0x0F80;

}  // namespace detail

/// `auto f = decode_folder_entryid(in);` (46 bytes).
[[nodiscard]] inline result<folder_entryid> decode_folder_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<folder_entryid> {
    folder_entryid e;
    if (auto v = detail::expect_zero_flags(r, "Folder EntryID Flags"); !v) return v.error();
    if (auto v = oxwire::decode(r, e.ProviderUID, "Folder EntryID ProviderUID"); !v)
      return v.error();
    const std::size_t type_at = r.offset();
    std::uint16_t type = 0;
    if (auto v = r.read_into("Folder EntryID FolderType", type); !v) return v.error();
    if (!is_folder_type(type))
      return error{errc::invalid_kind, type_at, "Folder EntryID FolderType"};
    e.FolderType = static_cast<store_object_type>(type);
    if (auto v = detail::read_gid_fields(
            r, e.DatabaseGuid, e.GlobalCounter,
            {"Folder EntryID DatabaseGuid", "Folder EntryID GlobalCounter"});
        !v)
      return v.error();
    if (auto v = detail::expect_zero_pad(r, "Folder EntryID Pad"); !v) return v.error();
    return e;
  });
}

/// `auto m = decode_message_entryid(in);` (70 bytes).
[[nodiscard]] inline result<message_entryid> decode_message_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<message_entryid> {
    message_entryid e;
    if (auto v = detail::expect_zero_flags(r, "Message EntryID Flags"); !v) return v.error();
    if (auto v = oxwire::decode(r, e.ProviderUID, "Message EntryID ProviderUID"); !v)
      return v.error();
    const std::size_t type_at = r.offset();
    std::uint16_t type = 0;
    if (auto v = r.read_into("Message EntryID MessageType", type); !v) return v.error();
    if (!is_message_type(type))
      return error{errc::invalid_kind, type_at, "Message EntryID MessageType"};
    e.MessageType = static_cast<store_object_type>(type);
    if (auto v = detail::read_gid_fields(
            r, e.FolderDatabaseGuid, e.FolderGlobalCounter,
            {"Message EntryID FolderDatabaseGuid", "Message EntryID FolderGlobalCounter"});
        !v)
      return v.error();
    if (auto v = detail::expect_zero_pad(r, "Message EntryID Pad"); !v) return v.error();
    if (auto v = detail::read_gid_fields(
            r, e.MessageDatabaseGuid, e.MessageGlobalCounter,
            {"Message EntryID MessageDatabaseGuid", "Message EntryID MessageGlobalCounter"});
        !v)
      return v.error();
    if (auto v = detail::expect_zero_pad(r, "Message EntryID Pad"); !v) return v.error();
    return e;
  });
}

/// `auto s = decode_store_object_entryid(in);` (takes the rest of the reader: see the top).
[[nodiscard]] inline result<store_object_entryid> decode_store_object_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<store_object_entryid> {
    store_object_entryid e;
    if (auto v = detail::expect_header(r, store_object_provider_uid, "Store Object EntryID Flags",
                                       "Store Object EntryID ProviderUID");
        !v)
      return v.error();
    if (auto v = r.expect<std::uint8_t>(0, "Store Object EntryID Version"); !v) return v.error();
    if (const auto flag = r.peek<std::uint8_t>("Store Object EntryID Flag"); !flag)
      return flag.error();
    else if (*flag != 0)
      return error{errc::invalid_flag, r.offset(), "Store Object EntryID Flag"};
    (void)r.skip(1);
    const std::size_t dll_at = r.offset();
    const result<bytes_view> dll =
        r.bytes(detail::emsmdb_dll.size(), "Store Object EntryID DLLFileName");
    if (!dll) return dll.error();
    if (!std::equal(dll->begin(), dll->end(), detail::emsmdb_dll.begin()))
      return error{oxwire::errc::out_of_range, dll_at, "Store Object EntryID DLLFileName"};
    if (auto v = detail::expect_zero_flags(r, "Store Object EntryID WrappedFlags"); !v)
      return v.error();
    const std::size_t uid_at = r.offset();
    if (auto v =
            oxwire::decode(r, e.WrappedProviderUID, "Store Object EntryID WrappedProvider UID");
        !v)
      return v.error();
    const std::uint32_t want_type = detail::wrapped_type_for(e.WrappedProviderUID);
    if (want_type == 0)
      return error{errc::invalid_kind, uid_at, "Store Object EntryID WrappedProvider UID"};
    const std::size_t type_at = r.offset();
    if (auto v = r.read_into("Store Object EntryID WrappedType", e.WrappedType); !v)
      return v.error();
    if (e.WrappedType != want_type)
      return error{errc::invalid_kind, type_at, "Store Object EntryID WrappedType"};
    auto server = detail::read_narrow(r, "Store Object EntryID ServerShortname");
    if (!server) return server.error();
    e.ServerShortname = std::move(*server);
    if (want_type == store_object_entryid::mailbox_wrapped_type) {
      auto dn = detail::read_narrow(r, "Store Object EntryID MailboxDN");
      if (!dn) return dn.error();
      e.MailboxDN = std::move(*dn);
    }
    const bytes_view rest = r.rest();
    e.extension.assign(rest.begin(), rest.end());
    (void)r.skip(rest.size());
    return e;
  });
}

/// `auto o = decode_one_off_entryid(in);` (ends after EmailAddress's terminator).
[[nodiscard]] inline result<one_off_entryid> decode_one_off_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<one_off_entryid> {
    one_off_entryid e;
    if (auto v = r.read_into("One-Off EntryID Flags", e.Flags); !v) return v.error();
    if (auto v =
            detail::expect_provider_uid(r, one_off_provider_uid, "One-Off EntryID ProviderUID");
        !v)
      return v.error();
    std::uint16_t word = 0;
    if (auto v = r.read_into("One-Off EntryID Version", e.Version); !v) return v.error();
    if (auto v = r.read_into("One-Off EntryID flags word", word); !v) return v.error();
    e.M = (word & detail::one_off_M) != 0;
    e.Format = static_cast<std::uint8_t>(word >> 1 & 0xF);
    e.MAE = static_cast<std::uint8_t>(word >> 5 & 0x3);
    e.Pad = static_cast<std::uint16_t>(word & detail::one_off_pad_mask);
    e.L = (word & detail::one_off_L) != 0;
    e.R = static_cast<std::uint8_t>(word >> 13 & 0x3);
    if (word & detail::one_off_U) {
      auto s = detail::read_one_off_strings<std::u16string>(r);
      if (!s) return s.error();
      e.strings = std::move(*s);
    } else {
      auto s = detail::read_one_off_strings<std::string>(r);
      if (!s) return s.error();
      e.strings = std::move(*s);
    }
    return e;
  });
}

/// `auto a = decode_address_book_entryid(in);` (ends after X500DN's terminator).
[[nodiscard]] inline result<address_book_entryid> decode_address_book_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<address_book_entryid> {
    address_book_entryid e;
    if (auto v = detail::expect_header(r, address_book_provider_uid, "Address Book EntryID Flags",
                                       "Address Book EntryID ProviderUID");
        !v)
      return v.error();
    if (auto v = r.expect<std::uint32_t>(1, "Address Book EntryID Version"); !v) return v.error();
    const std::size_t type_at = r.offset();
    std::uint32_t type = 0;
    if (auto v = r.read_into("Address Book EntryID Type", type); !v) return v.error();
    if (!is_address_book_type(type))
      return error{errc::invalid_kind, type_at, "Address Book EntryID Type"};
    e.Type = static_cast<address_book_type>(type);
    auto dn = detail::read_narrow(r, "Address Book EntryID X500DN");
    if (!dn) return dn.error();
    e.X500DN = std::move(*dn);
    return e;
  });
}

/// `auto c = decode_contact_address_entryid(in);` (ends after EntryIdBytes).
[[nodiscard]] inline result<contact_address_entryid> decode_contact_address_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<contact_address_entryid> {
    contact_address_entryid e;
    const std::size_t index_at = r.offset() + 28;  // Flags, ProviderUID, Version, Type
    const result<std::uint32_t> index =
        detail::read_contab(r, detail::contact_type, detail::contact_names, e.EntryIdBytes);
    if (!index) return index.error();
    if (*index > contact_address_entryid::max_index)
      return error{oxwire::errc::out_of_range, index_at, detail::contact_names.Index};
    e.Index = *index;
    return e;
  });
}

/// `auto p = decode_personal_distribution_list_entryid(in);` (ends after EntryIdBytes).
[[nodiscard]] inline result<personal_distribution_list_entryid>
decode_personal_distribution_list_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<personal_distribution_list_entryid> {
    personal_distribution_list_entryid e;
    const std::size_t index_at = r.offset() + 28;
    const result<std::uint32_t> index =
        detail::read_contab(r, detail::pdl_type, detail::pdl_names, e.EntryIdBytes);
    if (!index) return index.error();
    if (*index != detail::pdl_index)
      return error{oxwire::errc::out_of_range, index_at, detail::pdl_names.Index};
    return e;
  });
}

/// `auto w = decode_wrapped_entryid(in);` (EmbeddedEntryID takes the rest of the reader).
[[nodiscard]] inline result<wrapped_entryid> decode_wrapped_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<wrapped_entryid> {
    wrapped_entryid e;
    if (auto v = detail::expect_header(r, wrapped_entryid_provider_uid, "WrappedEntryId Flags",
                                       "WrappedEntryId ProviderUID");
        !v)
      return v.error();
    const std::size_t type_at = r.offset();
    if (auto v = r.read_into("WrappedEntryId Type", e.Type); !v) return v.error();
    if (!wrapped_entryid::valid_type(e.Type))
      return error{errc::invalid_kind, type_at, "WrappedEntryId Type"};
    const bytes_view rest = r.rest();
    e.EmbeddedEntryID.assign(rest.begin(), rest.end());
    (void)r.skip(rest.size());
    return e;
  });
}

/// `auto u = decode_unknown_entryid(in);` (ProviderData takes the rest of the reader).
[[nodiscard]] inline result<unknown_entryid> decode_unknown_entryid(reader& in) {
  return detail::atomically(in, [](reader& r) -> result<unknown_entryid> {
    unknown_entryid e;
    if (auto v = r.read_into("EntryID Flags", e.Flags); !v) return v.error();
    if (auto v = oxwire::decode(r, e.ProviderUID, "EntryID ProviderUID"); !v) return v.error();
    const bytes_view rest = r.rest();
    e.ProviderData.assign(rest.begin(), rest.end());
    (void)r.skip(rest.size());
    return e;
  });
}

namespace detail {

template <class T>
[[nodiscard]] result<entryid> as_entryid(result<T>&& r) {
  if (!r) return r.error();
  return entryid(std::in_place_type<T>, std::move(*r));
}

/// The kind of the EntryID at `in`, decoded (see the top of this file for the rules).
[[nodiscard]] inline result<entryid> decode_any_entryid(reader& in) {
  reader probe = in;
  std::uint32_t flags = 0;
  guid uid;
  if (auto r = probe.read_into("EntryID Flags", flags); !r) return r.error();
  if (auto r = oxwire::decode(probe, uid, "EntryID ProviderUID"); !r) return r.error();
  if (uid == one_off_provider_uid) return as_entryid(decode_one_off_entryid(in));
  if (uid == address_book_provider_uid) return as_entryid(decode_address_book_entryid(in));
  if (uid == store_object_provider_uid) return as_entryid(decode_store_object_entryid(in));
  if (uid == wrapped_entryid_provider_uid) return as_entryid(decode_wrapped_entryid(in));
  if (uid == contact_provider_uid) {  // Type follows Version (MS-OXCDATA 2.2.5.3, 2.2.5.4)
    const result<std::uint32_t> type =
        probe.skip(4) ? probe.peek<std::uint32_t>() : result<std::uint32_t>(0u);
    if (type && *type == pdl_type) return as_entryid(decode_personal_distribution_list_entryid(in));
    return as_entryid(decode_contact_address_entryid(in));
  }
  if (const result<std::uint16_t> type = probe.peek<std::uint16_t>(); type) {
    if (is_folder_type(*type)) return as_entryid(decode_folder_entryid(in));
    if (is_message_type(*type)) return as_entryid(decode_message_entryid(in));
  }
  return as_entryid(decode_unknown_entryid(in));
}

}  // namespace detail

/// Decodes a whole EntryID (a PtypBinary value) of any kind: `auto e = decode_entryid(bytes);`.
/// Bytes after the structure are mapi::errc::invalid_size ("EntryID trailing bytes") at the first
/// of them; an input longer than `limits.max_size` is errc::limit_exceeded.
[[nodiscard]] inline result<entryid> decode_entryid(bytes_view bytes,
                                                    const entryid_limits& limits = {}) {
  if (bytes.size() > limits.max_size)
    return error{oxwire::errc::limit_exceeded, limits.max_size, "EntryID size"};
  reader in(bytes);
  result<entryid> e = detail::decode_any_entryid(in);
  if (e && !in.empty()) return error{errc::invalid_size, in.offset(), "EntryID trailing bytes"};
  return e;
}

/// `encode(w, folder_entryid{...})`: 46 bytes.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const folder_entryid& e) {
  if (!is_folder_type(static_cast<std::uint16_t>(e.FolderType)))
    return error{errc::invalid_kind, w.size() + 20, "Folder EntryID FolderType"};
  if (auto r = w.template write<std::uint32_t>(0, "Folder EntryID Flags"); !r) return r;
  if (auto r = oxwire::encode(w, e.ProviderUID, "Folder EntryID ProviderUID"); !r) return r;
  if (auto r = w.template write<std::uint16_t>(static_cast<std::uint16_t>(e.FolderType),
                                               "Folder EntryID FolderType");
      !r)
    return r;
  if (auto r =
          detail::write_gid_fields(w, e.DatabaseGuid, e.GlobalCounter,
                                   {"Folder EntryID DatabaseGuid", "Folder EntryID GlobalCounter"});
      !r)
    return r;
  return w.template write<std::uint16_t>(0, "Folder EntryID Pad");
}

/// `encode(w, message_entryid{...})`: 70 bytes.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const message_entryid& e) {
  if (!is_message_type(static_cast<std::uint16_t>(e.MessageType)))
    return error{errc::invalid_kind, w.size() + 20, "Message EntryID MessageType"};
  if (auto r = w.template write<std::uint32_t>(0, "Message EntryID Flags"); !r) return r;
  if (auto r = oxwire::encode(w, e.ProviderUID, "Message EntryID ProviderUID"); !r) return r;
  if (auto r = w.template write<std::uint16_t>(static_cast<std::uint16_t>(e.MessageType),
                                               "Message EntryID MessageType");
      !r)
    return r;
  if (auto r = detail::write_gid_fields(
          w, e.FolderDatabaseGuid, e.FolderGlobalCounter,
          {"Message EntryID FolderDatabaseGuid", "Message EntryID FolderGlobalCounter"});
      !r)
    return r;
  if (auto r = w.template write<std::uint16_t>(0, "Message EntryID Pad"); !r) return r;
  if (auto r = detail::write_gid_fields(
          w, e.MessageDatabaseGuid, e.MessageGlobalCounter,
          {"Message EntryID MessageDatabaseGuid", "Message EntryID MessageGlobalCounter"});
      !r)
    return r;
  return w.template write<std::uint16_t>(0, "Message EntryID Pad");
}

/// `encode(w, store_object_entryid{...})`: MailboxDN must be present exactly for a mailbox store.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const store_object_entryid& e) {
  const std::uint32_t want_type = detail::wrapped_type_for(e.WrappedProviderUID);
  if (want_type == 0)
    return error{errc::invalid_kind, w.size() + 40, "Store Object EntryID WrappedProvider UID"};
  if (e.WrappedType != want_type)
    return error{errc::invalid_kind, w.size() + 56, "Store Object EntryID WrappedType"};
  if (auto r =
          detail::write_header(w, store_object_provider_uid, "Store Object EntryID ProviderUID");
      !r)
    return r;
  if (auto r = w.template write<std::uint8_t>(0, "Store Object EntryID Version"); !r) return r;
  if (auto r = w.template write<std::uint8_t>(0, "Store Object EntryID Flag"); !r) return r;
  if (auto r = w.write_bytes(detail::emsmdb_dll, "Store Object EntryID DLLFileName"); !r) return r;
  if (auto r = w.template write<std::uint32_t>(0, "Store Object EntryID WrappedFlags"); !r)
    return r;
  if (auto r = oxwire::encode(w, e.WrappedProviderUID, "Store Object EntryID WrappedProvider UID");
      !r)
    return r;
  if (auto r = w.template write<std::uint32_t>(e.WrappedType, "Store Object EntryID WrappedType");
      !r)
    return r;
  if (auto r = detail::write_string8z(w, e.ServerShortname, "Store Object EntryID ServerShortname");
      !r)
    return r;
  const bool mailbox = want_type == store_object_entryid::mailbox_wrapped_type;
  if (mailbox != e.MailboxDN.has_value())
    return error{errc::invalid_kind, w.size(), "Store Object EntryID MailboxDN"};
  if (mailbox) {
    if (auto r = detail::write_string8z(w, *e.MailboxDN, "Store Object EntryID MailboxDN"); !r)
      return r;
  }
  return w.write_bytes(e.extension, "Store Object EntryID extension");
}

/// `encode(w, one_off_entryid{...})`: the bit fields must fit their widths.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const one_off_entryid& e) {
  if (e.MAE > 0x3 || e.Format > 0xF || e.R > 0x3 || (e.Pad & ~detail::one_off_pad_mask) != 0)
    return error{oxwire::errc::out_of_range, w.size() + 22, "One-Off EntryID flags word"};
  const auto word = static_cast<std::uint16_t>((e.M ? detail::one_off_M : 0) | e.Format << 1 |
                                               e.MAE << 5 | e.Pad | (e.L ? detail::one_off_L : 0) |
                                               e.R << 13 | (e.U() ? detail::one_off_U : 0));
  if (auto r = w.template write<std::uint32_t>(e.Flags, "One-Off EntryID Flags"); !r) return r;
  if (auto r = oxwire::encode(w, one_off_provider_uid, "One-Off EntryID ProviderUID"); !r) return r;
  if (auto r = w.template write<std::uint16_t>(e.Version, "One-Off EntryID Version"); !r) return r;
  if (auto r = w.template write<std::uint16_t>(word, "One-Off EntryID flags word"); !r) return r;
  return std::visit([&w](const auto& s) { return detail::write_one_off_strings(w, s); }, e.strings);
}

/// `encode(w, address_book_entryid{...})`.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const address_book_entryid& e) {
  if (!is_address_book_type(static_cast<std::uint32_t>(e.Type)))
    return error{errc::invalid_kind, w.size() + 24, "Address Book EntryID Type"};
  if (auto r =
          detail::write_header(w, address_book_provider_uid, "Address Book EntryID ProviderUID");
      !r)
    return r;
  if (auto r = w.template write<std::uint32_t>(1, "Address Book EntryID Version"); !r) return r;
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(e.Type),
                                               "Address Book EntryID Type");
      !r)
    return r;
  return detail::write_string8z(w, e.X500DN, "Address Book EntryID X500DN");
}

/// `encode(w, contact_address_entryid{...})`: Index 0..5.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const contact_address_entryid& e) {
  if (e.Index > contact_address_entryid::max_index)
    return error{oxwire::errc::out_of_range, w.size() + 28, detail::contact_names.Index};
  return detail::write_contab(w, detail::contact_type, e.Index, e.EntryIdBytes,
                              detail::contact_names);
}

/// `encode(w, personal_distribution_list_entryid{...})`.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w,
                                  const personal_distribution_list_entryid& e) {
  return detail::write_contab(w, detail::pdl_type, detail::pdl_index, e.EntryIdBytes,
                              detail::pdl_names);
}

/// `encode(w, wrapped_entryid{...})`: Type must follow the MS-OXOCNTC rules (valid_type).
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const wrapped_entryid& e) {
  if (!wrapped_entryid::valid_type(e.Type))
    return error{errc::invalid_kind, w.size() + 20, "WrappedEntryId Type"};
  if (auto r = detail::write_header(w, wrapped_entryid_provider_uid, "WrappedEntryId ProviderUID");
      !r)
    return r;
  if (auto r = w.template write<std::uint8_t>(e.Type, "WrappedEntryId Type"); !r) return r;
  return w.write_bytes(e.EmbeddedEntryID, "WrappedEntryId EmbeddedEntryID");
}

/// `encode(w, unknown_entryid{...})`: the bytes as they were read.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const unknown_entryid& e) {
  if (auto r = w.template write<std::uint32_t>(e.Flags, "EntryID Flags"); !r) return r;
  if (auto r = oxwire::encode(w, e.ProviderUID, "EntryID ProviderUID"); !r) return r;
  return w.write_bytes(e.ProviderData, "EntryID ProviderData");
}

/// `encode(w, entry)` for any EntryID decode_entryid returns.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const entryid& e) {
  return std::visit([&w](const auto& x) { return encode(w, x); }, e);
}

}  // namespace oxwire::mapi
