// MS-ASWBXML 3.1 (example page d3ce3e10): a Sync response that adds a contact.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace oxwire_test {

/// The bytes as the stored spec page gives them; the page text breaks off after "Funk".
inline const std::vector<std::uint8_t> spec_example_prefix{
    0x03, 0x01, 0x6A, 0x00, 0x45, 0x5C, 0x4F, 0x50, 0x03, 0x43, 0x6F, 0x6E, 0x74, 0x61, 0x63,
    0x74, 0x73, 0x00, 0x01, 0x4B, 0x03, 0x32, 0x00, 0x01, 0x52, 0x03, 0x32, 0x00, 0x01, 0x4E,
    0x03, 0x31, 0x00, 0x01, 0x56, 0x47, 0x4D, 0x03, 0x32, 0x3A, 0x31, 0x00, 0x01, 0x5D, 0x00,
    0x11, 0x4A, 0x46, 0x03, 0x31, 0x00, 0x01, 0x4C, 0x03, 0x30, 0x00, 0x01, 0x4D, 0x03, 0x31,
    0x00, 0x01, 0x01, 0x00, 0x01, 0x5E, 0x03, 0x46, 0x75, 0x6E, 0x6B};

/// The whole encoding: the spec prefix, then the rest of the spec's XML encoded by the same rules
/// (FileAs "Funk, Don", FirstName, LastName, SWITCH_PAGE 17, NativeBodyType, six ENDs).
inline std::vector<std::uint8_t> spec_example_bytes() {
  std::vector<std::uint8_t> v = spec_example_prefix;
  const std::uint8_t tail[] = {0x2C, 0x20, 0x44, 0x6F, 0x6E, 0x00, 0x01,        // ", Don" END
                               0x5F, 0x03, 0x44, 0x6F, 0x6E, 0x00, 0x01,        // FirstName
                               0x69, 0x03, 0x46, 0x75, 0x6E, 0x6B, 0x00, 0x01,  // LastName
                               0x00, 0x11, 0x56, 0x03, 0x31, 0x00, 0x01,        // NativeBodyType
                               0x01, 0x01, 0x01, 0x01, 0x01, 0x01};
  v.insert(v.end(), std::begin(tail), std::end(tail));
  return v;
}

/// The spec's XML, as the page gives it (namespaces without the colon).
inline constexpr std::string_view spec_example_xml =
    R"(<?xml version="1.0" encoding="utf-8"?> <Sync xmlns="AirSync" xmlns:airsyncbase="AirSyncBase" xmlns:contacts="Contacts"> <Collections> <Collection> <Class>Contacts</Class> <SyncKey>2</SyncKey> <CollectionId>2</CollectionId> <Status>1</Status> <Commands> <Add> <ServerId>2:1</ServerId> <ApplicationData> <airsyncbase:Body> <airsyncbase:Type>1</airsyncbase:Type> <airsyncbase:EstimatedDataSize>0</airsyncbase:EstimatedDataSize> <airsyncbase:Truncated>1</airsyncbase:Truncated> </airsyncbase:Body> <contacts:FileAs>Funk, Don</contacts:FileAs> <contacts:FirstName>Don</contacts:FirstName> <contacts:LastName>Funk</contacts:LastName> <airsyncbase:NativeBodyType>1</airsyncbase:NativeBodyType> </ApplicationData> </Add> </Commands> </Collection> </Collections> </Sync>)";

}  // namespace oxwire_test
