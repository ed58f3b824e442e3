// The list of generated headers: for each spec table, its C++ row struct, the members taken
// from the JSON columns, and the keys that get a constexpr lookup.
#include "tables.hpp"

#include "schema.hpp"

namespace codegen {
namespace {

// MS-OXPROPS rows and the mfcmapi/openchange rows share one row type (and string pool), so a
// lookup over both returns the same struct; `nonspec` tells them apart.
table_def property_table(const char* json, const char* array, const char* doc, bool spec,
                         const char* by_name, const char* by_any_name, const char* by_id,
                         const char* by_set_name) {
  using enum ctype;
  return {json,
          "property_entry",
          array,
          doc,
          {{"canonical", "canonical", str, true, "canonical name"},
           {"kind", "kind", str, true, "tag, lid or name"},
           {"id", "id", u32, false, "property id (tag) or LID; 0 for kind name"},
           {"name", "name", str, false, "string name (kind name)"},
           {"propset", "propset", str, false, "property set of a named property"},
           {"type", "type", str, true, "canonical type name"},
           {"type_code", "type_code", u16, true, ""},
           {"area", "area", str, spec, "MS-OXPROPS area; empty for nonspec rows"},
           {"status", "status", str, spec, "current, or older-revision; empty for nonspec rows"},
           {"alternates", "alternates", str_list, true, "PR_*, ptag*, dispid* names"},
           {"defining_ref", "defining_ref", str, false, "defining spec section"},
           {"nonspec", "nonspec", boolean, !spec, "not an MS-OXPROPS entry (mfcmapi/openchange)"}},
          {{by_name, {"canonical"}},
           {by_any_name, {"canonical", "alternates"}, false, index_kind::hash},
           {by_id, {"kind", "id"}, false},
           {by_set_name, {"propset", "name"}, false}}};
}

// Columns the property constants read.
std::vector<column> property_columns(const char* comment_field) {
  using enum ctype;
  std::vector<column> c = {{"canonical", "canonical", str, true},
                           {"id", "id", u32, false},
                           {"name", "name", str, false},
                           {"propset", "propset", str, false},
                           {"type", "type", str, true}};
  c.push_back({comment_field, comment_field,
               std::string_view(comment_field) == "sources" ? str_list : str, false});
  return c;
}

// MS-OXPROPS 2: `inline constexpr tagged_property<PropertyType::PtypString> PidTagSubject{0x0037,
// "PidTagSubject"};`. The id column is read as 16 bits: a tag id that does not fit is an error.
constant_group tagged_constants(const char* json, const char* doc, const char* comment_field) {
  auto columns = property_columns(comment_field);
  columns[1].type = ctype::u16;
  return {{json, "", "", doc, columns},
          "kind",
          "tag",
          "canonical",
          "tagged_property<PropertyType::{type:raw}>",
          {"{id}", "{canonical}"},
          comment_field};
}

// MS-OXPROPS 2: `inline constexpr named_property<PropertyType::PtypInteger32>
// PidLidReminderDelta{propset::PSETID_Common, 0x00008501, "", "PidLidReminderDelta"};`
constant_group named_constants(const char* json, const char* kind, const char* doc,
                               const char* comment_field) {
  return {{json, "", "", doc, property_columns(comment_field)},
          "kind",
          kind,
          "canonical",
          "named_property<PropertyType::{type:raw}>",
          {"propset::{propset:raw}", "{id}", "{name}", "{canonical}"},
          comment_field,
          reference{"propset", "mapi/property-sets.json", "name"}};
}

}  // namespace

const std::vector<header_def>& headers() {
  using enum ctype;
  static const std::vector<header_def> all = {
      {"mapi/property_types.hpp",
       "oxwire::gen::mapi",
       {{"mapi/property-types.json",
         "property_type_entry",
         "property_types",
         "MS-OXCDATA 2.11.1 property data types.",
         {{"name", "name", str, true, "canonical name, e.g. PtypString"},
          {"code", "code", u16, true, "type code"},
          {"fixed_size", "fixed_size", u8, false, "bytes of a single value; 0 = variable"},
          {"variable_size", "variable_size", boolean, true, "counted or terminated value"},
          {"multivalued", "multivalued", boolean, true, ""},
          {"base_type", "base_type", str, false, "element type of a multi-valued type"},
          {"alternate_names", "alternate_names", str_list, true, "PT_*, COM and XML names"}},
         {{"find_property_type_by_name", {"name"}}, {"find_property_type_by_code", {"code"}}},
         enum_def{"PropertyType", "std::uint16_t", "name", "code"}}}},
      {"mapi/property_sets.hpp",
       "oxwire::gen::mapi",
       {{"mapi/property-sets.json",
         "property_set_entry",
         "property_sets",
         "MS-OXPROPS 1.3.2 property sets (named-property GUIDs).",
         {{"name", "name", str, true, "e.g. PSETID_Appointment"},
          {"guid", "guid", guid, true, ""},
          {"oxprops_area", "area", str, false, "MS-OXPROPS area"}},
         {{"find_property_set_by_name", {"name"}}, {"find_property_set_by_guid", {"guid"}}}}}},
      {"detail/hash_index.hpp", "", {}, {}, {}, "hash_index.hpp"},
      {"mapi/properties.hpp",
       "oxwire::gen::mapi",
       {property_table("mapi/properties.json", "properties",
                       "MS-OXPROPS 2 properties: tagged (PidTag), by LID (PidLid) and by name "
                       "(PidName).",
                       true, "find_property_by_name", "find_properties_by_any_name",
                       "find_properties_by_id", "find_properties_by_set_name"),
        property_table("mapi/properties-nonspec.json", "properties_nonspec",
                       "Names mfcmapi and openchange give to properties MS-OXPROPS does not list "
                       "(nonspec = true; for naming properties in dumps only).",
                       false, "find_property_nonspec_by_name",
                       "find_properties_nonspec_by_any_name", "find_properties_nonspec_by_id",
                       "find_properties_nonspec_by_set_name")}},
      {"mapi/prop_sets.hpp",
       "oxwire::mapi::propset",
       {},
       {{{"mapi/property-sets.json",
          "",
          "",
          "MS-OXPROPS 1.3.2 property set GUIDs by name.",
          {{"name", "name", str, true}, {"guid", "guid", guid, true}}},
         "",
         "",
         "name",
         "oxwire::guid",
         {"{guid}"}}},
       {"oxwire/core/guid.hpp"}},
      {"mapi/prop_tags.hpp",
       "oxwire::mapi::prop",
       {},
       {tagged_constants("mapi/properties.json",
                         "MS-OXPROPS 2 tagged properties (PidTag*): property id and type.",
                         "defining_ref")},
       {"oxwire/mapi/property_tag.hpp"}},
      {"mapi/prop_lids.hpp",
       "oxwire::mapi::prop",
       {},
       {named_constants("mapi/properties.json", "lid",
                        "MS-OXPROPS 2 named properties by LID (PidLid*): property set and LID.",
                        "defining_ref")},
       {"oxwire/mapi/property_tag.hpp", "oxwire/gen/mapi/prop_sets.hpp"}},
      {"mapi/prop_names.hpp",
       "oxwire::mapi::prop",
       {},
       {named_constants("mapi/properties.json", "name",
                        "MS-OXPROPS 2 named properties by name (PidName*): property set and string "
                        "name.",
                        "defining_ref")},
       {"oxwire/mapi/property_tag.hpp", "oxwire/gen/mapi/prop_sets.hpp"}},
      {"mapi/prop_nonspec.hpp",
       "oxwire::mapi::prop::nonspec",
       {},
       {tagged_constants("mapi/properties-nonspec.json",
                         "Not in MS-OXPROPS: tagged properties named by mfcmapi or openchange.",
                         "sources"),
        named_constants(
            "mapi/properties-nonspec.json", "lid",
            "Not in MS-OXPROPS: named properties by LID named by mfcmapi or openchange.",
            "sources"),
        named_constants("mapi/properties-nonspec.json", "name",
                        "Not in MS-OXPROPS: named properties by name named by mfcmapi or "
                        "openchange.",
                        "sources")},
       {"oxwire/mapi/property_tag.hpp", "oxwire/gen/mapi/prop_sets.hpp"}},
      {"mapi/error_codes.hpp",
       "oxwire::gen::mapi",
       {{"mapi/error-codes.json",
         "error_code_entry",
         "error_codes",
         "MS-OXCDATA 2.4 error and warning codes.",
         {{"value", "value", u32, true, ""},
          {"name", "name", str, true, "ec* or MAPI_E_* name"},
          {"spec_name", "spec_name", str, false, "name in the MS-OXCDATA 2.4 tables"},
          {"spec_table", "spec_table", str, false, "section of that table"},
          {"alternates", "alternates", str_list, true, ""}},
         {{"find_error_code_by_name", {"name"}}, {"find_error_codes_by_value", {"value"}, false}},
         enum_def{"ErrorCode", "std::uint32_t", "name", "value"}}}},
      {"rop/rop_ids.hpp",
       "oxwire::gen::rop",
       {{"mapi/rops.json",
         "rop_entry",
         "rops",
         "MS-OXCROPS 2.2 remote operations and their RopId values.",
         {{"ropid", "ropid", u8, true, ""},
          {"name", "name", str, true, "e.g. RopLogon"},
          {"spec_section", "spec_section", str, false, ""},
          {"in_current_spec", "in_current_spec", boolean, true, "false: only in older documents"},
          {"has_request", "has_request", boolean, true, "false: server-originated"},
          {"has_response", "has_response", boolean, true, "false: e.g. RopRelease"}},
         {{"find_rop_by_name", {"name"}}, {"find_rop_by_id", {"ropid"}}},
         enum_def{"RopId", "std::uint8_t", "name", "ropid"}}}},
      {"activesync/wbxml_codepages.hpp",
       "oxwire::gen::activesync",
       {{"activesync/wbxml-codepages.json",
         "wbxml_tag_entry",
         "wbxml_tags",
         "MS-ASWBXML 2.1.2.1 code pages: tag tokens per code page.",
         {{"codepage", "codepage", u8, true, ""},
          {"namespace", "ns", str, true, "code page namespace, e.g. AirSync"},
          {"tag", "tag", str, true, ""},
          {"token", "token", u8, true, "0x05..0x3F"},
          {"versions", "versions", versions, true, "protocol_versions mask"},
          {"opaque", "opaque", boolean, true, "content is OPAQUE data"}},
         {{"find_wbxml_tag_by_token", {"codepage", "token"}},
          {"find_wbxml_tag_by_name", {"codepage", "tag"}}}},
        {"activesync/wbxml-codepages-legacy.json",
         "wbxml_tag_entry_legacy",
         "wbxml_legacy_tags",
         "Tokens real clients send that the MS-ASWBXML tables do not list (decode only).",
         {{"codepage", "codepage", u8, true, ""},
          {"namespace", "ns", str, true, ""},
          {"tag", "tag", str, true, ""},
          {"token", "token", u8, true, ""}},
         {{"find_wbxml_legacy_tag_by_token", {"codepage", "token"}}}}}},
      {"activesync/ashttp.hpp",
       "oxwire::gen::activesync",
       {{"activesync/ashttp-command-codes.json",
         "command_code_entry",
         "command_codes",
         "MS-ASHTTP 2.2.1.1.1.1.2 command codes of the base64-encoded query.",
         {{"code", "code", u8, true, ""},
          {"command", "command", str, true, ""},
          {"versions", "versions", versions, true, "protocol_versions mask"}},
         {{"find_command_by_code", {"code"}}, {"find_command_by_name", {"command"}}}},
        {"activesync/ashttp-parameter-codes.json",
         "parameter_code_entry",
         "parameter_codes",
         "MS-ASHTTP 2.2.1.1.1.1.3 parameter tags of the base64-encoded query.",
         {{"tag", "tag", u8, true, ""}, {"name", "name", str, true, ""}},
         {{"find_parameter_by_tag", {"tag"}}, {"find_parameter_by_name", {"name"}}}}}},
      {"activesync/status.hpp",
       "oxwire::gen::activesync",
       {{"activesync/ascmd-common-status.json",
         "common_status_entry",
         "common_statuses",
         "MS-ASCMD 2.2.2 common Status values.",
         {{"value", "value", u8, true, ""},
          {"name", "name", str, true, ""},
          {"versions", "versions", versions, true, "protocol_versions mask"},
          {"http_status", "http_status", u16, false, "HTTP status before 14.0; 0 = none"}},
         {{"find_common_status_by_value", {"value"}}, {"find_common_status_by_name", {"name"}}},
         enum_def{"CommonStatus", "std::uint8_t", "name", "value"}}}},
      {"activesync/schema.hpp", "oxwire::gen::activesync::schema", {}, {}, {}, {}, emit_schema},
  };
  return all;
}

}  // namespace codegen
