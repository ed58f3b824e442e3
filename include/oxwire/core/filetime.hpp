// oxwire — FILETIME (MS-DTYP 2.3.3: unsigned 64-bit count of 100 ns intervals since
// 1601-01-01T00:00:00Z) <-> std::chrono. Used by MS-OXCDATA PtypTime, MS-OXTNEF, MS-OXOCAL.
//
//   auto t = oxwire::from_filetime(ft);                        // sys_time<filetime_duration>
//   auto ft = oxwire::to_filetime(std::chrono::system_clock::now());  // result<std::uint64_t>
#pragma once

#include <oxwire/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <ratio>
#include <type_traits>
#include <utility>

namespace oxwire {

/// One FILETIME tick: 100 ns.
using filetime_duration = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;

/// The FILETIME epoch, 1601-01-01T00:00:00Z (MS-DTYP 2.3.3).
inline constexpr std::chrono::sys_days filetime_epoch{std::chrono::year{1601} / 1 / 1};

/// FILETIME of the Unix epoch 1970-01-01T00:00:00Z: ticks from 1601 to 1970.
inline constexpr std::uint64_t filetime_unix_epoch = 116'444'736'000'000'000ULL;
static_assert(filetime_duration{std::chrono::sys_days{} - filetime_epoch}.count() ==
              static_cast<std::int64_t>(filetime_unix_epoch));

/// A FILETIME as a UTC time point: `from_filetime(116444736000000000)` is the Unix epoch.
/// FILETIMEs past what sys_time<filetime_duration> holds (2^63 ticks after 1970, in the year
/// 31197) give time_point::max().
[[nodiscard]] constexpr std::chrono::sys_time<filetime_duration> from_filetime(
    std::uint64_t ft) noexcept {
  using time_point = std::chrono::sys_time<filetime_duration>;
  constexpr std::uint64_t last =
      std::uint64_t{std::numeric_limits<std::int64_t>::max()} + filetime_unix_epoch;
  if (ft > last) return time_point::max();
  // ft - epoch wraps for times before 1970; converting back to signed undoes it (C++20).
  return time_point{filetime_duration{static_cast<std::int64_t>(ft - filetime_unix_epoch)}};
}

/// A time point as FILETIME, rounded down to a whole 100 ns tick:
/// `to_filetime(std::chrono::sys_days{2009y / 6 / 15})` == 128894976000000000. Exact for every
/// integral duration; errc::out_of_range (offset 0) before 1601 or past 2^64 - 1 ticks.
template <class D>
[[nodiscard]] constexpr result<std::uint64_t> to_filetime(std::chrono::sys_time<D> t) noexcept {
  using rep = typename D::rep;
  static_assert(std::is_arithmetic_v<rep> && sizeof(rep) <= 8, "counts up to 64 bits only");
  // ticks = count * num / den
  using ratio = std::ratio_divide<typename D::period, filetime_duration::period>;
  constexpr std::uint64_t num = ratio::num, den = ratio::den, max = ~std::uint64_t{0};
  static_assert(num <= max / den, "period num * den must fit in 64 bits");
  const rep count = t.time_since_epoch().count();

  if constexpr (std::is_floating_point_v<rep>) {
    const long double ft = static_cast<long double>(count) * num / den + filetime_unix_epoch;
    if (!(ft >= 0)) return error{errc::out_of_range, 0, "FILETIME before 1601"};  // and NaN
    if (!(ft < 18446744073709551616.0L))
      return error{errc::out_of_range, 0, "FILETIME past 64 bits"};
    return static_cast<std::uint64_t>(ft);  // truncation is floor for ft >= 0
  } else {
    const bool negative = std::cmp_less(count, 0);
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(count) : static_cast<std::uint64_t>(count);
    // floor(magnitude * num / den) and whether it has a remainder, without overflow:
    // magnitude = q * den + r, r * num < den * num fits by the static_assert.
    const std::uint64_t q = magnitude / den, r = magnitude % den;
    const bool too_big = q > max / num || q * num > max - r * num / den;
    const std::uint64_t ticks = too_big ? max : q * num + r * num / den;
    const bool inexact = r * num % den != 0;
    if (negative) {  // before 1970: ft = epoch - ceil(magnitude * num / den)
      if (ticks > filetime_unix_epoch || (ticks == filetime_unix_epoch && inexact))
        return error{errc::out_of_range, 0, "FILETIME before 1601"};
      return filetime_unix_epoch - ticks - (inexact ? 1 : 0);
    }
    if (ticks > max - filetime_unix_epoch)
      return error{errc::out_of_range, 0, "FILETIME past 64 bits"};
    return filetime_unix_epoch + ticks;
  }
}

}  // namespace oxwire
