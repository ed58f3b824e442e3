// oxwire — TNEF (MS-OXTNEF: winmail.dat, application/ms-tnef) in one include: the stream's
// attributes, the TNEF layout of MAPI properties, and a message model read and written whole.
//   #include <oxwire/tnef.hpp>
//   oxwire::tnef::stream_header h;
//   oxwire::mapi::message m = oxwire::tnef::decode(bytes, h).value();
//   oxwire::tnef::message_view v = oxwire::tnef::decode_view(bytes).value();  // in place
//   std::vector<std::uint8_t> again = oxwire::tnef::encode(m, h).value();
#pragma once

#include <oxwire/tnef/attribute.hpp>
#include <oxwire/tnef/convert.hpp>
#include <oxwire/tnef/decode.hpp>
#include <oxwire/tnef/encode.hpp>
#include <oxwire/tnef/error.hpp>
#include <oxwire/tnef/message.hpp>
#include <oxwire/tnef/message_view.hpp>
#include <oxwire/tnef/property_list.hpp>
