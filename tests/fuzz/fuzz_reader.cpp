// Fuzzes the core cursor and the text parsers. The first byte picks the mode:
//   0: a byte-coded program of reader operations (first byte after the mode: program length)
//      over the remaining bytes, checked against the data itself: every view and value comes
//      from the input at the reader's absolute offset, a failure is truncated at the cursor and
//      leaves it unchanged, nested readers never leave their parent's range; values read are
//      written back with both writers and read again;
//   1: guid::parse, with format/parse and encode/decode round trips on success;
//   2: hex::decode, with encode round trip on success;
//   3: hex::decode_dump, with encode/decode round trips on success.
#include <oxwire/core/guid.hpp>
#include <oxwire/core/hex.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using oxwire::errc;
using oxwire::reader;

void require(bool ok) {
  if (!ok) std::abort();
}

// The input every reader views; readers report offsets relative to its start.
struct input {
  const std::uint8_t* data;
  std::size_t size;
};

void check_state(const input& in, const reader& r) {
  require(r.offset() <= in.size);
  require(r.remaining() <= in.size - r.offset());
  require(r.empty() == (r.remaining() == 0));
  require(r.rest().size() == r.remaining());
  require(r.remaining() == 0 || r.rest().data() == in.data + r.offset());  // absolute offsets
}

// A failed operation left the cursor where it was and says so.
template <class R>
void check_failure(const R& res, const reader& before, const reader& after, errc code) {
  require(res.error().code == code);
  require(res.error().offset == before.offset());
  require(after.offset() == before.offset() && after.remaining() == before.remaining());
}

// Little-endian value of the n bytes at p, assembled independently of the reader.
std::uint64_t le(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = v << 8 | p[i];
  return v;
}

// Writes v with a fixed-buffer writer and a vector writer and reads it back.
template <class T>
void check_write_back(T v) {
  std::array<std::uint8_t, sizeof(T)> fixed{};
  oxwire::writer w(fixed);
  require(w.write<T>(v).has_value() && w.size() == sizeof(T));
  require(!w.write<std::uint8_t>(0) && w.size() == sizeof(T));  // full now
  std::vector<std::uint8_t> grown;
  oxwire::vector_writer vw(grown);
  require(vw.write<T>(v).has_value());
  require(std::equal(fixed.begin(), fixed.end(), grown.begin(), grown.end()));
  reader back(grown);
  const auto again = back.read<T>();
  require(again.has_value() && std::memcmp(&*again, &v, sizeof(T)) == 0 && back.empty());
}

template <class T>
void op_read(const input& in, reader& r) {
  const reader before = r;
  const auto v = r.read<T>("field");
  check_state(in, r);
  if (!v) return check_failure(v, before, r, errc::truncated);
  require(before.remaining() >= sizeof(T) && r.offset() == before.offset() + sizeof(T));
  using U = typename oxwire::detail::uint_of_size<sizeof(T)>::type;
  require(std::bit_cast<U>(*v) == le(in.data + before.offset(), sizeof(T)));
  check_write_back(*v);
}

void op_bytes(const input& in, reader& r, std::size_t n) {
  const reader before = r;
  const auto v = r.bytes(n);
  check_state(in, r);
  if (!v) return check_failure(v, before, r, errc::truncated);
  require(v->size() == n && r.offset() == before.offset() + n);
  require(n == 0 || v->data() == in.data + before.offset());
}

void op_until_nul(const input& in, reader& r) {
  const reader before = r;
  const auto v = r.until_nul();
  check_state(in, r);
  if (!v) {
    check_failure(v, before, r, errc::truncated);
    return require(std::find(before.rest().begin(), before.rest().end(), 0) == before.rest().end());
  }
  require(r.offset() == before.offset() + v->size() + 1);
  require(std::find(v->begin(), v->end(), 0) == v->end());
  require(in.data[before.offset() + v->size()] == 0);
}

void op_until_u16_nul(const input& in, reader& r) {
  const reader before = r;
  const auto v = r.until_u16_nul();
  check_state(in, r);
  const auto nul_unit = [&](std::size_t at) { return in.data[at] == 0 && in.data[at + 1] == 0; };
  const std::size_t units = v ? v->size() / 2 : before.remaining() / 2;
  for (std::size_t i = 0; i < units; ++i) require(!nul_unit(before.offset() + 2 * i));
  if (!v) return check_failure(v, before, r, errc::truncated);
  require(v->size() % 2 == 0 && r.offset() == before.offset() + v->size() + 2);
  require(nul_unit(before.offset() + v->size()));
}

void op_expect(const input& in, reader& r, std::uint8_t value) {
  const reader before = r;
  const auto v = r.expect<std::uint8_t>(value);
  check_state(in, r);
  if (before.empty()) return check_failure(v, before, r, errc::truncated);
  if (in.data[before.offset()] != value) return check_failure(v, before, r, errc::out_of_range);
  require(v.has_value() && r.offset() == before.offset() + 1);
}

void op_read_into(const input& in, reader& r) {
  const reader before = r;
  std::uint16_t a = 0x1111;
  std::uint32_t b = 0x22222222;
  std::uint8_t c = 0x33;
  const auto v = r.read_into(a, b, c);
  check_state(in, r);
  if (!v) {
    require(v.error().code == errc::truncated && r.offset() == before.offset());
    const std::size_t left = before.remaining();
    require(v.error().offset == before.offset() + (left < 2 ? 0 : left < 6 ? 2 : 6));
    return require(a == 0x1111 && b == 0x22222222 && c == 0x33);
  }
  const std::uint8_t* p = in.data + before.offset();
  require(a == le(p, 2) && b == le(p + 2, 4) && c == p[6] && r.offset() == before.offset() + 7);
}

void run_program(const input& in, oxwire::bytes_view program) {
  std::vector<reader> stack{reader(oxwire::bytes_view(in.data, in.size))};
  std::vector<std::size_t> ends{in.size};  // absolute end of each reader's range
  for (std::size_t pc = 0; pc < program.size(); ++pc) {
    reader& r = stack.back();
    const std::uint8_t arg = pc + 1 < program.size() ? program[pc + 1] : 0;
    switch (program[pc] % 14) {
      case 0: op_read<std::uint8_t>(in, r); break;
      case 1: op_read<std::uint16_t>(in, r); break;
      case 2: op_read<std::uint32_t>(in, r); break;
      case 3: op_read<std::uint64_t>(in, r); break;
      case 4: op_read<std::int32_t>(in, r); break;
      case 5: op_read<double>(in, r); break;
      case 6: op_bytes(in, r, arg), ++pc; break;
      case 7: {
        const reader before = r;
        auto s = r.sub(arg);
        check_state(in, r);
        ++pc;
        if (!s) {
          check_failure(s, before, r, errc::truncated);
        } else if (stack.size() < 16) {
          require(s->offset() == before.offset() && s->remaining() == arg);
          require(r.offset() == before.offset() + arg);
          ends.push_back(s->offset() + s->remaining());
          stack.push_back(*s);  // `r` is not used after this
        }
        break;
      }
      case 8:
        if (stack.size() > 1) stack.pop_back(), ends.pop_back();
        break;
      case 9: op_until_nul(in, r); break;
      case 10: op_until_u16_nul(in, r); break;
      case 11: {
        const reader before = r;
        const auto s = r.skip(arg);
        check_state(in, r);
        ++pc;
        if (!s) check_failure(s, before, r, errc::truncated);
        break;
      }
      case 12: op_expect(in, r, arg), ++pc; break;
      case 13: op_read_into(in, r); break;
    }
    for (std::size_t i = 0; i < stack.size(); ++i) {  // no reader strays out of its range
      check_state(in, stack[i]);
      require(stack[i].offset() + stack[i].remaining() == ends[i]);
    }
  }
}

void fuzz_guid(std::string_view text) {
  const auto g = oxwire::guid::parse(text);
  if (!g) {
    require(g.error().code == errc::invalid_guid && g.error().offset <= text.size());
    return;
  }
  const std::string s = g->to_string();
  std::string expected(text.starts_with('{') ? text : "{" + std::string(text) + "}");
  std::transform(expected.begin(), expected.end(), expected.begin(),
                 [](char c) { return c >= 'a' && c <= 'f' ? static_cast<char>(c - 32) : c; });
  require(s == expected);
  require(oxwire::guid::from_string(s) == *g);
  std::vector<std::uint8_t> wire;
  oxwire::vector_writer w(wire);
  require(oxwire::encode(w, *g).has_value() && wire.size() == oxwire::guid::wire_size);
  reader in(wire);
  oxwire::guid back;
  require(oxwire::decode(in, back).has_value() && back == *g && in.empty());
}

void fuzz_hex(std::string_view text) {
  const auto b = oxwire::hex::decode(text);
  if (!b) {
    require(b.error().code == errc::invalid_hex && b.error().offset <= text.size());
    return;
  }
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c + 32) : c; });
  require(oxwire::hex::encode(*b) == lower);
  std::vector<std::uint8_t> small(b->size() / 2);  // too small unless empty
  const auto n = oxwire::hex::decode(text, small);
  require(b->empty() ? n.has_value() : n.error().code == errc::buffer_too_small);
}

void fuzz_dump(std::string_view text) {
  const auto b = oxwire::hex::decode_dump(text);
  if (!b) {
    require(b.error().code == errc::invalid_hex && b.error().offset <= text.size());
    return;
  }
  const std::string upper = oxwire::hex::encode(*b, true);
  require(oxwire::hex::decode(upper).value() == *b);
  require(oxwire::hex::decode_dump(upper).value() == *b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0] % 4;
  ++data, --size;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  switch (mode) {
    case 0: {
      const std::size_t program_size = size ? std::min<std::size_t>(data[0], size - 1) : 0;
      const oxwire::bytes_view program(data + (size ? 1 : 0), program_size);
      const std::size_t skip = (size ? 1 : 0) + program_size;
      // A copy, so that reads past the end are caught by ASan rather than landing in the program.
      const std::vector<std::uint8_t> buffer(data + skip, data + size);
      run_program({buffer.data(), buffer.size()}, program);
      break;
    }
    case 1: fuzz_guid(text); break;
    case 2: fuzz_hex(text); break;
    case 3: fuzz_dump(text); break;
  }
  return 0;
}
