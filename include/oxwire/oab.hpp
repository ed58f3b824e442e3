// oxwire — offline address book files (MS-OXOAB) in one include: the uncompressed version 4
// Full Details file read (owning and zero-copy) and written, and the compressed file headers.
// Decompression through libmspack is in <oxwire/oab/mspack.hpp> (link libmspack).
//   #include <oxwire/oab.hpp>
//   oxwire::oab::full_details oab = oxwire::oab::decode_full_details(bytes).value();
//   std::vector<std::uint8_t> again = oxwire::oab::encode_full_details(oab).value();
#pragma once

#include <oxwire/oab/compressed.hpp>
#include <oxwire/oab/error.hpp>
#include <oxwire/oab/full_details.hpp>
