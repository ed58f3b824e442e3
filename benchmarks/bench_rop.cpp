// ROP buffers (MS-OXCROPS 2.2.1): decode and encode of a realistic output buffer — RopLogon
// (private mailbox), RopGetPropertiesSpecific with a row of 6 values, RopSetColumns and a
// RopQueryRows of 20 rows of 5 columns — and of its request buffer. Bytes processed are the
// buffer's bytes.
#include <benchmark/benchmark.h>
#include <oxwire/rop.hpp>

#include <vector>

namespace {

using namespace oxwire;
using namespace oxwire::rop;
using mapi::property_tag;
using mapi::PropertyType;

const std::vector<property_tag> props_columns = {
    property_tag{0x0037001F}, property_tag{0x0E080003}, property_tag{0x30070040},
    property_tag{0x0E070003}, property_tag{0x0FFF0102}, property_tag{0x1000001F}};
const std::vector<property_tag> table_columns = {property_tag{0x0037001F}, property_tag{0x0E080003},
                                                 property_tag{0x30070040}, property_tag{0x0E070003},
                                                 property_tag{0x0C1A001F}};

mapi::flagged_value value_of(property_tag t, int i) {
  using enum PropertyType;
  mapi::property_value v;
  switch (t.type()) {
    case PtypString:
      v = mapi::property_value::make<PtypString>(u"Quarterly review meeting notes " +
                                                 std::u16string(1, char16_t(u'A' + i % 26)));
      break;
    case PtypInteger32: v = mapi::property_value::make<PtypInteger32>(1000 + i); break;
    case PtypTime:
      v = mapi::property_value::make<PtypTime>(
          {0x01D9B1A2C3D4E5F6u + static_cast<std::uint64_t>(i)});
      break;
    default:
      v = mapi::property_value::make<PtypBinary>(std::vector<std::uint8_t>(46, std::uint8_t(i)));
  }
  return {t.type(), mapi::value_flag::present, std::move(v)};
}

request_buffer requests() {
  request::RopLogon logon;
  logon.LogonFlags = 0x01;
  logon.Essdn = "/o=First Organization/ou=Exchange Administrative Group/cn=Recipients/cn=user";
  request::RopGetPropertiesSpecific props;
  props.PropertyTags = props_columns;
  request::RopSetColumns cols;
  cols.InputHandleIndex = 1;
  cols.PropertyTags = table_columns;
  request::RopQueryRows rows;
  rows.InputHandleIndex = 1;
  rows.ForwardRead = 1;
  rows.RowCount = 20;
  request_buffer b{{logon, props, cols, rows}, {0xFFFFFFFF, 0x12}};
  for (auto& r : b.rops) (void)fill_counts(r);
  return b;
}

response_buffer responses() {
  response::RopLogon_success_private_mailbox logon;
  logon.LogonFlags = 0x01;
  response::RopGetPropertiesSpecific_success props;
  for (std::size_t i = 0; i < props_columns.size(); ++i)
    props.RowData.ValueArray.push_back(value_of(props_columns[i], static_cast<int>(i)));
  response::RopSetColumns_success cols;
  cols.InputHandleIndex = 1;
  response::RopQueryRows_success rows;
  rows.InputHandleIndex = 1;
  for (int r = 0; r < 20; ++r) {
    mapi::property_row row;
    for (const auto t : table_columns) row.ValueArray.push_back(value_of(t, r));
    rows.RowData.push_back(std::move(row));
  }
  response_buffer b{{logon, props, cols, rows}, {0x01, 0x12}};
  for (auto& r : b.rops) (void)fill_counts(r);
  return b;
}

void decode_responses(benchmark::State& state) {
  const auto req = requests();
  const auto bytes = encode_response_buffer(responses(), req.rops).value();
  for (auto _ : state) {
    auto d = decode_response_buffer(bytes, req.rops);
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.counters["buffer_bytes"] = static_cast<double>(bytes.size());
}

void encode_responses(benchmark::State& state) {
  const auto req = requests();
  const auto b = responses();
  std::vector<std::uint8_t> out;
  for (auto _ : state) {
    out.clear();
    vector_writer w(out);
    auto r = encode_response_buffer(w, b, req.rops);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}

void decode_requests(benchmark::State& state) {
  const auto bytes = encode_request_buffer(requests()).value();
  for (auto _ : state) {
    auto d = decode_request_buffer(bytes);
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

void encode_requests(benchmark::State& state) {
  const auto b = requests();
  std::vector<std::uint8_t> out;
  for (auto _ : state) {
    out.clear();
    vector_writer w(out);
    auto r = encode_request_buffer(w, b);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}

}  // namespace

BENCHMARK(decode_responses);
BENCHMARK(encode_responses);
BENCHMARK(decode_requests);
BENCHMARK(encode_requests);
