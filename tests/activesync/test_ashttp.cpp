// MS-ASHTTP request line (plain-text and base64-encoded query values), request headers and
// OPTIONS response headers: the spec examples byte for byte, every command code and parameter
// tag, round trips, the syncgw traces and every error the parsers and encoders report.
#include <oxwire/activesync/ashttp.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace test_ashttp {

namespace as = oxwire::activesync;
using as::ashttp_errc;
using as::protocol_version;
using oxwire_test::fails_with;
using bytes = std::vector<std::uint8_t>;

constexpr std::string_view path_q = "/Microsoft-Server-ActiveSync?";
constexpr std::size_t q0 = path_q.size();  // 29: offset of the query value

// MS-ASHTTP 2.2.1.1.1 (MS-ASHTTP_R16): two equivalent request lines.
constexpr std::string_view spec_plain =
    "/Microsoft-Server-ActiveSync?Cmd=Sync&User=rmjones&DeviceId=v140Device&DeviceType=SmartPhone";
constexpr std::string_view spec_base64 =
    "/Microsoft-Server-ActiveSync?jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l";

std::string target(std::string_view query) {
  return std::string(path_q) + std::string(query);
}

/// The base64 target of a byte sequence (standard alphabet, padded, nothing escaped).
std::string b64(const bytes& b) {
  return target(oxwire::base64::encode(b));
}

/// Offset in a b64() target of the character holding the first bits of decoded byte k.
std::size_t at_byte(std::size_t k) {
  return q0 + k / 3 * 4 + k % 3;
}

bytes cat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Protocol version 16.1, Sync, locale 0x0409, Device ID "dev", no policy key, Device type "SP":
// bytes 0..11 of a valid query value.
const bytes prefix{161, 0x00, 0x09, 0x04, 3, 'd', 'e', 'v', 0, 2, 'S', 'P'};

as::request_line sample_base64() {
  as::request_line q;
  q.ProtocolVersion = protocol_version::v16_1;
  q.Cmd = "SmartReply";
  q.Locale = 0x0407;
  q.DeviceId = std::string("\x00\xff\x10", 3);
  q.PolicyKey = 0xDEADBEEF;
  q.DeviceType = "WindowsMail";
  q.User = "bob@contoso.com";
  q.AttachmentName = "att";
  q.CollectionId = "5";
  q.ItemId = "5:12";
  q.LongId = "RgAAAA";
  q.Occurrence = "2024-01-01T00:00:00.000Z";
  q.Options = as::options_flag::SaveInSent;
  return q;
}

// ---------------------------------------------------------------------------------------------
// Spec examples

TEST(AshttpSpecExample, Base64QueryValueDecodesToItsFields) {
  OXWIRE_REQ("MS-ASHTTP_R22", "MS-ASHTTP_R23", "MS-ASHTTP_R26", "MS-ASHTTP_R33", "MS-ASHTTP_R29",
             "MS-ASHTTP_R31", "MS-ASHTTP_R34", "MS-ASHTTP_R36", "MS-ASHTTP_R37", "MS-ASHTTP_R39",
             "MS-ASHTTP_R41", "MS-ASHTTP_R42", "MS-ASHTTP_R43", "MS-ASHTTP_R45", "MS-ASHTTP_R47",
             "MS-ASHTTP_R58", "MS-ASHTTP_R426", "MS-ASHTTP_R15");
  const auto q = as::parse_query(spec_base64);
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_EQ(q->path, "/Microsoft-Server-ActiveSync");
  EXPECT_EQ(q->ProtocolVersion, protocol_version::v14_0);
  EXPECT_EQ(as::to_string(*q->ProtocolVersion), "14.0");
  EXPECT_EQ(static_cast<int>(*q->ProtocolVersion), 140);
  EXPECT_EQ(q->Cmd, "Sync");
  EXPECT_EQ(q->Locale, 0x0409);
  EXPECT_EQ(q->DeviceId, "v140Device");
  EXPECT_EQ(q->PolicyKey, std::nullopt);
  EXPECT_EQ(q->DeviceType, "SmartPhone");
  EXPECT_EQ(q->User, std::nullopt);
  EXPECT_EQ(q->Options, std::nullopt);
  EXPECT_EQ(as::form_of(*q), as::query_form::base64);
}

TEST(AshttpSpecExample, Base64QueryValueIsReproducedByteForByte) {
  OXWIRE_REQ("MS-ASHTTP_R22");
  as::request_line q;
  q.ProtocolVersion = protocol_version::v14_0;
  q.Cmd = "Sync";
  q.Locale = 0x0409;
  q.DeviceId = "v140Device";
  q.DeviceType = "SmartPhone";
  const auto bytes_out = as::encode_query_value(q);
  ASSERT_TRUE(bytes_out);
  const bytes want = cat({{140, 0, 0x09, 0x04, 10},
                          oxwire_test::bytes_of("v140Device"),
                          {0, 10},
                          oxwire_test::bytes_of("SmartPhone")});
  EXPECT_EQ(*bytes_out, want);
  EXPECT_EQ(as::encode_base64_query(q).value(), spec_base64);
}

TEST(AshttpSpecExample, PlainQueryParsesAndFormatsByteForByte) {
  OXWIRE_REQ("MS-ASHTTP_R12", "MS-ASHTTP_R98", "MS-ASHTTP_R402", "MS-ASHTTP_R403", "MS-ASHTTP_R103",
             "MS-ASHTTP_R107");
  const auto q = as::parse_query(spec_plain);
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_EQ(q->path, "/Microsoft-Server-ActiveSync");
  EXPECT_EQ(q->Cmd, "Sync");
  EXPECT_EQ(q->User, "rmjones");
  EXPECT_EQ(q->DeviceId, "v140Device");
  EXPECT_EQ(q->DeviceType, "SmartPhone");
  EXPECT_EQ(q->ProtocolVersion, std::nullopt);
  EXPECT_EQ(q->Locale, std::nullopt);
  EXPECT_EQ(as::form_of(*q), as::query_form::plain);
  EXPECT_EQ(as::format_plain_query(*q).value(), spec_plain);
}

// The two request lines of 2.2.1.1.1 say the same: the plain one's version travels in the
// MS-ASProtocolVersion header (the base64 one carries no User).
TEST(AshttpSpecExample, PlainAndBase64ExamplesAreEquivalent) {
  OXWIRE_REQ("MS-ASHTTP_R16", "MS-ASHTTP_R404", "MS-ASHTTP_R158");
  const auto plain = as::parse_query(spec_plain).value();
  const auto base = as::parse_query(spec_base64).value();
  const std::array<as::header_field, 6> fields{{{"Content-Type", "application/vnd.ms-sync.wbxml"},
                                                {"MS-ASProtocolVersion", "14.0"},
                                                {"User-Agent", "ASOM"},
                                                {"Host", "Contoso.com"},
                                                {"Accept-Language", "en-us"},
                                                {"Content-Length", "868"}}};
  const as::request_headers h(fields);
  EXPECT_EQ(h.version().value(), base.ProtocolVersion);
  EXPECT_EQ(plain.Cmd, base.Cmd);
  EXPECT_EQ(plain.DeviceId, base.DeviceId);
  EXPECT_EQ(plain.DeviceType, base.DeviceType);
  EXPECT_EQ(h.user_agent(), "ASOM");
  EXPECT_EQ(h.accept_language(), "en-us");
  EXPECT_TRUE(as::is_wbxml_content_type(*h.content_type()));
}

// MS-ASHTTP 2.2.1.1.2.2 example. (The spec text names the user "fakename"; its base64 token
// decodes to "fakeuser".)
TEST(AshttpSpecExample, BasicAuthorizationDecodes) {
  OXWIRE_REQ("MS-ASHTTP_R139", "MS-ASHTTP_R140");
  const std::array<as::header_field, 1> fields{
      {{"Authorization", "Basic ZmFrZXVzZXI6eCRwSUFLOUBwOSE="}}};
  const auto c = as::request_headers(fields).basic();
  ASSERT_TRUE(c) << c.error().message();
  ASSERT_TRUE(*c);
  EXPECT_EQ((*c)->user, "fakeuser");
  EXPECT_EQ((*c)->password, "x$pIAK9@p9!");
}

// MS-ASHTTP 2.2.4.1.2.2 example value, and 2.2.4.1.2.1 from the command code table.
TEST(AshttpSpecExample, OptionsResponseHeaders) {
  OXWIRE_REQ("MS-ASHTTP_R246", "MS-ASHTTP_R247", "MS-ASHTTP_R249", "MS-ASHTTP_R2491");
  std::vector<protocol_version> all;
  for (const auto& e : as::protocol_versions) all.push_back(e.version);
  std::reverse(all.begin(), all.end());  // any order, any repetition in
  all.push_back(protocol_version::v14_0);
  EXPECT_EQ(as::protocol_versions_header(all), "2.5,12.0,12.1,14.0,14.1,16.0,16.1");
  EXPECT_EQ(as::protocol_commands_header(all),
            "Sync,SendMail,SmartForward,SmartReply,GetAttachment,FolderSync,FolderCreate,"
            "FolderDelete,FolderUpdate,MoveItems,GetItemEstimate,MeetingResponse,Search,Settings,"
            "Ping,ItemOperations,Provision,ResolveRecipients,ValidateCert,Find");
  const std::array<protocol_version, 2> old{protocol_version::v14_1, protocol_version::v12_1};
  EXPECT_EQ(as::protocol_versions_header(old), "12.1,14.1");
  const std::string commands = as::protocol_commands_header(old);
  EXPECT_EQ(commands.find("Find"), std::string::npos);  // 16.1 only
  EXPECT_TRUE(commands.ends_with(",ValidateCert"));
  EXPECT_EQ(as::protocol_versions_header({}), "");
  EXPECT_EQ(as::protocol_commands_header({}), "");
}

// ---------------------------------------------------------------------------------------------
// Versions, command codes, parameter tags

TEST(AshttpVersions, TextAndCodeForms) {
  OXWIRE_REQ("MS-ASHTTP_R24", "MS-ASHTTP_R451", "MS-ASHTTP_R1581");
  for (const auto& e : as::protocol_versions) {
    EXPECT_EQ(as::parse_protocol_version(e.text), e.version);
    EXPECT_EQ(as::to_string(e.version), e.text);
    EXPECT_EQ(as::find_protocol_version(static_cast<std::uint8_t>(e.version)), &e);
  }
  EXPECT_EQ(as::parse_protocol_version("16.2"), std::nullopt);
  EXPECT_EQ(as::parse_protocol_version("16"), std::nullopt);
  EXPECT_EQ(as::find_protocol_version(162), nullptr);
  // base64 query: 121, 140, 141, 160, 161 only
  for (std::uint8_t v : {121, 140, 141, 160, 161})
    EXPECT_EQ(as::parse_query(b64(cat({{v}, bytes(prefix.begin() + 1, prefix.end())})))
                  .value()
                  .ProtocolVersion,
              static_cast<protocol_version>(v));
}

TEST(AshttpCommandCodes, EveryCodeRoundTrips) {
  OXWIRE_REQ("MS-ASHTTP_R58", "MS-ASHTTP_R59", "MS-ASHTTP_R62", "MS-ASHTTP_R63", "MS-ASHTTP_R64",
             "MS-ASHTTP_R65", "MS-ASHTTP_R66", "MS-ASHTTP_R67", "MS-ASHTTP_R69", "MS-ASHTTP_R70",
             "MS-ASHTTP_R71", "MS-ASHTTP_R72", "MS-ASHTTP_R73", "MS-ASHTTP_R74", "MS-ASHTTP_R75",
             "MS-ASHTTP_R76", "MS-ASHTTP_R77", "MS-ASHTTP_R78", "MS-ASHTTP_R100");
  for (const auto& c : oxwire::gen::activesync::command_codes) {
    bytes b = prefix;
    b[1] = c.code;
    const auto q = as::parse_query(b64(b));
    ASSERT_TRUE(q) << c.command;
    EXPECT_EQ(q->Cmd, c.command);
    EXPECT_EQ(as::encode_query_value(*q).value(), b);
    const auto plain = as::parse_query(
        target("Cmd=" + std::string(c.command) + "&User=u&DeviceId=d&DeviceType=t"));
    ASSERT_TRUE(plain) << c.command;
    EXPECT_EQ(plain->Cmd, c.command);
  }
}

TEST(AshttpParameters, Base64TagsAndValuesByteForByte) {
  OXWIRE_REQ("MS-ASHTTP_R46", "MS-ASHTTP_R49", "MS-ASHTTP_R51", "MS-ASHTTP_R52", "MS-ASHTTP_R54",
             "MS-ASHTTP_R81", "MS-ASHTTP_R510", "MS-ASHTTP_R82", "MS-ASHTTP_R83", "MS-ASHTTP_R84",
             "MS-ASHTTP_R85", "MS-ASHTTP_R86", "MS-ASHTTP_R40", "MS-ASHTTP_R92", "MS-ASHTTP_R486");
  const auto q = sample_base64();
  const bytes want = cat({{161, 3, 0x07, 0x04, 3, 0x00, 0xff, 0x10, 4, 0xEF, 0xBE, 0xAD, 0xDE, 11},
                          oxwire_test::bytes_of("WindowsMail"),
                          {0, 3, 'a', 't', 't'},
                          {1, 1, '5'},
                          {3, 4, '5', ':', '1', '2'},
                          {4, 6},
                          oxwire_test::bytes_of("RgAAAA"),
                          {6, 24},
                          oxwire_test::bytes_of("2024-01-01T00:00:00.000Z"),
                          {7, 1, 0x01},
                          {8, 15},
                          oxwire_test::bytes_of("bob@contoso.com")});
  const auto got = as::encode_query_value(q);
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(*got, want);
  EXPECT_EQ(as::decode_query_value(want).value(), q);
  const auto text = as::encode_base64_query(q).value();
  EXPECT_EQ(as::parse_query(text).value(), q);
  EXPECT_TRUE(as::parse_query(text)->save_in_sent());
  // A zero-length value is allowed (0 to 255) and stays distinct from an absent one.
  const auto empty = as::decode_query_value(cat({prefix, {0, 0}})).value();
  EXPECT_EQ(empty.AttachmentName, "");
  // Parameters in any order decode the same.
  EXPECT_EQ(as::decode_query_value(cat({prefix, {8, 1, 'u', 1, 1, 'c'}})).value(),
            as::decode_query_value(cat({prefix, {1, 1, 'c', 8, 1, 'u'}})).value());
}

TEST(AshttpParameters, OptionsFlags) {
  OXWIRE_REQ("MS-ASHTTP_R94", "MS-ASHTTP_R95", "MS-ASHTTP_R150", "MS-ASHTTP_R534");
  const auto q = as::decode_query_value(cat({prefix, {7, 1, 0x03}})).value();
  EXPECT_TRUE(q.save_in_sent());
  EXPECT_TRUE(q.accept_multipart());
  const auto none = as::decode_query_value(prefix).value();
  EXPECT_FALSE(none.save_in_sent());
  EXPECT_FALSE(none.accept_multipart());
}

// Windows Mail (syncgw trace 806): a 16-byte binary device ID, a zero policy key and
// AcceptMultiPart; '=' padding sent unescaped.
TEST(AshttpBase64, WindowsMailItemOperations) {
  const auto q = as::parse_query(
      "/Microsoft-Server-ActiveSync?oRMHBBA04HKKtWjKEFxAc0UHjCybBAAAAAALV2luZG93c01haWwHAQI=");
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_EQ(q->ProtocolVersion, protocol_version::v16_1);
  EXPECT_EQ(q->Cmd, "ItemOperations");
  EXPECT_EQ(q->Locale, 0x0407);
  EXPECT_EQ(q->DeviceId.size(), 16u);
  EXPECT_EQ(q->PolicyKey, 0u);
  EXPECT_EQ(q->DeviceType, "WindowsMail");
  EXPECT_EQ(q->Options, as::options_flag::AcceptMultiPart);
}

TEST(AshttpBase64, EscapesMissingPaddingAndUrlAlphabet) {
  auto q = sample_base64();
  q.DeviceId = "\x01\xfb\xef\xbe\xff\xff\xff";  // bytes 6..11: base64 "++++////"
  const auto raw = as::encode_query_value(q).value();
  const std::string standard = oxwire::base64::encode(raw);
  ASSERT_NE(standard.find('+'), std::string::npos);
  ASSERT_NE(standard.find('/'), std::string::npos);
  const std::string text = as::encode_base64_query(q).value();
  EXPECT_EQ(text.find('+'), std::string::npos);
  EXPECT_NE(text.find("%2B"), std::string::npos);
  EXPECT_NE(text.find("%2F"), std::string::npos);
  EXPECT_EQ(as::parse_query(text).value(), q);
  EXPECT_EQ(as::parse_query(target(standard)).value(), q);  // '+' and '/' unescaped
  std::string lower_escapes = text;
  for (std::size_t i = 0; (i = lower_escapes.find("%2F", i)) != std::string::npos;)
    lower_escapes[i + 2] = 'f';
  EXPECT_EQ(as::parse_query(lower_escapes).value(), q);
  const std::string url = oxwire::base64::encode(raw, oxwire::base64::alphabet::url, false);
  EXPECT_EQ(as::parse_query(target(url)).value(), q);
  std::string unpadded = standard;
  while (unpadded.back() == '=') unpadded.pop_back();
  ASSERT_NE(unpadded.size(), standard.size());
  EXPECT_EQ(as::parse_query(target(unpadded)).value(), q);
  std::string escaped_pad = standard;
  escaped_pad.replace(escaped_pad.find('='), 1, "%3D");
  EXPECT_EQ(as::parse_query(target(escaped_pad)).value(), q);
}

// ---------------------------------------------------------------------------------------------
// Plain query

TEST(AshttpPlain, CommandParametersAndSaveInSent) {
  OXWIRE_REQ("MS-ASHTTP_R115", "MS-ASHTTP_R116", "MS-ASHTTP_R117", "MS-ASHTTP_R118",
             "MS-ASHTTP_R119", "MS-ASHTTP_R120", "MS-ASHTTP_R121", "MS-ASHTTP_R437",
             "MS-ASHTTP_R122");
  const std::string t = target(
      "Cmd=SmartForward&User=DOM%5Cbob&DeviceId=ABC123&DeviceType=iPhone&CollectionId=5&"
      "ItemId=5%3A12&LongId=RgAA%2B%2F&Occurrence=2024-01-01T00%3A00%3A00.000Z&SaveInSent=T");
  const auto q = as::parse_query(t);
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_EQ(q->Cmd, "SmartForward");
  EXPECT_EQ(q->User, "DOM\\bob");
  EXPECT_EQ(q->CollectionId, "5");
  EXPECT_EQ(q->ItemId, "5:12");
  EXPECT_EQ(q->LongId, "RgAA+/");
  EXPECT_EQ(q->Occurrence, "2024-01-01T00:00:00.000Z");
  EXPECT_TRUE(q->save_in_sent());
  EXPECT_EQ(as::format_plain_query(*q).value(), t);

  const auto f =
      as::parse_query(target("Cmd=SendMail&User=u&DeviceId=d&DeviceType=t&SaveInSent=F"));
  EXPECT_EQ(f.value().Options, 0);
  EXPECT_FALSE(f->save_in_sent());
  EXPECT_EQ(as::format_plain_query(*f).value(),
            target("Cmd=SendMail&User=u&DeviceId=d&DeviceType=t&SaveInSent=F"));
  const auto absent = as::parse_query(target("Cmd=SendMail&User=u&DeviceId=d&DeviceType=t"));
  EXPECT_EQ(absent.value().Options, std::nullopt);  // default F
  EXPECT_FALSE(absent->save_in_sent());

  const auto att = as::parse_query(
      target("Cmd=GetAttachment&User=u&DeviceId=d&DeviceType=t&AttachmentName=7%3A1%3A0"));
  EXPECT_EQ(att.value().AttachmentName, "7:1:0");
}

// RFC 5234 quoted strings are case-insensitive; order is free; '+' is a literal plus.
TEST(AshttpPlain, NamesAnyCaseAnyOrder) {
  const auto a = as::parse_query(target("devicetype=t&USER=a+b%20c&deviceid=d&cmd=Ping"));
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->Cmd, "Ping");
  EXPECT_EQ(a->User, "a+b c");
  EXPECT_EQ(as::format_plain_query(*a).value(),
            target("Cmd=Ping&User=a%2Bb%20c&DeviceId=d&DeviceType=t"));
  EXPECT_EQ(as::parse_query(as::format_plain_query(*a).value()).value(), *a);
}

TEST(AshttpPlain, AbsoluteUriAndOtherPaths) {
  OXWIRE_REQ("MS-ASHTTP_R11");
  const std::string t =
      "https://mail.contoso.com/"
      "Microsoft-Server-ActiveSync?Cmd=Sync&User=u&DeviceId=d&DeviceType=t";
  const auto q = as::parse_query(t);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->path, "https://mail.contoso.com/Microsoft-Server-ActiveSync");
  EXPECT_EQ(as::format_plain_query(*q).value(), t);
  const auto b =
      as::parse_query("/Microsoft-Server-ActiveSync/?jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->path, "/Microsoft-Server-ActiveSync/");
}

TEST(AshttpPlain, DeviceIdAbnf) {
  OXWIRE_REQ("MS-ASHTTP_R102");
  const std::string id32(32, 'A');
  EXPECT_TRUE(as::parse_query(target("Cmd=Sync&User=u&DeviceId=" + id32 + "&DeviceType=t")));
  const std::string id33 = target("Cmd=Sync&User=u&DeviceId=" + id32 + "B&DeviceType=t");
  const std::size_t at = id33.find("DeviceId=") + 9;
  EXPECT_TRUE(fails_with(as::parse_query(id33), ashttp_errc::invalid_device_id, at, "DeviceId"));
  const std::string dash = target("Cmd=Sync&User=u&DeviceId=ab-cd&DeviceType=t");
  EXPECT_TRUE(fails_with(as::parse_query(dash), ashttp_errc::invalid_device_id, dash.find("ab-cd"),
                         "DeviceId"));
  as::query_limits lenient;
  lenient.strict_device_id = false;
  EXPECT_EQ(as::parse_query(dash, lenient).value().DeviceId, "ab-cd");
  EXPECT_EQ(as::parse_query(id33, lenient).value().DeviceId, id32 + "B");
}

// ---------------------------------------------------------------------------------------------
// Errors: plain query

TEST(AshttpPlainErrors, TargetAndPath) {
  EXPECT_TRUE(fails_with(as::parse_query("/Microsoft-Server-ActiveSync"),
                         ashttp_errc::missing_query, 28, "query value"));
  EXPECT_TRUE(fails_with(as::parse_query("?Cmd=Sync&User=u&DeviceId=d&DeviceType=t"),
                         ashttp_errc::invalid_path, 0, "path"));
  EXPECT_TRUE(fails_with(as::parse_query("/a b?Cmd=Sync&User=u&DeviceId=d&DeviceType=t"),
                         ashttp_errc::invalid_path, 2, "path"));
  EXPECT_TRUE(fails_with(as::parse_query("/a#b?Cmd=Sync&User=u&DeviceId=d&DeviceType=t"),
                         ashttp_errc::invalid_path, 2, "path"));
  as::query_limits small;
  small.max_target_size = 20;
  EXPECT_TRUE(fails_with(as::parse_query(spec_plain, small), ashttp_errc::target_too_long, 20));
  small.max_target_size = spec_plain.size();
  EXPECT_TRUE(as::parse_query(spec_plain, small));
}

TEST(AshttpPlainErrors, Syntax) {
  struct bad {
    std::string query;
    ashttp_errc code;
    std::string_view at;  // the error's offset is where this last occurs in the query
    const char* what;
  };
  const std::vector<bad> cases{
      {"Cmd=Sync&User=u&&DeviceId=d&DeviceType=t", ashttp_errc::invalid_parameter, "&DeviceId",
       "parameter-spec"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t&", ashttp_errc::invalid_parameter, "",
       "parameter-spec"},
      {"Cmd=Sync&User&DeviceId=d&DeviceType=t", ashttp_errc::invalid_parameter, "User",
       "parameter-spec"},
      {"Cmd=Sync&=u&DeviceId=d&DeviceType=t", ashttp_errc::invalid_parameter, "=u",
       "parameter-spec"},
      {"Cmd=Sync&Us3r=u&DeviceId=d&DeviceType=t", ashttp_errc::invalid_parameter, "3r",
       "parameter-name"},
      {"Cmd=Sync&User=&DeviceId=d&DeviceType=t", ashttp_errc::empty_value, "&DeviceId",
       "parameter-value"},
      {"Cmd=Sync&User=a%0Ab&DeviceId=d&DeviceType=t", ashttp_errc::invalid_character, "%0A",
       "value"},
      {"Cmd=Sync&User=a b&DeviceId=d&DeviceType=t", ashttp_errc::invalid_character, " b", "value"},
      {"Cmd=Sync&User=a%7fb&DeviceId=d&DeviceType=t", ashttp_errc::invalid_character, "%7f",
       "value"},
      {"Cmd=Sync&User=a%G0&DeviceId=d&DeviceType=t", ashttp_errc::invalid_percent_encoding, "%G0",
       "value"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t%4", ashttp_errc::invalid_percent_encoding, "%4",
       "value"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t&Options=1", ashttp_errc::unknown_parameter,
       "Options", "parameter-name"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t&Foo=1", ashttp_errc::unknown_parameter, "Foo",
       "parameter-name"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t&cmd=Ping", ashttp_errc::duplicate_parameter, "cmd",
       "Cmd"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t&DeviceId=e", ashttp_errc::duplicate_parameter,
       "DeviceId=e", "DeviceId"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t&DeviceType=e", ashttp_errc::duplicate_parameter,
       "DeviceType=e", "DeviceType"},
      {"Cmd=Sync&User=u&DeviceId=d&DeviceType=t&user=v", ashttp_errc::duplicate_parameter, "user",
       "parameter-name"},
      {"Cmd=SendMail&User=u&DeviceId=d&DeviceType=t&SaveInSent=T&SaveInSent=T",
       ashttp_errc::duplicate_parameter, "SaveInSent=T", "SaveInSent"},
      {"Cmd=SendMail&User=u&DeviceId=d&DeviceType=t&SaveInSent=Y",
       ashttp_errc::invalid_save_in_sent, "Y", "SaveInSent"},
      {"Cmd=SendMail&User=u&DeviceId=d&DeviceType=t&SaveInSent=t",
       ashttp_errc::invalid_save_in_sent, "t", "SaveInSent"},
      {"Cmd=GetHierarchy&User=u&DeviceId=d&DeviceType=t", ashttp_errc::unknown_command,
       "GetHierarchy", "Cmd"},
      {"Cmd=sync&User=u&DeviceId=d&DeviceType=t", ashttp_errc::unknown_command, "sync", "Cmd"},
  };
  for (const auto& c : cases) {
    const std::string t = target(c.query);
    const std::size_t at = c.at.empty() ? t.size() : q0 + c.query.rfind(c.at);
    EXPECT_TRUE(fails_with(as::parse_query(t), c.code, at, c.what)) << c.query;
  }
}

TEST(AshttpPlainErrors, MissingRequiredParameters) {
  OXWIRE_REQ("MS-ASHTTP_R98");
  const std::vector<std::pair<std::string, const char*>> cases{
      {"User=u&DeviceId=d&DeviceType=t", "Cmd"},
      {"Cmd=Sync&DeviceId=d&DeviceType=t", "User"},
      {"Cmd=Sync&User=u&DeviceType=t", "DeviceId"},
      {"Cmd=Sync&User=u&DeviceId=d", "DeviceType"},
  };
  for (const auto& [query, what] : cases) {
    const std::string t = target(query);
    EXPECT_TRUE(fails_with(as::parse_query(t), ashttp_errc::missing_parameter, t.size(), what))
        << query;
  }
}

// ---------------------------------------------------------------------------------------------
// Errors: base64 query (offsets in the target)

TEST(AshttpBase64Errors, Layout) {
  OXWIRE_REQ("MS-ASHTTP_R32", "MS-ASHTTP_R38", "MS-ASHTTP_R36", "MS-ASHTTP_R45", "MS-ASHTTP_R54",
             "MS-ASHTTP_R24");
  using oxwire::errc;
  struct bad {
    bytes b;
    boost::system::error_code code;
    std::size_t byte;
    const char* what;
  };
  const std::vector<bad> cases{
      {{12, 0, 9, 4, 1, 'd', 0, 0},
       ashttp_errc::unsupported_protocol_version,
       0,
       "Protocol version"},
      {{25, 0, 9, 4, 1, 'd', 0, 0},
       ashttp_errc::unsupported_protocol_version,
       0,
       "Protocol version"},
      {{120, 0, 9, 4, 1, 'd', 0, 0},
       ashttp_errc::unsupported_protocol_version,
       0,
       "Protocol version"},
      {{161, 5, 9, 4, 1, 'd', 0, 0}, ashttp_errc::unknown_command, 1, "Command code"},
      {{161, 24, 9, 4, 1, 'd', 0, 0}, ashttp_errc::unknown_command, 1, "Command code"},
      {{161}, errc::truncated, 1, "Command code"},
      {{161, 0, 9}, errc::truncated, 2, "Locale"},
      {{161, 0, 9, 4}, errc::truncated, 4, "Device ID length"},
      {{161, 0, 9, 4, 0, 0, 0}, ashttp_errc::invalid_device_id, 4, "Device ID length"},
      {{161, 0, 9, 4, 5, 'a', 'b'}, errc::truncated, 5, "Device ID"},
      {{161, 0, 9, 4, 1, 'd'}, errc::truncated, 6, "Policy key length"},
      {{161, 0, 9, 4, 1, 'd', 3, 0, 0, 0, 0},
       ashttp_errc::invalid_policy_key_length,
       6,
       "Policy key length"},
      {{161, 0, 9, 4, 1, 'd', 4, 1, 2}, errc::truncated, 7, "Policy key"},
      {{161, 0, 9, 4, 1, 'd', 0}, errc::truncated, 7, "Device type length"},
      {{161, 0, 9, 4, 1, 'd', 0, 5, 'S'}, errc::truncated, 8, "Device type"},
      {cat({prefix, {7}}), errc::truncated, 13, "Encoded Parameter"},
      {cat({prefix, {0, 5, 'a'}}), errc::truncated, 14, "Value"},
      {cat({prefix, {2, 1, 'x'}}), ashttp_errc::unknown_parameter, 12, "Tag"},
      {cat({prefix, {5, 0}}), ashttp_errc::unknown_parameter, 12, "Tag"},
      {cat({prefix, {0x88, 0}}), ashttp_errc::unknown_parameter, 12, "Tag"},
      {cat({prefix, {7, 2, 1, 0}}), ashttp_errc::invalid_options, 13, "Options length"},
      {cat({prefix, {7, 0}}), ashttp_errc::invalid_options, 13, "Options length"},
      {cat({prefix, {7, 1, 4}}), ashttp_errc::invalid_options, 14, "Options"},
      {cat({prefix, {8, 1, 'a', 8, 1, 'b'}}), ashttp_errc::duplicate_parameter, 15, "Tag"},
      {cat({prefix, {7, 1, 1, 7, 1, 1}}), ashttp_errc::duplicate_parameter, 15, "Tag"},
  };
  for (const auto& c : cases) {
    // Offsets in the decoded bytes ...
    const auto direct = as::decode_query_value(c.b);
    ASSERT_FALSE(direct) << ::testing::PrintToString(c.b);
    EXPECT_EQ(direct.error().code, c.code) << c.what;
    EXPECT_EQ(direct.error().offset, c.byte) << c.what;
    EXPECT_STREQ(direct.error().what, c.what);
    // ... and in the target: the base64 character that holds the field's first byte, or the
    // end of the target when the bytes ran out.
    const std::string t = b64(c.b);
    const auto q = as::parse_query(t);
    ASSERT_FALSE(q) << t;
    EXPECT_EQ(q.error().code, c.code) << t;
    EXPECT_EQ(q.error().offset, c.byte >= c.b.size() ? t.size() : at_byte(c.byte)) << t;
  }
  // Offsets past a percent-escape count the escape's three characters.
  bytes b = prefix;
  b[0] = 0xFB;  // "+..." in base64
  const std::string t = b64(b);
  ASSERT_EQ(t[q0], '+');
  const std::string escaped = target("%2B" + t.substr(q0 + 1));
  EXPECT_TRUE(fails_with(as::parse_query(escaped), ashttp_errc::unsupported_protocol_version, q0,
                         "Protocol version"));
  const bytes d0{161, 0x0F, 0x80, 0x04, 0, 0, 0};  // MeetingResponse, Device ID length 0
  const std::string t0 = b64(d0);
  ASSERT_EQ(t0.substr(q0, 4), "oQ+A");
  EXPECT_TRUE(fails_with(as::parse_query(target("oQ%2BA" + t0.substr(q0 + 4))),
                         ashttp_errc::invalid_device_id, q0 + 5 + 2, "Device ID length"));
}

TEST(AshttpBase64Errors, Text) {
  using oxwire::errc;
  EXPECT_TRUE(fails_with(as::parse_query(target("jAAJ*Ap2")), errc::invalid_base64, q0 + 4));
  EXPECT_TRUE(fails_with(as::parse_query(target("AA%2BA*AAA")), errc::invalid_base64, q0 + 6));
  EXPECT_TRUE(
      fails_with(as::parse_query(target("AA%2")), ashttp_errc::invalid_percent_encoding, q0 + 2));
  EXPECT_TRUE(
      fails_with(as::parse_query(target("AA%0AAA")), ashttp_errc::invalid_character, q0 + 2));
  EXPECT_TRUE(fails_with(as::parse_query(target("jAAJB")), errc::invalid_base64_length, q0 + 5));
  const auto pad = oxwire::base64::decode("j===");
  ASSERT_FALSE(pad);
  EXPECT_TRUE(
      fails_with(as::parse_query(target("j===")), pad.error().code, q0 + pad.error().offset));
  EXPECT_TRUE(fails_with(as::parse_query(target("jAAJBAp2-+")), errc::invalid_base64, q0 + 9));
  // an empty query value is a base64 value of no bytes
  EXPECT_TRUE(fails_with(as::parse_query(target("")), errc::truncated, q0, "Protocol version"));
}

// ---------------------------------------------------------------------------------------------
// Encoders: round trips and what they refuse

TEST(AshttpEncode, RoundTrips) {
  const auto q = sample_base64();
  EXPECT_EQ(as::parse_query(as::encode_base64_query(q).value()).value(), q);
  as::request_line p;
  p.Cmd = "SmartReply";
  p.User = "käthe@contoso.com";  // UTF-8 bytes percent-encoded
  p.DeviceId = "ABC";
  p.DeviceType = "Android";
  p.ItemId = "5:1 2&x=y";
  p.Options = as::options_flag::SaveInSent;
  const auto text = as::format_plain_query(p);
  ASSERT_TRUE(text) << text.error().message();
  EXPECT_EQ(*text,
            target("Cmd=SmartReply&User=k%C3%A4the%40contoso.com&DeviceId=ABC&DeviceType=Android&"
                   "ItemId=5%3A1%202%26x%3Dy&SaveInSent=T"));
  EXPECT_EQ(as::parse_query(*text).value(), p);
}

TEST(AshttpEncode, Base64Refusals) {
  const auto ok = sample_base64();
  auto refuse = [](as::request_line q, ashttp_errc code, std::size_t at, const char* what) {
    return fails_with(as::encode_base64_query(q), code, at, what);
  };
  auto q = ok;
  q.ProtocolVersion.reset();
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 0, "Protocol version"));
  q = ok;
  q.ProtocolVersion = protocol_version::v12_0;  // MS-ASHTTP 2.2.1.1.1.1: plain only
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 0, "Protocol version"));
  q = ok;
  q.Cmd = "GetHierarchy";
  EXPECT_TRUE(refuse(q, ashttp_errc::unknown_command, 1, "Command code"));
  q = ok;
  q.Locale.reset();
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 2, "Locale"));
  q = ok;
  q.DeviceId.clear();
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 4, "Device ID"));
  q = ok;
  q.DeviceId.assign(256, 'x');
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 4, "Device ID"));
  q = ok;
  q.DeviceId.assign(255, 'x');
  EXPECT_TRUE(as::encode_base64_query(q));
  q = ok;
  q.DeviceType.assign(256, 'x');
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 13, "Device type"));
  q = ok;
  q.User = std::string(256, 'u');
  const std::size_t before_user = as::encode_query_value(ok).value().size() - 15 - 1;
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, before_user, "Value"));
  q = ok;
  q.Options = 0x04;
  EXPECT_TRUE(refuse(q, ashttp_errc::invalid_options, before_user - 4, "Options"));
  q = ok;
  q.path = "/a b";
  EXPECT_TRUE(refuse(q, ashttp_errc::invalid_path, 2, "path"));
  q.path.clear();
  EXPECT_TRUE(refuse(q, ashttp_errc::invalid_path, 0, "path"));
}

TEST(AshttpEncode, PlainRefusals) {
  as::request_line ok;
  ok.Cmd = "Sync";
  ok.User = "u";
  ok.DeviceId = "d";
  ok.DeviceType = "t";
  ASSERT_TRUE(as::format_plain_query(ok));
  auto refuse = [](as::request_line q, ashttp_errc code, std::size_t at, const char* what) {
    return fails_with(as::format_plain_query(q), code, at, what);
  };
  auto q = ok;
  q.ProtocolVersion = protocol_version::v16_1;
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 0, "Protocol version"));
  q = ok;
  q.Locale = 0x409;
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 0, "Locale"));
  q = ok;
  q.PolicyKey = 1;
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 0, "Policy key"));
  q = ok;
  q.Options = as::options_flag::AcceptMultiPart;  // the MS-ASAcceptMultiPart header instead
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, 0, "Options"));
  q = ok;
  q.Cmd = "Autodiscover";
  EXPECT_TRUE(refuse(q, ashttp_errc::unknown_command, 0, "Cmd"));
  q = ok;
  q.User.reset();
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, q0 + 8, "User"));
  q = ok;
  q.User = "";
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, q0 + 8, "User"));
  q = ok;
  q.DeviceType = "";
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, q0 + 26, "DeviceType"));
  q = ok;
  q.DeviceId = "a\nb";
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, q0 + 15, "DeviceId"));
  q = ok;
  q.LongId = "";
  EXPECT_TRUE(refuse(q, ashttp_errc::not_representable, q0 + 39, "LongId"));
  q = ok;
  q.path = "/x?y";
  EXPECT_TRUE(refuse(q, ashttp_errc::invalid_path, 2, "path"));
}

// ---------------------------------------------------------------------------------------------
// Request headers

TEST(AshttpHeaders, TypedValues) {
  OXWIRE_REQ("MS-ASHTTP_R158", "MS-ASHTTP_R159", "MS-ASHTTP_R154", "MS-ASHTTP_R155",
             "MS-ASHTTP_R440", "MS-ASHTTP_R143", "MS-ASHTTP_R438");
  const std::array<as::header_field, 6> fields{{{"ms-asprotocolversion", " 16.1 "},
                                                {"X-MS-POLICYKEY", "4294967295"},
                                                {"MS-ASAcceptMultiPart", "T"},
                                                {"user-agent", "Nine/4.9"},
                                                {"Content-Type", "Application/Vnd.MS-Sync; x=1"},
                                                {"Authorization", "Bearer abc"}}};
  const as::request_headers h(fields);
  EXPECT_EQ(h.version().value(), protocol_version::v16_1);
  EXPECT_EQ(h.policy_key().value(), 0xFFFFFFFFu);
  EXPECT_TRUE(h.accept_multipart().value());
  EXPECT_EQ(h.user_agent(), "Nine/4.9");
  EXPECT_TRUE(as::is_wbxml_content_type(*h.content_type()));
  EXPECT_FALSE(as::is_wbxml_content_type("message/rfc822"));
  EXPECT_FALSE(as::is_wbxml_content_type("application/vnd.ms-sync.wbxmlx"));
  EXPECT_EQ(h.basic().value(), std::nullopt);  // another scheme
  EXPECT_EQ(h.accept_language(), std::nullopt);
  EXPECT_EQ(h.find("Host"), std::nullopt);

  const as::request_headers none({});
  EXPECT_EQ(none.version().value(), std::nullopt);
  EXPECT_EQ(none.policy_key().value(), std::nullopt);
  EXPECT_FALSE(none.accept_multipart().value());
  EXPECT_EQ(none.basic().value(), std::nullopt);
  const std::array<as::header_field, 2> f{{{"MS-ASAcceptMultiPart", "F"}, {"X-MS-PolicyKey", "0"}}};
  EXPECT_FALSE(as::request_headers(f).accept_multipart().value());
  EXPECT_EQ(as::request_headers(f).policy_key().value(), 0u);
}

TEST(AshttpHeaders, Errors) {
  auto one = [](std::string_view name, std::string_view value) {
    return std::array<as::header_field, 1>{{{name, value}}};
  };
  const auto v = one("MS-ASProtocolVersion", "15.0");
  EXPECT_TRUE(fails_with(as::request_headers(v).version(),
                         ashttp_errc::unsupported_protocol_version, 0, "MS-ASProtocolVersion"));
  const auto k1 = one("X-MS-PolicyKey", "12a4");
  EXPECT_TRUE(fails_with(as::request_headers(k1).policy_key(), ashttp_errc::invalid_header_value, 2,
                         "X-MS-PolicyKey"));
  const auto k2 = one("X-MS-PolicyKey", "4294967296");
  EXPECT_TRUE(fails_with(as::request_headers(k2).policy_key(), ashttp_errc::invalid_header_value, 9,
                         "X-MS-PolicyKey"));
  const auto k3 = one("X-MS-PolicyKey", " ");
  EXPECT_TRUE(fails_with(as::request_headers(k3).policy_key(), ashttp_errc::invalid_header_value, 0,
                         "X-MS-PolicyKey"));
  const auto m = one("MS-ASAcceptMultiPart", "true");
  EXPECT_TRUE(fails_with(as::request_headers(m).accept_multipart(),
                         ashttp_errc::invalid_header_value, 0, "MS-ASAcceptMultiPart"));
  const std::array<as::header_field, 3> dup{
      {{"MS-ASProtocolVersion", "14.0"}, {"Host", "x"}, {"ms-asprotocolversion", "14.0"}}};
  EXPECT_TRUE(
      fails_with(as::request_headers(dup).version(), ashttp_errc::duplicate_header, 2, "header"));
  EXPECT_EQ(as::request_headers(dup).find("MS-ASProtocolVersion"), "14.0");
  const auto a1 = one("Authorization", "Basic Zm9v");  // "foo": no colon
  EXPECT_TRUE(fails_with(as::request_headers(a1).basic(), ashttp_errc::invalid_authorization, 6,
                         "Authorization"));
  const auto a2 = one("Authorization", "basic  Zm9v*mFy");
  EXPECT_TRUE(fails_with(as::request_headers(a2).basic(), oxwire::errc::invalid_base64, 11));
  const auto a3 = one("Authorization", "Basic ");
  EXPECT_TRUE(fails_with(as::request_headers(a3).basic(), ashttp_errc::invalid_authorization, 5,
                         "Authorization"));
  const auto a4 = one("Authorization", "Basic Og==");  // ":" empty user and password
  EXPECT_EQ(as::request_headers(a4).basic().value(), (as::basic_credentials{"", ""}));
}

// ---------------------------------------------------------------------------------------------
// syncgw traces: every ActiveSync request line parses and formats back to the same target

/// ../shared/corpus/activesync/syncgw-traces: $OXWIRE_SHARED_DIR, else beside the source tree.
std::filesystem::path traces_dir() {
  std::filesystem::path shared;
  if (const char* env = std::getenv("OXWIRE_SHARED_DIR"))
    shared = env;
  else
    shared = std::filesystem::path(__FILE__).parent_path() / "../../../shared";
  const auto dir = shared / "corpus" / "activesync" / "syncgw-traces";
  return std::filesystem::is_directory(dir) ? dir : std::filesystem::path{};
}

TEST(AshttpCorpus, SyncgwRequestsParseAndReformat) {
  const auto dir = traces_dir();
  if (dir.empty()) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
      FAIL() << "../shared/corpus/activesync/syncgw-traces is missing";
    GTEST_SKIP() << "*** NOT RUN: ../shared/corpus/activesync/syncgw-traces is missing; set "
                    "OXWIRE_SHARED_DIR ***";
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().string().ends_with(".req.http")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::size_t plain = 0, base64 = 0, other = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::ifstream in(file, std::ios::binary);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
    ASSERT_NE(sp1, sp2);
    const std::string method = line.substr(0, sp1), t = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::vector<std::string> storage;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) storage.push_back(line);
    }
    std::vector<as::header_field> fields;
    for (const auto& h : storage) {
      const std::size_t colon = h.find(':');
      ASSERT_NE(colon, std::string::npos) << h;
      fields.emplace_back(std::string_view(h).substr(0, colon),
                          std::string_view(h).substr(colon + 1));
    }
    const as::request_headers headers(fields);
    const auto q = as::parse_query(t);
    if (!t.starts_with("/Microsoft-Server-ActiveSync")) {  // Autodiscover
      ++other;
      EXPECT_TRUE(fails_with(q, ashttp_errc::missing_query, t.size()));
      continue;
    }
    if (method == "OPTIONS") {
      ++other;
      EXPECT_TRUE(fails_with(q, ashttp_errc::missing_query, t.size()));
      continue;
    }
    ASSERT_TRUE(q) << t << ": " << q.error().message();
    const auto version = headers.version();
    ASSERT_TRUE(version) << version.error().message();
    ASSERT_TRUE(*version);  // every trace sends MS-ASProtocolVersion
    EXPECT_TRUE(headers.policy_key());
    EXPECT_TRUE(headers.accept_multipart());
    if (auto ct = headers.content_type()) {
      EXPECT_TRUE(as::is_wbxml_content_type(*ct)) << *ct;
    }
    if (as::form_of(*q) == as::query_form::plain) {
      ++plain;
      const auto again = as::format_plain_query(*q);
      ASSERT_TRUE(again) << again.error().message();
      EXPECT_EQ(*again, t);
    } else {
      ++base64;
      EXPECT_EQ(q->ProtocolVersion, **version);
      const auto again = as::encode_base64_query(*q);
      ASSERT_TRUE(again) << again.error().message();
      EXPECT_EQ(*again, t);
      EXPECT_EQ(as::parse_query(*again).value(), *q);
    }
  }
  EXPECT_GE(plain, 40u);
  EXPECT_GE(base64, 4u);
  EXPECT_GE(other, 5u);
}

}  // namespace test_ashttp
