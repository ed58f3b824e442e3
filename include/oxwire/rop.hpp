// oxwire — ROPs (MS-OXCROPS): generated request and response structs, the generic serializer
// and ROP buffers.
#pragma once

#include <oxwire/rop/buffer.hpp>
#include <oxwire/rop/codec.hpp>
#include <oxwire/rop/error.hpp>
#include <oxwire/rop/layout.hpp>
#include <oxwire/rop/types.hpp>
