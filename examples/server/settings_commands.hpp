// Settings (MS-ASCMD 2.2.1.18): Oof Get/Set, DeviceInformation Set, DevicePassword Set,
// UserInformation Get and RightsManagementInformation Get, persisted per user (and per device)
// in the store's user_settings table. Read through the generated request model, answered through
// the response model. GetAttachment (MS-ASCMD 2.2.1.8, protocol 12.1): an attachment's raw
// bytes by the FileReference Sync and ItemOperations hand out. And ValidateCert (MS-ASCMD
// 2.2.1.22): S/MIME certificates verified with OpenSSL against the system trust store.
#pragma once

#include "item_operations.hpp"
#include "search_commands.hpp"
#include "wire.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/core/base64.hpp>
#include <oxwire/gen/activesync/models/settings.hpp>
#include <oxwire/gen/activesync/models/settings_request.hpp>
#include <oxwire/gen/activesync/models/validatecert.hpp>
#include <oxwire/gen/activesync/models/validatecert_request.hpp>
#include <oxwire/server/store.hpp>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire_server {

/// MS-ASCMD 2.2.3.177.15 Status (Settings): of the Settings element, of an Oof, DeviceInformation,
/// UserInformation or RightsManagementInformation operation, and of DevicePassword Set.
using oxwire::gen::activesync::SettingsDevicePasswordStatus;
using oxwire::gen::activesync::SettingsOperationStatus;
using oxwire::gen::activesync::SettingsStatus;

/// One Settings request of one user's device.
class settings_command {
 public:
  settings_command(store& db, user_id u, std::string device, as::protocol_version v)
      : db_(db), user_(u), device_(std::move(device)), version_(v) {}

  [[nodiscard]] http::response run(const std::string& body) {
    model::Settings out;
    const auto req = as::decode<model::request::Settings>(bytes_of(body));
    if (!req) return out.Status = malformed_status(body), wbxml_response(out, version_);
    out.Status = status_value(SettingsStatus::Success);
    return db_.transaction([&] {
      if (req->Oof) out.Oof = oof(*req->Oof);
      if (req->DevicePassword) {
        // MS-ASCMD 2.2.3.132 Password: the recovery password, kept for the device
        set("device." + device_ + ".Password", req->DevicePassword->Set.Password);
        out.DevicePassword.emplace().Status = status_value(SettingsDevicePasswordStatus::Success);
      }
      if (req->DeviceInformation)
        out.DeviceInformation = device_information(*req->DeviceInformation);
      if (req->UserInformation) out.UserInformation = user_information();
      if (req->RightsManagementInformation)
        out.RightsManagementInformation = model::Settings_RightsManagementInformation{
            .Status = status_value(SettingsOperationStatus::Success),
            .Get = {}};  // no IRM templates (MS-ASRM)
      return wbxml_response(out, version_);
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
    using st = SettingsOperationStatus;
    model::Settings_Oof r;
    if (o.Get.has_value() == o.Set.has_value())
      return r.Status = status_value(st::ProtocolError), r;
    if (o.Get) {
      // MS-ASCMD 2.2.3.15 BodyType: Text or HTML; the messages are returned as they were set
      if (o.Get->BodyType != "Text" && o.Get->BodyType != "HTML")
        return r.Status = status_value(st::ProtocolError), r;
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
      return r.Status = status_value(st::Success), r;
    }
    const auto& s = *o.Set;
    // MS-ASCMD 2.2.3.117 OofState: 0 off, 1 on, 2 on between StartTime and EndTime
    if (s.OofState == 2) {
      if (!s.StartTime || !s.EndTime) return r.Status = status_value(st::InvalidArguments), r;
      const auto start = s.StartTime->parse(), end = s.EndTime->parse();
      if (!start || !end) return r.Status = status_value(st::InvalidArguments), r;
      if (*start >= *end) return r.Status = status_value(st::ConflictingArguments), r;
    }
    for (const auto& m : s.OofMessage) {
      const auto a = audience_of(m);
      if (!a || (m.Enabled && *m.Enabled != "0" && *m.Enabled != "1") ||
          (m.BodyType && *m.BodyType != "Text" && *m.BodyType != "HTML"))
        return r.Status = status_value(st::ProtocolError), r;
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
    return r.Status = status_value(st::Success), r;
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
    return {.Status = status_value(SettingsOperationStatus::Success)};
  }

  // --- UserInformation (MS-ASCMD 2.2.3.188) ---------------------------------------------------

  /// The login name is the address (the server keeps no other): EmailAddresses/SMTPAddress up to
  /// 14.0; from 14.1 Accounts/Account with PrimarySmtpAddress (MS-ASCMD 2.2.3.5, 2.2.3.133).
  model::Settings_UserInformation user_information() {
    model::Settings_UserInformation r{.Status = status_value(SettingsOperationStatus::Success),
                                      .Get = {}};
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

// --- ValidateCert (MS-ASCMD 2.2.1.22) --------------------------------------------------------

/// MS-ASCMD 2.2.3.177.18 Status (ValidateCert). As a child of ValidateCert: 1 success, 2 a
/// protocol error, 17 failure; as a child of Certificate, the result for that certificate.
/// Not answered: 12 (the digital ID does not match the sender's address: the request names no
/// address) and 14 (the revocation server cannot be contacted: the server contacts none).
using oxwire::gen::activesync::ValidateCertStatus;

using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using x509_store_ptr = std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)>;

/// One DER certificate, or null if the bytes are not exactly one.
[[nodiscard]] inline x509_ptr parse_der(oxwire::bytes_view der) {
  const unsigned char* p = der.data();
  X509* x =
      der.size() > 0x7FFFFFFF ? nullptr : d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (x && p != der.data() + der.size()) {
    X509_free(x);
    x = nullptr;
  }
  return {x, &X509_free};
}

/// The MS-ASCMD 2.2.3.177.18 status of an X509_verify_cert error at `depth` (0: the
/// certificate itself, more: an issuer).
[[nodiscard]] inline std::int64_t validate_status_of(int err, int depth) {
  using st = ValidateCertStatus;
  switch (err) {
    case X509_V_OK: return status_value(st::Success);
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: return status_value(st::InvalidSignature);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED: return status_value(st::UntrustedSource);
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID: return status_value(st::ExpiredOrNotYetValid);
    case X509_V_ERR_INVALID_PURPOSE:
      return status_value(depth == 0 ? st::NotForSigningEmail : st::InvalidPurpose);
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN: return status_value(st::InvalidCAUsage);
    case X509_V_ERR_CERT_REVOKED: return status_value(depth == 0 ? st::Revoked : st::ChainRevoked);
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER: return status_value(st::RevocationStatusUnknown);
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
      return status_value(st::MissingOrIncorrectInformation);
    default:
      return status_value(st::InvalidChain);  // the chain could not be built for another reason
  }
}

/// Verifies `leaf` for S/MIME signing against the trust anchors of `trust`, with `chain` as
/// untrusted intermediates, at `at` (now by default). `check_crl`: revocation is checked with
/// the CRLs `trust` holds (added or in its hashed directory); the server fetches none (no
/// network in its contract), so a certificate no CRL there covers is Status 16.
[[nodiscard]] inline std::int64_t verify_certificate(X509* leaf, const std::vector<X509*>& chain,
                                                     X509_STORE* trust, bool check_crl,
                                                     std::optional<std::time_t> at = {}) {
  const auto free_stack = [](STACK_OF(X509) * s) { sk_X509_free(s); };  // not the certificates
  std::unique_ptr<STACK_OF(X509), decltype(free_stack)> untrusted(sk_X509_new_null(), free_stack);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      &X509_STORE_CTX_free);
  if (!untrusted || !ctx) return status_value(ValidateCertStatus::UnknownServerError);
  for (X509* x : chain)
    if (!sk_X509_push(untrusted.get(), x))
      return status_value(ValidateCertStatus::UnknownServerError);
  if (X509_STORE_CTX_init(ctx.get(), trust, leaf, untrusted.get()) != 1)
    return status_value(ValidateCertStatus::UnknownServerError);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SMIME_SIGN);
  if (check_crl)
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  if (at) X509_STORE_CTX_set_time(ctx.get(), 0, *at);
  if (X509_verify_cert(ctx.get()) == 1) return status_value(ValidateCertStatus::Success);
  return validate_status_of(X509_STORE_CTX_get_error(ctx.get()),
                            X509_STORE_CTX_get_error_depth(ctx.get()));
}

/// The answer to a ValidateCert request with `trust` as the trust anchors: one Certificate
/// Status per Certificates/Certificate (base64 DER, MS-ASCMD 2.2.3.19.2), CertificateChain the
/// intermediates (2.2.3.20), CheckCRL 1 the revocation check (2.2.3.26). A certificate that is
/// not base64 DER, or more than `max_certificates` in all, is a protocol error (Status 2).
[[nodiscard]] inline model::ValidateCert validate_certificates(
    const model::request::ValidateCert& req, X509_STORE* trust, std::optional<std::time_t> at = {},
    std::size_t max_certificates = 100) {
  using st = ValidateCertStatus;
  model::ValidateCert out;
  const auto decode = [](std::vector<x509_ptr>& to, const std::vector<std::string_view>& from) {
    for (const auto b64 : from) {
      const auto der = oxwire::base64::decode(b64, oxwire::base64::mode::lenient);
      if (!der) return false;
      if (!to.emplace_back(parse_der(*der))) return false;
    }
    return true;
  };
  std::vector<x509_ptr> leaves, chain;
  const auto& given_chain =
      req.CertificateChain ? req.CertificateChain->Certificate : std::vector<std::string_view>{};
  if (req.Certificates.Certificate.size() + given_chain.size() > max_certificates ||
      (req.CheckCRL && *req.CheckCRL != "0" && *req.CheckCRL != "1") ||
      !decode(leaves, req.Certificates.Certificate) || !decode(chain, given_chain))
    return out.Status = status_value(st::ProtocolError), out;
  std::vector<X509*> intermediates;
  for (const auto& x : chain) intermediates.push_back(x.get());
  for (const auto& leaf : leaves)
    out.Certificate.push_back(model::ValidateCert_Certificate{
        .Status = {verify_certificate(leaf.get(), intermediates, trust, req.CheckCRL == "1", at)}});
  out.Status = status_value(st::Success);
  return out;
}

/// ValidateCert against the system trust store (OpenSSL's default paths).
[[nodiscard]] inline http::response validate_cert(const std::string& body, as::protocol_version v) {
  model::ValidateCert out;
  const auto req = as::decode<model::request::ValidateCert>(bytes_of(body));
  // MS-ASCMD 2.2.2: the common status codes exist from protocol 14.0
  if (!req)
    return out.Status = v >= as::protocol_version::v14_0
                            ? malformed_status(body)
                            : status_value(ValidateCertStatus::ProtocolError),
           wbxml_response(out, v);
  x509_store_ptr trust(X509_STORE_new(), &X509_STORE_free);
  if (!trust || X509_STORE_set_default_paths(trust.get()) != 1)
    return out.Status = status_value(ValidateCertStatus::UnknownServerError),
           wbxml_response(out, v);
  return wbxml_response(validate_certificates(*req, trust.get()), v);
}

}  // namespace oxwire_server
