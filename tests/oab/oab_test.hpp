// Helpers of the OAB tests: hand-assembled Full Details files and a generated OAB with every
// property type.
#pragma once

#include <oxwire/mapi.hpp>
#include <oxwire/oab.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace oab_test {

namespace oab = oxwire::oab;
namespace mapi = oxwire::mapi;
using mapi::property_tag;
using mapi::PropertyType;

inline void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

/// OAB_V4_REC bytes: cbSize, then `body` (presenceBitArray and data).
inline std::vector<std::uint8_t> record(std::initializer_list<std::uint8_t> body) {
  std::vector<std::uint8_t> v(4 + body.size());
  const auto cb = static_cast<std::uint32_t>(v.size());
  for (std::size_t i = 0; i < 4; ++i) v[i] = static_cast<std::uint8_t>(cb >> (8 * i));
  std::copy(body.begin(), body.end(), v.begin() + 4);
  return v;
}

/// A Full Details file from its parts: OAB_HDR, metadata of the two tables, the records.
inline std::vector<std::uint8_t> file(const std::vector<oab::OAB_PROP_REC>& hdr_atts,
                                      const std::vector<oab::OAB_PROP_REC>& oab_atts,
                                      const std::vector<std::vector<std::uint8_t>>& records,
                                      std::uint32_t tot_recs) {
  std::vector<std::uint8_t> v;
  put32(v, 0x20);
  put32(v, 0x12345678);
  put32(v, tot_recs);
  put32(v, static_cast<std::uint32_t>(4 + 8 + 8 * (hdr_atts.size() + oab_atts.size())));
  for (const auto* t : {&hdr_atts, &oab_atts}) {
    put32(v, static_cast<std::uint32_t>(t->size()));
    for (const auto& p : *t) put32(v, p.ulPropId.value), put32(v, p.flags);
  }
  for (const auto& r : records) v.insert(v.end(), r.begin(), r.end());
  return v;
}

/// An OAB whose object schema has every allowed type, with `n` records that use them (some
/// values absent), for round trips and the benchmark.
inline oab::full_details generated(std::size_t n) {
  using P = PropertyType;
  oab::full_details f;
  f.ulSerial = 0xCAFEF00D;
  f.rgHdrAtts = {{mapi::prop::PidTagOfflineAddressBookName.tag(), 0},
                 {mapi::prop::PidTagOfflineAddressBookSequence.tag(), 0}};
  f.header.set(mapi::prop::PidTagOfflineAddressBookName, u"Global Address List");
  f.header.set(mapi::prop::PidTagOfflineAddressBookSequence, 42);
  f.rgOabAtts = {
      {mapi::prop::PidTagSmtpAddress.tag(), oab::OAB_PROP_REC::primary_key},
      {mapi::prop::PidTagDisplayName.tag(), oab::OAB_PROP_REC::anr_index},
      {mapi::prop::PidTagDisplayType.tag(), 0},
      {property_tag::make(0x8C6A, P::PtypBoolean), 0},
      {mapi::prop::PidTagAccount.tag().with_type(P::PtypString8), 0},
      {property_tag::make(0x8C9E, P::PtypBinary), 0},
      {property_tag::make(0x8C9F, P::PtypObject), 0},
      {property_tag::make(0x8CA0, P::PtypMultipleInteger32), 0},
      {property_tag::make(0x8CA1, P::PtypMultipleString8), 0},
      {property_tag::make(0x8CA2, P::PtypMultipleString), 0},
      {property_tag::make(0x8CA3, P::PtypMultipleBinary), 0},
  };
  f.records.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& r = f.records[i];
    const std::string id = std::to_string(i);
    const std::u16string uid(id.begin(), id.end());
    r.set(mapi::prop::PidTagSmtpAddress, u"user" + uid + u"@example.com");
    r.set(mapi::prop::PidTagDisplayName, u"Üser " + uid + u" \u00e9\u4e2d\U0001F600");
    const auto set = [&](property_tag tag, mapi::property_value v) {
      (void)r.set(tag, std::move(v));
    };
    set(mapi::prop::PidTagDisplayType.tag(),
        mapi::property_value::make<P::PtypInteger32>(static_cast<std::int32_t>(i * 977) - 1000));
    if (i % 3) set(f.rgOabAtts[3].ulPropId, mapi::property_value::make<P::PtypBoolean>(i % 2));
    set(f.rgOabAtts[4].ulPropId, mapi::property_value::make<P::PtypString8>("acct" + id));
    if (i % 4 != 1)
      set(f.rgOabAtts[5].ulPropId,
          mapi::property_value::make<P::PtypBinary>(std::vector<std::uint8_t>(1 + i % 300, 0xAB)));
    if (i % 5 == 0)
      set(f.rgOabAtts[6].ulPropId, mapi::property_value::make<P::PtypObject>({1, 2, 3}));
    set(f.rgOabAtts[7].ulPropId, mapi::property_value::make<P::PtypMultipleInteger32>(
                                     {0, 0x7F, 0x80, 0xFFFF, 0x10000, 0x1000000, -1}));
    set(f.rgOabAtts[8].ulPropId,
        mapi::property_value::make<P::PtypMultipleString8>({"/o=Org/cn=" + id, "x"}));
    if (i % 2)
      set(f.rgOabAtts[9].ulPropId,
          mapi::property_value::make<P::PtypMultipleString>({u"SMTP:" + uid, u"sip:" + uid}));
    set(f.rgOabAtts[10].ulPropId,
        mapi::property_value::make<P::PtypMultipleBinary>({{}, {9}, {8, 7, 6}}));
  }
  return f;
}

}  // namespace oab_test
