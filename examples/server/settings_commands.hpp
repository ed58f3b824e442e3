// Settings (MS-ASCMD 2.2.1.18): Oof Get/Set, DeviceInformation Set, DevicePassword Set,
// UserInformation Get and RightsManagementInformation Get, persisted per user (and per device)
// in the store's user_settings table. Read through the generated request model, answered through
// the response model. And GetAttachment (MS-ASCMD 2.2.1.8, protocol 12.1): an attachment's raw
// bytes by the FileReference Sync and ItemOperations hand out.
#pragma once

#include "item_operations.hpp"
#include "search_commands.hpp"
#include "wire.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/gen/activesync/models/settings.hpp>
#include <oxwire/gen/activesync/models/settings_request.hpp>
#include <oxwire/server/store.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oxwire_server {

/// MS-ASCMD 2.2.3.177.15 Status (Settings), the values this server answers.
namespace settings_status {
inline constexpr std::int64_t success = 1;
inline constexpr std::int64_t protocol_error = 2;
inline constexpr std::int64_t invalid_arguments = 5;
inline constexpr std::int64_t conflicting_arguments = 6;
}  // namespace settings_status

/// One Settings request of one user's device.
class settings_command {
 public:
  settings_command(store& db, user_id u, std::string device, as::protocol_version v)
      : db_(db), user_(u), device_(std::move(device)), version_(v) {}

  [[nodiscard]] http::response run(const std::string& body) {
    namespace st = settings_status;
    model::Settings out;
    const auto req = as::decode<model::request::Settings>(bytes_of(body));
    if (!req) return out.Status = malformed_status(body), wbxml_response(out);
    out.Status = st::success;
    return db_.transaction([&] {
      if (req->Oof) out.Oof = oof(*req->Oof);
      if (req->DevicePassword) {
        // MS-ASCMD 2.2.3.132 Password: the recovery password, kept for the device
        set("device." + device_ + ".Password", req->DevicePassword->Set.Password);
        out.DevicePassword.emplace().Status = st::success;
      }
      if (req->DeviceInformation)
        out.DeviceInformation = device_information(*req->DeviceInformation);
      if (req->UserInformation) out.UserInformation = user_information();
      if (req->RightsManagementInformation)
        out.RightsManagementInformation = model::Settings_RightsManagementInformation{
            .Status = st::success, .Get = {}};  // no IRM templates (MS-ASRM)
      return wbxml_response(out);
    });
  }

 private:
  /// The three audiences of MS-ASCMD 2.2.3.119 OofMessage.
  static constexpr std::array<std::string_view, 3> audiences{"Internal", "ExternalKnown",
                                                             "ExternalUnknown"};
  static std::optional<std::size_t> audience_of(const model::OofMessage& m) {
    const int n = int(m.AppliesToInternal.has_value()) + int(m.AppliesToExternalKnown.has_value()) +
                  int(m.AppliesToExternalUnknown.has_value());
    if (n != 1) return std::nullopt;
    return m.AppliesToInternal ? 0 : m.AppliesToExternalKnown ? 1 : 2;
  }

  void set(const std::string& name, std::string_view value) {
    db_.set_user_setting(user_, name, value);
  }
  std::optional<std::string_view> get(const std::string& name) {
    if (auto v = db_.user_setting(user_, name)) return strings_.keep(std::move(*v));
    return std::nullopt;
  }

  // --- Oof (MS-ASCMD 2.2.3.118) --------------------------------------------------------------

  model::Settings_Oof oof(const model::request::Settings_Oof& o) {
    namespace st = settings_status;
    model::Settings_Oof r;
    if (o.Get.has_value() == o.Set.has_value()) return r.Status = st::protocol_error, r;
    if (o.Get) {
      // MS-ASCMD 2.2.3.15 BodyType: Text or HTML; the messages are returned as they were set
      if (o.Get->BodyType != "Text" && o.Get->BodyType != "HTML")
        return r.Status = st::protocol_error, r;
      auto& g = r.Get.emplace();
      g.OofState = static_cast<std::uint8_t>(parse_u32(get("oof.OofState")).value_or(0));
      if (const auto t = get("oof.StartTime")) g.StartTime = model::date_time{*t};
      if (const auto t = get("oof.EndTime")) g.EndTime = model::date_time{*t};
      for (std::size_t i = 0; i < audiences.size(); ++i) {
        const std::string key = "oof." + std::string(audiences[i]) + ".";
        const auto enabled = get(key + "Enabled");
        if (!enabled) continue;
        auto& m = g.OofMessage.emplace_back();
        (i == 0   ? m.AppliesToInternal
         : i == 1 ? m.AppliesToExternalKnown
                  : m.AppliesToExternalUnknown)
            .emplace();
        m.Enabled = enabled;
        m.ReplyMessage = get(key + "ReplyMessage");
        m.BodyType = get(key + "BodyType");
      }
      return r.Status = st::success, r;
    }
    const auto& s = *o.Set;
    // MS-ASCMD 2.2.3.117 OofState: 0 off, 1 on, 2 on between StartTime and EndTime
    if (s.OofState == 2) {
      if (!s.StartTime || !s.EndTime) return r.Status = st::invalid_arguments, r;
      const auto start = s.StartTime->parse(), end = s.EndTime->parse();
      if (!start || !end) return r.Status = st::invalid_arguments, r;
      if (*start >= *end) return r.Status = st::conflicting_arguments, r;
    }
    for (const auto& m : s.OofMessage) {
      const auto a = audience_of(m);
      if (!a || (m.Enabled && *m.Enabled != "0" && *m.Enabled != "1") ||
          (m.BodyType && *m.BodyType != "Text" && *m.BodyType != "HTML"))
        return r.Status = st::protocol_error, r;
    }
    if (s.OofState) set("oof.OofState", std::to_string(*s.OofState));
    if (s.StartTime) set("oof.StartTime", s.StartTime->text);
    if (s.EndTime) set("oof.EndTime", s.EndTime->text);
    for (const auto& m : s.OofMessage) {
      const std::string key = "oof." + std::string(audiences[*audience_of(m)]) + ".";
      set(key + "Enabled", m.Enabled.value_or("0"));
      set(key + "ReplyMessage", m.ReplyMessage.value_or(""));
      set(key + "BodyType", m.BodyType.value_or("Text"));
    }
    return r.Status = st::success, r;
  }

  // --- DeviceInformation (MS-ASCMD 2.2.3.52) -------------------------------------------------

  model::DeviceInformation device_information(const model::request::DeviceInformation& d) {
    const auto& s = d.Set;
    const std::string key = "device." + device_ + ".";
    const std::pair<const char*, const std::optional<std::string_view>*> fields[]{
        {"Model", &s.Model},
        {"IMEI", &s.IMEI},
        {"FriendlyName", &s.FriendlyName},
        {"OS", &s.OS},
        {"OSLanguage", &s.OSLanguage},
        {"PhoneNumber", &s.PhoneNumber},
        {"UserAgent", &s.UserAgent},
        {"MobileOperator", &s.MobileOperator}};
    for (const auto& [name, value] : fields)
      if (*value) set(key + name, **value);
    if (s.EnableOutboundSMS) set(key + "EnableOutboundSMS", std::to_string(*s.EnableOutboundSMS));
    return {.Status = settings_status::success};
  }

  // --- UserInformation (MS-ASCMD 2.2.3.188) ---------------------------------------------------

  /// The login name is the address (the server keeps no other): EmailAddresses/SMTPAddress up to
  /// 14.0; from 14.1 Accounts/Account with PrimarySmtpAddress (MS-ASCMD 2.2.3.5, 2.2.3.133).
  model::Settings_UserInformation user_information() {
    model::Settings_UserInformation r{.Status = settings_status::success, .Get = {}};
    const std::string_view name = strings_.keep(db_.user_name(user_).value_or(""));
    auto& g = r.Get.emplace();
    if (version_ < as::protocol_version::v14_1) {
      g.EmailAddresses.emplace().SMTPAddress.push_back(name);
      return r;
    }
    auto& a = g.Accounts.emplace().Account.emplace_back();
    a.UserDisplayName = name;
    auto& e = a.EmailAddresses.emplace();
    e.SMTPAddress.push_back(name);
    e.PrimarySmtpAddress = name;
    return r;
  }

  store& db_;
  user_id user_;
  std::string device_;
  as::protocol_version version_;
  arena strings_;
};

/// GetAttachment (MS-ASCMD 2.2.1.8): the bytes of the attachment `AttachmentName` names (a
/// FileReference of the user's own items, item_operations.hpp) with its Content-Type; HTTP 500
/// for a name that is not one; 501 from protocol 14.0 on, where the command does not exist and
/// ItemOperations Fetch serves attachments.
[[nodiscard]] inline http::response get_attachment(store& db, user_id u, as::protocol_version v,
                                                   const std::optional<std::string>& name) {
  if (v >= as::protocol_version::v14_0) return status_only(501);
  const auto ref = name ? file_reference::parse(*name) : std::nullopt;
  if (!ref) return status_only(500);
  const auto all = db.attachments(u, ref->item_id);
  if (ref->number >= all.size()) return status_only(500);
  const auto& a = all[ref->number];
  std::string type = "application/octet-stream";
  if (const auto tag = a.get(prop::PidTagAttachMimeTag))
    if (auto t = oxwire::utf16::to_utf8(*tag, oxwire::utf16::policy::replace); t && !t->empty())
      type = std::move(*t);
  const auto data = a.get(prop::PidTagAttachDataBinary);
  return {200,
          {{"Content-Type", type}},
          data ? std::string(data->begin(), data->end()) : std::string()};
}

}  // namespace oxwire_server
