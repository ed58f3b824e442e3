// oxwire — the one generic serializer of every ROP struct: it walks layout<S>::fields (the
// generated field table) with the Boost.Hana member list of S, so conditional fields, counts,
// sizes and row columns are decided by the table, not by code per ROP.
//
//   reader in(bytes);
//   auto logon = decode_rop<request::RopLogon>(in, {});     // result<request::RopLogon>
//   std::vector<std::uint8_t> out;
//   vector_writer w(out);
//   encode_rop(w, *logon, {});                              // the same bytes again
#pragma once

#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/rop/types.hpp>

#include <utility>

namespace oxwire::rop {

template <laid_out S>
[[nodiscard]] result<void> decode_into(reader& in, S& s, const context& ctx);
template <class Sink, laid_out S>
[[nodiscard]] result<void> encode_rop(basic_writer<Sink>& w, const S& s, const context& ctx);
template <laid_out S>
[[nodiscard]] result<void> fill_counts(S& s, const context& ctx = {});

namespace detail {

/// Smallest wire size of one element of `k` (the count check before allocating).
[[nodiscard]] constexpr std::size_t min_size(kind k) noexcept {
  switch (k) {
    case kind::u16: return 2;
    case kind::u32:
    case kind::i32:
    case kind::tag:
    case kind::tagged_value: return 4;
    case kind::u48: return 6;
    case kind::u64: return 8;
    case kind::problem: return 10;
    case kind::guid: return 16;
    case kind::name: return 17;
    case kind::sort_order: return 5;
    case kind::long_term_id: return 24;
    default: return 1;
  }
}

/// What one field's value needs at run time besides its bytes.
struct field_args {
  const char* what = "";
  std::uint64_t n = 0;  // the count or byte size in the `ref` field
  bool utf16 = false;   // flex_string
  std::optional<std::span<const mapi::property_tag>> columns{};  // row
};

// One value of kind K into `out`. Instantiated per (kind, C++ type) only, not per field, so that
// the 1,500 fields of the table cost one thin wrapper each.
template <kind K, class T>
[[nodiscard]] result<void> read_value(reader& in, T& out, const field_args& a, const context& ctx) {
  const std::size_t at = in.offset();
  using enum kind;
  if constexpr (K == u8 || K == u16 || K == u32 || K == u64 || K == i32) {
    auto v = in.read<T>(a.what);
    if (!v) [[unlikely]]
      return v.error();
    out = *v;
  } else if constexpr (K == u48) {
    auto b = in.bytes(6, a.what);
    if (!b) [[unlikely]]
      return b.error();
    out = 0;
    for (std::size_t i = 6; i-- > 0;) out = (out << 8) | (*b)[i];
  } else if constexpr (K == guid) {
    return oxwire::decode(in, out, a.what);
  } else if constexpr (K == bytes) {
    auto b = in.bytes(static_cast<std::size_t>(a.n), a.what);
    if (!b) [[unlikely]]
      return b.error();
    out.assign(b->begin(), b->end());
  } else if constexpr (K == rest) {
    const bytes_view b = in.rest();
    out.assign(b.begin(), b.end());
    (void)in.bytes(b.size());
  } else if constexpr (K == asciiz) {
    auto v = mapi::detail::read_string8(in, a.what);
    if (!v) [[unlikely]]
      return v.error();
    out.assign(v->begin(), v->end());
  } else if constexpr (K == sized_asciiz) {
    if (a.n == 0) {
      out.reset();
      return {};
    }
    auto b = in.bytes(static_cast<std::size_t>(a.n), a.what);
    if (!b) [[unlikely]]
      return b.error();
    if (std::find(b->begin(), b->end(), std::uint8_t{0}) != b->end() - 1) [[unlikely]]
      return error{errc::invalid_string, at, a.what};
    out.emplace(b->begin(), b->end() - 1);
  } else if constexpr (K == flex_string) {
    if (a.utf16) {
      auto v = mapi::detail::read_string(in, a.what);
      if (!v) [[unlikely]]
        return v.error();
      out = v->to_u16string();
    } else {  // 8-bit units, widened one for one
      auto v = mapi::detail::read_string8(in, a.what);
      if (!v) [[unlikely]]
        return v.error();
      out.resize(v->size());
      for (std::size_t i = 0; i < v->size(); ++i)
        out[i] = static_cast<char16_t>(static_cast<unsigned char>((*v)[i]));
    }
  } else if constexpr (K == tag) {
    auto v = in.read<std::uint32_t>(a.what);
    if (!v) [[unlikely]]
      return v.error();
    out = mapi::property_tag{*v};
  } else if constexpr (K == tagged_value) {
    auto v = mapi::decode_tagged_value(in);
    if (!v) [[unlikely]]
      return v.error();
    out = mapi::to_owned(*v);
  } else if constexpr (K == typed_string) {
    auto v = mapi::decode_typed_string(in);
    if (!v) [[unlikely]]
      return v.error();
    out = std::move(*v);
  } else if constexpr (K == problem) {
    std::uint32_t t = 0, ec = 0;
    if (auto r = in.read_into(a.what, out.Index, t, ec); !r) [[unlikely]]
      return r.error();
    out.PropertyTag = mapi::property_tag{t};
    out.ErrorCode = static_cast<gen::mapi::ErrorCode>(ec);
  } else if constexpr (K == restriction) {
    if (a.n == 0) {
      out.reset();
      return {};
    }
    auto sub = in.sub(static_cast<std::size_t>(a.n), a.what);
    if (!sub) [[unlikely]]
      return sub.error();
    auto r = mapi::decode_restriction(*sub);
    if (!r) [[unlikely]]
      return r.error();
    if (!sub->empty()) [[unlikely]]
      return error{errc::trailing_bytes, sub->offset(), a.what};
    out = std::move(*r);
  } else if constexpr (K == long_term_id) {
    auto v = mapi::decode_long_term_id(in);
    if (!v) [[unlikely]]
      return v.error();
    out = *v;
  } else if constexpr (K == name) {
    auto v = mapi::decode_property_name(in);
    if (!v) [[unlikely]]
      return v.error();
    out = std::move(*v);
  } else if constexpr (K == sort_order) {
    auto v = mapi::decode_sort_order(in);
    if (!v) [[unlikely]]
      return v.error();
    out = *v;
  } else if constexpr (K == row) {
    if (!a.columns) [[unlikely]]
      return error{errc::columns_unknown, at, a.what};
    auto v = mapi::decode_property_row(in, *a.columns);
    if (!v) [[unlikely]]
      return v.error();
    out = mapi::to_owned(*v);
  } else {
    static_assert(K == nested);
    return decode_into(in, out, ctx);
  }
  return {};
}

// A field: one value, a std::array, a counted std::vector or a vector filling a byte size.
template <kind K, bool Array, bool BySize, class T>
[[nodiscard]] result<void> read_field(reader& in, T& out, const field_args& a, const context& ctx) {
  if constexpr (requires { std::tuple_size<T>::value; }) {  // std::array
    for (auto& e : out)
      if (auto r = read_value<K>(in, e, a, ctx); !r) [[unlikely]]
        return r;
    return {};
  } else if constexpr (Array && BySize) {
    auto sub = in.sub(static_cast<std::size_t>(a.n), a.what);
    if (!sub) [[unlikely]]
      return sub.error();
    out.clear();
    while (!sub->empty())
      if (auto r = read_value<K>(*sub, out.emplace_back(), a, ctx); !r) [[unlikely]]
        return r;
    return {};
  } else if constexpr (Array) {
    if (auto ok = mapi::detail::check_count(in, a.n, min_size(K), in.offset(), a.what); !ok)
        [[unlikely]]
      return ok;
    out.resize(static_cast<std::size_t>(a.n));
    for (auto& e : out)
      if (auto r = read_value<K>(in, e, a, ctx); !r) [[unlikely]]
        return r;
    return {};
  } else {
    return read_value<K>(in, out, a, ctx);
  }
}

template <kind K, class Sink, class T>
[[nodiscard]] result<void> write_value(basic_writer<Sink>& w, const T& v, const field_args& a,
                                       const context& ctx) {
  using enum kind;
  if constexpr (K == u8 || K == u16 || K == u32 || K == u64 || K == i32) {
    return w.template write<T>(v, a.what);
  } else if constexpr (K == u48) {
    if (v >> 48) [[unlikely]]
      return error{errc::invalid_value, w.size(), a.what};
    if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(v), a.what); !r)
      return r;
    return w.template write<std::uint16_t>(static_cast<std::uint16_t>(v >> 32), a.what);
  } else if constexpr (K == guid) {
    return oxwire::encode(w, v);
  } else if constexpr (K == bytes || K == rest) {
    return w.write_bytes(bytes_view(v.data(), v.size()), a.what);
  } else if constexpr (K == asciiz || K == sized_asciiz) {
    const std::string* s = nullptr;
    if constexpr (K == sized_asciiz) {
      if (!v) return {};
      s = &*v;
    } else {
      s = &v;
    }
    if (s->find('\0') != std::string::npos) [[unlikely]]
      return error{errc::invalid_string, w.size(), a.what};
    return mapi::detail::write_string8(w, *s);
  } else if constexpr (K == flex_string) {
    if (v.find(u'\0') != std::u16string::npos) [[unlikely]]
      return error{errc::invalid_string, w.size(), a.what};
    if (a.utf16) return mapi::detail::write_string(w, std::u16string_view(v));
    std::string narrow(v.size(), '\0');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] > 0xFF) [[unlikely]]
        return error{errc::invalid_value, w.size(), a.what};
      narrow[i] = static_cast<char>(v[i]);
    }
    return mapi::detail::write_string8(w, narrow);
  } else if constexpr (K == tag) {
    return w.template write<std::uint32_t>(v.value, a.what);
  } else if constexpr (K == tagged_value) {
    return mapi::encode_tagged_value(w, v);
  } else if constexpr (K == typed_string) {
    return mapi::encode_typed_string(w, v);
  } else if constexpr (K == problem) {
    if (auto r = w.template write<std::uint16_t>(v.Index, a.what); !r) return r;
    if (auto r = w.template write<std::uint32_t>(v.PropertyTag.value, a.what); !r) return r;
    return w.template write<std::uint32_t>(static_cast<std::uint32_t>(v.ErrorCode), a.what);
  } else if constexpr (K == restriction) {
    return v ? mapi::encode_restriction(w, *v) : result<void>{};
  } else if constexpr (K == long_term_id) {
    return mapi::encode(w, v);
  } else if constexpr (K == name) {
    return mapi::encode_property_name(w, v);
  } else if constexpr (K == sort_order) {
    return mapi::encode_sort_order(w, v);
  } else if constexpr (K == row) {
    if (!a.columns) [[unlikely]]
      return error{errc::columns_unknown, w.size(), a.what};
    return mapi::encode_property_row(w, v, *a.columns);
  } else {
    static_assert(K == nested);
    return encode_rop(w, v, ctx);
  }
}

// Writes a field; a count must equal the elements and a byte size the bytes written.
template <kind K, bool Array, bool BySize, bool HasRef, class Sink, class T>
[[nodiscard]] result<void> write_field(basic_writer<Sink>& w, const T& v, const field_args& a,
                                       const char* ref_name, const context& ctx) {
  const std::size_t at = w.size();
  if constexpr (Array || requires { std::tuple_size<T>::value; }) {
    if constexpr (Array && !BySize)
      if (v.size() != a.n) [[unlikely]]
        return error{errc::count_mismatch, at, ref_name};
    for (const auto& e : v)
      if (auto r = write_value<K>(w, e, a, ctx); !r) [[unlikely]]
        return r;
  } else if (auto r = write_value<K>(w, v, a, ctx); !r) [[unlikely]] {
    return r;
  }
  if constexpr (BySize && HasRef)
    if (w.size() - at != a.n) [[unlikely]]
      return error{errc::count_mismatch, at, ref_name};
  return {};
}

// The run-time arguments of field I of s.
template <class S, std::size_t I>
[[nodiscard]] field_args args_of(const S& s, const context& ctx) {
  constexpr field_info f = layout<S>::fields[I];
  field_args a{layout<S>::names[I]};
  if constexpr (f.ref >= 0) a.n = val(member<f.ref>(s));
  if constexpr (f.utf16) a.utf16 = layout<S>::utf16(I, s);
  if constexpr (f.columns == columns_from::fixed)
    a.columns = std::span<const mapi::property_tag>(layout<S>::columns);
  else if constexpr (f.columns != columns_from::none)
    a.columns = ctx.columns;
  return a;
}

// Reads a field and checks its constant (RopId) and handle index. Instantiated per wire form
// and C++ type, not per field.
template <kind K, bool Array, bool BySize, std::int64_t Value, bool Handle, class T>
[[nodiscard]] result<void> read_checked(reader& in, T& out, const field_args& a,
                                        const context& ctx) {
  const std::size_t at = in.offset();
  if (auto r = read_field<K, Array, BySize>(in, out, a, ctx); !r) [[unlikely]]
    return r;
  if constexpr (Value >= 0)
    if (out != static_cast<T>(Value)) [[unlikely]]
      return error{errc::unknown_rop_id, at, a.what};
  if constexpr (Handle)
    if (static_cast<std::uint64_t>(out) >= ctx.handle_count) [[unlikely]]
      return error{errc::handle_index_out_of_range, at, a.what};
  return {};
}

template <kind K, bool Array, bool BySize, bool HasRef, std::int64_t Value, class Sink, class T>
[[nodiscard]] result<void> write_checked(basic_writer<Sink>& w, const T& v, const field_args& a,
                                         const char* ref_name, const context& ctx) {
  if constexpr (Value >= 0)
    if (v != static_cast<T>(Value)) [[unlikely]]
      return error{errc::invalid_value, w.size(), a.what};
  return write_field<K, Array, BySize, HasRef>(w, v, a, ref_name, ctx);
}

/// The value of a field, or of the std::optional holding a conditional one.
template <bool Conditional, class M>
[[nodiscard]] constexpr auto& held(M& m) noexcept {
  if constexpr (Conditional)
    return *m;
  else
    return m;
}

/// The peeked T at `offset` bytes past the reader's position (a response's ReturnValue).
template <class T>
[[nodiscard]] result<T> peek_at(const reader& in, std::size_t offset, const char* what) {
  reader r = in;
  if (auto skip = r.bytes(std::min(offset, r.remaining()));
      !skip || r.offset() - in.offset() < offset)
    return error{oxwire::errc::truncated, r.offset(), what};
  return r.peek<T>(what);
}

/// The T at `offset` bytes past the reader's position, or 0 when the input ends first.
template <class T>
[[nodiscard]] T peek_or(const reader& in, std::size_t offset) noexcept {
  auto v = peek_at<T>(in, offset, "");
  return v ? *v : T{0};
}

/// The S at the reader as a V holding it (the RopId dispatch of gen/rop/dispatch.hpp).
template <class V, class S>
[[nodiscard]] result<V> decode_as(reader& in, const context& ctx) {
  S s{};
  if (auto r = decode_into(in, s, ctx); !r) [[unlikely]]
    return r.error();
  return V(std::move(s));
}

}  // namespace detail

namespace detail {

template <class S, std::size_t I>
[[nodiscard]] result<void> decode_member(reader& in, S& s, const context& ctx) {
  constexpr field_info f = layout<S>::fields[I];
  auto& m = member<I>(s);
  if constexpr (f.conditional) {
    if (!layout<S>::present(I, s, ctx)) {
      m.reset();
      return {};
    }
    m.emplace();
  }
  return read_checked<f.kind, f.array, f.by_size, f.value, f.handle>(in, held<f.conditional>(m),
                                                                     args_of<S, I>(s, ctx), ctx);
}

template <class Sink, class S, std::size_t I>
[[nodiscard]] result<void> encode_member(basic_writer<Sink>& w, const S& s, const context& ctx) {
  constexpr field_info f = layout<S>::fields[I];
  const auto& m = member<I>(s);
  if constexpr (f.conditional) {
    if (layout<S>::present(I, s, ctx) != m.has_value()) [[unlikely]]
      return error{errc::condition_mismatch, w.size(), layout<S>::names[I]};
    if (!m) return {};
  }
  const char* ref_name = "";
  if constexpr (f.ref >= 0) ref_name = layout<S>::names[f.ref];
  return write_checked<f.kind, f.array, f.by_size, (f.ref >= 0), f.value>(
      w, held<f.conditional>(m), args_of<S, I>(s, ctx), ref_name, ctx);
}

template <class S, std::size_t I>
[[nodiscard]] result<void> fill_member(S& s, const context& ctx) {
  constexpr field_info f = layout<S>::fields[I];
  auto& m = member<I>(s);
  if constexpr (f.kind == kind::nested && !f.conditional) {
    if constexpr (f.array || f.fixed) {
      for (auto& e : m)
        if (auto x = fill_counts(e, ctx); !x) return x;
    } else {
      return fill_counts(m, ctx);
    }
  }
  if constexpr (f.ref >= 0 && f.kind != kind::rest) {
    auto& cm = member<f.ref>(s);
    auto* count = [&] {
      if constexpr (layout<S>::fields[f.ref].conditional)
        return cm ? &*cm : nullptr;
      else
        return &cm;
    }();
    if (!count) return {};
    using C = std::remove_pointer_t<decltype(count)>;
    const auto* data = [&] {
      if constexpr (f.conditional)
        return m ? &*m : nullptr;
      else
        return &m;
    }();
    if (!data) return {};
    std::uint64_t v = 0;
    if constexpr (f.array && !f.by_size) {
      v = data->size();
    } else if constexpr (f.kind == kind::bytes) {
      v = data->size();
    } else if constexpr (f.kind == kind::sized_asciiz) {
      v = *data ? (*data)->size() + 1 : 0;
    } else {  // a restriction or elements filling a byte size: their encoding
      std::vector<std::uint8_t> tmp;
      vector_writer tw(tmp);
      field_args a = args_of<S, I>(s, ctx);
      if (auto x = write_field<f.kind, f.array, f.by_size, false>(tw, *data, a, "", ctx); !x)
        return x;
      v = tmp.size();
    }
    if (v > std::numeric_limits<C>::max()) [[unlikely]]
      return error{errc::invalid_value, 0, layout<S>::names[f.ref]};
    *count = static_cast<C>(v);
  }
  return {};
}

// Every field in order until one fails: folds over the field indices (no lambda per field,
// to keep the instantiations per struct few).
template <class S, std::size_t... I>
[[nodiscard]] result<void> decode_fields(reader& in, S& s, const context& ctx,
                                         std::index_sequence<I...>) {
  result<void> r;
  (void)((r = decode_member<S, I>(in, s, ctx), r.has_value()) && ...);
  return r;
}

template <class Sink, class S, std::size_t... I>
[[nodiscard]] result<void> encode_fields(basic_writer<Sink>& w, const S& s, const context& ctx,
                                         std::index_sequence<I...>) {
  result<void> r;
  (void)((r = encode_member<Sink, S, I>(w, s, ctx), r.has_value()) && ...);
  return r;
}

template <class S, std::size_t... I>
[[nodiscard]] result<void> fill_fields(S& s, const context& ctx, std::index_sequence<I...>) {
  result<void> r;
  (void)((r = fill_member<S, I>(s, ctx), r.has_value()) && ...);
  return r;
}

template <class S>
inline constexpr auto field_indices = std::make_index_sequence<layout<S>::fields.size()>{};

}  // namespace detail

/// Decodes the fields of `s` in order (MS-OXCROPS 2.2 layout of S). On error `s` is unspecified.
template <laid_out S>
[[nodiscard]] result<void> decode_into(reader& in, S& s, const context& ctx) {
  return detail::decode_fields(in, s, ctx, detail::field_indices<S>);
}

/// `auto rop = decode_rop<request::RopLogon>(in, ctx);`
template <laid_out S>
[[nodiscard]] result<S> decode_rop(reader& in, const context& ctx) {
  S s{};
  if (auto r = decode_into(in, s, ctx); !r) [[unlikely]]
    return r.error();
  return s;
}

/// Writes `s` field by field; counts, sizes and conditional fields must agree with the data
/// (see `fill_counts`), else errc::count_mismatch / condition_mismatch.
template <class Sink, laid_out S>
[[nodiscard]] result<void> encode_rop(basic_writer<Sink>& w, const S& s, const context& ctx) {
  return detail::encode_fields(w, s, ctx, detail::field_indices<S>);
}

/// Sets every count and size field of `s` from the data it counts (element counts, byte
/// lengths, string lengths with their terminator), so that `encode_rop` accepts it:
/// `rop.PropertyTags = {...}; fill_counts(rop);`.
template <laid_out S>
[[nodiscard]] result<void> fill_counts(S& s, const context& ctx) {
  return detail::fill_fields(s, ctx, detail::field_indices<S>);
}

}  // namespace oxwire::rop
