// MS-OXCRPC 2.2.2.2 AUX_HEADER and auxiliary block structures: hand-made blocks byte for byte,
// every (Version, Type) of the type table round-tripped, strings located by offsets, and every
// error path with its offset.
#include <gtest/gtest.h>
#include <oxwire/rpc.hpp>  // the umbrella, compiled here
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <vector>

namespace test_aux {

using bytes = std::vector<std::uint8_t>;
using oxwire_test::fails_with;
namespace rpc = oxwire::rpc;
using rpc::errc;

bytes encode(const std::vector<rpc::aux_block>& blocks) {
  bytes out;
  EXPECT_TRUE(rpc::encode_aux_blocks(blocks, out));
  return out;
}

const oxwire::guid g1 = oxwire::guid::from_string("{00020329-0000-0000-C000-000000000046}");

TEST(Aux, ClientControlByteForByte) {
  OXWIRE_REQ("MS-OXCRPC_R47", "MS-OXCRPC_R48", "MS-OXCRPC_R52");
  // Size 12, AUX_VERSION_1, AUX_TYPE_CLIENT_CONTROL, EnableFlags 1, ExpiryTime 300000 ms
  const bytes wire{0x0c, 0x00, 0x01, 0x0a, 0x01, 0x00, 0x00, 0x00, 0xe0, 0x93, 0x04, 0x00};
  const auto blocks = rpc::decode_aux_blocks(wire);
  ASSERT_TRUE(blocks) << blocks.error().message();
  ASSERT_EQ(blocks->size(), 1u);
  EXPECT_EQ((*blocks)[0].Version, 1);
  EXPECT_EQ((*blocks)[0].Type, 0x0a);
  const auto* cc = std::get_if<rpc::AUX_CLIENT_CONTROL>(&(*blocks)[0].block);
  ASSERT_NE(cc, nullptr);
  EXPECT_EQ(cc->EnableFlags, 1u);
  EXPECT_EQ(cc->ExpiryTime, 300000u);
  EXPECT_EQ(encode(*blocks), wire);
}

// AUX_PERF_CLIENTINFO: 28 fixed bytes after the header, so variable data starts at 32.
const bytes clientinfo_wire{
    0x2a, 0x00, 0x01, 0x02,  // AUX_HEADER: Size 42, version 1, AUX_TYPE_PERF_CLIENTDINFO
    0x40, 0x42, 0x0f, 0x00,  // AdapterSpeed 1000000
    0x07, 0x00,              // ClientID 7
    0x20, 0x00,              // MachineNameOffset 32
    0x00, 0x00,              // UserNameOffset 0: absent
    0x04, 0x00, 0x26, 0x00,  // ClientIPSize 4, ClientIPOffset 38
    0x00, 0x00, 0x00, 0x00,  // ClientIPMaskSize 0, ClientIPMaskOffset 0
    0x00, 0x00,              // AdapterNameOffset 0
    0x00, 0x00, 0x00, 0x00,  // MacAddressSize 0, MacAddressOffset 0
    0x01, 0x00,              // ClientMode 1 (CLIENTMODE_CLASSIC)
    0x00, 0x00,              // Reserved
    'P',  0x00, 'C',  0x00, 0x00, 0x00,  // MachineName "PC"
    0xc0, 0xa8, 0x00, 0x01,              // ClientIP 192.168.0.1
};

TEST(Aux, ClientInfoStringsByOffset) {
  OXWIRE_REQ("MS-OXCRPC_R111", "MS-OXCRPC_R133");
  const auto blocks = rpc::decode_aux_blocks(clientinfo_wire);
  ASSERT_TRUE(blocks) << blocks.error().message();
  const auto& ci = std::get<rpc::AUX_PERF_CLIENTINFO>((*blocks)[0].block);
  EXPECT_EQ(ci.AdapterSpeed, 1000000u);
  EXPECT_EQ(ci.ClientID, 7);
  EXPECT_EQ(ci.MachineName.value, std::u16string(u"PC"));
  EXPECT_FALSE(ci.UserName.value);
  EXPECT_EQ(ci.ClientIP.value, (bytes{0xc0, 0xa8, 0x00, 0x01}));
  EXPECT_FALSE(ci.ClientIPMask.value);
  EXPECT_FALSE(ci.MacAddress.value);
  EXPECT_EQ(ci.ClientMode, 1);
  EXPECT_EQ(encode(*blocks), clientinfo_wire);
}

TEST(Aux, StringsAnywhereInTheBlockDecode) {
  // ServerDN (8-bit) placed after ServerName, and an empty present string.
  const bytes wire{0x16, 0x00, 0x01, 0x03,              // Size 22, AUX_TYPE_PERF_SERVERINFO
                   0x01, 0x00, 0x01, 0x00,              // ServerID 1, ServerType 1
                   0x12, 0x00, 0x0c, 0x00,              // ServerDNOffset 18, ServerNameOffset 12
                   'E',  0x00, 'X',  0x00, 0x00, 0x00,  // ServerName "EX"
                   '/',  'o',  0x00, 0x00};             // ServerDN "/o", one pad byte
  const auto blocks = rpc::decode_aux_blocks(wire);
  ASSERT_TRUE(blocks) << blocks.error().message();
  const auto& si = std::get<rpc::AUX_PERF_SERVERINFO>((*blocks)[0].block);
  EXPECT_EQ(si.ServerDN.value, std::string("/o"));
  EXPECT_EQ(si.ServerName.value, std::u16string(u"EX"));
  // re-encoded in canonical layout (field order, no padding), which decodes to the same
  const bytes canonical = encode(*blocks);
  EXPECT_EQ(canonical.size(), 4u + 8u + 3u + 6u);
  EXPECT_EQ(rpc::decode_aux_blocks(canonical).value(), *blocks);
}

TEST(Aux, EveryTypeRoundTrips) {
  OXWIRE_REQ("MS-OXCRPC_R55", "MS-OXCRPC_R56");
  for (const auto& t : rpc::aux_types) {
    SCOPED_TRACE(t.name);
    rpc::aux_block b{t.version, t.type, rpc::aux_unknown{}};
    boost::mp11::mp_with_index<std::variant_size_v<rpc::aux_block_data>>(
        t.alternative, [&](auto i) { b.block.emplace<i>(); });
    // fill a few fields so that the round trip is not trivially all zeros
    std::visit(
        [](auto& s) {
          using S = std::remove_cvref_t<decltype(s)>;
          if constexpr (!std::is_same_v<S, rpc::aux_unknown>) {
            std::uint8_t k = 1;
            oxwire::rpc::detail::aux_for_each_field<S>([&](auto d) {
              auto& f = s.*d.pointer;
              using T = std::remove_cvref_t<decltype(f)>;
              if constexpr (std::is_integral_v<T>)
                f = static_cast<T>(k * 0x0101u);
              else if constexpr (std::is_same_v<T, oxwire::guid>)
                f = g1;
              else if constexpr (std::is_same_v<T, rpc::aux_unicode_string>)
                f.value = std::u16string(k, u'\u00e9');
              else if constexpr (std::is_same_v<T, rpc::aux_ascii_string>)
                f.value = std::string(k, 'a');
              else if constexpr (std::is_same_v<T, rpc::aux_byte_array>)
                f.value = bytes(k, k);
              else
                f[0] = k;
              ++k;
            });
          }
        },
        b.block);
    const bytes wire = encode({b});
    EXPECT_EQ(wire[0] | wire[1] << 8, wire.size());
    const auto back = rpc::decode_aux_blocks(wire);
    ASSERT_TRUE(back) << back.error().message();
    ASSERT_EQ(back->size(), 1u);
    EXPECT_TRUE((*back)[0] == b);
  }
}

TEST(Aux, FixedSizes) {
  EXPECT_EQ(rpc::detail::aux_fixed_size<rpc::AUX_OSVERSIONINFO>, 4u * 4 + 132 + 2 + 2 + 4);
  EXPECT_EQ(rpc::detail::aux_fixed_size<rpc::AUX_PERF_CLIENTINFO>, 28u);
  EXPECT_EQ(rpc::detail::aux_fixed_size<rpc::AUX_PERF_FAILURE_V2>, 6u * 2 + 3 * 4 + 1 + 3);
  EXPECT_EQ(rpc::detail::aux_fixed_size<rpc::AUX_CLIENT_CONNECTION_INFO>, 26u);
  EXPECT_EQ(rpc::detail::aux_fixed_size<rpc::AUX_PROTOCOL_DEVICE_IDENTIFICATION>, 10u);
}

TEST(Aux, UnknownTypeKeptRaw) {
  const bytes wire{0x07, 0x00, 0x01, 0x7f,
                   0xde, 0xad, 0x01,         // version 1 type 0x7F: not in the table
                   0x04, 0x00, 0x03, 0x01};  // version 3: unknown, empty body
  const auto blocks = rpc::decode_aux_blocks(wire);
  ASSERT_TRUE(blocks);
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ(std::get<rpc::aux_unknown>((*blocks)[0].block).data, (bytes{0xde, 0xad, 0x01}));
  EXPECT_TRUE(std::get<rpc::aux_unknown>((*blocks)[1].block).data.empty());
  EXPECT_EQ(encode(*blocks), wire);
}

TEST(Aux, SequenceWithOffsetsOfLaterBlocks) {
  bytes wire{0x0c, 0x00, 0x01, 0x0a, 0x01, 0x00, 0x00, 0x00, 0xe0, 0x93, 0x04, 0x00};
  wire.insert(wire.end(), clientinfo_wire.begin(), clientinfo_wire.end());
  const auto blocks = rpc::decode_aux_blocks(wire);
  ASSERT_TRUE(blocks);
  EXPECT_EQ(blocks->size(), 2u);
  EXPECT_EQ(encode(*blocks), wire);
  // a bad string in the second block: its offset is absolute (12 + 10 = MachineNameOffset)
  bytes bad = wire;
  bad[12 + 10] = 0x2a;  // 42: one past the block
  EXPECT_TRUE(
      fails_with(rpc::decode_aux_blocks(bad), errc::invalid_string_offset, 22, "MachineName"));
  EXPECT_TRUE(fails_with(rpc::decode_aux_blocks(bad, 100), errc::invalid_string_offset, 122));
}

TEST(Aux, Errors) {
  using oxwire::errc;
  // header cut short; Size below 4; Size past the end
  EXPECT_TRUE(fails_with(rpc::decode_aux_blocks(bytes{0x04, 0x00, 0x01}), errc::truncated, 3,
                         "AUX_HEADER"));
  EXPECT_TRUE(fails_with(rpc::decode_aux_blocks(bytes{0x03, 0x00, 0x01, 0x0a}),
                         rpc::errc::size_mismatch, 0));
  EXPECT_TRUE(fails_with(rpc::decode_aux_blocks(bytes{0x0c, 0x00, 0x01, 0x0a, 0x01}),
                         rpc::errc::size_past_end, 0, "AUX_HEADER Size"));
  // a fixed-size block with another size
  EXPECT_TRUE(fails_with(rpc::decode_aux_blocks(bytes{0x09, 0x00, 0x01, 0x17, 1, 2, 3, 4, 5}),
                         rpc::errc::size_mismatch, 0, "AUX_HEADER Size"));
  // a block too short for its fixed fields (with variable data, so no exact size)
  EXPECT_TRUE(fails_with(rpc::decode_aux_blocks(bytes{0x06, 0x00, 0x01, 0x03, 1, 0}),
                         errc::truncated, 6, "ServerType"));
  // a string offset into the header, past the block, and a string without its NUL
  bytes s = clientinfo_wire;
  s[10] = 0x02;
  EXPECT_TRUE(
      fails_with(rpc::decode_aux_blocks(s), rpc::errc::invalid_string_offset, 10, "MachineName"));
  s = clientinfo_wire;
  s[36] = 'X';  // the terminator of "PC" becomes a character; no NUL unit follows
  s[37] = 'X';
  s[38] = 'Y';
  s[39] = 'Y';
  s[40] = 'Z';
  s[41] = 'Z';
  EXPECT_TRUE(fails_with(rpc::decode_aux_blocks(s), errc::truncated, 32, "MachineName"));
  // byte array past the block; a size without an offset
  s = clientinfo_wire;
  s[14] = 0x05;
  EXPECT_TRUE(
      fails_with(rpc::decode_aux_blocks(s), rpc::errc::invalid_string_offset, 16, "ClientIP"));
  s = clientinfo_wire;
  s[18] = 0x01;
  EXPECT_TRUE(
      fails_with(rpc::decode_aux_blocks(s), rpc::errc::invalid_string_offset, 20, "ClientIPMask"));
  // block count limit
  const bytes two{0x04, 0x00, 0x03, 0x01, 0x04, 0x00, 0x03, 0x01};
  EXPECT_TRUE(
      fails_with(rpc::decode_aux_blocks(two, 0, {.max_blocks = 1}), errc::limit_exceeded, 4));
}

TEST(Aux, EncodeErrors) {
  bytes out;
  oxwire::vector_writer w(out);
  // AUX_TYPE_CLIENT_CONTROL holding another structure
  EXPECT_TRUE(fails_with(rpc::encode_aux_block(w, {1, 0x0a, rpc::AUX_EXORGINFO{}}),
                         oxwire::errc::invalid_argument, 0));
  EXPECT_TRUE(fails_with(rpc::encode_aux_block(w, {1, 0x0a, rpc::aux_unknown{}}),
                         oxwire::errc::invalid_argument, 0));
  EXPECT_TRUE(fails_with(rpc::encode_aux_block(w, {9, 0x0a, rpc::AUX_CLIENT_CONTROL{}}),
                         oxwire::errc::invalid_argument, 0));
  // a string that makes the block longer than Size can say
  rpc::AUX_SERVER_SESSION_INFO big;
  big.ServerSessionContextInfo.value = std::u16string(40000, u'x');
  EXPECT_TRUE(
      fails_with(rpc::encode_aux_block(w, {1, 0x4b, big}), oxwire::errc::limit_exceeded, 4));
  std::array<std::uint8_t, 6> small{};
  oxwire::writer fixed(small);
  EXPECT_TRUE(fails_with(rpc::encode_aux_block(fixed, {1, 0x0a, rpc::AUX_CLIENT_CONTROL{}}),
                         oxwire::errc::buffer_too_small, 4));
}

}  // namespace test_aux
