// oxwire — Compound File Binary (MS-CFB): the container of .msg files and other OLE documents.
//
//   auto cf = oxwire::cfb::compound_file::open(bytes);
//   for (std::uint32_t id : cf->children(oxwire::cfb::root_id)) ...
//   auto file = oxwire::cfb::write(oxwire::cfb::node::storage(u"", {...}));
#pragma once

#include <oxwire/cfb/error.hpp>
#include <oxwire/cfb/reader.hpp>
#include <oxwire/cfb/writer.hpp>
