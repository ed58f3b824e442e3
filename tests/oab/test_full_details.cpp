// MS-OXOAB 2.9: uncompressed OAB version 4 Full Details files, read and written.
#include <gtest/gtest.h>

#include <oxwire_test/assertions.hpp>

#include "oab_test.hpp"

namespace test_full_details {

using namespace oab_test;
using oxwire_test::fails_with;
using P = PropertyType;
namespace prop = mapi::prop;

using props = std::vector<oab::OAB_PROP_REC>;
const props hdr_atts{{prop::PidTagOfflineAddressBookName.tag(), 0}};
const props oab_atts{{prop::PidTagDisplayName.tag(), oab::OAB_PROP_REC::anr_index},
                     {prop::PidTagSmtpAddress.tag(), oab::OAB_PROP_REC::primary_key},
                     {prop::PidTagDisplayType.tag(), 0}};
const auto header_rec = record({0x80, 'G', 'A', 'L', 0});

// A small file assembled by hand from the structures of 2.9.1 to 2.9.6 (the spec gives no
// example bytes): "Ann" <a@b>, display type 0.
const std::vector<std::uint8_t> small_file = {
    0x20, 0, 0, 0, 0x78, 0x56, 0x34, 0x12, 1, 0, 0, 0,         // OAB_HDR
    0x2C, 0, 0, 0,                                             // OAB_META_DATA cbSize
    1, 0, 0, 0, 0x1F, 0, 0, 0x68, 0, 0, 0, 0,                  // rgHdrAtts:
                                                               // PidTagOfflineAddressBookName
    3, 0, 0, 0,                                                // rgOabAtts
    0x1F, 0, 0x01, 0x30, 1, 0, 0, 0,                           //   PidTagDisplayName, ANR
    0x1F, 0, 0xFE, 0x39, 2, 0, 0, 0,                           //   PidTagSmtpAddress, primary key
    0x03, 0, 0x00, 0x39, 0, 0, 0, 0,                           //   PidTagDisplayType
    9, 0, 0, 0, 0x80, 'G', 'A', 'L', 0,                        // header record
    14, 0, 0, 0, 0xE0, 'A', 'n', 'n', 0, 'a', '@', 'b', 0, 0,  // object record
};

TEST(OabFullDetails, ReadsHandAssembledFile) {
  EXPECT_EQ(file(hdr_atts, oab_atts,
                 {header_rec, record({0xE0, 'A', 'n', 'n', 0, 'a', '@', 'b', 0, 0})}, 1),
            small_file);
  const auto f = oab::decode_full_details(small_file);
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->ulSerial, 0x12345678u);
  EXPECT_EQ(f->rgHdrAtts, hdr_atts);
  EXPECT_EQ(f->rgOabAtts, oab_atts);
  EXPECT_EQ(f->header.get(prop::PidTagOfflineAddressBookName), u"GAL");
  ASSERT_EQ(f->records.size(), 1u);
  EXPECT_EQ(f->records[0].get(prop::PidTagDisplayName), u"Ann");
  EXPECT_EQ(f->records[0].get(prop::PidTagSmtpAddress), u"a@b");
  EXPECT_EQ(f->records[0].get(prop::PidTagDisplayType), 0);
  // ... and writes it back byte for byte.
  EXPECT_EQ(oab::encode_full_details(*f).value(), small_file);
}

TEST(OabFullDetails, ZeroCopyView) {
  const auto v = oab::full_details_view::parse(small_file);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->header().ulTotRecs, 1u);
  EXPECT_EQ(v->header_record().offset(), 56u);
  auto cur = v->records();
  const auto r = cur.next();
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->offset(), 65u);
  EXPECT_TRUE((*r)->present(0) && (*r)->present(2));
  std::vector<std::pair<std::size_t, std::size_t>> seen;  // (offset, size) of each value
  ASSERT_TRUE((*r)->for_each_value([&](const oab::value_ref& x) {
    seen.emplace_back(x.offset, x.encoded.size());
    // the value bytes are the file's own
    EXPECT_EQ(x.encoded.data(), small_file.data() + x.offset);
  }));
  EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, std::size_t>>{{70, 4}, {74, 4}, {78, 1}}));
  const auto end = cur.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
}

// MS-OXOAB 2.9.6.1: below 0x80 one byte, else 0x80 + the count of little-endian bytes.
TEST(OabFullDetails, IntegerEncoding) {
  const std::pair<std::int32_t, std::vector<std::uint8_t>> cases[] = {
      {0, {0x00}},
      {0x7F, {0x7F}},
      {0x80, {0x81, 0x80}},
      {0xFF, {0x81, 0xFF}},
      {0x1234, {0x82, 0x34, 0x12}},
      {0x123456, {0x83, 0x56, 0x34, 0x12}},
      {0x12345678, {0x84, 0x78, 0x56, 0x34, 0x12}},
      {-1, {0x84, 0xFF, 0xFF, 0xFF, 0xFF}},
  };
  for (const auto& [value, wire] : cases) {
    oab::full_details f;
    f.rgHdrAtts = {{prop::PidTagOfflineAddressBookSequence.tag(), 0}};
    f.header.set(prop::PidTagOfflineAddressBookSequence, value);
    const auto bytes = oab::encode_full_details(f).value();
    // OAB_HDR 12, metadata 4 + 12 + 4, header record cbSize 4 and presence 1
    const std::vector<std::uint8_t> tail(bytes.begin() + 37, bytes.end());
    EXPECT_EQ(tail, wire) << value;
    EXPECT_EQ(oab::decode_full_details(bytes).value(), f) << value;
  }
  // A longer encoding than needed still reads.
  const auto f = oab::decode_full_details(file({{prop::PidTagOfflineAddressBookSequence.tag(), 0}},
                                               {}, {record({0x80, 0x82, 5, 0})}, 0));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->header.get(prop::PidTagOfflineAddressBookSequence), 5);
}

TEST(OabFullDetails, RoundTripEveryType) {
  const auto f = generated(64);
  const auto bytes = oab::encode_full_details(f);
  ASSERT_TRUE(bytes) << bytes.error().message();
  const auto back = oab::decode_full_details(*bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, f);
  // The zero-copy path sees the same records.
  const auto v = oab::full_details_view::parse(*bytes).value();
  auto cur = v.records();
  for (const auto& want : f.records) {
    const auto r = cur.next();
    ASSERT_TRUE(r && *r);
    EXPECT_EQ((*r)->to_bag().value(), want);
    std::size_t n = 0;
    ASSERT_TRUE((*r)->for_each_value([&](const oab::value_ref& x) {
      const auto d = x.decode();
      ASSERT_TRUE(d);
      EXPECT_EQ(*want.find(x.prop.ulPropId), *d);
      ++n;
    }));
    EXPECT_EQ(n, want.size());
  }
  EXPECT_EQ(cur.remaining(), 0u);
}

TEST(OabFullDetails, ManyRecords) {
  const auto f = generated(5000);
  const auto bytes = oab::encode_full_details(f).value();
  EXPECT_EQ(oab::decode_full_details(bytes).value(), f);
  oab::limits lim;
  lim.max_records = 4999;
  EXPECT_TRUE(fails_with(oab::decode_full_details(bytes, lim), oxwire::errc::limit_exceeded, 8));
}

// MS-OXOAB 2.9.6.3: empty values are not encoded but marked absent.
TEST(OabFullDetails, EmptyValuesAreAbsent) {
  oab::full_details f;
  f.rgOabAtts = {{prop::PidTagDisplayName.tag(), 0},
                 {prop::PidTagAccount.tag().with_type(P::PtypString8), 0},
                 {property_tag::make(0x8C9E, P::PtypBinary), 0},
                 {property_tag::make(0x8CA0, P::PtypMultipleInteger32), 0}};
  auto& r = f.records.emplace_back();
  r.set(prop::PidTagDisplayName, u"");
  ASSERT_TRUE(r.set(f.rgOabAtts[1].ulPropId, mapi::property_value::make<P::PtypString8>("")));
  ASSERT_TRUE(r.set(f.rgOabAtts[2].ulPropId, mapi::property_value::make<P::PtypBinary>({})));
  ASSERT_TRUE(
      r.set(f.rgOabAtts[3].ulPropId, mapi::property_value::make<P::PtypMultipleInteger32>({})));
  f.records.emplace_back();  // nothing at all
  const auto bytes = oab::encode_full_details(f).value();
  // both records: cbSize 5, presence byte 0
  const std::vector<std::uint8_t> tail(bytes.end() - 10, bytes.end());
  EXPECT_EQ(tail, (std::vector<std::uint8_t>{5, 0, 0, 0, 0, 5, 0, 0, 0, 0}));
  const auto back = oab::decode_full_details(bytes).value();
  ASSERT_EQ(back.records.size(), 2u);
  EXPECT_TRUE(back.records[0].empty());
  EXPECT_TRUE(back.records[1].empty());
}

// --- decoder errors --------------------------------------------------------------------------

std::vector<std::uint8_t> with(std::vector<std::uint8_t> v, std::size_t at,
                               std::initializer_list<std::uint8_t> bytes) {
  std::copy(bytes.begin(), bytes.end(), v.begin() + static_cast<std::ptrdiff_t>(at));
  return v;
}

std::vector<std::uint8_t> one_record(std::initializer_list<std::uint8_t> body,
                                     const props& atts = oab_atts) {
  return file(hdr_atts, atts, {header_rec, record(body)}, 1);
}

TEST(OabFullDetails, HeaderErrors) {
  using oxwire::errc;
  const auto v = [](std::span<const std::uint8_t> b) { return oab::decode_full_details(b); };
  EXPECT_TRUE(fails_with(v(std::span(small_file).first(11)), errc::truncated, 8, "OAB_HDR"));
  EXPECT_TRUE(fails_with(v(with(small_file, 0, {7})), oab::errc::invalid_version, 0));
  EXPECT_TRUE(fails_with(v(with(small_file, 12, {11})), oab::errc::invalid_record_size, 12));
  EXPECT_TRUE(fails_with(v(with(small_file, 12, {0xFF})), errc::truncated, 16, "OAB_META_DATA"));
  // one more byte in the metadata than its tables take
  auto extra = small_file;
  extra[12] = 0x2D;
  extra.insert(extra.begin() + 56, 0);
  EXPECT_TRUE(fails_with(v(extra), oab::errc::trailing_data, 56));
  EXPECT_TRUE(fails_with(v(std::span(small_file).first(60)), errc::truncated, 60));
  // ulTotRecs larger than the bytes left could hold
  EXPECT_TRUE(fails_with(v(with(small_file, 8, {3})), mapi::errc::count_too_large, 8));
  // a record too few, then bytes after the last record
  EXPECT_TRUE(fails_with(v(with(small_file, 8, {0})), oab::errc::trailing_data, 65));
}

TEST(OabFullDetails, TableErrors) {
  const auto v = [](const std::vector<std::uint8_t>& b, oab::limits lim = {}) {
    return oab::decode_full_details(b, lim);
  };
  oab::limits lim;
  lim.max_properties = 2;
  EXPECT_TRUE(fails_with(v(small_file, lim), oxwire::errc::limit_exceeded, 28, "cAtts"));
  EXPECT_TRUE(fails_with(v(with(small_file, 28, {4})), mapi::errc::count_too_large, 28));
  // PtypInteger64 is not an OAB type (2.9.4)
  EXPECT_TRUE(fails_with(v(with(small_file, 40, {0x14})), oab::errc::unsupported_property_type, 40,
                         "ulPropId"));
  // PidTagSmtpAddress listed twice
  EXPECT_TRUE(fails_with(v(with(small_file, 32, {0x1F, 0, 0xFE, 0x39})),
                         oab::errc::duplicate_property, 40));
}

TEST(OabFullDetails, RecordErrors) {
  const auto v = [](const std::vector<std::uint8_t>& b, oab::limits lim = {}) {
    return oab::decode_full_details(b, lim);
  };
  // cbSize smaller than cbSize and the presence bits
  EXPECT_TRUE(fails_with(v(with(small_file, 65, {4})), oab::errc::invalid_record_size, 65));
  EXPECT_TRUE(fails_with(v(with(small_file, 65, {15})), oxwire::errc::truncated, 69));
  oab::limits lim;
  lim.max_record_size = 13;
  EXPECT_TRUE(fails_with(v(small_file, lim), oxwire::errc::limit_exceeded, 65, "cbSize"));
  // an unused presence bit set (three properties, bit 3 of 8)
  EXPECT_TRUE(fails_with(v(with(small_file, 69, {0xF0})), oab::errc::invalid_presence_bits, 69));
  // the primary key absent: an error unless the check is off
  const auto no_key = one_record({0xA0, 'A', 0, 0});
  EXPECT_TRUE(fails_with(v(no_key), oab::errc::missing_primary_key, 69));
  lim = {};
  lim.require_primary_keys = false;
  EXPECT_TRUE(v(no_key, lim));
  // bytes after the last value
  EXPECT_TRUE(fails_with(v(one_record({0x40, 'a', 0, 0})), oab::errc::trailing_data, 72));
}

TEST(OabFullDetails, ValueErrors) {
  const auto v = [](const std::vector<std::uint8_t>& b) { return oab::decode_full_details(b); };
  using oxwire::errc;
  // integer: 0x80 and 0x85 are no encoding; the bytes run out
  EXPECT_TRUE(fails_with(v(one_record({0x60, 'a', 0, 0x80})), oab::errc::invalid_integer, 72));
  EXPECT_TRUE(fails_with(v(one_record({0x60, 'a', 0, 0x85, 1, 2, 3, 4, 5})),
                         oab::errc::invalid_integer, 72));
  EXPECT_TRUE(fails_with(v(one_record({0x60, 'a', 0, 0x82, 1})), errc::truncated, 73));
  // strings: empty, unterminated, not UTF-8 (PtypString)
  EXPECT_TRUE(fails_with(v(one_record({0x40, 0})), oab::errc::empty_value, 70, "PtypString"));
  EXPECT_TRUE(fails_with(v(one_record({0x40, 'a'})), errc::truncated, 70));
  EXPECT_TRUE(fails_with(v(one_record({0x40, 'a', 0xFF, 0})), errc::invalid_utf8, 71));
  // boolean other than 0 or 1
  const props b_atts{{prop::PidTagSmtpAddress.tag(), 0},
                     {property_tag::make(0x8C6A, P::PtypBoolean), 0}};
  EXPECT_TRUE(fails_with(v(one_record({0x40, 2}, b_atts)), mapi::errc::invalid_boolean, 62));
  // (the tables below are shorter: the values start at 62 and 54)
  // binary longer than the record
  const props bin_atts{{property_tag::make(0x8C9E, P::PtypBinary), 0}};
  EXPECT_TRUE(fails_with(v(one_record({0x80, 3, 1, 2}, bin_atts)), errc::truncated, 55));
  // a value count larger than the bytes left; an empty string in a list
  const props mv_atts{{property_tag::make(0x8CA1, P::PtypMultipleString8), 0}};
  EXPECT_TRUE(
      fails_with(v(one_record({0x80, 3, 'a', 0}, mv_atts)), mapi::errc::count_too_large, 54));
  EXPECT_TRUE(fails_with(v(one_record({0x80, 2, 'a', 0, 0}, mv_atts)), oab::errc::empty_value, 57));
}

// --- encoder errors --------------------------------------------------------------------------

TEST(OabFullDetails, EncoderErrors) {
  oab::full_details f;
  f.rgOabAtts = {{prop::PidTagDisplayName.tag(), 0}};
  auto& r = f.records.emplace_back();      // the record starts at 36, its first value at 41
  r.set(prop::PidTagSmtpAddress, u"a@b");  // not in rgOabAtts
  EXPECT_TRUE(fails_with(oab::encode_full_details(f), oab::errc::property_not_in_table, 36));
  r = {};
  r.set(prop::PidTagDisplayName, std::u16string(u"a\0b", 3));
  EXPECT_TRUE(fails_with(oab::encode_full_details(f), oab::errc::embedded_nul, 41));
  r = {};
  (void)r.set(property_tag::make(0x8CA2, P::PtypMultipleString),
              mapi::property_value::make<P::PtypMultipleString>({u"x", u""}));
  f.rgOabAtts = {{property_tag::make(0x8CA2, P::PtypMultipleString), 0}};
  EXPECT_TRUE(fails_with(oab::encode_full_details(f), oab::errc::empty_value, 44));
  f.rgOabAtts = {{property_tag::make(0x8C00, P::PtypInteger64), 0}};
  EXPECT_TRUE(fails_with(oab::encode_full_details(f), oab::errc::unsupported_property_type, 0));
  f.rgOabAtts = {{prop::PidTagDisplayName.tag(), 0}, {prop::PidTagDisplayName.tag(), 0}};
  EXPECT_TRUE(fails_with(oab::encode_full_details(f), oab::errc::duplicate_property, 0));
  f.rgOabAtts = {{prop::PidTagDisplayName.tag(), oab::OAB_PROP_REC::primary_key}};
  r = {};
  EXPECT_TRUE(fails_with(oab::encode_full_details(f), oab::errc::missing_primary_key, 36));
  // a fixed buffer that is too small
  std::array<std::uint8_t, 8> small{};
  oxwire::writer w(small);
  EXPECT_TRUE(fails_with(oab::encode_full_details(w, oab::full_details{}),
                         oxwire::errc::buffer_too_small, 8));
}

}  // namespace test_full_details
