// FILETIME (MS-DTYP 2.3.3) <-> std::chrono: fixed points, known dates, rounding of finer and
// stranger durations, round trips, and the ends of the range.
#include <oxwire/core/filetime.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <random>

namespace test_filetime {

using namespace std::chrono;
using namespace std::chrono_literals;
using oxwire::errc;
using oxwire::filetime_duration;
using oxwire::from_filetime;
using oxwire::to_filetime;

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
// The last FILETIME that sys_time<filetime_duration> holds: 2^63 - 1 ticks after 1970.
constexpr std::uint64_t kLastRepresentable =
    std::uint64_t{std::numeric_limits<std::int64_t>::max()} + oxwire::filetime_unix_epoch;

// The result is an out_of_range error.
template <class R>
::testing::AssertionResult out_of_range(const R& r) {
  if (r) return ::testing::AssertionFailure() << "succeeded with " << *r;
  if (r.error().code != errc::out_of_range)
    return ::testing::AssertionFailure() << r.error().message();
  return ::testing::AssertionSuccess();
}

TEST(Filetime, ZeroIsTheStartOf1601) {
  static_assert(from_filetime(0) == sys_days{1601y / January / 1});
  EXPECT_EQ(from_filetime(0), oxwire::filetime_epoch);
  EXPECT_EQ(to_filetime(sys_days{1601y / January / 1}).value(), 0u);
}

TEST(Filetime, UnixEpoch) {
  static_assert(oxwire::filetime_unix_epoch == 116444736000000000u);
  static_assert(from_filetime(116444736000000000u).time_since_epoch().count() == 0);
  EXPECT_EQ(to_filetime(sys_days{1970y / January / 1}).value(), 116444736000000000u);
  EXPECT_EQ(to_filetime(sys_seconds{}).value(), 116444736000000000u);
}

TEST(Filetime, KnownDates) {
  // Computed independently: (date - 1601-01-01) in days * 864'000'000'000 (+ seconds * 10^7).
  // 2009-06-15T00:00:00Z is 128894976000000000; 128895264000000000 is 08:00Z (Pacific midnight).
  EXPECT_EQ(to_filetime(sys_days{2009y / June / 15}).value(), 128894976000000000u);
  EXPECT_EQ(from_filetime(128894976000000000u), sys_days{2009y / June / 15});
  EXPECT_EQ(from_filetime(128895264000000000u), sys_days{2009y / June / 15} + 8h);
  EXPECT_EQ(to_filetime(sys_days{2000y / January / 1}).value(), 125911584000000000u);
  EXPECT_EQ(to_filetime(sys_days{9999y / December / 31} + 23h + 59min + 59s).value(),
            2650467743990000000u);
  // 0x01D9B1A2C3D4E5F6 = 2023-07-08T13:47:41.2468214Z
  EXPECT_EQ(from_filetime(0x01D9B1A2C3D4E5F6u),
            sys_days{2023y / July / 8} + 13h + 47min + 41s + filetime_duration{2468214});
}

TEST(Filetime, RoundTripsEveryRepresentableValue) {
  std::mt19937_64 rng(20240615);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t ft = rng() % (kLastRepresentable + 1);
    ASSERT_EQ(to_filetime(from_filetime(ft)).value(), ft);
  }
  for (std::uint64_t ft : {std::uint64_t{0}, std::uint64_t{1}, oxwire::filetime_unix_epoch - 1,
                           oxwire::filetime_unix_epoch, kLastRepresentable})
    EXPECT_EQ(to_filetime(from_filetime(ft)).value(), ft);
}

TEST(Filetime, FinerDurationsRoundDown) {
  const auto epoch = sys_time<nanoseconds>{};
  EXPECT_EQ(to_filetime(epoch + 199ns).value(), oxwire::filetime_unix_epoch + 1);
  EXPECT_EQ(to_filetime(epoch + 200ns).value(), oxwire::filetime_unix_epoch + 2);
  EXPECT_EQ(to_filetime(epoch - 1ns).value(), oxwire::filetime_unix_epoch - 1);
  EXPECT_EQ(to_filetime(epoch - 100ns).value(), oxwire::filetime_unix_epoch - 1);
  EXPECT_EQ(to_filetime(epoch - 101ns).value(), oxwire::filetime_unix_epoch - 2);
  // A third of a second is 3333333.3 ticks.
  using thirds = duration<std::int64_t, std::ratio<1, 3>>;
  EXPECT_EQ(to_filetime(sys_time<thirds>{thirds{1}}).value(),
            oxwire::filetime_unix_epoch + 3333333);
  EXPECT_EQ(to_filetime(sys_time<thirds>{thirds{-1}}).value(),
            oxwire::filetime_unix_epoch - 3333334);
  EXPECT_EQ(to_filetime(sys_time<thirds>{thirds{3}}).value(),
            oxwire::filetime_unix_epoch + 10000000);
}

TEST(Filetime, OtherRepresentations) {
  using int_seconds = duration<std::int32_t>;
  using unsigned_ticks = duration<std::uint64_t, filetime_duration::period>;
  using float_seconds = duration<double>;
  EXPECT_EQ(to_filetime(sys_time<int_seconds>{int_seconds{-1}}).value(),
            oxwire::filetime_unix_epoch - 10000000);
  EXPECT_EQ(to_filetime(sys_time<milliseconds>{1500ms}).value(),
            oxwire::filetime_unix_epoch + 15000000);
  EXPECT_EQ(to_filetime(sys_time<float_seconds>{float_seconds{1.25}}).value(),
            oxwire::filetime_unix_epoch + 12500000);
  EXPECT_EQ(to_filetime(sys_time<float_seconds>{float_seconds{-1.25}}).value(),
            oxwire::filetime_unix_epoch - 12500000);
  EXPECT_EQ(
      to_filetime(sys_time<unsigned_ticks>{unsigned_ticks{kMax - oxwire::filetime_unix_epoch}})
          .value(),
      kMax);
  static_assert(to_filetime(sys_days{1970y / January / 2}).value() ==
                oxwire::filetime_unix_epoch + 864000000000u);
}

TEST(Filetime, BeforeSixteenOhOneIsOutOfRange) {
  using ten_ns = duration<std::int64_t, std::ratio<1, 100'000'000>>;  // ns do not reach 1601
  const auto start = sys_time<ten_ns>{sys_days{1601y / January / 1}};
  EXPECT_EQ(to_filetime(start).value(), 0u);
  EXPECT_EQ(to_filetime(start + ten_ns{9}).value(), 0u);
  EXPECT_TRUE(out_of_range(to_filetime(start - ten_ns{1})));
  EXPECT_TRUE(out_of_range(to_filetime(sys_days{1600y / December / 31})));
  EXPECT_TRUE(out_of_range(to_filetime(sys_time<seconds>{seconds{INT64_MIN}})));
  using float_seconds = duration<double>;
  EXPECT_TRUE(out_of_range(to_filetime(sys_time<float_seconds>{float_seconds{-11644473601.0}})));
  EXPECT_TRUE(out_of_range(to_filetime(
      sys_time<float_seconds>{float_seconds{-std::numeric_limits<double>::infinity()}})));
  EXPECT_TRUE(out_of_range(to_filetime(
      sys_time<float_seconds>{float_seconds{std::numeric_limits<double>::quiet_NaN()}})));
}

TEST(Filetime, PastSixtyFourBitsIsOutOfRange) {
  using unsigned_ticks = duration<std::uint64_t, filetime_duration::period>;
  using float_seconds = duration<double>;
  const auto last = unsigned_ticks{kMax - oxwire::filetime_unix_epoch};
  EXPECT_TRUE(out_of_range(to_filetime(sys_time<unsigned_ticks>{last + unsigned_ticks{1}})));
  EXPECT_TRUE(out_of_range(to_filetime(sys_time<unsigned_ticks>{unsigned_ticks{kMax}})));
  EXPECT_TRUE(
      out_of_range(to_filetime(sys_time<seconds>{seconds{INT64_MAX}})));  // * 10^7 overflows
  EXPECT_TRUE(to_filetime(sys_time<years>{years{58000}}));                // 59970 fits
  EXPECT_TRUE(out_of_range(to_filetime(sys_time<years>{years{58100}})));  // 60070 does not
  EXPECT_TRUE(out_of_range(to_filetime(
      sys_time<float_seconds>{float_seconds{std::numeric_limits<double>::infinity()}})));
  EXPECT_TRUE(out_of_range(to_filetime(sys_time<float_seconds>{float_seconds{1.9e12}})));
}

TEST(Filetime, FromFiletimeClampsWhatSysTimeCannotHold) {
  using time_point = sys_time<filetime_duration>;
  EXPECT_EQ(from_filetime(kLastRepresentable), time_point::max());  // exactly max
  EXPECT_EQ(from_filetime(kLastRepresentable + 1), time_point::max());
  EXPECT_EQ(from_filetime(kMax), time_point::max());
  EXPECT_EQ(from_filetime(kLastRepresentable - 1), time_point::max() - filetime_duration{1});
}

}  // namespace test_filetime
