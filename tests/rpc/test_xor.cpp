// MS-OXCRPC 3.1.4.1.1.3 XorMagic: the worked example, the AVX2 kernel against the scalar oracle.
#include <gtest/gtest.h>
#include <oxwire/detail/xor_avx2.hpp>
#include <oxwire/rpc/xor.hpp>
#include <oxwire_test/requirements.hpp>

#include <cstdint>
#include <random>
#include <vector>

namespace test_xor {

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

// specs/examples/MS-OXCRPC_xor_example.hex
TEST(Xor, ExampleBytes) {
  OXWIRE_REQ("MS-OXCRPC_R4841", "MS-OXCRPC_R4842");
  std::vector<std::uint8_t> data{0x00, 0x01, 0x02, 0xa5, 0xff};
  oxwire::rpc::obfuscate(data);
  EXPECT_EQ(data, (std::vector<std::uint8_t>{0xa5, 0xa4, 0xa7, 0x00, 0x5a}));
  oxwire::rpc::deobfuscate(data);
  EXPECT_EQ(data, (std::vector<std::uint8_t>{0x00, 0x01, 0x02, 0xa5, 0xff}));
}

TEST(Xor, EmptyIsNoOp) {
  std::vector<std::uint8_t> none;
  oxwire::rpc::obfuscate(none);
  EXPECT_TRUE(none.empty());
}

// Every length around the 8-, 32- and 128-byte steps, at every alignment, against the oracle;
// the bytes around the range must stay untouched.
TEST(Xor, KernelsMatchBytewiseOracle) {
  for (std::size_t n = 0; n < 300; ++n) {
    for (std::size_t shift = 0; shift < 4; ++shift) {
      const auto input = random_bytes(n + 8, static_cast<unsigned>(n * 7 + shift));
      auto want = input;
      oxwire::detail::xor_magic_bytewise(want.data() + shift, n);
      auto scalar = input;
      oxwire::detail::xor_magic_scalar(scalar.data() + shift, n);
      EXPECT_EQ(scalar, want) << n << '+' << shift;
#if OXWIRE_X86
      if (oxwire::detail::best_isa() == oxwire::detail::isa::avx2) {
        auto avx2 = input;
        oxwire::detail::xor_magic_avx2(avx2.data() + shift, n);
        EXPECT_EQ(avx2, want) << n << '+' << shift;
      }
#endif
      auto dispatched = input;
      oxwire::rpc::obfuscate(oxwire::mutable_bytes(dispatched).subspan(shift, n));
      EXPECT_EQ(dispatched, want) << n << '+' << shift;
    }
  }
}

TEST(Xor, LargeBufferRoundTrip) {
  const auto input = random_bytes(1 << 20, 42);
  auto data = input;
  oxwire::rpc::obfuscate(data);
  for (std::size_t i = 0; i < data.size(); i += 4099) ASSERT_EQ(data[i], input[i] ^ 0xA5) << i;
  oxwire::rpc::deobfuscate(data);
  EXPECT_EQ(data, input);
}

}  // namespace test_xor
