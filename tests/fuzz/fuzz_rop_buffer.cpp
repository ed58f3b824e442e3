// Fuzzes MS-OXCROPS 2.2.1 ROP buffers: arbitrary bytes decoded as a request buffer and as a
// response buffer (rows with two fixed columns) must give typed ROPs or an error inside the
// input, never a crash; whatever decodes must encode to exactly the input bytes.
#include <oxwire/rop.hpp>

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

constexpr std::array<oxwire::mapi::property_tag, 2> columns{oxwire::mapi::property_tag{0x0037001F},
                                                            oxwire::mapi::property_tag{0x0E080003}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view in(data, size);
  const oxwire::rop::buffer_options opts{.max_rops = 256, .table_columns = columns};
  if (auto req = oxwire::rop::decode_request_buffer(in, opts)) {
    auto again = oxwire::rop::encode_request_buffer(*req, opts);
    require(again && std::equal(again->begin(), again->end(), in.begin(), in.end()));
    // The responses to these requests, read from the same bytes, take their columns.
    if (auto resp = oxwire::rop::decode_response_buffer(in, req->rops, opts)) {
      auto back = oxwire::rop::encode_response_buffer(*resp, req->rops, opts);
      require(back && std::equal(back->begin(), back->end(), in.begin(), in.end()));
    }
  } else {
    require(req.error().offset <= size);
  }
  if (auto resp = oxwire::rop::decode_response_buffer(in, {}, opts)) {
    auto again = oxwire::rop::encode_response_buffer(*resp, {}, opts);
    require(again && std::equal(again->begin(), again->end(), in.begin(), in.end()));
  } else {
    require(resp.error().offset <= size);
  }
  return 0;
}
