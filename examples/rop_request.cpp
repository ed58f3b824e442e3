// Builds a ROP input buffer (MS-OXCROPS 2.2.1) holding RopLogon and RopGetPropertiesSpecific,
// then decodes the server's output buffer for it: the property row's columns come from the
// request.
#include <oxwire/core/hex.hpp>
#include <oxwire/rop.hpp>

#include <iostream>

int main() {
  using namespace oxwire;
  using namespace oxwire::rop;

  request::RopLogon logon;  // MS-OXCROPS 2.2.3.1.1
  logon.LogonId = 0;
  logon.OutputHandleIndex = 0;
  logon.LogonFlags = 0x01;       // Private: a mailbox logon
  logon.OpenFlags = 0x01000000;  // USE_PER_MDB_REPLID_MAPPING
  logon.Essdn = "/o=Contoso/ou=Exchange/cn=Recipients/cn=anna";

  request::RopGetPropertiesSpecific props;  // MS-OXCROPS 2.2.8.3.1
  props.InputHandleIndex = 0;
  props.WantUnicode = 1;
  props.PropertyTags = {mapi::property_tag{0x3001001F},   // PidTagDisplayName
                        mapi::property_tag{0x0E080003}};  // PidTagMessageSize

  request_buffer req{{logon, props}, {0xFFFFFFFF}};
  for (auto& r : req.rops) (void)fill_counts(r);
  const auto wire = encode_request_buffer(req).value();
  std::cout << "request: " << hex::encode(wire, true) << "\n";

  // The reply: RopLogon failed with ecUnknownUser (0x000003EB); RopGetPropertiesSpecific gives
  // a standard row of "Anna" and 1234.
  const auto reply = hex::decode(
                         "1D00"                  // RopSize
                         "FE00EB030000"          // RopLogon failure
                         "07000000000000"        // RopGetPropertiesSpecific success, Flag 0
                         "41006E006E0061000000"  // PidTagDisplayName "Anna"
                         "D2040000"              // PidTagMessageSize 1234
                         "FFFFFFFF")
                         .value();
  auto resp = decode_response_buffer(reply, req.rops);
  if (!resp) {
    std::cerr << "error: " << resp.error().message() << "\n";
    return 2;
  }
  for (const auto& r : resp->rops) std::cout << rop_name(r) << "\n";
  const auto& row = get<response::RopGetPropertiesSpecific_success>(resp->rops[1]).RowData;
  const auto* name = row.ValueArray[0].value.get_if<mapi::PropertyType::PtypString>();
  const auto* size = row.ValueArray[1].value.get_if<mapi::PropertyType::PtypInteger32>();
  std::cout << "PidTagDisplayName: " << utf16::to_utf8(*name).value() << "\n"
            << "PidTagMessageSize: " << *size << "\n";
}
