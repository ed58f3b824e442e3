// MS-OXCROPS 2.2.1 ROP buffers: RopSize, the ROPs, the handle table; requests and responses
// decoded to typed ROPs and encoded back byte for byte; the framing errors with their offsets;
// the openchange RopQueryRows rows of ../shared/corpus/rop.
#include <gtest/gtest.h>

#include "oxwire_test/shared.hpp"
#include "rop_sample.hpp"

namespace test_rop_buffer {

using namespace oxwire_test;
using mapi::property_tag;
using mapi::PropertyType;
using oxwire::rop::errc;

std::vector<std::uint8_t> hex(std::string_view h) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < h.size();) {
    if (h[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(h.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

// RopLogon, RopGetPropertiesSpecific, RopSetColumns, RopQueryRows, RopRelease.
request_buffer sample_requests() {
  request::RopLogon logon;
  logon.LogonFlags = 0x01;  // Private
  logon.OpenFlags = 0x01000000;
  logon.Essdn = "/o=First Organization/ou=Exchange Administrative Group/cn=Recipients/cn=user";
  request::RopGetPropertiesSpecific props;
  props.InputHandleIndex = 0;
  props.PropertySizeLimit = 0;
  props.WantUnicode = 1;
  props.PropertyTags = {property_tag{0x0037001F}, property_tag{0x0E080003}};
  request::RopSetColumns cols;
  cols.InputHandleIndex = 1;
  cols.PropertyTags = {property_tag{0x0E080003}, property_tag{0x0037001F}};
  request::RopQueryRows rows;
  rows.InputHandleIndex = 1;
  rows.ForwardRead = 1;
  rows.RowCount = 50;
  request::RopRelease release;
  release.InputHandleIndex = 1;
  request_buffer b{{logon, props, cols, rows, release}, {0xFFFFFFFF, 0x00000012}};
  for (auto& r : b.rops) EXPECT_TRUE(fill_counts(r));
  return b;
}

TEST(RopBuffer, RequestRoundTrip) {
  const request_buffer b = sample_requests();
  auto bytes = encode_request_buffer(b);
  ASSERT_TRUE(bytes) << bytes.error().message();
  // RopSize counts itself and the ROPs; the handle table follows.
  const std::size_t rop_size = (*bytes)[0] | ((*bytes)[1] << 8);
  EXPECT_EQ(bytes->size(), rop_size + 8);
  auto d = decode_request_buffer(*bytes);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_TRUE(*d == b);
  ASSERT_EQ(d->rops.size(), 5u);
  EXPECT_EQ(rop_name(d->rops[0]), "RopLogon");
  EXPECT_EQ(rop_name(d->rops[4]), "RopRelease");
  EXPECT_EQ(d->handles, (std::vector<std::uint32_t>{0xFFFFFFFF, 0x12}));
  auto again = encode_request_buffer(*d);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *bytes);
}

response_buffer sample_responses() {
  response::RopLogon_success_private_mailbox logon;
  logon.LogonFlags = 0x01;
  logon.LogonTime = {1, 2, 3, 4, 5, 6, 2024};
  response::RopGetPropertiesSpecific_success props;
  props.RowData.Flag = mapi::row_flag::flagged;
  props.RowData.ValueArray = {{PropertyType::PtypString, mapi::value_flag::present,
                               mapi::property_value::make<PropertyType::PtypString>(u"Hello")},
                              {PropertyType::PtypInteger32, mapi::value_flag::error,
                               mapi::property_value::make<PropertyType::PtypErrorCode>(
                                   static_cast<gen::mapi::ErrorCode>(0x8004010F))}};
  response::RopSetColumns_success cols;
  cols.InputHandleIndex = 1;
  response::RopQueryRows_success rows;
  rows.InputHandleIndex = 1;
  rows.Origin = 2;
  rows.RowData = {{mapi::row_flag::standard,
                   {{PropertyType::PtypInteger32, mapi::value_flag::present,
                     mapi::property_value::make<PropertyType::PtypInteger32>(42)},
                    {PropertyType::PtypString, mapi::value_flag::present,
                     mapi::property_value::make<PropertyType::PtypString>(u"Row")}}}};
  response::RopPending pending;  // unsolicited, between the answers
  pending.SessionIndex = 3;
  response_buffer b{{logon, props, cols, pending, rows}, {0x00000001, 0x00000012}};
  for (auto& r : b.rops) EXPECT_TRUE(fill_counts(r));
  return b;
}

TEST(RopBuffer, ResponseRoundTripWithRequestColumns) {
  const request_buffer req = sample_requests();
  const response_buffer b = sample_responses();
  auto bytes = encode_response_buffer(b, req.rops);
  ASSERT_TRUE(bytes) << bytes.error().message();
  auto d = decode_response_buffer(*bytes, req.rops);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_TRUE(*d == b);
  EXPECT_EQ(rop_name(d->rops[3]), "RopPending");
  const auto& rows = get<response::RopQueryRows_success>(d->rops[4]);
  EXPECT_EQ(*rows.RowData[0].ValueArray[0].value.get_if<PropertyType::PtypInteger32>(), 42);
  auto again = encode_response_buffer(*d, req.rops);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *bytes);

  // Without the requests the property row's columns are unknown.
  EXPECT_TRUE(
      fails_with(decode_response_buffer(*bytes), errc::columns_unknown, 2 + 166 + 6, "RowData"));
}

TEST(RopBuffer, FramingErrors) {
  // RopSize past the end, RopSize below 2.
  EXPECT_TRUE(fails_with(decode_request_buffer(hex("0600 01 00 00")), errc::invalid_rop_size, 0));
  EXPECT_TRUE(fails_with(decode_request_buffer(hex("0100")), errc::invalid_rop_size, 0));
  EXPECT_TRUE(fails_with(decode_request_buffer(hex("01")), oxwire::errc::truncated, 0));
  // A RopId no request has (0x2A RopNotify is response-only; 0x84 is not assigned).
  EXPECT_TRUE(fails_with(decode_request_buffer(hex("0300 2A")), errc::unknown_rop_id, 2));
  EXPECT_TRUE(
      fails_with(decode_request_buffer(hex("0600 01 00 00 84 FFFFFFFF")), errc::unknown_rop_id, 5));
  // RopRelease cut by RopSize: the ROP may not run into the handle table.
  EXPECT_TRUE(fails_with(decode_request_buffer(hex("0400 01 00 00 FFFFFF")),
                         oxwire::errc::truncated, 4, "InputHandleIndex"));
  // InputHandleIndex 1 with one handle in the table.
  EXPECT_TRUE(fails_with(decode_request_buffer(hex("0500 01 00 01 FFFFFFFF")),
                         errc::handle_index_out_of_range, 4, "InputHandleIndex"));
  // Handle table not a whole number of uint32.
  EXPECT_TRUE(fails_with(decode_request_buffer(hex("0500 01 00 00 FFFFFFFF 00")),
                         errc::handle_table_misaligned, 9));
  // RopGetPropertiesSpecific with PropertyTagCount 0x4000: far past the end.
  EXPECT_TRUE(
      fails_with(decode_request_buffer(hex("0F00 07 00 00 0000 0100 0040 1F003700 00000000")),
                 mapi::errc::count_too_large, 11, "PropertyTags"));
}

TEST(RopBuffer, ResponseMustAnswerItsRequest) {
  const request_buffer req = sample_requests();
  // A RopOpenFolder failure response where RopLogon's answer belongs.
  EXPECT_TRUE(fails_with(decode_response_buffer(hex("0800 02 00 05400780 00000000"), req.rops),
                         errc::unexpected_response, 2));
  // A lone RopBufferTooSmall is unsolicited: it answers no request.
  auto d = decode_response_buffer(hex("0700 FF 1000 0102"), req.rops);
  ASSERT_TRUE(d) << d.error().message();
  const auto& small = get<response::RopBufferTooSmall>(d->rops[0]);
  EXPECT_EQ(small.SizeNeeded, 0x10);
  EXPECT_EQ(small.RequestBuffers, (std::vector<std::uint8_t>{1, 2}));
}

TEST(RopBuffer, LogonResponseVariantByReturnValueAndFlags) {
  // MS-OXCROPS 2.2.3.1.4 RopLogon redirect: ReturnValue 0x478 (WrongServer), ServerName.
  auto d = decode_response_buffer(hex("0F00 FE 00 78040000 00 05 73727631 00 FFFFFFFF"));
  ASSERT_TRUE(d) << d.error().message();
  const auto& r = get<response::RopLogon_redirect>(d->rops[0]);
  EXPECT_EQ(r.ServerName, "srv1");
  // A failure: three fields only.
  auto f = decode_response_buffer(hex("0800 FE 00 05400780 FFFFFFFF"));
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_TRUE(holds_alternative<response::RopLogon_failure>(f->rops[0]));
}

// ../shared/corpus/rop: RopQueryRows RowData from openchange's mapitest (see its MANIFEST.md).
struct corpus_rows {
  std::vector<std::uint8_t> buffer;
  std::optional<response_buffer> decoded;
};

corpus_rows corpus_query_rows(const std::filesystem::path& file, std::uint16_t row_count) {
  const auto data = read_file(file);
  corpus_rows c;
  // RopSize, RopId 0x15, InputHandleIndex 0, ReturnValue 0, Origin 0, RowCount, RowData;
  // then a one-handle table.
  const std::size_t rop_size = 2 + 9 + data.size();
  // Written through a vector_writer: g++ 12 warns (-Warray-bounds) on a vector assigned from an
  // initializer list and then grown by insert, a false positive.
  vector_writer w(c.buffer);
  EXPECT_TRUE(w.write<std::uint16_t>(static_cast<std::uint16_t>(rop_size)));
  EXPECT_TRUE(w.write<std::uint8_t>(0x15));        // RopId RopQueryRows
  EXPECT_TRUE(w.write<std::uint8_t>(0));           // InputHandleIndex
  EXPECT_TRUE(w.write<std::uint32_t>(0));          // ReturnValue
  EXPECT_TRUE(w.write<std::uint8_t>(0));           // Origin
  EXPECT_TRUE(w.write<std::uint16_t>(row_count));  // RowCount
  EXPECT_TRUE(w.write_bytes(data));
  EXPECT_TRUE(w.write<std::uint32_t>(1));  // the one handle
  static constexpr std::array<property_tag, 2> columns{property_tag{0x0C1A001E},
                                                       property_tag{0x1000001E}};
  auto d = decode_response_buffer(c.buffer, {}, {.table_columns = columns});
  EXPECT_TRUE(d) << d.error().message();
  if (d) {
    c.decoded = std::move(*d);
    auto again = encode_response_buffer(*c.decoded, {}, {.table_columns = columns});
    EXPECT_TRUE(again);
    if (again) {
      EXPECT_EQ(*again, c.buffer);
    }
  }
  return c;
}

TEST(RopCorpus, QueryRowsStandardRows) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/rop");
  auto c = corpus_query_rows(dir / "openchange/QueryRows_RowData_standard_rows.bin", 10);
  ASSERT_TRUE(c.decoded);
  const auto& q = get<response::RopQueryRows_success>(c.decoded->rops.at(0));
  ASSERT_EQ(q.RowData.size(), 10u);
  const int order[] = {8, 9, 7, 6, 4, 5, 3, 1, 2, 0};
  for (std::size_t i = 0; i < 10; ++i) {
    const auto& row = q.RowData[i];
    EXPECT_EQ(row.Flag, mapi::row_flag::standard);
    const auto* sender = row.ValueArray[0].value.get_if<PropertyType::PtypString8>();
    const auto* body = row.ValueArray[1].value.get_if<PropertyType::PtypString8>();
    ASSERT_TRUE(sender && body);
    EXPECT_TRUE(sender->starts_with("MT Dummy")) << *sender;
    EXPECT_EQ(*body, "Body of message " + std::to_string(order[i]));
  }
}

TEST(RopCorpus, QueryRowsFlaggedRows) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/rop");
  auto c = corpus_query_rows(dir / "openchange/QueryRows_RowData_flagged_rows.bin", 16);
  ASSERT_TRUE(c.decoded);
  const auto& q = get<response::RopQueryRows_success>(c.decoded->rops.at(0));
  ASSERT_EQ(q.RowData.size(), 16u);
  int flagged = 0;
  for (const auto& row : q.RowData) {
    if (row.Flag != mapi::row_flag::flagged) continue;
    ++flagged;
    EXPECT_EQ(row.ValueArray[1].flag, mapi::value_flag::error);
    EXPECT_EQ(
        static_cast<std::uint32_t>(*row.ValueArray[1].value.get_if<PropertyType::PtypErrorCode>()),
        0x8004010Fu);
  }
  EXPECT_EQ(flagged, 6);
}

}  // namespace test_rop_buffer
