// oxwire — WBXML 1.3 as MS-ASWBXML uses it, in one include: pull tokenizer, tree, encoder and
// WBXML -> XML text and back.
//
//   #include <oxwire/wbxml.hpp>
//   auto doc = oxwire::wbxml::decode(body);          // result<document>
//   auto xml = oxwire::wbxml::to_xml(*doc);          // result<std::string>
//   auto again = oxwire::wbxml::encode(*doc);        // result<std::vector<std::uint8_t>>
//   auto back = oxwire::wbxml::from_xml(*xml);       // result<std::vector<std::uint8_t>>
#pragma once

#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/encoder.hpp>
#include <oxwire/wbxml/error.hpp>
#include <oxwire/wbxml/tokenizer.hpp>
#include <oxwire/wbxml/tree.hpp>
#include <oxwire/wbxml/xml.hpp>
#include <oxwire/wbxml/xml_reader.hpp>
