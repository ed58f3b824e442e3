// oxwire — MS-OXCRPC: extended buffers (RPC_HEADER_EXT chains), LZ77/DIRECT2, XorMagic, AUX blocks.
#pragma once

#include <oxwire/rpc/aux.hpp>
#include <oxwire/rpc/error.hpp>
#include <oxwire/rpc/extended_buffer.hpp>
#include <oxwire/rpc/lz77.hpp>
#include <oxwire/rpc/xor.hpp>
