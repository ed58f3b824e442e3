#pragma once
// `oxwire rop decode|encode`: MS-OXCROPS 2.2.1 ROP buffers <-> JSON naming every ROP and field by
// its spec name. The JSON is written and read generically from the ROP layouts:
//   {"buffer": "request", "rops": [{"rop": "RopRelease", "variant": "request", "RopId": 1, ...}],
//    "handles": [4294967295]}
// Integers are numbers; GUIDs, PropertyTags and ErrorCodes strings; strings JSON strings (8-bit
// ones byte for byte as U+0000..U+00FF); raw bytes and the MAPI structures (TaggedPropertyValue,
// PropertyRow, Restriction, ...) hex strings of their wire bytes. A response ROP with rows also
// carries the "columns" it was read with.
#include <simdjson.h>

#include <charconv>
#include <oxwire/core/hex.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/rop.hpp>

#include "common.hpp"

namespace oxwire_cli {

inline constexpr std::string_view rop_usage =
    "  oxwire rop decode [--response] [--columns=TAG,TAG...] [FILE|-]\n"
    "  oxwire rop encode [FILE|-]\n";

namespace rop_json {

using namespace oxwire::rop;
namespace mapi = oxwire::mapi;

inline void put_string(std::string& o, std::u16string_view s) {
  static constexpr char digits[] = "0123456789abcdef";
  o += '"';
  for (const char16_t c : s) {
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      o += static_cast<char>(c);
    } else {
      o += "\\u";
      for (int sh = 12; sh >= 0; sh -= 4) o += digits[(c >> sh) & 0xF];
    }
  }
  o += '"';
}
inline void put_string(std::string& o, std::string_view s) {
  std::u16string w(s.size(), u'\0');
  for (std::size_t i = 0; i < s.size(); ++i) w[i] = static_cast<unsigned char>(s[i]);
  put_string(o, w);
}
inline std::string hex32(std::uint32_t v) {
  char b[11];
  std::snprintf(b, sizeof b, "0x%08X", v);
  return b;
}

// A MAPI structure's wire bytes, as hex.
template <kind K, class T>
std::string wire_hex(const T& v, const context& ctx) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  oxwire::rop::detail::field_args a{"", 0, false, ctx.columns};
  (void)oxwire::rop::detail::write_value<K>(w, v, a, ctx);
  return '"' + oxwire::hex::encode(out, true) + '"';
}

template <laid_out S>
void write_struct(std::string& o, const S& s, const context& ctx);

template <kind K, class T>
void write_value(std::string& o, const T& v, const context& ctx) {
  if constexpr (K == kind::u8 || K == kind::u16 || K == kind::u32 || K == kind::u64 ||
                K == kind::i32 || K == kind::u48) {
    o += std::to_string(v);
  } else if constexpr (K == kind::guid) {
    o += '"' + v.to_string() + '"';
  } else if constexpr (K == kind::bytes || K == kind::rest) {
    o += '"' + oxwire::hex::encode(oxwire::bytes_view(v.data(), v.size()), true) + '"';
  } else if constexpr (K == kind::asciiz || K == kind::flex_string) {
    put_string(o, v);
  } else if constexpr (K == kind::sized_asciiz) {
    if (v)
      put_string(o, *v);
    else
      o += "null";
  } else if constexpr (K == kind::tag) {
    o += '"' + hex32(v.value) + '"';
  } else if constexpr (K == kind::restriction) {
    o += v ? wire_hex<K>(v, ctx) : "null";
  } else if constexpr (K == kind::nested) {
    write_struct(o, v, ctx);
  } else {
    o += wire_hex<K>(v, ctx);
  }
}

template <class S, std::size_t I>
void write_member(std::string& o, const S& s, const context& ctx, bool& first) {
  constexpr field_info f = layout<S>::fields[I];
  const auto& m = oxwire::rop::detail::member<I>(s);
  if (!first) o += ", ";
  first = false;
  o += '"' + std::string(oxwire::rop::detail::member_name<I, S>()) + "\": ";
  auto one = [&](const auto& v) {
    if constexpr (f.array || f.fixed) {
      o += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) o += ", ";
        write_value<f.kind>(o, v[i], ctx);
      }
      o += ']';
    } else {
      write_value<f.kind>(o, v, ctx);
    }
  };
  if constexpr (f.conditional) {
    if (m)
      one(*m);
    else
      o += "null";
  } else {
    one(m);
  }
  if constexpr (f.kind == kind::row && f.columns != columns_from::fixed)
    if (ctx.columns) {
      o += ", \"columns\": [";
      for (std::size_t i = 0; i < ctx.columns->size(); ++i)
        o += (i ? ", \"" : "\"") + hex32((*ctx.columns)[i].value) + '"';
      o += ']';
    }
}

template <laid_out S>
void write_struct(std::string& o, const S& s, const context& ctx) {
  o += '{';
  bool first = true;
  if constexpr (requires { layout<S>::ropid; }) {
    o += "\"rop\": \"" + std::string(layout<S>::name) + "\", \"variant\": \"" +
         std::string(layout<S>::variant) + '"';
    first = false;
  }
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (write_member<S, I>(o, s, ctx, first), ...);
  }
  (std::make_index_sequence<layout<S>::fields.size()>{});
  o += '}';
}

// ---- JSON -> structs

using oxwire::error;
using oxwire::result;
inline error bad(const char* what) {
  return error{oxwire::errc::invalid_argument, 0, what};
}

inline result<std::u16string> get_string(simdjson::dom::element e, const char* what) {
  std::string_view s;
  if (e.get(s)) return bad(what);
  auto w = oxwire::utf16::from_utf8(s);
  if (!w) return w.error();
  std::u16string out(w->size() / 2, u'\0');
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char16_t>((*w)[2 * i] | ((*w)[2 * i + 1] << 8));
  return out;
}
inline result<std::string> get_narrow(simdjson::dom::element e, const char* what) {
  auto w = get_string(e, what);
  if (!w) return w.error();
  std::string out(w->size(), '\0');
  for (std::size_t i = 0; i < w->size(); ++i) {
    if ((*w)[i] > 0xFF) return bad(what);
    out[i] = static_cast<char>((*w)[i]);
  }
  return out;
}
inline result<std::uint64_t> get_hex_or_number(simdjson::dom::element e, const char* what) {
  std::uint64_t n = 0;
  if (!e.get(n)) return n;
  std::string_view s;
  if (e.get(s) || !s.starts_with("0x")) return bad(what);
  if (std::from_chars(s.data() + 2, s.data() + s.size(), n, 16).ptr != s.data() + s.size())
    return bad(what);
  return n;
}

template <laid_out S>
result<void> read_struct(simdjson::dom::object o, S& s, const context& ctx);

template <kind K, class T>
result<void> read_value(simdjson::dom::element e, T& v, const char* what, const context& ctx) {
  if constexpr (K == kind::u8 || K == kind::u16 || K == kind::u32 || K == kind::u64 ||
                K == kind::i32 || K == kind::u48) {
    std::int64_t n = 0;
    std::uint64_t u = 0;
    if (!e.get(u)) {
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return bad(what);
      v = static_cast<T>(u);
    } else if (!e.get(n)) {
      if (n < std::numeric_limits<T>::min()) return bad(what);
      v = static_cast<T>(n);
    } else {
      return bad(what);
    }
  } else if constexpr (K == kind::guid) {
    std::string_view s;
    if (e.get(s)) return bad(what);
    auto g = oxwire::parse_guid(s);
    if (!g) return bad(what);
    v = g.value;
  } else if constexpr (K == kind::bytes || K == kind::rest) {
    std::string_view s;
    if (e.get(s)) return bad(what);
    auto b = oxwire::hex::decode(s);
    if (!b) return b.error();
    v = std::move(*b);
  } else if constexpr (K == kind::asciiz) {
    auto s = get_narrow(e, what);
    if (!s) return s.error();
    v = std::move(*s);
  } else if constexpr (K == kind::sized_asciiz) {
    if (e.is_null()) return {};
    auto s = get_narrow(e, what);
    if (!s) return s.error();
    v = std::move(*s);
  } else if constexpr (K == kind::flex_string) {
    auto s = get_string(e, what);
    if (!s) return s.error();
    v = std::move(*s);
  } else if constexpr (K == kind::tag) {
    auto n = get_hex_or_number(e, what);
    if (!n) return n.error();
    v = mapi::property_tag{static_cast<std::uint32_t>(*n)};
  } else if constexpr (K == kind::nested) {
    simdjson::dom::object o;
    if (e.get(o)) return bad(what);
    return read_struct(o, v, ctx);
  } else {
    if constexpr (K == kind::restriction)
      if (e.is_null()) return {};
    std::string_view s;
    if (e.get(s)) return bad(what);
    auto b = oxwire::hex::decode(s);
    if (!b) return b.error();
    oxwire::reader in(*b);
    oxwire::rop::detail::field_args a{what, b->size(), false, ctx.columns};
    if (auto r = oxwire::rop::detail::read_value<K>(in, v, a, ctx); !r) return r;
    if (!in.empty()) return bad(what);
  }
  return {};
}

template <class S, std::size_t I>
result<void> read_member(simdjson::dom::object o, S& s, const context& ctx) {
  constexpr field_info f = layout<S>::fields[I];
  const char* what = oxwire::rop::detail::member_name<I, S>();
  auto& m = oxwire::rop::detail::member<I>(s);
  simdjson::dom::element e;
  if (o[what].get(e)) return bad(what);
  if constexpr (f.conditional) {
    if (e.is_null()) return {};
    m.emplace();
  }
  auto& v = [&]() -> auto& {
    if constexpr (f.conditional)
      return *m;
    else
      return m;
  }
  ();
  if constexpr (f.array || f.fixed) {
    simdjson::dom::array a;
    if (e.get(a)) return bad(what);
    if constexpr (f.array)
      v.resize(a.size());
    else if (a.size() != v.size())
      return bad(what);
    std::size_t i = 0;
    for (auto x : a)
      if (auto ok = read_value<f.kind>(x, v[i++], what, ctx); !ok) return ok;
    return {};
  } else {
    return read_value<f.kind>(e, v, what, ctx);
  }
}

template <laid_out S>
result<void> read_struct(simdjson::dom::object o, S& s, const context& ctx_in) {
  context ctx = ctx_in;
  std::vector<mapi::property_tag> cols;
  if (simdjson::dom::array a; !o["columns"].get(a)) {
    for (auto t : a) {
      auto n = get_hex_or_number(t, "columns");
      if (!n) return n.error();
      cols.push_back(mapi::property_tag{static_cast<std::uint32_t>(*n)});
    }
    ctx.columns = std::span<const mapi::property_tag>(cols);
  }
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    result<void> r;
    (void)((r = read_member<S, I>(o, s, ctx), r.has_value()) && ...);
    return r;
  }
  (std::make_index_sequence<layout<S>::fields.size()>{});
}

// The alternative of V named by "rop" and "variant".
template <class V>
result<V> read_rop(simdjson::dom::object o, const context& ctx) {
  std::string_view name, variant;
  if (o["rop"].get(name) || o["variant"].get(variant)) return bad("rop");
  result<V> out = bad("rop");
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (void)(([&] {
      using S = typename V::template alternative<I>;
      if (layout<S>::name != name || layout<S>::variant != variant) return false;
      S s{};
      auto r = read_struct(o, s, ctx);
      if (r)
        out = V(std::move(s));
      else
        out = r.error();
      return true;
    }() || ...));
  }
  (std::make_index_sequence<V::size>{});
  return out;
}

template <class Buffer>
std::string to_json(const Buffer& b, bool response, auto&& context_of) {
  std::string o =
      std::string("{\"buffer\": \"") + (response ? "response" : "request") + "\", \"rops\": [\n";
  for (std::size_t i = 0; i < b.rops.size(); ++i) {
    o += "  ";
    const context ctx = context_of(i);
    visit([&](const auto& r) { write_struct(o, r, ctx); }, b.rops[i]);
    o += i + 1 < b.rops.size() ? ",\n" : "\n";
  }
  o += "], \"handles\": [";
  for (std::size_t i = 0; i < b.handles.size(); ++i)
    o += (i ? ", " : "") + std::to_string(b.handles[i]);
  return o + "]}\n";
}

}  // namespace rop_json

// MS-OXCROPS 2.2.1: a ROP buffer to JSON and back.
inline int cmd_rop(std::string_view verb, const args& a, const std::string& in) {
  namespace rop = oxwire::rop;
  using namespace rop_json;
  if (verb == "decode") {
    std::vector<oxwire::mapi::property_tag> columns;
    bool response = false, have_columns = false;
    for (std::string_view f : a.flags) {
      if (f == "--response") {
        response = true;
      } else if (f.starts_with("--columns=")) {
        have_columns = true;
        f.remove_prefix(10);
        while (!f.empty()) {
          const auto comma = f.find(',');
          const std::string_view t = f.substr(0, comma);
          std::uint32_t v = 0;
          const char* b = t.data() + (t.starts_with("0x") ? 2 : 0);
          if (std::from_chars(b, t.data() + t.size(), v, 16).ptr != t.data() + t.size())
            return usage_requested;
          columns.push_back(oxwire::mapi::property_tag{v});
          f = comma == std::string_view::npos ? std::string_view{} : f.substr(comma + 1);
        }
      } else {
        return usage_requested;
      }
    }
    rop::buffer_options opts;
    if (have_columns) opts.table_columns = std::span<const oxwire::mapi::property_tag>(columns);
    const auto bytes = oxwire::as_bytes(in);
    rop::context ctx;
    ctx.columns = opts.table_columns;
    if (response) {
      auto b = rop::decode_response_buffer(bytes, {}, opts);
      if (!b) return fail(b.error());
      write(to_json(*b, true, [&](std::size_t) { return ctx; }));
    } else {
      auto b = rop::decode_request_buffer(bytes, opts);
      if (!b) return fail(b.error());
      write(to_json(*b, false, [&](std::size_t) { return ctx; }));
    }
    return 0;
  }
  if (verb != "encode" || !a.flags.empty()) return usage_requested;
  simdjson::dom::parser parser;
  simdjson::dom::object doc;
  std::string_view kind_name;
  simdjson::dom::array rops, handles;
  if (parser.parse(in).get(doc) || doc["buffer"].get(kind_name) || doc["rops"].get(rops) ||
      doc["handles"].get(handles))
    return fail(bad("JSON buffer"));
  const bool response = kind_name == "response";
  auto build = [&]<class B>(B& b) -> oxwire::result<void> {
    using V = typename decltype(b.rops)::value_type;
    for (auto e : rops) {
      simdjson::dom::object o;
      if (e.get(o)) return bad("rops");
      auto r = read_rop<V>(o, {});
      if (!r) return r.error();
      b.rops.push_back(std::move(*r));
    }
    for (auto h : handles) {
      std::uint64_t v = 0;
      if (h.get(v) || v > 0xFFFFFFFF) return bad("handles");
      b.handles.push_back(static_cast<std::uint32_t>(v));
    }
    return {};
  };
  oxwire::result<std::vector<std::uint8_t>> out = bad("buffer");
  if (response) {
    rop::response_buffer b;
    if (auto r = build(b); !r) return fail(r.error());
    // Each ROP's rows were checked against its own "columns"; encode with them again.
    std::vector<std::uint8_t> bytes;
    oxwire::vector_writer w(bytes);
    auto at = w.reserve_at<std::uint16_t>("RopSize");
    std::size_t i = 0;
    for (auto e : rops) {
      std::vector<oxwire::mapi::property_tag> cols;
      simdjson::dom::array ca;
      if (!e["columns"].get(ca))
        for (auto t : ca)
          cols.push_back(oxwire::mapi::property_tag{
              static_cast<std::uint32_t>(get_hex_or_number(t, "columns").value())});
      rop::context ctx;
      ctx.columns = std::span<const oxwire::mapi::property_tag>(cols);
      auto r = visit([&](const auto& x) { return rop::encode_rop(w, x, ctx); }, b.rops[i++]);
      if (!r) return fail(r.error());
    }
    if (bytes.size() > 0xFFFF) return fail(error{rop::errc::invalid_rop_size, 0, "RopSize"});
    (void)w.patch<std::uint16_t>(*at, static_cast<std::uint16_t>(bytes.size()));
    for (const auto h : b.handles) (void)w.write<std::uint32_t>(h);
    out = std::move(bytes);
  } else {
    rop::request_buffer b;
    if (auto r = build(b); !r) return fail(r.error());
    out = rop::encode_request_buffer(b);
  }
  if (!out) return fail(out.error());
  write(*out);
  return 0;
}

}  // namespace oxwire_cli
