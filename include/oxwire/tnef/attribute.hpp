// oxwire — the TNEF stream's framing (MS-OXTNEF 2.1.3.1–2.1.3.3): signature, LegacyKey, and the
// attributes (Level, ID, Length, Data, Checksum) it is made of.
//
//   reader in(bytes);
//   auto key = decode_header(in);                      // signature checked, LegacyKey returned
//   while (!in.empty()) { auto a = decode_attribute(in, {}); ... a->ID, a->Data ... }
#pragma once

#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/detail/byte_sum_avx2.hpp>
#include <oxwire/detail/byte_sum_scalar.hpp>
#include <oxwire/detail/cpu.hpp>
#include <oxwire/tnef/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace oxwire::tnef {

/// MS-OXTNEF 2.1.3.1 TNEF signature.
inline constexpr std::uint32_t TNEF_SIGNATURE = 0x223E9F78;

/// MS-OXTNEF 2.1.3.3 attribute Level.
enum class attribute_level : std::uint8_t { LVL_MESSAGE = 0x01, LVL_ATTACHMENT = 0x02 };

/// MS-OXTNEF 2.1.3.3 attribute types: the high 16 bits of an attribute ID.
enum class attribute_type : std::uint16_t {
  atpTriples = 0x0000,
  atpString = 0x0001,
  atpText = 0x0002,
  atpDate = 0x0003,
  atpShort = 0x0004,
  atpLong = 0x0005,
  atpByte = 0x0006,
  atpWord = 0x0007,
  atpDword = 0x0008,
  atpMax = 0x0009,
};

/// MS-OXTNEF 2.1.3.3 attribute IDs (type in the high 16 bits, identifier in the low 16).
enum class attribute_id : std::uint32_t {
  attOwner = 0x00060000,
  attSentFor = 0x00060001,
  attDelegate = 0x00060002,
  attDateStart = 0x00030006,
  attDateEnd = 0x00030007,
  attAidOwner = 0x00050008,
  attRequestRes = 0x00040009,
  attFrom = 0x00008000,
  attSubject = 0x00018004,
  attDateSent = 0x00038005,
  attDateRecd = 0x00038006,
  attMessageStatus = 0x00068007,
  attMessageClass = 0x00078008,
  attMessageID = 0x00018009,
  attParentID = 0x0001800A,
  attConversationID = 0x0001800B,
  attBody = 0x0002800C,
  attPriority = 0x0004800D,
  attAttachData = 0x0006800F,
  attAttachTitle = 0x00018010,
  attAttachMetaFile = 0x00068011,
  attAttachCreateDate = 0x00038012,
  attAttachModifyDate = 0x00038013,
  attDateModified = 0x00038020,
  attAttachTransportFilename = 0x00069001,
  attAttachRenddata = 0x00069002,
  attMAPIProps = 0x00069003,
  attRecipTable = 0x00069004,
  attAttachment = 0x00069005,
  attTnefVersion = 0x00089006,
  attOemCodepage = 0x00069007,
  attOriginalMessageClass = 0x00070006,
};

/// The spec name of an attribute ID ("attSubject"), or "" for one the spec does not define.
[[nodiscard]] constexpr std::string_view attribute_name(std::uint32_t id) noexcept {
  switch (static_cast<attribute_id>(id)) {
#define OXWIRE_TNEF_ATT(n) \
  case attribute_id::n: return #n
    OXWIRE_TNEF_ATT(attOwner);
    OXWIRE_TNEF_ATT(attSentFor);
    OXWIRE_TNEF_ATT(attDelegate);
    OXWIRE_TNEF_ATT(attDateStart);
    OXWIRE_TNEF_ATT(attDateEnd);
    OXWIRE_TNEF_ATT(attAidOwner);
    OXWIRE_TNEF_ATT(attRequestRes);
    OXWIRE_TNEF_ATT(attFrom);
    OXWIRE_TNEF_ATT(attSubject);
    OXWIRE_TNEF_ATT(attDateSent);
    OXWIRE_TNEF_ATT(attDateRecd);
    OXWIRE_TNEF_ATT(attMessageStatus);
    OXWIRE_TNEF_ATT(attMessageClass);
    OXWIRE_TNEF_ATT(attMessageID);
    OXWIRE_TNEF_ATT(attParentID);
    OXWIRE_TNEF_ATT(attConversationID);
    OXWIRE_TNEF_ATT(attBody);
    OXWIRE_TNEF_ATT(attPriority);
    OXWIRE_TNEF_ATT(attAttachData);
    OXWIRE_TNEF_ATT(attAttachTitle);
    OXWIRE_TNEF_ATT(attAttachMetaFile);
    OXWIRE_TNEF_ATT(attAttachCreateDate);
    OXWIRE_TNEF_ATT(attAttachModifyDate);
    OXWIRE_TNEF_ATT(attDateModified);
    OXWIRE_TNEF_ATT(attAttachTransportFilename);
    OXWIRE_TNEF_ATT(attAttachRenddata);
    OXWIRE_TNEF_ATT(attMAPIProps);
    OXWIRE_TNEF_ATT(attRecipTable);
    OXWIRE_TNEF_ATT(attAttachment);
    OXWIRE_TNEF_ATT(attTnefVersion);
    OXWIRE_TNEF_ATT(attOemCodepage);
    OXWIRE_TNEF_ATT(attOriginalMessageClass);
#undef OXWIRE_TNEF_ATT
  }
  return {};
}

/// The attribute an ID names: the ID itself when the spec defines it; for an ID with type 0 that
/// it does not define (some writers leave the type out), the attribute with that identifier (low
/// 16 bits), if exactly one has it. Other IDs are returned unchanged.
[[nodiscard]] constexpr std::uint32_t canonical_id(std::uint32_t id) noexcept {
  if ((id >> 16) != 0) return id;  // defined or not, an ID with its type stands
  constexpr attribute_id all[] = {
      attribute_id::attOwner,
      attribute_id::attSentFor,
      attribute_id::attDelegate,
      attribute_id::attDateStart,
      attribute_id::attDateEnd,
      attribute_id::attAidOwner,
      attribute_id::attRequestRes,
      attribute_id::attFrom,
      attribute_id::attSubject,
      attribute_id::attDateSent,
      attribute_id::attDateRecd,
      attribute_id::attMessageStatus,
      attribute_id::attMessageClass,
      attribute_id::attMessageID,
      attribute_id::attParentID,
      attribute_id::attConversationID,
      attribute_id::attBody,
      attribute_id::attPriority,
      attribute_id::attAttachData,
      attribute_id::attAttachTitle,
      attribute_id::attAttachMetaFile,
      attribute_id::attAttachCreateDate,
      attribute_id::attAttachModifyDate,
      attribute_id::attDateModified,
      attribute_id::attAttachTransportFilename,
      attribute_id::attAttachRenddata,
      attribute_id::attMAPIProps,
      attribute_id::attRecipTable,
      attribute_id::attAttachment,
      attribute_id::attTnefVersion,
      attribute_id::attOemCodepage,
      attribute_id::attOriginalMessageClass,
  };
  std::uint32_t found = id;
  int matches = 0;
  for (const attribute_id a : all) {
    const auto full = static_cast<std::uint32_t>(a);
    if ((full & 0xFFFF) == id) found = full, ++matches;
  }
  return matches == 1 ? found : id;
}

/// MS-OXTNEF 2.1.3.3 Checksum: the sum of the data bytes, modulo 65536 (AVX2 when the CPU has
/// it).
[[nodiscard]] inline std::uint16_t checksum(bytes_view data) noexcept {
#if OXWIRE_X86
  if (oxwire::detail::best_isa() == oxwire::detail::isa::avx2)
    return static_cast<std::uint16_t>(oxwire::detail::byte_sum_avx2(data.data(), data.size()));
#endif
  return static_cast<std::uint16_t>(oxwire::detail::byte_sum_scalar(data.data(), data.size()));
}

/// One attribute as it stands in the stream; Data points into the input.
struct attribute_view {
  attribute_level Level{};
  std::uint32_t ID = 0;  // as written; canonical_id(ID) names the attribute
  bytes_view Data{};
  std::uint16_t Checksum = 0;
  std::size_t offset = 0;       // of the Level byte
  std::size_t data_offset = 0;  // of Data[0]
};

struct attribute_options {
  /// false: a Checksum that does not match, or one missing at the very end of the stream, is not
  /// an error (some writers get it wrong).
  bool verify_checksums = true;
};

/// MS-OXTNEF 2.1.3.1: TNEF signature, then LegacyKey, which is returned.
[[nodiscard]] inline result<std::uint16_t> decode_header(reader& in) noexcept {
  if (auto r = in.peek<std::uint32_t>("Signature"); !r) return r.error();
  if (auto r = in.expect<std::uint32_t>(TNEF_SIGNATURE, "Signature"); !r) [[unlikely]]
    return error{errc::invalid_signature, in.offset(), "Signature"};
  return in.read<std::uint16_t>("LegacyKey");
}

/// MS-OXTNEF 2.1.3.3 one attribute: Level, ID, Length, Data, Checksum.
[[nodiscard]] inline result<attribute_view> decode_attribute(reader& in,
                                                             const attribute_options& opts) {
  attribute_view a;
  a.offset = in.offset();
  std::uint8_t level = 0;
  std::uint32_t length = 0;
  if (auto r = in.read_into("attribute", level, a.ID, length); !r) [[unlikely]]
    return r.error();
  if (level != 0x01 && level != 0x02) [[unlikely]]
    return error{errc::invalid_level, a.offset, "Level"};
  a.Level = static_cast<attribute_level>(level);
  a.data_offset = in.offset();
  if (length > in.remaining()) [[unlikely]]
    return error{errc::length_past_end, a.offset + 5, "Length"};
  a.Data = *in.bytes(length);
  if (!opts.verify_checksums && in.empty()) return a;
  auto sum = in.read<std::uint16_t>("Checksum");
  if (!sum) [[unlikely]]
    return sum.error();
  a.Checksum = *sum;
  if (opts.verify_checksums && checksum(a.Data) != a.Checksum) [[unlikely]]
    return error{errc::checksum_mismatch, in.offset() - 2, "Checksum"};
  return a;
}

template <class Sink>
[[nodiscard]] result<void> encode_header(basic_writer<Sink>& w, std::uint16_t legacy_key) {
  if (auto r = w.template write<std::uint32_t>(TNEF_SIGNATURE, "Signature"); !r) return r;
  return w.template write<std::uint16_t>(legacy_key, "LegacyKey");
}

/// Writes one attribute with its checksum.
template <class Sink>
[[nodiscard]] result<void> encode_attribute(basic_writer<Sink>& w, attribute_level level,
                                            attribute_id id, bytes_view data) {
  if (data.size() > 0xFFFFFFFFu) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), "Length"};
  if (auto r = w.template write<std::uint8_t>(static_cast<std::uint8_t>(level), "Level"); !r)
    return r;
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(id), "ID"); !r) return r;
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(data.size()), "Length");
      !r)
    return r;
  if (auto r = w.write_bytes(data, "Data"); !r) return r;
  return w.template write<std::uint16_t>(checksum(data), "Checksum");
}

}  // namespace oxwire::tnef
