// oxwire — ROP input and output buffers (MS-OXCROPS 2.2.1): RopSize (uint16, counting itself and
// the ROPs), the ROPs back to back, then the Server object handle table (uint32 handles) up to
// the end of the buffer.
//
//   auto req = decode_request_buffer(bytes);               // result<request_buffer>
//   auto resp = decode_response_buffer(reply, req->rops);  // columns from the requests
//   auto again = encode_request_buffer(*req);              // the same bytes
#pragma once

#include <oxwire/gen/rop/dispatch.hpp>

#include <span>
#include <vector>

namespace oxwire::rop {

/// MS-OXCROPS 2.2.1 ROP input buffer, decoded.
struct request_buffer {
  std::vector<rop_request> rops;
  std::vector<std::uint32_t> handles;  // the Server object handle table
  friend bool operator==(const request_buffer&, const request_buffer&) = default;
};

/// MS-OXCROPS 2.2.1 ROP output buffer, decoded.
struct response_buffer {
  std::vector<rop_response> rops;
  std::vector<std::uint32_t> handles;
  friend bool operator==(const response_buffer&, const response_buffer&) = default;
};

/// Limits and the state ROP conditions read.
struct buffer_options {
  std::size_t max_rops = 4096;  // more ROPs in one buffer is errc::too_many_rops
  /// LogonIds of public-folders logons made before this buffer (RopLogon requests in the buffer
  /// itself are taken into account as they are decoded).
  std::bitset<256> public_logons{};
  /// Columns of table rows (RopQueryRows, RopFindRow, RopExpandRow) when the request list holds
  /// no RopSetColumns for the table's handle index.
  std::optional<std::span<const mapi::property_tag>> table_columns{};
};

namespace detail {

/// MS-OXCROPS 2.2: the request struct of the RopId at the reader.
[[nodiscard]] inline result<rop_request> decode_request_rop(reader& in, const context& ctx) {
  auto id = in.peek<std::uint8_t>("RopId");
  if (!id) [[unlikely]]
    return id.error();
  const decoder<rop_request> decode = request_decoders[*id];
  if (!decode) [[unlikely]]
    return error{errc::unknown_rop_id, in.offset(), "RopId"};
  return decode(in, ctx);
}

[[nodiscard]] inline result<bool> holds(const peek_condition& c, const reader& in) {
  for (const peek_term& t : c.terms) {
    if (t.op == term::none) break;
    std::uint64_t v = 0;
    reader r = in;
    if (r.remaining() >= t.at.offset + std::size_t{t.at.size}) {
      (void)r.bytes(t.at.offset);
      for (std::size_t i = 0; i < t.at.size; ++i)
        v |= std::uint64_t{*r.read<std::uint8_t>()} << 8 * i;
    } else if (t.at.required) [[unlikely]] {
      return error{oxwire::errc::truncated,
                   in.offset() + std::min(in.remaining(), std::size_t{t.at.offset}), "ReturnValue"};
    }
    const bool ok = t.op == term::eq        ? v == t.constant
                    : t.op == term::ne      ? v != t.constant
                    : t.op == term::any_bit ? (v & t.constant) != 0
                                            : (v & t.constant) == 0;
    if (!ok) return false;
  }
  return true;
}

/// MS-OXCROPS 2.2: the response variant at the reader, chosen by the fields its `when`
/// condition reads (ReturnValue, LogonFlags). `request_ropid` is the RopId of the request it
/// answers: RopGetMessageStatus and RopSetMessageStatus responses both carry RopId 0x20
/// (MS-OXCROPS 2.2.6.9.2), so only the request tells them apart; without one (-1) the RopId at
/// the reader decides.
[[nodiscard]] inline result<rop_response> decode_response_rop(reader& in, const context& ctx,
                                                              int request_ropid = -1) {
  auto id = in.peek<std::uint8_t>("RopId");
  if (!id) [[unlikely]]
    return id.error();
  const std::uint8_t ropid =
      request_ropid >= 0 ? static_cast<std::uint8_t>(request_ropid) : rop_of_response_id[*id];
  const response_entry& e = response_entries[ropid];
  if (e.count == 0) [[unlikely]]
    return error{errc::unknown_rop_id, in.offset(), "RopId"};
  for (std::size_t i = e.first; i < std::size_t{e.first} + e.count; ++i) {
    auto ok = holds(response_variants[i].when, in);
    if (!ok) [[unlikely]]
      return ok.error();
    if (*ok) return response_variants[i].decode(in, ctx);
  }
  return error{errc::no_response_variant, in.offset(), e.what};
}

/// The RopSize region and the handle table of a ROP buffer.
struct framing {
  reader rops;
  std::vector<std::uint32_t> handles;
};

[[nodiscard]] inline result<framing> split_buffer(bytes_view buffer) {
  reader in(buffer);
  auto size = in.read<std::uint16_t>("RopSize");
  if (!size) [[unlikely]]
    return size.error();
  if (*size < 2 || *size > buffer.size()) [[unlikely]]
    return error{errc::invalid_rop_size, 0, "RopSize"};
  framing f{reader(buffer.subspan(2, *size - 2u), 2), {}};
  reader table(buffer.subspan(*size), *size);
  if (table.remaining() % 4 != 0) [[unlikely]]
    return error{errc::handle_table_misaligned, *size + table.remaining() / 4 * 4,
                 "ServerObjectHandleTable"};
  f.handles.resize(table.remaining() / 4);
  for (auto& h : f.handles) h = *table.read<std::uint32_t>();
  return f;
}

template <class Sink, class V>
[[nodiscard]] result<void> encode_buffer(basic_writer<Sink>& w, const std::vector<V>& rops,
                                         std::span<const std::uint32_t> handles,
                                         auto&& context_of) {
  const std::size_t start = w.size();
  auto at = w.template reserve_at<std::uint16_t>("RopSize");
  if (!at) [[unlikely]]
    return at.error();
  for (std::size_t i = 0; i < rops.size(); ++i) {
    const context ctx = context_of(i);
    if (auto r = encode_rop(w, rops[i], ctx); !r) [[unlikely]]
      return r;
  }
  const std::size_t size = w.size() - start;
  if (size > 0xFFFF) [[unlikely]]
    return error{errc::invalid_rop_size, start, "RopSize"};
  if (auto r = w.template patch<std::uint16_t>(*at, static_cast<std::uint16_t>(size), "RopSize");
      !r)
    return r;
  for (const std::uint32_t h : handles)
    if (auto r = w.template write<std::uint32_t>(h, "ServerObjectHandleTable"); !r) [[unlikely]]
      return r;
  return {};
}

// Columns for the response to `req`: the request's PropertyTags, the table's RopSetColumns in
// `requests` before it, or the options' table columns.
[[nodiscard]] inline std::optional<std::span<const mapi::property_tag>> columns_for(
    std::span<const rop_request> requests, std::size_t k, const buffer_options& opts) {
  if (k >= requests.size()) return opts.table_columns;
  if (const auto* g = get_if<request::RopGetPropertiesSpecific>(&requests[k]))
    return std::span<const mapi::property_tag>(g->PropertyTags);
  std::uint64_t handle = 0x100;  // none
  const struct_info& s = info_of(requests[k]);
  for (const field& f : s.fields)
    if (std::string_view(f.name) == "InputHandleIndex") handle = scalar(requests[k].address(), f);
  for (std::size_t i = k; i-- > 0;)
    if (const auto* s = get_if<request::RopSetColumns>(&requests[i]);
        s && s->InputHandleIndex == handle)
      return std::span<const mapi::property_tag>(s->PropertyTags);
  return opts.table_columns;
}

[[nodiscard]] constexpr bool unsolicited(std::uint8_t ropid) noexcept {
  // MS-OXCROPS 2.2.14.2 RopNotify, 2.2.14.3 RopPending, 2.2.15.2 RopBackoff,
  // 2.2.15.1 RopBufferTooSmall: sent by the server without a request of their own.
  return ropid == 0x2A || ropid == 0x6E || ropid == 0xF9 || ropid == 0xFF;
}

template <class L>
[[nodiscard]] std::uint8_t ropid_of(const any_rop<L>& r) noexcept {
  return info_of(r).ropid;
}

}  // namespace detail

/// MS-OXCROPS 2.2.1 ROP input buffer -> its requests and handle table. Every byte of the RopSize
/// region must belong to a ROP; every handle index must be inside the handle table.
[[nodiscard]] inline result<request_buffer> decode_request_buffer(bytes_view buffer,
                                                                  const buffer_options& opts = {}) {
  auto f = detail::split_buffer(buffer);
  if (!f) [[unlikely]]
    return f.error();
  request_buffer out{{}, std::move(f->handles)};
  context ctx;
  ctx.public_logons = opts.public_logons;
  ctx.handle_count = static_cast<std::uint32_t>(out.handles.size());
  while (!f->rops.empty()) {
    if (out.rops.size() == opts.max_rops) [[unlikely]]
      return error{errc::too_many_rops, f->rops.offset(), "RopId"};
    auto r = detail::decode_request_rop(f->rops, ctx);
    if (!r) [[unlikely]]
      return r.error();
    // MS-OXCROPS 2.2.3.1.1: LogonFlags Private (0x01) clear = a public-folders logon.
    if (const auto* l = get_if<request::RopLogon>(&*r))
      ctx.public_logons[l->LogonId] = (l->LogonFlags & 0x01) == 0;
    out.rops.push_back(std::move(*r));
  }
  return out;
}

/// MS-OXCROPS 2.2.1 ROP output buffer -> its responses and handle table. `requests` are the ROPs
/// the buffer answers, in order (for row columns and to check each RopId); unsolicited
/// RopNotify, RopPending, RopBackoff and RopBufferTooSmall answer none. With no requests, rows
/// take `opts.table_columns`.
[[nodiscard]] inline result<response_buffer> decode_response_buffer(
    bytes_view buffer, std::span<const rop_request> requests = {},
    const buffer_options& opts = {}) {
  auto f = detail::split_buffer(buffer);
  if (!f) [[unlikely]]
    return f.error();
  response_buffer out{{}, std::move(f->handles)};
  context ctx;
  ctx.public_logons = opts.public_logons;
  ctx.handle_count = static_cast<std::uint32_t>(out.handles.size());
  std::size_t k = 0;  // the request answered next
  while (!f->rops.empty()) {
    if (out.rops.size() == opts.max_rops) [[unlikely]]
      return error{errc::too_many_rops, f->rops.offset(), "RopId"};
    const std::size_t at = f->rops.offset();
    const std::uint8_t id = *f->rops.peek<std::uint8_t>();
    // MS-OXCROPS 2.2.15.3: RopRelease has no response.
    while (k < requests.size() && detail::ropid_of(requests[k]) == 0x01) ++k;
    const int request_ropid = k < requests.size() ? detail::ropid_of(requests[k]) : -1;
    const bool answers =
        request_ropid >= 0 && detail::response_entries[request_ropid].response_id == id;
    if (!requests.empty() && !answers && !detail::unsolicited(id)) [[unlikely]]
      return error{errc::unexpected_response, at, "RopId"};
    ctx.columns = detail::columns_for(requests, answers ? k : requests.size(), opts);
    auto r = detail::decode_response_rop(f->rops, ctx, answers ? request_ropid : -1);
    if (!r) [[unlikely]]
      return r.error();
    out.rops.push_back(std::move(*r));
    if (answers) ++k;
  }
  return out;
}

/// Writes a ROP input buffer; `opts.public_logons` as for decoding.
template <class Sink>
[[nodiscard]] result<void> encode_request_buffer(basic_writer<Sink>& w, const request_buffer& b,
                                                 const buffer_options& opts = {}) {
  context ctx;
  ctx.public_logons = opts.public_logons;
  return detail::encode_buffer(w, b.rops, b.handles, [&](std::size_t i) {
    if (const auto* l = get_if<request::RopLogon>(&b.rops[i]))
      ctx.public_logons[l->LogonId] = (l->LogonFlags & 0x01) == 0;
    return ctx;
  });
}

/// Writes a ROP output buffer; `requests` give row columns as for decoding.
template <class Sink>
[[nodiscard]] result<void> encode_response_buffer(basic_writer<Sink>& w, const response_buffer& b,
                                                  std::span<const rop_request> requests = {},
                                                  const buffer_options& opts = {}) {
  context ctx;
  ctx.public_logons = opts.public_logons;
  std::size_t k = 0;
  return detail::encode_buffer(w, b.rops, b.handles, [&](std::size_t i) {
    const std::uint8_t id = detail::ropid_of(b.rops[i]);
    while (k < requests.size() && detail::ropid_of(requests[k]) == 0x01) ++k;
    const bool answers = k < requests.size() && detail::ropid_of(requests[k]) == id;
    ctx.columns = detail::columns_for(requests, answers ? k : requests.size(), opts);
    if (answers) ++k;
    return ctx;
  });
}

/// `auto bytes = encode_request_buffer(buffer);`
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode_request_buffer(
    const request_buffer& b, const buffer_options& opts = {}) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  if (auto r = encode_request_buffer(w, b, opts); !r) [[unlikely]]
    return r.error();
  return out;
}

/// `auto bytes = encode_response_buffer(buffer, requests);`
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode_response_buffer(
    const response_buffer& b, std::span<const rop_request> requests = {},
    const buffer_options& opts = {}) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  if (auto r = encode_response_buffer(w, b, requests, opts); !r) [[unlikely]]
    return r.error();
  return out;
}

}  // namespace oxwire::rop
