// oxwire — the one serializer of every ROP struct: a loop over the struct's field table
// (rop/layout.hpp, generated from specs/mapi/rop-layouts.json) with a switch on each field's wire
// kind. Conditional fields, counts, sizes and row columns are decided by the table; nothing is
// instantiated per field or per struct (the value readers and writers exist once per kind).
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

#include <algorithm>
#include <limits>
#include <utility>

namespace oxwire::rop {

namespace detail {

/// The C++ type of one value of kind K (the element type of a vector or array field).
template <kind K>
struct value_type_of;
// clang-format off
template <> struct value_type_of<kind::u8> { using type = std::uint8_t; };
template <> struct value_type_of<kind::u16> { using type = std::uint16_t; };
template <> struct value_type_of<kind::u32> { using type = std::uint32_t; };
template <> struct value_type_of<kind::u64> { using type = std::uint64_t; };
template <> struct value_type_of<kind::i32> { using type = std::int32_t; };
template <> struct value_type_of<kind::u48> { using type = std::uint64_t; };
template <> struct value_type_of<kind::guid> { using type = oxwire::guid; };
template <> struct value_type_of<kind::bytes> { using type = std::vector<std::uint8_t>; };
template <> struct value_type_of<kind::rest> { using type = std::vector<std::uint8_t>; };
template <> struct value_type_of<kind::asciiz> { using type = std::string; };
template <> struct value_type_of<kind::sized_asciiz> { using type = std::optional<std::string>; };
template <> struct value_type_of<kind::flex_string> { using type = std::u16string; };
template <> struct value_type_of<kind::tag> { using type = mapi::property_tag; };
template <> struct value_type_of<kind::tagged_value> { using type = mapi::tagged_value; };
template <> struct value_type_of<kind::typed_string> { using type = mapi::typed_string; };
template <> struct value_type_of<kind::problem> { using type = mapi::property_problem; };
template <> struct value_type_of<kind::restriction> { using type = std::optional<mapi::restriction>; };
template <> struct value_type_of<kind::long_term_id> { using type = mapi::long_term_id; };
template <> struct value_type_of<kind::name> { using type = mapi::property_name; };
template <> struct value_type_of<kind::sort_order> { using type = mapi::SortOrder; };
template <> struct value_type_of<kind::row> { using type = mapi::property_row; };
// clang-format on
template <kind K>
using value_t = typename value_type_of<K>::type;

/// f(std::integral_constant<kind, K>{}) for the run-time kind k (not kind::nested).
template <class F>
decltype(auto) with_kind(kind k, F&& f) {
  using enum kind;
  // clang-format off
  switch (k) {
    case u8: return f(std::integral_constant<kind, u8>{});
    case u16: return f(std::integral_constant<kind, u16>{});
    case u32: return f(std::integral_constant<kind, u32>{});
    case u64: return f(std::integral_constant<kind, u64>{});
    case i32: return f(std::integral_constant<kind, i32>{});
    case u48: return f(std::integral_constant<kind, u48>{});
    case guid: return f(std::integral_constant<kind, guid>{});
    case bytes: return f(std::integral_constant<kind, bytes>{});
    case rest: return f(std::integral_constant<kind, rest>{});
    case asciiz: return f(std::integral_constant<kind, asciiz>{});
    case sized_asciiz: return f(std::integral_constant<kind, sized_asciiz>{});
    case flex_string: return f(std::integral_constant<kind, flex_string>{});
    case tag: return f(std::integral_constant<kind, tag>{});
    case tagged_value: return f(std::integral_constant<kind, tagged_value>{});
    case typed_string: return f(std::integral_constant<kind, typed_string>{});
    case problem: return f(std::integral_constant<kind, problem>{});
    case restriction: return f(std::integral_constant<kind, restriction>{});
    case long_term_id: return f(std::integral_constant<kind, long_term_id>{});
    case name: return f(std::integral_constant<kind, name>{});
    case sort_order: return f(std::integral_constant<kind, sort_order>{});
    case nested: break;  // handled by the callers, through field::nested
    case row: break;
  }
  // clang-format on
  return f(std::integral_constant<kind, row>{});
}

/// The member `f` of the struct at `obj`: the structs are standard-layout (asserted by the
/// generated headers), so `offsetof` is defined for them and the member lies at that offset.
[[nodiscard]] inline void* member_at(void* obj, const field& f) noexcept {
  return static_cast<std::byte*>(obj) + f.offset;
}
[[nodiscard]] inline const void* member_at(const void* obj, const field& f) noexcept {
  return static_cast<const std::byte*>(obj) + f.offset;
}

template <class T>
[[nodiscard]] std::uint64_t load(const void* m, bool conditional) noexcept {
  if (conditional) {
    const auto& o = *static_cast<const std::optional<T>*>(m);
    return o ? static_cast<std::uint64_t>(*o) : 0;
  }
  return static_cast<std::uint64_t>(*static_cast<const T*>(m));
}

/// The integer a field holds, for conditions, counts and checks: an absent optional and a
/// field that is no integer read as 0.
[[nodiscard]] inline std::uint64_t scalar(const void* obj, const field& f) noexcept {
  if (f.shape != shape::one) return 0;
  const void* m = member_at(obj, f);
  switch (f.kind) {
    case kind::u8: return load<std::uint8_t>(m, f.conditional);
    case kind::u16: return load<std::uint16_t>(m, f.conditional);
    case kind::u32: return load<std::uint32_t>(m, f.conditional);
    case kind::u64:
    case kind::u48: return load<std::uint64_t>(m, f.conditional);
    case kind::i32: return load<std::int32_t>(m, f.conditional);
    default: return 0;
  }
}

template <class T>
[[nodiscard]] bool store(void* m, bool conditional, std::uint64_t v) noexcept {
  if (v > std::numeric_limits<T>::max()) return false;
  if (!conditional)
    *static_cast<T*>(m) = static_cast<T>(v);
  else if (auto& o = *static_cast<std::optional<T>*>(m))
    *o = static_cast<T>(v);
  return true;
}

/// Sets the count or size field `f` to v (an absent optional stays absent); false if too wide.
[[nodiscard]] inline bool set_scalar(void* obj, const field& f, std::uint64_t v) noexcept {
  void* m = member_at(obj, f);
  switch (f.kind) {
    case kind::u8: return store<std::uint8_t>(m, f.conditional, v);
    case kind::u16: return store<std::uint16_t>(m, f.conditional, v);
    case kind::u32: return store<std::uint32_t>(m, f.conditional, v);
    default: return store<std::uint64_t>(m, f.conditional, v);
  }
}

[[nodiscard]] inline bool holds(const condition& c, const void* obj, std::span<const field> fields,
                                const context& ctx) noexcept {
  for (const term& t : c.terms) {
    if (t.op == term::none) break;
    const std::uint64_t v = scalar(obj, fields[static_cast<std::size_t>(t.field)]);
    bool ok = false;
    switch (t.op) {
      case term::eq: ok = v == t.constant; break;
      case term::ne: ok = v != t.constant; break;
      case term::any_bit: ok = (v & t.constant) != 0; break;
      case term::no_bit: ok = (v & t.constant) == 0; break;
      case term::public_logon: ok = !ctx.private_logon(static_cast<std::uint8_t>(v)); break;
      case term::private_logon: ok = ctx.private_logon(static_cast<std::uint8_t>(v)); break;
      case term::none: break;
    }
    if (!ok) return false;
  }
  return true;
}

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

[[nodiscard]] inline field_args args_of(const void* obj, std::span<const field> fields,
                                        const field& f, const context& ctx) noexcept {
  field_args a{f.name};
  if (f.ref >= 0) a.n = scalar(obj, fields[static_cast<std::size_t>(f.ref)]);
  if (f.kind == kind::flex_string) a.utf16 = holds(f.utf16, obj, fields, ctx);
  if (f.columns == columns_from::fixed)
    a.columns = f.fixed_columns;
  else if (f.columns != columns_from::none)
    a.columns = ctx.columns;
  return a;
}

// One value of kind K into `out` (instantiated once per kind).
template <kind K>
[[nodiscard]] result<void> read_value(reader& in, value_t<K>& out, const field_args& a) {
  const std::size_t at = in.offset();
  using enum kind;
  if constexpr (K == u8 || K == u16 || K == u32 || K == u64 || K == i32) {
    auto v = in.read<value_t<K>>(a.what);
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
  } else {
    static_assert(K == row);
    if (!a.columns) [[unlikely]]
      return error{errc::columns_unknown, at, a.what};
    auto v = mapi::decode_property_row<mapi::owned>(in, *a.columns);
    if (!v) [[unlikely]]
      return v.error();
    out = std::move(*v);
  }
  return {};
}

// One value of kind K (instantiated once per kind and sink).
template <kind K, class Sink>
[[nodiscard]] result<void> write_value(basic_writer<Sink>& w, const value_t<K>& v,
                                       const field_args& a) {
  using enum kind;
  if constexpr (K == u8 || K == u16 || K == u32 || K == u64 || K == i32) {
    return w.template write<value_t<K>>(v, a.what);
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
  } else {
    static_assert(K == row);
    if (!a.columns) [[unlikely]]
      return error{errc::columns_unknown, w.size(), a.what};
    return mapi::encode_property_row(w, v, *a.columns);
  }
}

// A field of kind K: absent, one value, a std::array, a counted std::vector or a vector filling
// a byte size.
template <kind K>
[[nodiscard]] result<void> read_field(reader& in, void* m, const field& f, bool present,
                                      const field_args& a) {
  using T = value_t<K>;
  if (f.shape == shape::array) {  // std::array<T, fixed>: fixed Ts back to back (never optional)
    for (std::size_t i = 0; i < f.fixed; ++i)
      if (auto r = read_value<K>(in, static_cast<T*>(m)[i], a); !r) [[unlikely]]
        return r;
    return {};
  }
  if (f.shape == shape::one) {
    if (!f.conditional) return read_value<K>(in, *static_cast<T*>(m), a);
    auto& o = *static_cast<std::optional<T>*>(m);
    if (!present) {
      o.reset();
      return {};
    }
    return read_value<K>(in, o.emplace(), a);
  }
  std::vector<T>* v = static_cast<std::vector<T>*>(m);
  if (f.conditional) {
    auto& o = *static_cast<std::optional<std::vector<T>>*>(m);
    if (!present) {
      o.reset();
      return {};
    }
    v = &o.emplace();
  }
  if (f.by_size) {
    auto sub = in.sub(static_cast<std::size_t>(a.n), a.what);
    if (!sub) [[unlikely]]
      return sub.error();
    v->clear();
    while (!sub->empty())
      if (auto r = read_value<K>(*sub, v->emplace_back(), a); !r) [[unlikely]]
        return r;
    return {};
  }
  if (auto ok = mapi::detail::check_count(in, a.n, min_size(K), in.offset(), a.what); !ok)
      [[unlikely]]
    return ok;
  v->resize(static_cast<std::size_t>(a.n));
  for (auto& e : *v)
    if (auto r = read_value<K>(in, e, a); !r) [[unlikely]]
      return r;
  return {};
}

[[nodiscard]] inline result<void> decode_fields(reader& in, void* obj, const struct_info& s,
                                                const context& ctx);

// A nested struct or a vector of them (counted or filling a byte size); never optional.
[[nodiscard]] inline result<void> read_nested(reader& in, void* m, const field& f,
                                              const field_args& a, const context& ctx) {
  const struct_info& e = *f.nested;
  if (f.shape == shape::one) return decode_fields(in, m, e, ctx);
  if (f.by_size) {
    auto sub = in.sub(static_cast<std::size_t>(a.n), a.what);
    if (!sub) [[unlikely]]
      return sub.error();
    e.vector_resize(m, 0);
    for (std::size_t i = 0; !sub->empty(); ++i)
      if (auto r = decode_fields(
              *sub, static_cast<std::byte*>(e.vector_resize(m, i + 1)) + i * e.element_size, e,
              ctx);
          !r) [[unlikely]]
        return r;
    return {};
  }
  if (auto ok = mapi::detail::check_count(in, a.n, 1, in.offset(), a.what); !ok) [[unlikely]]
    return ok;
  auto* p = static_cast<std::byte*>(e.vector_resize(m, static_cast<std::size_t>(a.n)));
  for (std::size_t i = 0; i < a.n; ++i)
    if (auto r = decode_fields(in, p + i * e.element_size, e, ctx); !r) [[unlikely]]
      return r;
  return {};
}

/// Decodes the fields of the struct at `obj` whose table is `s`, in wire order.
[[nodiscard]] inline result<void> decode_fields(reader& in, void* obj, const struct_info& s,
                                                const context& ctx) {
  for (const field& f : s.fields) {
    const std::size_t at = in.offset();
    const bool present = !f.conditional || holds(f.present, obj, s.fields, ctx);
    const field_args a = args_of(obj, s.fields, f, ctx);
    void* m = member_at(obj, f);
    auto r =
        f.kind == kind::nested ? read_nested(in, m, f, a, ctx) : with_kind(f.kind, [&](auto k) {
          return read_field<decltype(k)::value>(in, m, f, present, a);
        });
    if (!r) [[unlikely]]
      return r;
    if (present && (f.value >= 0 || f.handle)) {
      const std::uint64_t v = scalar(obj, f);
      if (f.value >= 0 && v != static_cast<std::uint64_t>(f.value)) [[unlikely]]
        return error{errc::unknown_rop_id, at, f.name};
      if (f.handle && v >= ctx.handle_count) [[unlikely]]
        return error{errc::handle_index_out_of_range, at, f.name};
    }
  }
  return {};
}

// Writes a field of kind K: a counted vector must hold `n` elements; an absent optional must be
// absent exactly when its condition fails.
template <kind K, class Sink>
[[nodiscard]] result<void> write_field(basic_writer<Sink>& w, const void* m, const field& f,
                                       bool present, const field_args& a, const char* ref_name) {
  using T = value_t<K>;
  if (f.shape == shape::array) {
    for (std::size_t i = 0; i < f.fixed; ++i)
      if (auto r = write_value<K>(w, static_cast<const T*>(m)[i], a); !r) [[unlikely]]
        return r;
    return {};
  }
  if (f.shape == shape::one) {
    if (!f.conditional) return write_value<K>(w, *static_cast<const T*>(m), a);
    const auto& o = *static_cast<const std::optional<T>*>(m);
    if (o.has_value() != present) [[unlikely]]
      return error{errc::condition_mismatch, w.size(), a.what};
    return o ? write_value<K>(w, *o, a) : result<void>{};
  }
  const std::vector<T>* v = static_cast<const std::vector<T>*>(m);
  if (f.conditional) {
    const auto& o = *static_cast<const std::optional<std::vector<T>>*>(m);
    if (o.has_value() != present) [[unlikely]]
      return error{errc::condition_mismatch, w.size(), a.what};
    if (!o) return {};
    v = &*o;
  }
  if (!f.by_size && ref_name && v->size() != a.n) [[unlikely]]
    return error{errc::count_mismatch, w.size(), ref_name};
  for (const auto& e : *v)
    if (auto r = write_value<K>(w, e, a); !r) [[unlikely]]
      return r;
  return {};
}

template <class Sink>
[[nodiscard]] result<void> encode_fields(basic_writer<Sink>& w, const void* obj,
                                         const struct_info& s, const context& ctx,
                                         bool check_counts = true);

template <class Sink>
[[nodiscard]] result<void> write_nested(basic_writer<Sink>& w, const void* m, const field& f,
                                        const field_args& a, const char* ref_name,
                                        const context& ctx, bool check_counts) {
  const struct_info& e = *f.nested;
  if (f.shape == shape::one) return encode_fields(w, m, e, ctx, check_counts);
  const std::size_t n = e.vector_size(m);
  if (!f.by_size && ref_name && n != a.n) [[unlikely]]
    return error{errc::count_mismatch, w.size(), ref_name};
  const auto* p = static_cast<const std::byte*>(e.vector_data(m));
  for (std::size_t i = 0; i < n; ++i)
    if (auto r = encode_fields(w, p + i * e.element_size, e, ctx, check_counts); !r) [[unlikely]]
      return r;
  return {};
}

template <class Sink>
[[nodiscard]] result<void> encode_fields(basic_writer<Sink>& w, const void* obj,
                                         const struct_info& s, const context& ctx,
                                         bool check_counts) {
  for (const field& f : s.fields) {
    const std::size_t at = w.size();
    if (f.value >= 0 && scalar(obj, f) != static_cast<std::uint64_t>(f.value)) [[unlikely]]
      return error{errc::invalid_value, at, f.name};
    const bool present = !f.conditional || holds(f.present, obj, s.fields, ctx);
    const field_args a = args_of(obj, s.fields, f, ctx);
    const char* ref_name =
        check_counts && f.ref >= 0 ? s.fields[static_cast<std::size_t>(f.ref)].name : nullptr;
    const void* m = member_at(obj, f);
    auto r = f.kind == kind::nested
                 ? write_nested(w, m, f, a, ref_name, ctx, check_counts)
                 : with_kind(f.kind, [&](auto k) {
                     return write_field<decltype(k)::value>(w, m, f, present, a, ref_name);
                   });
    if (!r) [[unlikely]]
      return r;
    if (f.by_size && ref_name && w.size() - at != a.n) [[unlikely]]
      return error{errc::count_mismatch, at, ref_name};
  }
  return {};
}

/// The value a count or size field should hold for the data of field `f` (nullopt: the data
/// is absent).
[[nodiscard]] inline result<std::optional<std::uint64_t>> count_of(const void* obj,
                                                                   const struct_info& s,
                                                                   const field& f,
                                                                   const context& ctx) {
  const void* m = member_at(obj, f);
  if (f.kind == kind::nested && f.shape == shape::vector && !f.by_size)
    return std::optional<std::uint64_t>(f.nested->vector_size(m));
  if (f.kind != kind::nested && f.shape == shape::vector && !f.by_size)
    return with_kind(f.kind, [&](auto k) -> std::optional<std::uint64_t> {
      using V = std::vector<value_t<decltype(k)::value>>;
      if (!f.conditional) return static_cast<const V*>(m)->size();
      const auto& o = *static_cast<const std::optional<V>*>(m);
      return o ? std::optional<std::uint64_t>(o->size()) : std::nullopt;
    });
  if (f.conditional && !holds(f.present, obj, s.fields, ctx)) return std::nullopt;
  // The encoded size: a byte count, a string with its terminator, a restriction, a vector
  // filling a byte size.
  std::vector<std::uint8_t> tmp;
  vector_writer tw(tmp);
  const bool present = !f.conditional || holds(f.present, obj, s.fields, ctx);
  const field_args a = args_of(obj, s.fields, f, ctx);
  auto r = f.kind == kind::nested
               ? write_nested(tw, m, f, a, nullptr, ctx, false)
               : with_kind(f.kind, [&](auto k) {
                   return write_field<decltype(k)::value>(tw, m, f, present, a, nullptr);
                 });
  if (!r) return r.error();
  return std::optional<std::uint64_t>(tmp.size());
}

[[nodiscard]] inline result<void> fill_fields(void* obj, const struct_info& s, const context& ctx) {
  for (const field& f : s.fields) {
    if (f.kind == kind::nested) {
      void* m = member_at(obj, f);
      const struct_info& e = *f.nested;
      if (f.shape == shape::one) {
        if (auto r = fill_fields(m, e, ctx); !r) return r;
      } else {
        const std::size_t n = e.vector_size(m);
        auto* p = static_cast<std::byte*>(e.vector_resize(m, n));
        for (std::size_t i = 0; i < n; ++i)
          if (auto r = fill_fields(p + i * e.element_size, e, ctx); !r) return r;
      }
    }
    if (f.ref < 0 || f.kind == kind::rest) continue;
    auto v = count_of(obj, s, f, ctx);
    if (!v) return v.error();
    const field& c = s.fields[static_cast<std::size_t>(f.ref)];
    if (*v && !set_scalar(obj, c, **v)) [[unlikely]]
      return error{errc::invalid_value, 0, c.name};
  }
  return {};
}

}  // namespace detail

/// Decodes the fields of `s` in order (MS-OXCROPS 2.2 layout of S). On error `s` is unspecified.
template <laid_out S>
[[nodiscard]] result<void> decode_into(reader& in, S& s, const context& ctx) {
  return detail::decode_fields(in, &s, info<S>, ctx);
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
  return detail::encode_fields(w, &s, info<S>, ctx);
}

/// Sets every count and size field of `s` from the data it counts (element counts, byte
/// lengths, string lengths with their terminator), so that `encode_rop` accepts it:
/// `rop.PropertyTags = {...}; fill_counts(rop);`.
template <laid_out S>
[[nodiscard]] result<void> fill_counts(S& s, const context& ctx = {}) {
  return detail::fill_fields(&s, info<S>, ctx);
}

/// The table of the struct a list value holds: `info_of(rop).name == "RopLogon"`.
template <class... T>
[[nodiscard]] const struct_info& info_of(const any_rop<type_list<T...>>& v) noexcept {
  static constexpr std::array<const struct_info*, sizeof...(T)> infos{&info<T>...};
  return *infos[v.index()];
}

/// Writes the ROP a list value holds (one call for every alternative).
template <class Sink, class L>
[[nodiscard]] result<void> encode_rop(basic_writer<Sink>& w, const any_rop<L>& v,
                                      const context& ctx) {
  return detail::encode_fields(w, v.address(), info_of(v), ctx);
}

/// fill_counts on the ROP a list value holds: `for (auto& r : buffer.rops) fill_counts(r);`.
template <class L>
[[nodiscard]] result<void> fill_counts(any_rop<L>& v, const context& ctx = {}) {
  return detail::fill_fields(v.address(), info_of(v), ctx);
}

/// The spec name of a decoded ROP: `rop_name(buffer.rops[0]) == "RopLogon"`.
template <class L>
[[nodiscard]] std::string_view rop_name(const any_rop<L>& v) noexcept {
  return info_of(v).name;
}

namespace detail {

/// Where a response's `when` condition reads: a field at a fixed offset. A `required` one
/// (ReturnValue) must be in the input; another reads as 0 when the input ends first.
struct peek_operand {
  std::uint8_t offset = 0, size = 0;
  bool required = false;
};
struct peek_term {
  term::op_t op = term::none;
  peek_operand at{};
  std::uint64_t constant = 0;
};
struct peek_condition {
  std::array<peek_term, 2> terms{};
};

template <class V>
using decoder = result<V> (*)(reader&, const context&);

/// A response variant and the condition selecting it (gen/rop/dispatch.hpp).
template <class V>
struct response_variant {
  decoder<V> decode = nullptr;
  peek_condition when{};
};

/// The response variants of one ROP: response_variants[first, first + count), tried in order.
struct response_entry {
  std::uint16_t first = 0;
  std::uint8_t count = 0;
  std::uint8_t response_id = 0;  // the RopId its responses carry
  const char* what = "";
};

/// The S at the reader as a V holding it (the entries of the RopId tables of gen/rop/).
template <class V, class S>
[[nodiscard]] result<V> decode_as(reader& in, const context& ctx) {
  S s{};
  if (auto r = decode_fields(in, &s, info<S>, ctx); !r) [[unlikely]]
    return r.error();
  return V(std::move(s));
}

}  // namespace detail

}  // namespace oxwire::rop
