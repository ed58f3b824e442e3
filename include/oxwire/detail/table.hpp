// oxwire — compile-time lookup over the generated spec tables.
//
// The generator writes each table as a constexpr array in source order and, for each key,
// a permutation of row indices sorted by that key. Lookups are constexpr binary searches,
// so `static_assert(find_rop_by_name("RopLogon")->ropid == 0xFE)` works at compile time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace oxwire::detail {

/// A run of entries in a generated string pool (lists such as alternate names).
struct pool_slice {
  std::uint16_t first = 0;
  std::uint16_t count = 0;
};

template <std::size_t N>
[[nodiscard]] constexpr std::span<const std::string_view> slice_of(
    const std::array<std::string_view, N>& pool, pool_slice s) noexcept {
  return std::span<const std::string_view>(pool).subspan(s.first, s.count);
}

/// First position in `order` (indices into `rows`, sorted by `key(row)`) whose key is not
/// less than `k`.
template <class Row, std::size_t N, class Index, std::size_t M, class Key, class Proj>
[[nodiscard]] constexpr std::size_t lower_bound(const std::array<Row, N>& rows,
                                                const std::array<Index, M>& order, const Key& k,
                                                Proj key) noexcept {
  std::size_t lo = 0, hi = M;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (key(rows[order[mid]]) < k)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/// The row whose key equals `k`, or nullptr. With duplicate keys, the first in source order.
template <class Row, std::size_t N, class Index, std::size_t M, class Key, class Proj>
[[nodiscard]] constexpr const Row* find(const std::array<Row, N>& rows,
                                        const std::array<Index, M>& order, const Key& k,
                                        Proj key) noexcept {
  const std::size_t i = lower_bound(rows, order, k, key);
  return i < M && key(rows[order[i]]) == k ? &rows[order[i]] : nullptr;
}

/// Every row whose key equals `k`, as the matching run of `order`.
template <class Row, std::size_t N, class Index, std::size_t M, class Key, class Proj>
[[nodiscard]] constexpr std::span<const Index> equal_range(const std::array<Row, N>& rows,
                                                           const std::array<Index, M>& order,
                                                           const Key& k, Proj key) noexcept {
  std::size_t first = lower_bound(rows, order, k, key), last = first;
  while (last < M && key(rows[order[last]]) == k) ++last;
  return std::span<const Index>(order).subspan(first, last - first);
}

}  // namespace oxwire::detail
