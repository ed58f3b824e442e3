// oxwire — MS-OXCRPC 2.2.2.2 auxiliary buffers: a sequence of AUX_HEADER + auxiliary block
// structure, decoded to one typed struct per block structure and encoded back.
//
// Block fields keep the spec's names and wire order. A variable field (a string or byte array
// the block locates by an offset from the start of its AUX_HEADER) is one member standing where
// its offset (and size) field is on the wire: `AUX_PERF_CLIENTINFO::MachineName` replaces
// MachineNameOffset; the encoder lays the data out after the fixed fields and computes the
// offsets. Offset 0 means "null or empty" and decodes to std::nullopt. Unknown (Version, Type)
// pairs keep their bytes in `aux_unknown`.
//
//   auto blocks = oxwire::rpc::decode_aux_blocks(aux_payload);     //
//   result<std::vector<aux_block>> if (auto* info =
//   std::get_if<AUX_PERF_CLIENTINFO>(&(*blocks)[0].block)) ... info->MachineName
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/guid.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/rpc/error.hpp>

#include <array>
#include <boost/describe/class.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace oxwire::rpc {

/// MS-OXCRPC 2.2.2.2 AUX_HEADER: Size counts the header and its block.
struct AUX_HEADER {
  static constexpr std::uint8_t AUX_VERSION_1 = 0x01;
  static constexpr std::uint8_t AUX_VERSION_2 = 0x02;
  static constexpr std::size_t size = 4;

  std::uint16_t Size = 0;
  std::uint8_t Version = 0;
  std::uint8_t Type = 0;

  friend bool operator==(const AUX_HEADER&, const AUX_HEADER&) = default;
};

/// A NUL-terminated UTF-16LE string located by a 2-byte offset (std::nullopt: offset 0).
struct aux_unicode_string {
  std::optional<std::u16string> value;
  friend bool operator==(const aux_unicode_string&, const aux_unicode_string&) = default;
};
/// A NUL-terminated 8-bit string located by a 2-byte offset (std::nullopt: offset 0).
struct aux_ascii_string {
  std::optional<std::string> value;
  friend bool operator==(const aux_ascii_string&, const aux_ascii_string&) = default;
};
/// Bytes located by a 2-byte size and then a 2-byte offset (std::nullopt: offset 0).
struct aux_byte_array {
  std::optional<std::vector<std::uint8_t>> value;
  friend bool operator==(const aux_byte_array&, const aux_byte_array&) = default;
};

// Every auxiliary block structure of MS-OXCRPC 2.2.2.2.1 - 2.2.2.2.23, fields in wire order.
#define OXWIRE_AUX_BLOCK(name, ...)                           \
  friend bool operator==(const name&, const name&) = default; \
  BOOST_DESCRIBE_CLASS(name, (), (__VA_ARGS__), (), ())

/// 2.2.2.2.1
struct AUX_PERF_REQUESTID {
  std::uint16_t SessionID = 0, RequestID = 0;
  OXWIRE_AUX_BLOCK(AUX_PERF_REQUESTID, SessionID, RequestID)
};
/// 2.2.2.2.2
struct AUX_PERF_SESSIONINFO {
  std::uint16_t SessionID = 0, Reserved = 0;
  guid SessionGuid;
  OXWIRE_AUX_BLOCK(AUX_PERF_SESSIONINFO, SessionID, Reserved, SessionGuid)
};
/// 2.2.2.2.3
struct AUX_PERF_SESSIONINFO_V2 {
  std::uint16_t SessionID = 0, Reserved = 0;
  guid SessionGuid;
  std::uint32_t ConnectionID = 0;
  OXWIRE_AUX_BLOCK(AUX_PERF_SESSIONINFO_V2, SessionID, Reserved, SessionGuid, ConnectionID)
};
/// 2.2.2.2.4
struct AUX_PERF_CLIENTINFO {
  std::uint32_t AdapterSpeed = 0;
  std::uint16_t ClientID = 0;
  aux_unicode_string MachineName, UserName;
  aux_byte_array ClientIP, ClientIPMask;
  aux_unicode_string AdapterName;
  aux_byte_array MacAddress;
  std::uint16_t ClientMode = 0, Reserved = 0;
  OXWIRE_AUX_BLOCK(AUX_PERF_CLIENTINFO, AdapterSpeed, ClientID, MachineName, UserName, ClientIP,
                   ClientIPMask, AdapterName, MacAddress, ClientMode, Reserved)
};
/// 2.2.2.2.5
struct AUX_PERF_SERVERINFO {
  std::uint16_t ServerID = 0, ServerType = 0;
  aux_ascii_string ServerDN;
  aux_unicode_string ServerName;
  OXWIRE_AUX_BLOCK(AUX_PERF_SERVERINFO, ServerID, ServerType, ServerDN, ServerName)
};
/// 2.2.2.2.6
struct AUX_PERF_PROCESSINFO {
  std::uint16_t ProcessID = 0, Reserved_1 = 0;
  guid ProcessGuid;
  aux_unicode_string ProcessName;
  std::uint16_t Reserved_2 = 0;
  OXWIRE_AUX_BLOCK(AUX_PERF_PROCESSINFO, ProcessID, Reserved_1, ProcessGuid, ProcessName,
                   Reserved_2)
};
/// 2.2.2.2.7
struct AUX_PERF_DEFMDB_SUCCESS {
  std::uint32_t TimeSinceRequest = 0, TimeToCompleteRequest = 0;
  std::uint16_t RequestID = 0, Reserved = 0;
  OXWIRE_AUX_BLOCK(AUX_PERF_DEFMDB_SUCCESS, TimeSinceRequest, TimeToCompleteRequest, RequestID,
                   Reserved)
};
/// 2.2.2.2.8
struct AUX_PERF_DEFGC_SUCCESS {
  std::uint16_t ServerID = 0, SessionID = 0;
  std::uint32_t TimeSinceRequest = 0, TimeToCompleteRequest = 0;
  std::uint8_t RequestOperation = 0;
  std::array<std::uint8_t, 3> Reserved{};
  OXWIRE_AUX_BLOCK(AUX_PERF_DEFGC_SUCCESS, ServerID, SessionID, TimeSinceRequest,
                   TimeToCompleteRequest, RequestOperation, Reserved)
};
/// 2.2.2.2.9
struct AUX_PERF_MDB_SUCCESS {
  std::uint16_t ClientID = 0, ServerID = 0, SessionID = 0, RequestID = 0;
  std::uint32_t TimeSinceRequest = 0, TimeToCompleteRequest = 0;
  OXWIRE_AUX_BLOCK(AUX_PERF_MDB_SUCCESS, ClientID, ServerID, SessionID, RequestID, TimeSinceRequest,
                   TimeToCompleteRequest)
};
/// 2.2.2.2.10
struct AUX_PERF_MDB_SUCCESS_V2 {
  std::uint16_t ProcessID = 0, ClientID = 0, ServerID = 0, SessionID = 0, RequestID = 0,
                Reserved = 0;
  std::uint32_t TimeSinceRequest = 0, TimeToCompleteRequest = 0;
  OXWIRE_AUX_BLOCK(AUX_PERF_MDB_SUCCESS_V2, ProcessID, ClientID, ServerID, SessionID, RequestID,
                   Reserved, TimeSinceRequest, TimeToCompleteRequest)
};
/// 2.2.2.2.11
struct AUX_PERF_GC_SUCCESS {
  std::uint16_t ClientID = 0, ServerID = 0, SessionID = 0, Reserved_1 = 0;
  std::uint32_t TimeSinceRequest = 0, TimeToCompleteRequest = 0;
  std::uint8_t RequestOperation = 0;
  std::array<std::uint8_t, 3> Reserved_2{};
  OXWIRE_AUX_BLOCK(AUX_PERF_GC_SUCCESS, ClientID, ServerID, SessionID, Reserved_1, TimeSinceRequest,
                   TimeToCompleteRequest, RequestOperation, Reserved_2)
};
/// 2.2.2.2.12
struct AUX_PERF_GC_SUCCESS_V2 {
  std::uint16_t ProcessID = 0, ClientID = 0, ServerID = 0, SessionID = 0;
  std::uint32_t TimeSinceRequest = 0, TimeToCompleteRequest = 0;
  std::uint8_t RequestOperation = 0;
  std::array<std::uint8_t, 3> Reserved{};
  OXWIRE_AUX_BLOCK(AUX_PERF_GC_SUCCESS_V2, ProcessID, ClientID, ServerID, SessionID,
                   TimeSinceRequest, TimeToCompleteRequest, RequestOperation, Reserved)
};
/// 2.2.2.2.13
struct AUX_PERF_FAILURE {
  std::uint16_t ClientID = 0, ServerID = 0, SessionID = 0, RequestID = 0;
  std::uint32_t TimeSinceRequest = 0, TimeToFailRequest = 0, ResultCode = 0;
  std::uint8_t RequestOperation = 0;
  std::array<std::uint8_t, 3> Reserved{};
  OXWIRE_AUX_BLOCK(AUX_PERF_FAILURE, ClientID, ServerID, SessionID, RequestID, TimeSinceRequest,
                   TimeToFailRequest, ResultCode, RequestOperation, Reserved)
};
/// 2.2.2.2.14
struct AUX_PERF_FAILURE_V2 {
  std::uint16_t ProcessID = 0, ClientID = 0, ServerID = 0, SessionID = 0, RequestID = 0,
                Reserved_1 = 0;
  std::uint32_t TimeSinceRequest = 0, TimeToFailRequest = 0, ResultCode = 0;
  std::uint8_t RequestOperation = 0;
  std::array<std::uint8_t, 3> Reserved_2{};
  OXWIRE_AUX_BLOCK(AUX_PERF_FAILURE_V2, ProcessID, ClientID, ServerID, SessionID, RequestID,
                   Reserved_1, TimeSinceRequest, TimeToFailRequest, ResultCode, RequestOperation,
                   Reserved_2)
};
/// 2.2.2.2.15
struct AUX_CLIENT_CONTROL {
  std::uint32_t EnableFlags = 0, ExpiryTime = 0;
  OXWIRE_AUX_BLOCK(AUX_CLIENT_CONTROL, EnableFlags, ExpiryTime)
};
/// 2.2.2.2.16
struct AUX_OSVERSIONINFO {
  std::uint32_t OSVersionInfoSize = 0, MajorVersion = 0, MinorVersion = 0, BuildNumber = 0;
  std::array<std::uint8_t, 132> Reserved1{};
  std::uint16_t ServicePackMajor = 0, ServicePackMinor = 0;
  std::uint32_t Reserved2 = 0;
  OXWIRE_AUX_BLOCK(AUX_OSVERSIONINFO, OSVersionInfoSize, MajorVersion, MinorVersion, BuildNumber,
                   Reserved1, ServicePackMajor, ServicePackMinor, Reserved2)
};
/// 2.2.2.2.17
struct AUX_EXORGINFO {
  std::uint32_t OrgFlags = 0;
  OXWIRE_AUX_BLOCK(AUX_EXORGINFO, OrgFlags)
};
/// 2.2.2.2.18
struct AUX_PERF_ACCOUNTINFO {
  std::uint16_t ClientID = 0, Reserved = 0;
  guid Account;
  OXWIRE_AUX_BLOCK(AUX_PERF_ACCOUNTINFO, ClientID, Reserved, Account)
};
/// 2.2.2.2.19
struct AUX_SERVER_CAPABILITIES {
  std::uint32_t ServerCapabilityFlags = 0;
  OXWIRE_AUX_BLOCK(AUX_SERVER_CAPABILITIES, ServerCapabilityFlags)
};
/// 2.2.2.2.20
struct AUX_ENDPOINT_CAPABILITIES {
  std::uint32_t EndpointCapabilityFlag = 0;
  OXWIRE_AUX_BLOCK(AUX_ENDPOINT_CAPABILITIES, EndpointCapabilityFlag)
};
/// 2.2.2.2.21
struct AUX_CLIENT_CONNECTION_INFO {
  guid ConnectionGUID;
  aux_unicode_string ConnectionContextInfo;
  std::uint16_t Reserved = 0, ConnectionAttempts = 0;
  std::uint32_t ConnectionFlags = 0;
  OXWIRE_AUX_BLOCK(AUX_CLIENT_CONNECTION_INFO, ConnectionGUID, ConnectionContextInfo, Reserved,
                   ConnectionAttempts, ConnectionFlags)
};
/// 2.2.2.2.22
struct AUX_SERVER_SESSION_INFO {
  aux_unicode_string ServerSessionContextInfo;
  OXWIRE_AUX_BLOCK(AUX_SERVER_SESSION_INFO, ServerSessionContextInfo)
};
/// 2.2.2.2.23
struct AUX_PROTOCOL_DEVICE_IDENTIFICATION {
  aux_unicode_string DeviceManufacturer, DeviceModel, DeviceSerialNumber, DeviceVersion,
      DeviceFirmwareVersion;
  OXWIRE_AUX_BLOCK(AUX_PROTOCOL_DEVICE_IDENTIFICATION, DeviceManufacturer, DeviceModel,
                   DeviceSerialNumber, DeviceVersion, DeviceFirmwareVersion)
};

#undef OXWIRE_AUX_BLOCK

/// The body of a block whose (Version, Type) the spec does not list, kept as it came.
struct aux_unknown {
  std::vector<std::uint8_t> data;
  friend bool operator==(const aux_unknown&, const aux_unknown&) = default;
};

/// Any auxiliary block structure.
using aux_block_data =
    std::variant<AUX_PERF_REQUESTID, AUX_PERF_CLIENTINFO, AUX_PERF_SERVERINFO, AUX_PERF_SESSIONINFO,
                 AUX_PERF_SESSIONINFO_V2, AUX_PERF_DEFMDB_SUCCESS, AUX_PERF_DEFGC_SUCCESS,
                 AUX_PERF_MDB_SUCCESS, AUX_PERF_MDB_SUCCESS_V2, AUX_PERF_GC_SUCCESS,
                 AUX_PERF_GC_SUCCESS_V2, AUX_PERF_FAILURE, AUX_PERF_FAILURE_V2, AUX_CLIENT_CONTROL,
                 AUX_PERF_PROCESSINFO, AUX_OSVERSIONINFO, AUX_EXORGINFO, AUX_PERF_ACCOUNTINFO,
                 AUX_SERVER_CAPABILITIES, AUX_ENDPOINT_CAPABILITIES, AUX_CLIENT_CONNECTION_INFO,
                 AUX_SERVER_SESSION_INFO, AUX_PROTOCOL_DEVICE_IDENTIFICATION, aux_unknown>;

/// One AUX_HEADER (its Size is computed when encoding) and the block it announces.
struct aux_block {
  std::uint8_t Version = AUX_HEADER::AUX_VERSION_1;
  std::uint8_t Type = 0;
  aux_block_data block;
  friend bool operator==(const aux_block&, const aux_block&) = default;
};

/// One row of the MS-OXCRPC 2.2.2.2 type table.
struct aux_type_info {
  std::uint8_t version;
  std::uint8_t type;
  const char* name;         // AUX_TYPE_* as the spec prints it
  std::size_t alternative;  // index in aux_block_data
};

namespace detail {
template <class T>
inline constexpr std::size_t aux_alt = boost::mp11::mp_find<aux_block_data, T>::value;
}  // namespace detail

/// MS-OXCRPC 2.2.2.2 (specs/mapi/aux-block-types.json): which structure each (Version, Type) has.
inline constexpr std::array<aux_type_info, 40> aux_types{{
    {1, 0x01, "AUX_TYPE_PERF_REQUESTID", detail::aux_alt<AUX_PERF_REQUESTID>},
    {1, 0x02, "AUX_TYPE_PERF_CLIENTDINFO", detail::aux_alt<AUX_PERF_CLIENTINFO>},
    {1, 0x03, "AUX_TYPE_PERF_SERVERINFO", detail::aux_alt<AUX_PERF_SERVERINFO>},
    {1, 0x04, "AUX_TYPE_PERF_SESSIONINFO", detail::aux_alt<AUX_PERF_SESSIONINFO>},
    {1, 0x05, "AUX_TYPE_PERF_DEFMDB_SUCCESS", detail::aux_alt<AUX_PERF_DEFMDB_SUCCESS>},
    {1, 0x06, "AUX_TYPE_PERF_DEFGC_SUCCESS", detail::aux_alt<AUX_PERF_DEFGC_SUCCESS>},
    {1, 0x07, "AUX_TYPE_PERF_MDB_SUCCESS", detail::aux_alt<AUX_PERF_MDB_SUCCESS>},
    {1, 0x08, "AUX_TYPE_PERF_GC_SUCCESS", detail::aux_alt<AUX_PERF_GC_SUCCESS>},
    {1, 0x09, "AUX_TYPE_PERF_FAILURE", detail::aux_alt<AUX_PERF_FAILURE>},
    {1, 0x0A, "AUX_TYPE_CLIENT_CONTROL", detail::aux_alt<AUX_CLIENT_CONTROL>},
    {1, 0x0B, "AUX_TYPE_PERF_PROCESSINFO", detail::aux_alt<AUX_PERF_PROCESSINFO>},
    {1, 0x0C, "AUX_TYPE_PERF_BG_DEFMDB_SUCCESS", detail::aux_alt<AUX_PERF_DEFMDB_SUCCESS>},
    {1, 0x0D, "AUX_TYPE_PERF_BG_DEFGC_SUCCESS", detail::aux_alt<AUX_PERF_DEFGC_SUCCESS>},
    {1, 0x0E, "AUX_TYPE_PERF_BG_MDB_SUCCESS", detail::aux_alt<AUX_PERF_MDB_SUCCESS>},
    {1, 0x0F, "AUX_TYPE_PERF_BG_GC_SUCCESS", detail::aux_alt<AUX_PERF_GC_SUCCESS>},
    {1, 0x10, "AUX_TYPE_PERF_BG_FAILURE", detail::aux_alt<AUX_PERF_FAILURE>},
    {1, 0x11, "AUX_TYPE_PERF_FG_DEFMDB_SUCCESS", detail::aux_alt<AUX_PERF_DEFMDB_SUCCESS>},
    {1, 0x12, "AUX_TYPE_PERF_FG_DEFGC_SUCCESS", detail::aux_alt<AUX_PERF_DEFGC_SUCCESS>},
    {1, 0x13, "AUX_TYPE_PERF_FG_MDB_SUCCESS", detail::aux_alt<AUX_PERF_MDB_SUCCESS>},
    {1, 0x14, "AUX_TYPE_PERF_FG_GC_SUCCESS", detail::aux_alt<AUX_PERF_GC_SUCCESS>},
    {1, 0x15, "AUX_TYPE_PERF_FG_FAILURE", detail::aux_alt<AUX_PERF_FAILURE>},
    {1, 0x16, "AUX_TYPE_OSVERSIONINFO", detail::aux_alt<AUX_OSVERSIONINFO>},
    {1, 0x17, "AUX_TYPE_EXORGINO", detail::aux_alt<AUX_EXORGINFO>},
    {1, 0x18, "AUX_TYPE_PERF_ACCOUNTINFO", detail::aux_alt<AUX_PERF_ACCOUNTINFO>},
    {1, 0x46, "AUX_TYPE_SERVER_CAPABILITIES", detail::aux_alt<AUX_SERVER_CAPABILITIES>},
    {1, 0x48, "AUX_TYPE_ENDPOINT_CAPABILITIES", detail::aux_alt<AUX_ENDPOINT_CAPABILITIES>},
    {1, 0x4A, "AUX_CLIENT_CONNECTION_INFO", detail::aux_alt<AUX_CLIENT_CONNECTION_INFO>},
    {1, 0x4B, "AUX_SERVER_SESSION_INFO", detail::aux_alt<AUX_SERVER_SESSION_INFO>},
    {1, 0x4E, "AUX_PROTOCOL_DEVICE_IDENTIFICATION",
     detail::aux_alt<AUX_PROTOCOL_DEVICE_IDENTIFICATION>},
    {2, 0x04, "AUX_TYPE_PERF_SESSIONINFO", detail::aux_alt<AUX_PERF_SESSIONINFO_V2>},
    {2, 0x07, "AUX_TYPE_PERF_MDB_SUCCESS", detail::aux_alt<AUX_PERF_MDB_SUCCESS_V2>},
    {2, 0x08, "AUX_TYPE_PERF_GC_SUCCESS", detail::aux_alt<AUX_PERF_GC_SUCCESS_V2>},
    {2, 0x09, "AUX_TYPE_PERF_FAILURE", detail::aux_alt<AUX_PERF_FAILURE_V2>},
    {2, 0x0B, "AUX_TYPE_PERF_PROCESSINFO", detail::aux_alt<AUX_PERF_PROCESSINFO>},
    {2, 0x0E, "AUX_TYPE_PERF_BG_MDB_SUCCESS", detail::aux_alt<AUX_PERF_MDB_SUCCESS_V2>},
    {2, 0x0F, "AUX_TYPE_PERF_BG_GC_SUCCESS", detail::aux_alt<AUX_PERF_GC_SUCCESS_V2>},
    {2, 0x10, "AUX_TYPE_PERF_BG_FAILURE", detail::aux_alt<AUX_PERF_FAILURE_V2>},
    {2, 0x13, "AUX_TYPE_PERF_FG_MDB_SUCCESS", detail::aux_alt<AUX_PERF_MDB_SUCCESS_V2>},
    {2, 0x14, "AUX_TYPE_PERF_FG_GC_SUCCESS", detail::aux_alt<AUX_PERF_GC_SUCCESS_V2>},
    {2, 0x15, "AUX_TYPE_PERF_FG_FAILURE", detail::aux_alt<AUX_PERF_FAILURE_V2>},
}};

/// The type-table row of (Version, Type), or nullptr: `find_aux_type(1, 0x0A)->name`.
[[nodiscard]] constexpr const aux_type_info* find_aux_type(std::uint8_t version,
                                                           std::uint8_t type) noexcept {
  for (const auto& t : aux_types)
    if (t.version == version && t.type == type) return &t;
  return nullptr;
}

namespace detail {

template <class T>
inline constexpr bool aux_is_bytes = false;
template <std::size_t N>
inline constexpr bool aux_is_bytes<std::array<std::uint8_t, N>> = true;

template <class T>
inline constexpr bool aux_is_variable =
    std::is_same_v<T, aux_unicode_string> || std::is_same_v<T, aux_ascii_string> ||
    std::is_same_v<T, aux_byte_array>;

/// Bytes a field takes in the fixed part of its block.
template <class T>
inline constexpr std::size_t aux_wire_size = [] {
  if constexpr (std::is_same_v<T, guid>)
    return guid::wire_size;
  else if constexpr (aux_is_bytes<T>)
    return std::tuple_size_v<T>;
  else if constexpr (std::is_same_v<T, aux_byte_array>)
    return std::size_t{4};
  else if constexpr (aux_is_variable<T>)
    return std::size_t{2};
  else
    return sizeof(T);
}();

template <class S, class F>
constexpr void aux_for_each_field(F&& f) {
  boost::mp11::mp_for_each<boost::describe::describe_members<S, boost::describe::mod_public>>(f);
}

template <class S>
inline constexpr std::size_t aux_fixed_size = [] {
  std::size_t n = 0;
  aux_for_each_field<S>([&](auto d) {
    n += aux_wire_size<std::remove_cvref_t<decltype(std::declval<S&>().*d.pointer)>>;
  });
  return n;
}();

template <class S>
inline constexpr bool aux_has_variable = [] {
  bool any = false;
  aux_for_each_field<S>([&](auto d) {
    any |= aux_is_variable<std::remove_cvref_t<decltype(std::declval<S&>().*d.pointer)>>;
  });
  return any;
}();

/// Checks that [offset, offset + size) is a place for variable data inside the block (after the
/// AUX_HEADER): errc::invalid_string_offset at the offset field otherwise.
[[nodiscard]] inline result<void> aux_check_place(std::size_t offset, std::size_t size,
                                                  std::size_t block_size, std::size_t field_at,
                                                  const char* what) noexcept {
  if (offset < AUX_HEADER::size || offset > block_size || block_size - offset < size)
    return error{errc::invalid_string_offset, field_at, what};
  return {};
}

/// Reads one field of the fixed part; variable data is looked up in `block` (header included,
/// starting at absolute offset `block_at`).
template <class T>
[[nodiscard]] result<void> aux_read_field(reader& in, bytes_view block, std::size_t block_at,
                                          T& out, const char* what) {
  const std::size_t field_at = in.offset();
  if constexpr (std::is_same_v<T, guid>) {
    return decode(in, out, what);
  } else if constexpr (aux_is_bytes<T>) {
    auto b = in.bytes(out.size(), what);
    if (!b) return b.error();
    std::copy(b->begin(), b->end(), out.begin());
    return {};
  } else if constexpr (std::is_same_v<T, aux_byte_array>) {
    std::uint16_t size = 0, offset = 0;
    if (auto r = in.read_into(what, size, offset); !r) return r;
    if (offset == 0) {
      if (size != 0) return error{errc::invalid_string_offset, field_at + 2, what};
      out.value.reset();
      return {};
    }
    if (auto r = aux_check_place(offset, size, block.size(), field_at + 2, what); !r) return r;
    out.value.emplace(block.begin() + offset, block.begin() + offset + size);
    return {};
  } else if constexpr (aux_is_variable<T>) {
    auto offset = in.read<std::uint16_t>(what);
    if (!offset) return offset.error();
    if (*offset == 0) {
      out.value.reset();
      return {};
    }
    if (auto r = aux_check_place(*offset, 0, block.size() - 1, field_at, what); !r) return r;
    reader at(block.subspan(*offset), block_at + *offset);
    if constexpr (std::is_same_v<T, aux_ascii_string>) {
      auto s = at.until_nul(what);
      if (!s) return s.error();
      out.value.emplace(s->begin(), s->end());
    } else {
      auto s = at.until_u16_nul(what);
      if (!s) return s.error();
      std::u16string text(s->size() / 2, u'\0');
      for (std::size_t i = 0; i < text.size(); ++i)
        text[i] = static_cast<char16_t>((*s)[2 * i] | (*s)[2 * i + 1] << 8);
      out.value = std::move(text);
    }
    return {};
  } else {
    auto v = in.read<T>(what);
    if (!v) return v.error();
    out = *v;
    return {};
  }
}

/// The block structure S from the whole block (AUX_HEADER included) at absolute offset block_at.
template <class S>
[[nodiscard]] result<S> aux_decode_block(bytes_view block, std::size_t block_at) {
  // Blocks without variable data have one size (MS-OXCRPC 2.2.2.2.x): anything else is an error.
  if (!aux_has_variable<S> && block.size() != AUX_HEADER::size + aux_fixed_size<S>)
    return error{errc::size_mismatch, block_at, "AUX_HEADER Size"};
  S s;
  reader in(block.subspan(AUX_HEADER::size), block_at + AUX_HEADER::size);
  result<void> status;
  aux_for_each_field<S>([&](auto d) {
    if (status) status = aux_read_field(in, block, block_at, s.*d.pointer, d.name);
  });
  if (!status) return status.error();
  return s;
}

/// Variable data of one field appended after the fixed part; returns its bytes' size.
template <class T>
void aux_append_variable(const T& field, std::vector<std::uint8_t>& tail) {
  if constexpr (std::is_same_v<T, aux_byte_array>) {
    if (field.value) tail.insert(tail.end(), field.value->begin(), field.value->end());
  } else if constexpr (std::is_same_v<T, aux_ascii_string>) {
    if (field.value)
      tail.insert(tail.end(), field.value->begin(), field.value->end()), tail.push_back(0);
  } else if constexpr (std::is_same_v<T, aux_unicode_string>) {
    if (!field.value) return;
    for (const char16_t c : *field.value) {
      tail.push_back(static_cast<std::uint8_t>(c));
      tail.push_back(static_cast<std::uint8_t>(c >> 8));
    }
    tail.push_back(0), tail.push_back(0);
  }
}

/// Writes the fixed part of S (offsets computed for data laid out after it, in field order) and
/// then the variable data.
template <class S, class Sink>
[[nodiscard]] result<void> aux_encode_block(basic_writer<Sink>& w, const S& s) {
  std::vector<std::uint8_t> tail;
  result<void> status;
  aux_for_each_field<S>([&](auto d) {
    if (!status) return;
    using T = std::remove_cvref_t<decltype(s.*d.pointer)>;
    const T& field = s.*d.pointer;
    if constexpr (std::is_same_v<T, guid>) {
      status = encode(w, field, d.name);
    } else if constexpr (aux_is_bytes<T>) {
      status = w.write_bytes(field, d.name);
    } else if constexpr (aux_is_variable<T>) {
      const std::size_t offset = AUX_HEADER::size + aux_fixed_size<S> + tail.size();
      aux_append_variable(field, tail);
      const std::size_t size = AUX_HEADER::size + aux_fixed_size<S> + tail.size() - offset;
      if (offset + size > 0xFFFF) {
        status = error{oxwire::errc::limit_exceeded, w.size(), d.name};
        return;
      }
      if constexpr (std::is_same_v<T, aux_byte_array>) {
        if (status = w.template write<std::uint16_t>(static_cast<std::uint16_t>(size), d.name);
            !status)
          return;
      }
      status = w.template write<std::uint16_t>(field.value ? static_cast<std::uint16_t>(offset) : 0,
                                               d.name);
    } else {
      status = w.template write<T>(field, d.name);
    }
  });
  if (!status) return status;
  return w.write_bytes(tail, "AUX variable data");
}

}  // namespace detail

/// Limits of `decode_aux_blocks`.
struct aux_limits {
  std::size_t max_blocks = 4096;
};

/// Reads one AUX_HEADER and its block, advancing past it: errc::size_mismatch for a Size below 4
/// or (for a block without variable data) other than its structure's size, size_past_end when
/// the Size runs past the input, invalid_string_offset for an offset outside the block,
/// truncated for a field or string cut short; each at its offset.
[[nodiscard]] inline result<aux_block> decode_aux_block(reader& in) {
  const std::size_t at = in.offset();
  reader r = in;
  AUX_HEADER h;
  if (auto v = r.read_into("AUX_HEADER", h.Size, h.Version, h.Type); !v) return v.error();
  if (h.Size < AUX_HEADER::size) return error{errc::size_mismatch, at, "AUX_HEADER Size"};
  reader whole = in;
  auto block = whole.bytes(h.Size);
  if (!block) return error{errc::size_past_end, at, "AUX_HEADER Size"};
  aux_block out{h.Version, h.Type, aux_unknown{}};
  if (const aux_type_info* t = find_aux_type(h.Version, h.Type)) {
    result<void> status;
    boost::mp11::mp_with_index<std::variant_size_v<aux_block_data>>(t->alternative, [&](auto i) {
      using S = std::variant_alternative_t<i, aux_block_data>;
      if constexpr (!std::is_same_v<S, aux_unknown>) {
        auto s = detail::aux_decode_block<S>(*block, at);
        if (!s)
          status = s.error();
        else
          out.block = std::move(*s);
      }
    });
    if (!status) return status.error();
  } else {
    std::get<aux_unknown>(out.block).data.assign(block->begin() + AUX_HEADER::size, block->end());
  }
  in = whole;
  return out;
}

/// Decodes an auxiliary buffer (the payload of rgbAuxIn/rgbAuxOut): AUX blocks up to the end.
/// `base_offset` is where buffer[0] sits in the whole input:
/// `auto blocks = decode_aux_blocks(payload, 8);`. errc::limit_exceeded past `max_blocks`.
[[nodiscard]] inline result<std::vector<aux_block>> decode_aux_blocks(
    bytes_view buffer, std::size_t base_offset = 0, const aux_limits& limits = {}) {
  std::vector<aux_block> blocks;
  reader in(buffer, base_offset);
  while (!in.empty()) {
    if (blocks.size() == limits.max_blocks)
      return error{oxwire::errc::limit_exceeded, in.offset(), "AUX_HEADER count"};
    auto b = decode_aux_block(in);
    if (!b) return b.error();
    blocks.push_back(std::move(*b));
  }
  return blocks;
}

/// Writes one AUX_HEADER (Size computed) and its block. errc::invalid_argument (offset: where
/// the header would start) if the structure held is not the one (Version, Type) calls for, or
/// if a known (Version, Type) holds aux_unknown; limit_exceeded if the block passes 65535 bytes.
///   `encode_aux_block(w, {AUX_HEADER::AUX_VERSION_1, 0x0A, AUX_CLIENT_CONTROL{1, 0}});`
template <class Sink>
[[nodiscard]] result<void> encode_aux_block(basic_writer<Sink>& w, const aux_block& b) {
  const std::size_t start = w.size();
  const aux_type_info* t = find_aux_type(b.Version, b.Type);
  const std::size_t want = t ? t->alternative : detail::aux_alt<aux_unknown>;
  if (b.block.index() != want)
    return error{oxwire::errc::invalid_argument, start, "AUX_HEADER Type"};
  auto size_at = w.template reserve_at<std::uint16_t>("AUX_HEADER Size");
  if (!size_at) return size_at.error();
  if (auto r = w.template write<std::uint8_t>(b.Version, "AUX_HEADER Version"); !r) return r;
  if (auto r = w.template write<std::uint8_t>(b.Type, "AUX_HEADER Type"); !r) return r;
  result<void> status = std::visit(
      [&](const auto& s) -> result<void> {
        using S = std::remove_cvref_t<decltype(s)>;
        if constexpr (std::is_same_v<S, aux_unknown>)
          return w.write_bytes(s.data, "AUX block");
        else
          return detail::aux_encode_block(w, s);
      },
      b.block);
  if (!status) return status;
  const std::size_t size = w.size() - start;
  if (size > 0xFFFF) return error{oxwire::errc::limit_exceeded, start, "AUX_HEADER Size"};
  return w.template patch<std::uint16_t>(*size_at, static_cast<std::uint16_t>(size),
                                         "AUX_HEADER Size");
}

/// Appends every block to `out`: `encode_aux_blocks(blocks, payload);`.
[[nodiscard]] inline result<void> encode_aux_blocks(std::span<const aux_block> blocks,
                                                    std::vector<std::uint8_t>& out) {
  vector_writer w(out);
  for (const aux_block& b : blocks)
    if (auto r = encode_aux_block(w, b); !r) return r;
  return {};
}

}  // namespace oxwire::rpc
