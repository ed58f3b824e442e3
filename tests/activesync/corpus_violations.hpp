// Corpus documents (relative to ../shared/corpus/activesync) that break a rule of the ActiveSync
// schema or of MS-ASCMD, with the error and element path the validator gives for each: the
// validator tests expect exactly that, the request-model tests skip their validation.
#pragma once

#include <map>
#include <oxwire/activesync/validator_error.hpp>
#include <string>
#include <utility>

namespace oxwire_test {

/// The error and the element path the validator reports.
using violation = std::pair<oxwire::activesync::schema_errc, std::string>;

using oxwire::activesync::schema_errc;

inline const std::map<std::string, violation>& known_invalid() {
  // syncgw writes Provision:Status inside settings:DeviceInformation without switching back to
  // the Settings page (MS-ASPROV: settings:Status); SettingsResponse.xsd does not allow it.
  static const violation provision{schema_errc::unexpected_element,
                                   "Provision/Settings:DeviceInformation/Status"};
  static const violation nine_file_reference{
      schema_errc::excluded_by_sibling,
      "ItemOperations/Fetch/Options/RightsManagement:RightsManagementSupport"};
  static const std::map<std::string, violation> m = {
      {"syncgw-mimedata/wbxml-in06.wbxml", provision},
      {"syncgw-traces/754-R12-Provision.resp.wbxml", provision},
      {"syncgw-traces/754-R30-Provision.resp.wbxml", provision},
      {"syncgw-traces/760-R13-Provision.resp.wbxml", provision},
      {"syncgw-traces/760-R31-Provision.resp.wbxml", provision},
      {"syncgw-traces/768-R12-Provision.resp.wbxml", provision},
      {"syncgw-traces/768-R30-Provision.resp.wbxml", provision},
      {"syncgw-traces/780-R13-Provision.resp.wbxml", provision},
      {"syncgw-traces/780-R31-Provision.resp.wbxml", provision},
      {"syncgw-traces/788-R12-Provision.resp.wbxml", provision},
      {"syncgw-traces/788-R30-Provision.resp.wbxml", provision},
      {"syncgw-traces/800-R11-Provision.resp.wbxml", provision},
      {"syncgw-traces/800-R31-Provision.resp.wbxml", provision},
      // syncgw answers RightsManagementInformation with an empty <Get/>; the XSD requires
      // RightsManagementTemplates in it.
      {"syncgw-traces/754-R66-Settings.resp.wbxml",
       {schema_errc::missing_required,
        "Settings/RightsManagementInformation/Get/RightsManagement:RightsManagementTemplates"}},
      // syncgw sends FolderSync Changes as Add before Update/Delete; FolderSyncResponse.xsd
      // orders Count, Update*, Delete*, Add*.
      {"syncgw-traces/810-R25-FolderSync.resp.wbxml",
       {schema_errc::out_of_order, "FolderSync/Changes/Update"}},
      {"syncgw-traces/811-R18-FolderSync.resp.wbxml",
       {schema_errc::out_of_order, "FolderSync/Changes/Delete"}},
      // Nine asks for an attachment by FileReference with RightsManagementSupport in Options;
      // beside a FileReference, Range is the only child Options may have (MS-ASCMD 2.2.3.8).
      {"syncgw-traces/748-R4-ItemOperations.req.wbxml", nine_file_reference},
      {"syncgw-traces/801-R4-ItemOperations.req.wbxml", nine_file_reference},
      {"syncgw-traces/801-R21-ItemOperations.req.wbxml", nine_file_reference},
  };
  return m;
}

}  // namespace oxwire_test
