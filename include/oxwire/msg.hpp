// oxwire — Outlook item files (.msg, MS-OXMSG) over the Compound File Binary container.
//
//   auto m = oxwire::msg::read_message(bytes);     // result<mapi::message>
//   auto file = oxwire::msg::write_message(*m);    // result<std::vector<std::uint8_t>>
#pragma once

#include <oxwire/mapi/message.hpp>
#include <oxwire/msg/convert.hpp>
#include <oxwire/msg/error.hpp>
#include <oxwire/msg/reader.hpp>
#include <oxwire/msg/writer.hpp>
