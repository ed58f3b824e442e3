// oxwire — error conditions of the Compound File Binary container (MS-CFB).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::cfb {

/// What the MS-CFB reader or writer can reject; travels in `oxwire::error` with the offset.
/// Truncation (a header, sector or stream cut short) is `oxwire::errc::truncated`.
enum class errc : int {
  invalid_signature = 1,  // Header Signature is not D0 CF 11 E0 A1 B1 1A E1 (MS-CFB 2.2)
  invalid_version,        // Major/Minor Version or Byte Order outside what MS-CFB 2.2 allows
  invalid_sector_shift,   // Sector Shift not 9 (version 3) or 12 (version 4), Mini not 6
  sector_out_of_range,    // a sector number past the end of the file, or a free/special one
  chain_cycle,            // a FAT or miniFAT chain longer than the sectors it could use
  difat_loop,             // the DIFAT sector chain revisits a sector
  directory_loop,         // a directory entry reached twice in the tree walk
  invalid_entry,          // a directory entry with an impossible type, name length or id
  stream_past_chain,      // a stream size larger than its sector chain
  not_a_stream,           // read_stream on a storage or unused entry
  invalid_name,           // a writer name longer than 31 UTF-16 units, or a duplicate
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::invalid_signature: return "not a compound file";
    case errc::invalid_version: return "invalid version";
    case errc::invalid_sector_shift: return "invalid sector shift";
    case errc::sector_out_of_range: return "sector out of range";
    case errc::chain_cycle: return "sector chain cycle";
    case errc::difat_loop: return "DIFAT loop";
    case errc::directory_loop: return "directory loop";
    case errc::invalid_entry: return "invalid directory entry";
    case errc::stream_past_chain: return "stream size past its chain";
    case errc::not_a_stream: return "not a stream";
    case errc::invalid_name: return "invalid name";
  }
  return "unknown oxwire.cfb error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> cfb_category_instance{0x6f78776972650061ULL,
                                                                           "oxwire.cfb"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& cfb_category() noexcept {
  return detail::cfb_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), cfb_category()};
}

}  // namespace oxwire::cfb

template <>
struct boost::system::is_error_code_enum<oxwire::cfb::errc> : std::true_type {};
