// oxwire — the core layer in one include: result/error, byte views, little-endian reader and
// writers, UTF-16LE <-> UTF-8, base64, GUID, FILETIME and hex.
//
//   #include <oxwire/core.hpp>
//   oxwire::reader in(bytes);
//   auto rop_id = in.read<std::uint8_t>("RopId");
#pragma once

#include <oxwire/core/base64.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/filetime.hpp>
#include <oxwire/core/guid.hpp>
#include <oxwire/core/hex.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/core/writer.hpp>
