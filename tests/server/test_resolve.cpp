// oxwire-server over real sockets: ResolveRecipients (MS-ASCMD 2.2.1.15) with the Status codes of
// MS-ASCMD 2.2.3.177.12 and MergedFreeBusy (2.2.3.107) of the demo calendar, ValidateCert
// (MS-ASCMD 2.2.1.22, Status 2.2.3.177.18) with the verifier unit-tested against its own trust
// store and certificates made here, and the outlook response schema of Autodiscover (MS-OXDISCO).
// The demo calendar (examples/server/demo_mailbox.hpp) holds 40 one-hour busy appointments, the
// i-th at 2026-01-05T09:00Z + i days + (i % 8) hours, every fourth weekly 10 times; the demo
// contacts are first[i % 8] last[i / 8] with first.last@example.com, i < 25.
#include "server_harness.hpp"

#include <oxwire/gen/activesync/models/resolverecipients.hpp>
#include <oxwire/gen/activesync/models/resolverecipients_request.hpp>
#include <oxwire/gen/activesync/models/validatecert.hpp>
#include <oxwire/gen/activesync/models/validatecert_request.hpp>

#include <server/sync_command.hpp>
// sync_command.hpp first: it declares the store names the other server headers use
#include <server/autodiscover.hpp>
#include <server/demo_mailbox.hpp>
#include <server/resolve_commands.hpp>
#include <server/settings_commands.hpp>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>

namespace test_resolve {

using namespace server_harness;

namespace request = model::request;

struct device : device_session {
  using device_session::device_session;
  model::ResolveRecipients resolve(const request::ResolveRecipients& r,
                                   std::string_view version = "16.1") {
    return decode<model::ResolveRecipients>(send("ResolveRecipients", encoded(r), version));
  }
  /// The one Response of a request with one To that succeeded as a whole.
  model::ResolveRecipients_Response one(const request::ResolveRecipients& r,
                                        std::string_view version = "16.1") {
    const auto m = resolve(r, version);
    EXPECT_EQ(m.Status, 1);
    if (m.Response.size() != 1) {
      ADD_FAILURE() << m.Response.size() << " Responses";
      return {};
    }
    return m.Response[0];
  }
};

request::ResolveRecipients to(std::string_view name) {
  request::ResolveRecipients r;
  r.To.push_back(name);
  return r;
}

request::ResolveRecipients with_availability(std::string_view name, std::string_view start,
                                             std::optional<std::string_view> end) {
  auto r = to(name);
  auto& a = r.Options.emplace().Availability.emplace();
  a.StartTime = model::date_time{start};
  if (end) a.EndTime = model::date_time{*end};
  return r;
}

std::vector<std::string> addresses(const model::ResolveRecipients_Response& r) {
  std::vector<std::string> out;
  for (const auto& x : r.Recipient) out.emplace_back(x.EmailAddress);
  return out;
}

class Resolve : public Server {};

// MS-ASCMD 2.2.3.177.12 Response Status 1 (resolved), 4 (not found): a server user (Type 1, GAL)
// and a contact (Type 2) by address, by display name and by FileAs prefix
TEST_F(Resolve, UserContactAndNotFound) {
  server_process s(dir.path);
  device d(s.http_port);
  auto r = d.one(to("anna"));
  EXPECT_EQ(r.To, "anna");
  EXPECT_EQ(r.Status, 1);
  EXPECT_EQ(r.RecipientCount, 1);
  ASSERT_EQ(r.Recipient.size(), 1u);
  EXPECT_EQ(r.Recipient[0].Type, 1);
  EXPECT_EQ(r.Recipient[0].DisplayName, "anna");
  EXPECT_EQ(r.Recipient[0].EmailAddress, "anna");
  EXPECT_FALSE(r.Recipient[0].Certificates);
  EXPECT_FALSE(r.Recipient[0].Availability);
  EXPECT_TRUE(r.Recipient[0].Picture.empty());

  for (const std::string_view q : {"Hugo.Meyer@example.com", "hugo meyer", "Meyer, H"}) {
    r = d.one(to(q));
    EXPECT_EQ(r.Status, 1) << q;
    ASSERT_EQ(r.Recipient.size(), 1u) << q;
    EXPECT_EQ(r.Recipient[0].Type, 2);
    EXPECT_EQ(r.Recipient[0].DisplayName, "Hugo Meyer");
    EXPECT_EQ(r.Recipient[0].EmailAddress, "hugo.meyer@example.com");
  }

  r = d.one(to("zebra"));
  EXPECT_EQ(r.Status, 4);
  EXPECT_EQ(r.RecipientCount, 0);
  EXPECT_TRUE(r.Recipient.empty());

  // Several To: one Response each, in order
  auto many = to("zebra");
  many.To.push_back("anna");
  const auto m = d.resolve(many);
  EXPECT_EQ(m.Status, 1);
  ASSERT_EQ(m.Response.size(), 2u);
  EXPECT_EQ(m.Response[0].Status, 4);
  EXPECT_EQ(m.Response[1].Status, 1);
}

// Status 2 (ambiguous: suggestions) and 3 (a partial list, RecipientCount the total) with
// MaxAmbiguousRecipients (MS-ASCMD 2.2.3.100); an exact address or display name wins
TEST_F(Resolve, AmbiguousUsersAndContacts) {
  {
    oxwire::server::store db(dir.path / "oxwire.db");
    ASSERT_TRUE(db.add_user("annabel", "x", 1000));
    ASSERT_TRUE(db.add_user("annika", "x", 1000));
  }
  server_process s(dir.path);
  device d(s.http_port);
  // GAL anna, annabel, annika (name order), then the contacts Anna Meyer/Okafor/Rossi/Schmidt
  auto r = d.one(to("ann"));
  EXPECT_EQ(r.Status, 2);
  EXPECT_EQ(r.RecipientCount, 7);
  EXPECT_EQ(addresses(r),
            (std::vector<std::string>{"anna", "annabel", "annika", "anna.meyer@example.com",
                                      "anna.okafor@example.com", "anna.rossi@example.com",
                                      "anna.schmidt@example.com"}));
  EXPECT_EQ(r.Recipient[0].Type, 1);
  EXPECT_EQ(r.Recipient[3].Type, 2);
  EXPECT_EQ(r.Recipient[3].DisplayName, "Anna Meyer");

  auto limited = to("chloe");
  limited.Options.emplace().MaxAmbiguousRecipients = 2;
  limited.Options->CertificateRetrieval = 2;
  r = d.one(limited);
  EXPECT_EQ(r.Status, 3);
  EXPECT_EQ(r.RecipientCount, 3);
  ASSERT_EQ(r.Recipient.size(), 2u);
  EXPECT_EQ(r.Recipient[0].DisplayName, "Chloe Meyer");
  EXPECT_FALSE(r.Recipient[0].Certificates);  // none for suggestions
  r = d.one(to("chloe"));
  EXPECT_EQ(r.Status, 2);
  EXPECT_EQ(r.Recipient.size(), 3u);

  for (const std::string_view exact : {"annabel", "ANNA"}) {
    r = d.one(to(exact));
    EXPECT_EQ(r.Status, 1) << exact;
    ASSERT_EQ(r.Recipient.size(), 1u);
    EXPECT_EQ(r.Recipient[0].EmailAddress, oxwire_server::lower(exact));
  }
}

// CertificateRetrieval 2/3 (MS-ASCMD 2.2.3.22): no certificates are stored, Certificates Status
// 7; Picture (14.1+): Status 173 (no photo)
TEST_F(Resolve, CertificatesAndPictures) {
  server_process s(dir.path);
  device d(s.http_port);
  for (const std::uint8_t retrieval : {2, 3}) {
    auto q = to("anna");
    q.Options.emplace().CertificateRetrieval = retrieval;
    q.Options->MaxCertificates = 10;
    const auto r = d.one(q);
    ASSERT_EQ(r.Recipient.size(), 1u);
    ASSERT_TRUE(r.Recipient[0].Certificates);
    EXPECT_EQ(r.Recipient[0].Certificates->Status, 7);
    EXPECT_EQ(r.Recipient[0].Certificates->CertificateCount, 0);
    EXPECT_TRUE(r.Recipient[0].Certificates->Certificate.empty());
  }
  auto q = to("anna");
  q.Options.emplace().CertificateRetrieval = 1;  // do not retrieve
  EXPECT_FALSE(d.one(q).Recipient.at(0).Certificates);

  auto p = to("chloe");
  p.Options.emplace().Picture.emplace().MaxPictures = 5;
  const auto r = d.one(p);
  ASSERT_EQ(r.Recipient.size(), 3u);
  for (const auto& rec : r.Recipient) {
    ASSERT_EQ(rec.Picture.size(), 1u);
    EXPECT_EQ(rec.Picture[0].Status, 173);
    EXPECT_FALSE(rec.Picture[0].Data);
  }
  // MS-ASCMD 2.2.3.135.2: Picture from 14.1
  EXPECT_EQ(d.one(p, "14.1").Status, 2);
  EXPECT_EQ(d.resolve(p, "14.0").Status, 5);
}

// MS-ASCMD 2.2.3.107 MergedFreeBusy of the resolved user's calendar, 30-minute digits; the
// weekly recurrence expanded; ambiguous To and non-users without free/busy
TEST_F(Resolve, AvailabilityOfTheDemoCalendar) {
  server_process s(dir.path);
  device d(s.http_port);
  // 2026-01-05T08:00Z .. 2026-01-07T12:00Z: appointments 0, 1, 2 at +1h, +26h, +51h
  auto r = d.one(with_availability("anna", "2026-01-05T08:00:00.000Z", "20260107T120000Z"));
  ASSERT_EQ(r.Recipient.size(), 1u);
  ASSERT_TRUE(r.Recipient[0].Availability);
  EXPECT_EQ(r.Recipient[0].Availability->Status, 1);
  std::string expected(104, '0');
  for (const std::size_t i : {2, 3, 52, 53, 102, 103}) expected[i] = '2';
  EXPECT_EQ(r.Recipient[0].Availability->MergedFreeBusy, expected);

  // Appointment 0 recurs on Mondays 10 times: 2026-03-09 is the 10th, 2026-03-16 none
  r = d.one(with_availability("anna", "2026-03-09T08:00:00.000Z", "2026-03-09T12:00:00.000Z"));
  EXPECT_EQ(r.Recipient.at(0).Availability.value().MergedFreeBusy, "00220000");
  r = d.one(with_availability("anna", "2026-03-16T08:00:00.000Z", "2026-03-16T12:00:00.000Z"));
  EXPECT_EQ(r.Recipient.at(0).Availability.value().MergedFreeBusy, "00000000");

  // MS-ASCMD 2.2.3.61.1: no EndTime is StartTime + 7 days
  r = d.one(with_availability("anna", "2026-06-01T00:00:00.000Z", std::nullopt));
  EXPECT_EQ(r.Recipient.at(0).Availability.value().MergedFreeBusy, std::string(336, '0'));

  // A contact that is no server user: Availability Status 162, no MergedFreeBusy
  r = d.one(with_availability("hugo.meyer@example.com", "2026-01-05T08:00:00.000Z", {}));
  ASSERT_TRUE(r.Recipient.at(0).Availability);
  EXPECT_EQ(r.Recipient[0].Availability->Status, 162);
  EXPECT_FALSE(r.Recipient[0].Availability->MergedFreeBusy);

  // MS-ASCMD 2.2.3.183: an ambiguous To gets no free/busy data
  r = d.one(with_availability("chloe", "2026-01-05T08:00:00.000Z", {}));
  EXPECT_EQ(r.Status, 2);
  for (const auto& rec : r.Recipient) EXPECT_FALSE(rec.Availability);
}

// ResolveRecipients Status 5 (MS-ASCMD 2.2.3.177.12): Availability before 14.0, a span under
// 30 minutes or over 42 days, a bad time, too many or too long To, limits over 9999; a body
// that is not a ResolveRecipients request: the common Status 102/103 (14.0+), else 5
TEST_F(Resolve, ProtocolErrors) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto status = [&](const request::ResolveRecipients& q, std::string_view v = "16.1") {
    const auto m = d.resolve(q, v);
    EXPECT_TRUE(m.Response.empty());
    return m.Status;
  };
  const auto avail = with_availability("anna", "2026-01-05T08:00:00.000Z", {});
  EXPECT_EQ(d.resolve(avail, "14.0").Status, 1);
  EXPECT_EQ(status(avail, "12.1"), 5);
  EXPECT_EQ(
      status(with_availability("anna", "2026-01-05T08:00:00.000Z", "2026-01-05T08:29:00.000Z")), 5);
  EXPECT_EQ(
      status(with_availability("anna", "2026-01-05T08:00:00.000Z", "2026-02-16T08:00:01.000Z")), 5);
  EXPECT_EQ(
      d.resolve(with_availability("anna", "2026-01-05T08:00:00.000Z", "2026-02-16T08:00:00.000Z"))
          .Status,
      1);
  EXPECT_EQ(
      status(with_availability("anna", "2026-01-05T08:00:00.000Z", "2026-01-04T08:00:00.000Z")), 5);
  EXPECT_EQ(status(with_availability("anna", "yesterday", {})), 5);

  request::ResolveRecipients many;
  std::vector<std::string> names(101, "anna");
  for (const auto& n : names) many.To.push_back(n);
  EXPECT_EQ(status(many), 5);
  many.To.pop_back();
  EXPECT_EQ(d.resolve(many).Response.size(), 100u);
  const std::string long_name(257, 'a');
  EXPECT_EQ(status(to(long_name)), 5);
  auto big = to("anna");
  big.Options.emplace().MaxAmbiguousRecipients = 10000;
  EXPECT_EQ(status(big), 5);

  EXPECT_EQ(decode<model::ResolveRecipients>(d.send("ResolveRecipients", "not wbxml")).Status, 102);
  EXPECT_EQ(decode<model::ResolveRecipients>(d.send("ResolveRecipients", folder_sync_request("0")))
                .Status,
            103);
  EXPECT_EQ(
      decode<model::ResolveRecipients>(d.send("ResolveRecipients", "not wbxml", "12.1")).Status, 5);
}

// A ResolveRecipients request encoded by libwbxml's xml2wbxml
TEST_F(Resolve, RequestEncodedByLibwbxml) {
  const auto body =
      libwbxml_of(dir.path, R"(<ResolveRecipients xmlns="ResolveRecipients:">)"
                            R"(<To>hugo.meyer@example.com</To><To>ann</To>)"
                            R"(<Options><CertificateRetrieval>2</CertificateRetrieval>)"
                            R"(<MaxAmbiguousRecipients>3</MaxAmbiguousRecipients>)"
                            R"(</Options></ResolveRecipients>)");
  if (!body) GTEST_SKIP() << no_xml2wbxml;
  server_process s(dir.path);
  device d(s.http_port);
  const auto m = decode<model::ResolveRecipients>(d.send("ResolveRecipients", *body));
  EXPECT_EQ(m.Status, 1);
  ASSERT_EQ(m.Response.size(), 2u);
  EXPECT_EQ(m.Response[0].Status, 1);
  ASSERT_TRUE(m.Response[0].Recipient.at(0).Certificates);
  EXPECT_EQ(m.Response[0].Recipient[0].Certificates->Status, 7);
  EXPECT_EQ(m.Response[1].Status, 3);
  EXPECT_EQ(m.Response[1].RecipientCount, 5);
  EXPECT_EQ(m.Response[1].Recipient.size(), 3u);
}

// MS-ASHTTP 2.2.4.1.2.1: OPTIONS lists the two commands
TEST_F(Resolve, OptionsListsTheCommands) {
  server_process s(dir.path);
  client c(s.http_port);
  const auto r =
      c.send("OPTIONS /Microsoft-Server-ActiveSync HTTP/1.1\r\nHost: x\r\nAuthorization: " +
             basic(user, password) + "\r\n\r\n");
  const std::string commands = "," + r.header("ms-asprotocolcommands") + ",";
  EXPECT_NE(commands.find(",ResolveRecipients,"), std::string::npos) << commands;
  EXPECT_NE(commands.find(",ValidateCert,"), std::string::npos) << commands;
}

// --- merged_free_busy ------------------------------------------------------------------------

oxwire::server::item appointment(std::chrono::sys_seconds start, std::chrono::minutes length,
                                 std::optional<int> busy) {
  using oxwire_server::detail_demo::at;
  auto b = oxwire_server::detail_demo::bag();
  (void)b.set(oxwire::mapi::prop::PidLidAppointmentStartWhole, at(start));
  (void)b.set(oxwire::mapi::prop::PidLidAppointmentEndWhole, at(start + length));
  if (busy) (void)b.set(oxwire::mapi::prop::PidLidBusyStatus, *busy);
  return {"6:1", std::move(b), 0};
}

// MS-ASCMD 2.2.3.107: an interval takes the highest digit of what overlaps it; PidLidBusyStatus
// 4 (working elsewhere) counts as tentative, none as busy; a partial last interval is one digit
TEST(MergedFreeBusy, DigitsPerInterval) {
  using namespace std::chrono;
  const sys_seconds nine = sys_days{2026y / 2 / 2} + 9h;
  const std::vector<oxwire::server::item> items{
      appointment(nine, 60min, 1),             // tentative 09:00-10:00
      appointment(nine + 40min, 10min, 2),     // busy 09:40-09:50
      appointment(nine + 2h, 30min, 4),        // working elsewhere 11:00-11:30
      appointment(nine + 3h, 30min, {}),       // no BusyStatus 12:00-12:30
      appointment(nine + 3h + 30min, 1min, 3)  // out of office 12:30-12:31
  };
  EXPECT_EQ(oxwire_server::merged_free_busy(items, nine, nine + 4h, 10), "12001023");
  EXPECT_EQ(oxwire_server::merged_free_busy(items, nine, nine + 45min, 10), "12");
  EXPECT_EQ(oxwire_server::merged_free_busy(items, nine - 1h, nine, 10), "00");
  EXPECT_EQ(oxwire_server::merged_free_busy({}, nine, nine + 1h, 10), "00");
}

// --- ValidateCert ----------------------------------------------------------------------------

using key_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using oxwire_server::x509_ptr;

key_ptr make_key() {
  return {EVP_EC_gen("P-256"), &EVP_PKEY_free};
}

struct cert_spec {
  const char* cn;
  bool ca = false;
  long not_before = -3600, not_after = 86400;  // seconds from now
  const char* eku = "emailProtection";
};

/// A certificate of `key` signed by `issuer_key` (self-signed without an issuer).
x509_ptr make_cert(const cert_spec& s, EVP_PKEY* key, X509* issuer = nullptr,
                   EVP_PKEY* issuer_key = nullptr) {
  static long serial = 1;
  x509_ptr x(X509_new(), &X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), s.not_before);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), s.not_after);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(s.cn),
                             -1, -1, 0);
  X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : x.get(), x.get(), nullptr, nullptr, 0);
  const auto add = [&](int nid, const char* value) {
    X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    EXPECT_NE(e, nullptr) << value;
    X509_add_ext(x.get(), e, -1);
    X509_EXTENSION_free(e);
  };
  add(NID_basic_constraints, s.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add(NID_key_usage, s.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  if (!s.ca && s.eku) add(NID_ext_key_usage, s.eku);
  EXPECT_GT(X509_sign(x.get(), issuer_key ? issuer_key : key, EVP_sha256()), 0);
  return x;
}

std::vector<std::uint8_t> der_of(X509* x) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(i2d_X509(x, nullptr)));
  unsigned char* p = out.data();
  i2d_X509(x, &p);
  return out;
}

std::string b64(const std::vector<std::uint8_t>& der) {
  return oxwire::base64::encode(der);
}

/// A trust store, a root CA in it, an intermediate CA and keys.
struct pki {
  key_ptr root_key = make_key(), inter_key = make_key(), leaf_key = make_key();
  x509_ptr root = make_cert({.cn = "Test Root", .ca = true}, root_key.get());
  x509_ptr inter = make_cert({.cn = "Test Intermediate", .ca = true}, inter_key.get(), root.get(),
                             root_key.get());
  oxwire_server::x509_store_ptr store{X509_STORE_new(), &X509_STORE_free};
  pki() { X509_STORE_add_cert(store.get(), root.get()); }
  x509_ptr leaf(cert_spec s, bool by_inter = false) {
    return by_inter ? make_cert(s, leaf_key.get(), inter.get(), inter_key.get())
                    : make_cert(s, leaf_key.get(), root.get(), root_key.get());
  }
};

/// The Certificate Status values of a request of base64 certificates.
std::vector<std::int64_t> statuses(pki& p, const std::vector<std::string>& certs,
                                   const std::vector<std::string>& chain = {},
                                   std::optional<std::string_view> crl = {},
                                   std::int64_t expected_status = 1) {
  request::ValidateCert req;
  for (const auto& c : certs) req.Certificates.Certificate.push_back(c);
  if (!chain.empty()) {
    auto& ch = req.CertificateChain.emplace();
    for (const auto& c : chain) ch.Certificate.push_back(c);
  }
  req.CheckCRL = crl;
  const auto out = oxwire_server::validate_certificates(req, p.store.get());
  EXPECT_EQ(out.Status, expected_status);
  std::vector<std::int64_t> r;
  for (const auto& c : out.Certificate) {
    EXPECT_EQ(c.Status.size(), 1u);
    r.push_back(c.Status.empty() ? 0 : c.Status[0]);
  }
  return r;
}

using V = std::vector<std::int64_t>;

// MS-ASCMD 2.2.3.177.18: 1 valid, 4 untrusted (self-signed, or no way to a trusted root), 7
// expired or not yet valid, 3 a signature that does not verify, 6 not for e-mail
TEST(ValidateCert, StatusPerCertificate) {
  pki p;
  const auto good = b64(der_of(p.leaf({.cn = "anna"}).get()));
  const auto via_inter = b64(der_of(p.leaf({.cn = "ben"}, true).get()));
  const auto inter = b64(der_of(p.inter.get()));
  const auto key = make_key();
  const auto self = b64(der_of(make_cert({.cn = "self"}, key.get()).get()));
  const auto expired =
      b64(der_of(p.leaf({.cn = "old", .not_before = -172800, .not_after = -86400}).get()));
  const auto future =
      b64(der_of(p.leaf({.cn = "new", .not_before = 86400, .not_after = 172800}).get()));
  const auto server = b64(der_of(p.leaf({.cn = "www", .eku = "serverAuth"}).get()));
  auto tampered_der = der_of(p.leaf({.cn = "tampered"}).get());
  tampered_der.back() ^= 0x01;  // the last byte of the signature value
  const auto tampered = b64(tampered_der);

  EXPECT_EQ(statuses(p, {good}), V{1});
  EXPECT_EQ(statuses(p, {via_inter}, {inter}), V{1});
  EXPECT_EQ(statuses(p, {via_inter}), V{4});  // the intermediate not given
  EXPECT_EQ(statuses(p, {self, expired, future, tampered, server, good}), (V{4, 7, 7, 3, 6, 1}));
}

// MS-ASCMD 2.2.3.26 CheckCRL: revocation by the CRLs the trust store holds; none: 16 (status
// not determined), a CRL listing the certificate: 13
TEST(ValidateCert, CheckCrl) {
  pki p;
  const auto leaf = p.leaf({.cn = "anna"});
  const auto other = p.leaf({.cn = "ben"});
  const auto good = b64(der_of(leaf.get())), fine = b64(der_of(other.get()));
  EXPECT_EQ(statuses(p, {good}, {}, "0"), V{1});
  EXPECT_EQ(statuses(p, {good}, {}, "1"), V{16});

  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), &X509_CRL_free);
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(p.root.get()));
  ASN1_TIME* t = X509_gmtime_adj(nullptr, -3600);
  X509_CRL_set1_lastUpdate(crl.get(), t);
  X509_REVOKED* revoked = X509_REVOKED_new();
  X509_REVOKED_set_serialNumber(revoked, X509_get_serialNumber(leaf.get()));
  X509_REVOKED_set_revocationDate(revoked, t);
  X509_CRL_add0_revoked(crl.get(), revoked);
  X509_gmtime_adj(t, 86400);
  X509_CRL_set1_nextUpdate(crl.get(), t);
  ASN1_TIME_free(t);
  X509_CRL_sort(crl.get());
  ASSERT_GT(X509_CRL_sign(crl.get(), p.root_key.get(), EVP_sha256()), 0);
  X509_STORE_add_crl(p.store.get(), crl.get());
  EXPECT_EQ(statuses(p, {good, fine}, {}, "1"), (V{13, 1}));
  EXPECT_EQ(statuses(p, {good}, {}, "0"), V{1});
}

// Status 2 (protocol error) for the whole request: a certificate that is not base64, not DER,
// or DER with bytes after it, in Certificates or CertificateChain
TEST(ValidateCert, MalformedCertificates) {
  pki p;
  const auto der = der_of(p.leaf({.cn = "anna"}).get());
  auto trailing = der;
  trailing.push_back(0);
  for (const std::string& bad : {std::string("not base64!"), b64({1, 2, 3}), b64(trailing),
                                 b64({der.begin(), der.end() - 1})}) {
    EXPECT_TRUE(statuses(p, {bad}, {}, {}, 2).empty());
    EXPECT_TRUE(statuses(p, {b64(der)}, {bad}, {}, 2).empty());
  }
  EXPECT_TRUE(statuses(p, {b64(der)}, {}, "yes", 2).empty());
}

// One round trip: the system trust store does not know a self-signed certificate (Status 4);
// a body that is not a ValidateCert request: 102
TEST_F(Resolve, ValidateCertOverTheWire) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto key = make_key();
  const auto self = b64(der_of(make_cert({.cn = "self"}, key.get()).get()));
  request::ValidateCert req;
  req.Certificates.Certificate.push_back(self);
  const auto m = decode<model::ValidateCert>(d.send("ValidateCert", encoded(req)));
  EXPECT_EQ(m.Status, 1);
  ASSERT_EQ(m.Certificate.size(), 1u);
  EXPECT_EQ(m.Certificate[0].Status, V{4});
  EXPECT_EQ(decode<model::ValidateCert>(d.send("ValidateCert", "not wbxml")).Status, 102);
}

// --- Autodiscover, the outlook response schema (MS-OXDISCO) ---------------------------------

TEST_F(Resolve, AutodiscoverOutlookSchema) {
  server_process s(dir.path);
  client c(s.http_port);
  const std::string body =
      R"(<?xml version="1.0" encoding="utf-8"?>)"
      R"(<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">)"
      R"(<Request><EMailAddress>a&amp;b&lt;c&gt;@example.com</EMailAddress>)"
      R"(<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>)"
      R"(</Request></Autodiscover>)";
  const auto post_disco = [&](const std::string& auth) {
    return c.send("POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: mail.example.com\r\n" +
                  auth + "Content-Type: text/xml\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  };
  EXPECT_EQ(post_disco("").status, 401);  // the credentials check of every endpoint
  const auto r = post_disco("Authorization: " + basic(user, password) + "\r\n");
  EXPECT_EQ(r.status, 200);
  const auto doc = oxwire_server::xml::reader::parse(r.body);
  ASSERT_TRUE(doc) << r.body;
  EXPECT_EQ(doc->name, "Autodiscover");
  const auto* resp = doc->child("Response");
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(resp->ns, oxwire_server::autodiscover::outlook_ns);
  EXPECT_EQ(resp->child("Error"), nullptr);
  const auto* u = resp->child("User");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->child("DisplayName")->text, "anna");
  EXPECT_EQ(u->child("AutoDiscoverSMTPAddress")->text, "a&b<c>@example.com");
  const auto* account = resp->child("Account");
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->child("AccountType")->text, "email");
  EXPECT_EQ(account->child("Action")->text, "settings");
  EXPECT_EQ(account->child("Protocol"), nullptr);    // no EXCH/EXPR/EXHTTP/WEB endpoint here
  EXPECT_EQ(r.body.find("a&b"), std::string::npos);  // escaped on the wire
}

}  // namespace test_resolve
