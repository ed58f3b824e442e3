// Typed ActiveSync request models (gen/activesync/models/*_request.hpp, from
// specs/activesync-requests.json): MS-ASCMD request examples through from_xml, the model codec and
// the validator; the recorded device requests of the syncgw corpus decoded, encoded back and
// validated; generated instances of every request model round-tripped; the request rules the
// validator now applies.
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/activesync/validator.hpp>
#include <oxwire/gen/activesync/models/find_request.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/getitemestimate_request.hpp>
#include <oxwire/gen/activesync/models/itemoperations_request.hpp>
#include <oxwire/gen/activesync/models/meetingresponse_request.hpp>
#include <oxwire/gen/activesync/models/moveitems_request.hpp>
#include <oxwire/gen/activesync/models/ping_request.hpp>
#include <oxwire/gen/activesync/models/provision_request.hpp>
#include <oxwire/gen/activesync/models/resolverecipients_request.hpp>
#include <oxwire/gen/activesync/models/search_request.hpp>
#include <oxwire/gen/activesync/models/sendmail_request.hpp>
#include <oxwire/gen/activesync/models/settings_request.hpp>
#include <oxwire/gen/activesync/models/smartforward_request.hpp>
#include <oxwire/gen/activesync/models/smartreply_request.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/gen/activesync/models/validatecert_request.hpp>
#include <oxwire/wbxml/xml_reader.hpp>

#include <boost/hana/concat.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <string>

#include "../wbxml/wbxml_test.hpp"
#include "corpus_violations.hpp"
#include "model_test.hpp"
#include "oxwire_test/requirements.hpp"

namespace test_request_models {

namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;
namespace req = oxwire::activesync::model::request;
namespace hana = boost::hana;
using as::protocol_version;
using as::schema_errc;
using oxwire_test::fails_with;

const as::validate_options request{.dir = as::direction::request};

/// An MS-ASCMD request example: XML -> WBXML (from_xml), decoded into T, encoded back to the
/// same bytes (or, when the example orders the children of a repeated xs:choice differently from
/// the schema, to bytes that decode to the same value) and valid for `v` as a request.
template <class T>
struct example {
  std::vector<std::uint8_t> bytes;
  oxwire::result<T> value = oxwire::error{};
};

template <class T>
example<T> check_example(std::string_view xml, protocol_version v = protocol_version::v16_1,
                         bool canonical = true) {
  auto b = oxwire::wbxml::from_xml(xml);
  EXPECT_TRUE(b) << (b ? "" : b.error().message());
  if (!b) return {};
  // Decoded into a new result and moved into place, never assigned over the default: g++ 12
  // takes that move-assignment for a read of uninitialized members (-Wmaybe-uninitialized).
  // The model's views point into the vector's buffer, which the move keeps.
  std::vector<std::uint8_t> bytes = std::move(*b);
  auto value = as::decode<T>(bytes);
  example<T> e{std::move(bytes), std::move(value)};
  EXPECT_TRUE(e.value) << model::model_traits<T>::name << ": " << e.value.error().message();
  if (!e.value) return e;
  const auto again = as::encode(*e.value);
  EXPECT_TRUE(again);
  if (again && canonical) {
    EXPECT_EQ(*again, e.bytes) << model::model_traits<T>::name;
  }
  if (again && !canonical) {
    EXPECT_NE(*again, e.bytes) << model::model_traits<T>::name << " is canonical now";
    const auto back = as::decode<T>(*again);
    EXPECT_TRUE(back && *back == *e.value) << model::model_traits<T>::name;
  }
  const auto r = as::validate(e.bytes, v, request);
  EXPECT_TRUE(r) << model::model_traits<T>::name << ": " << (r ? "" : r.error().message());
  return e;
}

/// `xml` as a request for `v` fails validation with `e` at `path`.
void expect_violation(std::string_view xml, schema_errc e, std::string_view path,
                      protocol_version v = protocol_version::v16_1) {
  const auto b = oxwire::wbxml::from_xml(xml);
  ASSERT_TRUE(b) << xml;
  as::validator val(v, request);
  const auto r = val.run(*b);
  ASSERT_FALSE(r) << xml;
  EXPECT_EQ(r.error().code, make_error_code(e)) << xml;
  EXPECT_EQ(val.path(), path) << xml;
}

// ------------------------------------------------------------- MS-ASCMD request examples

TEST(RequestModels, GetItemEstimateSpecExample) {
  // MS-ASCMD 4.9.1, verbatim (the spec writes the namespaces without the trailing colon).
  const auto e = check_example<req::GetItemEstimate>(
      R"(<?xml version="1.0" encoding="utf-8"?>
<GetItemEstimate xmlns="GetItemEstimate" xmlns:airsync="AirSync">
  <Collections>
    <Collection>
      <airsync:SyncKey>785971245</airsync:SyncKey>
      <CollectionId>5</CollectionId>
      <airsync:Options>
        <airsync:FilterType>0</airsync:FilterType>
        <airsync:Class>Email</airsync:Class>
      </airsync:Options>
    </Collection>
  </Collections>
</GetItemEstimate>)",
      protocol_version::v14_1,
      false);  // Options: FilterType before Class; the schema lists Class first
  ASSERT_TRUE(e.value);
  const auto& c = e.value->Collections.Collection.at(0);
  EXPECT_EQ(c.SyncKey, "785971245");
  EXPECT_EQ(c.CollectionId, "5");
  ASSERT_EQ(c.Options.size(), 1u);
  // AirSync.xsd Options is a repeated choice: every child is a vector.
  EXPECT_EQ(c.Options[0].FilterType, std::vector<std::uint8_t>{0});
  EXPECT_EQ(c.Options[0].Class, std::vector<std::string_view>{"Email"});
}

// The remaining examples are written from the element sections of MS-ASCMD 2.2.3 (their 4.x
// example pages were not retrievable through the docs corpus); each uses the children the
// sections list, in the schema order of section 6.

TEST(RequestModels, SyncExample) {
  // MS-ASCMD 2.2.1.21: an Add with email ApplicationData, a Change, a Delete and a Fetch.
  const auto e = check_example<req::Sync>(
      R"(<Sync xmlns="AirSync:" xmlns:airsyncbase="AirSyncBase:" xmlns:email="Email:">
<Collections><Collection><SyncKey>1</SyncKey><CollectionId>5</CollectionId>
<DeletesAsMoves>1</DeletesAsMoves><GetChanges>0</GetChanges><WindowSize>100</WindowSize>
<Options><FilterType>3</FilterType><airsyncbase:BodyPreference><airsyncbase:Type>1</airsyncbase:Type>
<airsyncbase:TruncationSize>5120</airsyncbase:TruncationSize></airsyncbase:BodyPreference></Options>
<Commands>
<Add><ClientId>123</ClientId><ApplicationData><email:Read>1</email:Read></ApplicationData></Add>
<Change><ServerId>5:1</ServerId><ApplicationData><email:Read>0</email:Read></ApplicationData></Change>
<Delete><ServerId>5:2</ServerId></Delete>
<Fetch><ServerId>5:3</ServerId></Fetch>
</Commands></Collection></Collections><WindowSize>512</WindowSize></Sync>)");
  ASSERT_TRUE(e.value);
  const auto& s = *e.value;
  EXPECT_EQ(s.WindowSize, 512);
  const auto& c = s.Collections->Collection.at(0);
  EXPECT_EQ(c.SyncKey, "1");
  EXPECT_EQ(c.CollectionId, "5");
  EXPECT_EQ(c.DeletesAsMoves, true);
  EXPECT_EQ(c.GetChanges, false);
  EXPECT_EQ(c.WindowSize, 100);
  ASSERT_EQ(c.Options.size(), 1u);
  EXPECT_EQ(c.Options[0].FilterType, std::vector<std::uint8_t>{3});
  EXPECT_EQ(c.Options[0].BodyPreference.at(0).Type, 1);
  EXPECT_EQ(c.Options[0].BodyPreference.at(0).TruncationSize, 5120u);
  const auto& cmd = *c.Commands;
  ASSERT_EQ(cmd.Add.size(), 1u);
  EXPECT_EQ(cmd.Add[0].ClientId, "123");
  EXPECT_EQ(cmd.Add[0].ApplicationData.Read, std::vector<bool>{true});
  EXPECT_EQ(cmd.Change.at(0).ServerId, "5:1");
  EXPECT_EQ(cmd.Change.at(0).ApplicationData.Read, std::vector<bool>{false});
  EXPECT_EQ(cmd.Delete.at(0).ServerId, "5:2");
  EXPECT_EQ(cmd.Fetch.at(0).ServerId, "5:3");
}

TEST(RequestModels, MoveItemsExample) {
  const auto e = check_example<req::MoveItems>(
      R"(<MoveItems xmlns="Move:"><Move><SrcMsgId>5:1</SrcMsgId><SrcFldId>5</SrcFldId>
<DstFldId>6</DstFldId></Move></MoveItems>)");
  ASSERT_TRUE(e.value);
  const auto& m = e.value->Move.at(0);
  EXPECT_EQ(m.SrcMsgId, "5:1");
  EXPECT_EQ(m.SrcFldId, "5");
  EXPECT_EQ(m.DstFldId, "6");
}

TEST(RequestModels, MeetingResponseExample) {
  // 16.1 form with SendResponse and a proposed time (compact dateTime, 16 characters).
  const auto e = check_example<req::MeetingResponse>(
      R"(<MeetingResponse xmlns="MeetingResponse:" xmlns:airsyncbase="AirSyncBase:">
<Request><UserResponse>2</UserResponse><CollectionId>5</CollectionId><RequestId>5:1</RequestId>
<SendResponse><airsyncbase:Body><airsyncbase:Type>1</airsyncbase:Type>
<airsyncbase:Data>Maybe later</airsyncbase:Data></airsyncbase:Body>
<ProposedStartTime>20240102T100000Z</ProposedStartTime><ProposedEndTime>20240102T110000Z</ProposedEndTime>
</SendResponse></Request></MeetingResponse>)");
  ASSERT_TRUE(e.value);
  const auto& r = e.value->Request.at(0);
  EXPECT_EQ(r.UserResponse, 2);
  EXPECT_EQ(r.CollectionId, "5");
  EXPECT_EQ(r.RequestId, "5:1");
  ASSERT_TRUE(r.SendResponse);
  EXPECT_EQ(r.SendResponse->Body->Data, "Maybe later");
  EXPECT_EQ(r.SendResponse->ProposedStartTime, "20240102T100000Z");
  // ProposedStartTime is 16.1 only (MS-ASWBXML 2.1.2.1.9).
  const auto old = as::validate(e.bytes, protocol_version::v14_1, request);
  EXPECT_EQ(old.error().code, make_error_code(schema_errc::not_in_version));
}

TEST(RequestModels, ResolveRecipientsExample) {
  const auto e = check_example<req::ResolveRecipients>(
      R"(<ResolveRecipients xmlns="ResolveRecipients:"><To>chris@example.com</To><To>Alex</To>
<Options><CertificateRetrieval>2</CertificateRetrieval><MaxCertificates>10</MaxCertificates>
<MaxAmbiguousRecipients>5</MaxAmbiguousRecipients><Availability>
<StartTime>2024-01-02T08:00:00.000Z</StartTime><EndTime>2024-01-02T18:00:00.000Z</EndTime>
</Availability></Options></ResolveRecipients>)");
  ASSERT_TRUE(e.value);
  EXPECT_EQ(e.value->To, (std::vector<std::string_view>{"chris@example.com", "Alex"}));
  const auto& o = *e.value->Options;
  EXPECT_EQ(o.CertificateRetrieval, 2);
  EXPECT_EQ(o.MaxCertificates, 10);
  EXPECT_EQ(o.MaxAmbiguousRecipients, 5);
  EXPECT_EQ(o.Availability->StartTime.text, "2024-01-02T08:00:00.000Z");
}

TEST(RequestModels, ValidateCertExample) {
  const auto e = check_example<req::ValidateCert>(
      R"(<ValidateCert xmlns="ValidateCert:"><CertificateChain><Certificate>TUlJQw==</Certificate>
</CertificateChain><Certificates><Certificate>TUlJRA==</Certificate></Certificates>
<CheckCRL>1</CheckCRL></ValidateCert>)");
  ASSERT_TRUE(e.value);
  EXPECT_EQ(e.value->CertificateChain->Certificate.at(0), "TUlJQw==");
  EXPECT_EQ(e.value->Certificates.Certificate.at(0), "TUlJRA==");
  EXPECT_EQ(e.value->CheckCRL, "1");
}

// Mime is opaque (MS-ASWBXML 2.1.2.1.22): base64 in the XML, OPAQUE bytes in the WBXML.
constexpr std::string_view mime =
    "From: a@example.com\r\nTo: b@example.com\r\nSubject: Hi\r\n\r\nHi";
constexpr std::string_view mime_base64 =
    "RnJvbTogYUBleGFtcGxlLmNvbQ0KVG86IGJAZXhhbXBsZS5jb20NClN1YmplY3Q6IEhpDQoNCkhp";

TEST(RequestModels, SendMailExample) {
  std::string xml = R"(<SendMail xmlns="ComposeMail:"><ClientId>232</ClientId>
<SaveInSentItems/><Mime>)";
  xml += mime_base64;
  xml += "</Mime></SendMail>";
  const auto e = check_example<req::SendMail>(xml);
  ASSERT_TRUE(e.value);
  EXPECT_EQ(e.value->ClientId, "232");
  EXPECT_TRUE(e.value->SaveInSentItems);
  EXPECT_EQ(oxwire::as_chars(e.value->Mime.data), mime);
}

TEST(RequestModels, SmartReplyExample) {
  std::string xml = R"(<SmartReply xmlns="ComposeMail:"><ClientId>233</ClientId>
<Source><FolderId>5</FolderId><ItemId>5:1</ItemId></Source><SaveInSentItems/><Mime>)";
  xml += mime_base64;
  xml += "</Mime></SmartReply>";
  const auto e = check_example<req::SmartReply>(xml);
  ASSERT_TRUE(e.value);
  EXPECT_EQ(e.value->Source.FolderId, "5");
  EXPECT_EQ(e.value->Source.ItemId, "5:1");
  EXPECT_EQ(oxwire::as_chars(e.value->Mime.data), mime);
}

TEST(RequestModels, SmartForwardExample) {
  // 16.0+: forwarding a calendar item to Forwardees with a body, and so without Mime
  // (MS-ASCMD 2.2.3.169).
  const std::string xml = R"(<SmartForward xmlns="ComposeMail:" xmlns:airsyncbase="AirSyncBase:">
<ClientId>234</ClientId><Source><LongId>RgAAAA</LongId><InstanceId>2024-01-02T10:00:00.000Z</InstanceId>
</Source><airsyncbase:Body><airsyncbase:Type>1</airsyncbase:Type>
<airsyncbase:Data>FYI</airsyncbase:Data></airsyncbase:Body><Forwardees><Forwardee>
<Name>Dana</Name><Email>dana@example.com</Email></Forwardee></Forwardees></SmartForward>)";
  const auto e = check_example<req::SmartForward>(xml);
  ASSERT_TRUE(e.value);
  EXPECT_EQ(e.value->Source.LongId, "RgAAAA");
  ASSERT_TRUE(e.value->Forwardees);
  EXPECT_EQ(e.value->Forwardees->Forwardee.at(0).Email, "dana@example.com");
  EXPECT_EQ(e.value->Body->Data, "FYI");
  EXPECT_FALSE(e.value->Mime);
  // Forwardees is 16.0+.
  EXPECT_FALSE(as::validate(e.bytes, protocol_version::v14_1, request));
}

TEST(RequestModels, ProvisionSettingsSearchItemOperationsExamples) {
  const auto p = check_example<req::Provision>(
      R"(<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>
<PolicyKey>1307199584</PolicyKey><Status>1</Status></Policy></Policies></Provision>)");
  ASSERT_TRUE(p.value);
  EXPECT_EQ(p.value->Policies->Policy.PolicyKey, "1307199584");
  EXPECT_EQ(p.value->Policies->Policy.Status, 1);

  const auto s = check_example<req::Settings>(
      R"(<Settings xmlns="Settings:"><DevicePassword><Set><Password>secret</Password></Set>
</DevicePassword><UserInformation><Get/></UserInformation></Settings>)");
  ASSERT_TRUE(s.value);
  EXPECT_EQ(s.value->DevicePassword->Set.Password, "secret");
  EXPECT_TRUE(s.value->UserInformation);

  const auto q = check_example<req::Search>(
      R"(<Search xmlns="Search:"><Store><Name>GAL</Name><Query>Alex</Query>
<Options><Range>0-9</Range></Options></Store></Search>)");
  ASSERT_TRUE(q.value);
  EXPECT_EQ(q.value->Store.Name, "GAL");
  EXPECT_EQ(q.value->Store.Query.text, "Alex");  // mixed content: the GAL query string
  EXPECT_EQ(q.value->Store.Options->Range, std::vector<std::string_view>{"0-9"});

  const auto i = check_example<req::ItemOperations>(
      R"(<ItemOperations xmlns="ItemOperations:" xmlns:airsync="AirSync:">
<EmptyFolderContents><airsync:CollectionId>9</airsync:CollectionId><Options><DeleteSubFolders/>
</Options></EmptyFolderContents><Fetch><Store>Mailbox</Store><airsync:CollectionId>5</airsync:CollectionId>
<airsync:ServerId>5:1</airsync:ServerId></Fetch><Move><ConversationId>Q0FGRQ==</ConversationId>
<DstFldId>7</DstFldId></Move></ItemOperations>)");
  ASSERT_TRUE(i.value);
  EXPECT_EQ(i.value->EmptyFolderContents.at(0).CollectionId, "9");
  EXPECT_EQ(i.value->Fetch.at(0).ServerId, "5:1");
  EXPECT_EQ(i.value->Move.at(0).DstFldId, "7");
}

// ------------------------------------------------------------- request rules in the validator

// The Find request (16.1): the docs corpus holds no MS-ASCMD section 4 Find example, so these are
// written from the 6.7 FindRequest.xsd and the element sections 2.2.3.66, 2.2.3.82, 2.2.3.99,
// 2.2.3.142.1 and 2.2.3.125.1, in the schema order.
constexpr std::string_view find_mailbox_xml =
    R"(<Find xmlns="Find:" xmlns:airsync="AirSync:"><SearchId>1F2D6E3B-A7C4-4E0B-9D3A-5B8C7E6F1A2D</SearchId>
<ExecuteSearch><MailBoxSearchCriterion><Query><FreeText>subject:Presentation</FreeText>
<airsync:Class>Email</airsync:Class><airsync:CollectionId>7</airsync:CollectionId></Query>
<Options><Range>0-9</Range><DeepTraversal/></Options></MailBoxSearchCriterion></ExecuteSearch></Find>)";

TEST(RequestModels, FindMailboxExample) {
  OXWIRE_REQ("MS-ASCMD_R7098101807", "MS-ASCMD_R6541100807", "MS-ASCMD_R1847101611",
             "MS-ASCMD_R6990101753", "MS-ASCMD_R6659100909", "MS-ASCMD_R901100613",
             "MS-ASCMD_R37071811");
  const auto e = check_example<req::Find>(find_mailbox_xml);
  ASSERT_TRUE(e.value);
  const auto& f = *e.value;
  EXPECT_EQ(f.SearchId, "1F2D6E3B-A7C4-4E0B-9D3A-5B8C7E6F1A2D");
  ASSERT_TRUE(f.ExecuteSearch.MailBoxSearchCriterion);
  EXPECT_FALSE(f.ExecuteSearch.GalSearchCriterion);
  const auto& m = *f.ExecuteSearch.MailBoxSearchCriterion;
  EXPECT_EQ(m.Query.FreeText, "subject:Presentation");
  EXPECT_EQ(m.Query.Class, "Email");
  EXPECT_EQ(m.Query.CollectionId, "7");
  ASSERT_TRUE(m.Options);
  EXPECT_EQ(m.Options->Range, "0-9");
  EXPECT_TRUE(m.Options->DeepTraversal);
  EXPECT_FALSE(m.Options->Picture);
  // WBXML: the root is Find on code page 25 (SWITCH_PAGE 0x19, then Find with content 0x45).
  ASSERT_GE(e.bytes.size(), 7u);
  EXPECT_EQ(e.bytes[4], 0x00);
  EXPECT_EQ(e.bytes[5], 0x19);
  EXPECT_EQ(e.bytes[6], 0x45);
  // Encoding the typed value gives the same bytes (check_example), and the model is 16.1 only.
  EXPECT_EQ(as::validate(e.bytes, protocol_version::v16_0, request).error().code,
            make_error_code(schema_errc::not_in_version));
}

TEST(RequestModels, FindGalExample) {
  OXWIRE_REQ("MS-ASCMD_R6667100907", "MS-ASCMD_R3300101608");
  const auto e = check_example<req::Find>(
      R"(<Find xmlns="Find:"><SearchId>0a1b2c3d-4e5f-6789-abcd-ef0123456789</SearchId>
<ExecuteSearch><GalSearchCriterion><Query>Anat</Query><Options><Range>0-1</Range>
<Picture><MaxSize>102400</MaxSize><MaxPictures>3</MaxPictures></Picture></Options>
</GalSearchCriterion></ExecuteSearch></Find>)");
  ASSERT_TRUE(e.value);
  ASSERT_TRUE(e.value->ExecuteSearch.GalSearchCriterion);
  const auto& g = *e.value->ExecuteSearch.GalSearchCriterion;
  EXPECT_EQ(g.Query, "Anat");
  ASSERT_TRUE(g.Options && g.Options->Picture);
  EXPECT_EQ(g.Options->Picture->MaxSize, 102400u);
  EXPECT_EQ(g.Options->Picture->MaxPictures, 3u);
}

TEST(RequestModels, FindViolations) {
  const std::string head = R"(<Find xmlns="Find:" xmlns:airsync="AirSync:"><SearchId>)"
                           R"(1F2D6E3B-A7C4-4E0B-9D3A-5B8C7E6F1A2D</SearchId><ExecuteSearch>)";
  const std::string tail = "</ExecuteSearch></Find>";
  const auto mailbox = [&](std::string_view query, std::string_view options = "") {
    return head + "<MailBoxSearchCriterion><Query>" + std::string(query) + "</Query>" +
           std::string(options) + "</MailBoxSearchCriterion>" + tail;
  };
  const auto gal_options = [&](std::string_view options) {
    return head + "<GalSearchCriterion><Query>Anat</Query><Options>" + std::string(options) +
           "</Options></GalSearchCriterion>" + tail;
  };
  // 2.2.3.66: exactly one of MailBoxSearchCriterion and GalSearchCriterion.
  expect_violation(head +
                       "<MailBoxSearchCriterion><Query><FreeText>a</FreeText></Query>"
                       "</MailBoxSearchCriterion><GalSearchCriterion><Query>b</Query>"
                       "</GalSearchCriterion>" +
                       tail,
                   schema_errc::choice_conflict, "Find/ExecuteSearch/GalSearchCriterion");
  expect_violation(head + tail, schema_errc::missing_required,
                   "Find/ExecuteSearch/MailBoxSearchCriterion");
  // 2.2.3.160, 6.7: SearchId required, first, and a GUID.
  expect_violation(R"(<Find xmlns="Find:"><ExecuteSearch><GalSearchCriterion><Query>b</Query>
</GalSearchCriterion></ExecuteSearch></Find>)",
                   schema_errc::missing_required, "Find/SearchId");
  expect_violation(R"(<Find xmlns="Find:"><SearchId>1F2D6E3B-A7C4-4E0B-9D3A-5B8C7E6F1A2</SearchId>
<ExecuteSearch><GalSearchCriterion><Query>b</Query></GalSearchCriterion></ExecuteSearch></Find>)",
                   schema_errc::pattern_mismatch, "Find/SearchId");
  expect_violation(R"(<Find xmlns="Find:"><SearchId>1F2D6E3B-A7C4-4E0B-9D3A-5B8C7E6F1A2G</SearchId>
<ExecuteSearch><GalSearchCriterion><Query>b</Query></GalSearchCriterion></ExecuteSearch></Find>)",
                   schema_errc::pattern_mismatch, "Find/SearchId");
  // 2.2.3.142.1, 2.2.3.80.1, 2.2.3.27.1: FreeText required; Class only "Email".
  expect_violation(mailbox("<airsync:Class>Email</airsync:Class>"), schema_errc::missing_required,
                   "Find/ExecuteSearch/MailBoxSearchCriterion/Query/FreeText");
  expect_violation(mailbox("<FreeText>a</FreeText><airsync:Class>Calendar</airsync:Class>"),
                   schema_errc::not_in_enumeration,
                   "Find/ExecuteSearch/MailBoxSearchCriterion/Query/AirSync:Class");
  expect_violation(mailbox("<FreeText>a</FreeText><FreeText>b</FreeText>"), schema_errc::too_many,
                   "Find/ExecuteSearch/MailBoxSearchCriterion/Query/FreeText");
  // The GAL Query is a string: no children.
  expect_violation(head +
                       "<GalSearchCriterion><Query><FreeText>a</FreeText></Query>"
                       "</GalSearchCriterion>" +
                       tail,
                   schema_errc::unexpected_element,
                   "Find/ExecuteSearch/GalSearchCriterion/Query/FreeText");
  // 2.2.3.125.1, 2.2.3.143.1, 2.2.3.105.1: Options in order, Range m-n, MaxSize <= 102400.
  expect_violation(
      mailbox("<FreeText>a</FreeText>", "<Options><DeepTraversal/><Range>0-9</Range></Options>"),
      schema_errc::out_of_order, "Find/ExecuteSearch/MailBoxSearchCriterion/Options/Range");
  expect_violation(gal_options("<Range>0-1000</Range>"), schema_errc::pattern_mismatch,
                   "Find/ExecuteSearch/GalSearchCriterion/Options/Range");
  expect_violation(gal_options("<Picture><MaxSize>102401</MaxSize></Picture>"),
                   schema_errc::integer_out_of_range,
                   "Find/ExecuteSearch/GalSearchCriterion/Options/Picture/MaxSize");
  // Response children are no request children.
  expect_violation(R"(<Find xmlns="Find:"><Status>1</Status></Find>)",
                   schema_errc::unexpected_element, "Find/Status");
  // The typed decoder reports a missing required child too.
  const auto b = oxwire::wbxml::from_xml(mailbox("<airsync:Class>Email</airsync:Class>"));
  ASSERT_TRUE(b);
  EXPECT_FALSE(as::decode<req::Find>(*b));
}

TEST(RequestModels, ValidatorChecksRequestContentModels) {
  const auto fail = [](std::string_view xml, schema_errc e, std::string_view path) {
    expect_violation(xml, e, path);
  };
  // Required CollectionId missing (reported at Collection's END).
  fail(R"(<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey></Collection>
</Collections></Sync>)",
       schema_errc::missing_required, "Sync/Collections/Collection/CollectionId");
  // MS-ASCMD 2.2.3.29.2: strict order, CollectionId after SyncKey.
  fail(R"(<Sync xmlns="AirSync:"><Collections><Collection><CollectionId>1</CollectionId>
<SyncKey>0</SyncKey></Collection></Collections></Sync>)",
       schema_errc::out_of_order, "Sync/Collections/Collection/SyncKey");
  // Wait and HeartbeatInterval exclusive; Wait 1..59.
  fail(R"(<Sync xmlns="AirSync:"><Wait>5</Wait><HeartbeatInterval>60</HeartbeatInterval></Sync>)",
       schema_errc::choice_conflict, "Sync/HeartbeatInterval");
  fail(R"(<Sync xmlns="AirSync:"><Wait>60</Wait></Sync>)", schema_errc::integer_out_of_range,
       "Sync/Wait");
  // A response child in a request (Status is no child of a request Collection).
  fail(R"(<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey>
<CollectionId>1</CollectionId><Status>1</Status></Collection></Collections></Sync>)",
       schema_errc::unexpected_element, "Sync/Collections/Collection/Status");
  // UserResponse 1..3; MoveItems needs all three ids.
  fail(R"(<MeetingResponse xmlns="MeetingResponse:"><Request><UserResponse>4</UserResponse>
</Request></MeetingResponse>)",
       schema_errc::not_in_enumeration, "MeetingResponse/Request/UserResponse");
  fail(R"(<MoveItems xmlns="Move:"><Move><SrcMsgId>1</SrcMsgId><SrcFldId>2</SrcFldId></Move>
</MoveItems>)",
       schema_errc::missing_required, "MoveItems/Move/DstFldId");
  // The same Sync body as a response has the response model: Commands/Fetch is no response child.
  const auto b = oxwire::wbxml::from_xml(
      R"(<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>1</SyncKey>
<CollectionId>5</CollectionId><Commands><Fetch><ServerId>5:3</ServerId></Fetch></Commands>
</Collection></Collections></Sync>)");
  ASSERT_TRUE(b);
  EXPECT_TRUE(as::validate(*b, protocol_version::v16_1, request));
  EXPECT_FALSE(as::validate(*b, protocol_version::v16_1));
}

TEST(RequestModels, RequestRootsAreInTheSchemaTables) {
  namespace sc = oxwire::gen::activesync::schema;
  static_assert(sc::find_request_root(0x00 * 64 + 0x05)->command == "Sync");
  static_assert(sc::find_request_root(0x15 * 64 + 0x06)->command == "SmartForward");
  static_assert(sc::request_roots.size() == 19);
  static_assert(sc::find_request_root(0x19 * 64 + 0x05)->command == "Find");
  static_assert(sc::models[sc::find_request_root(0x00 * 64 + 0x05)->model].path == "Sync");
  static_assert(sc::find_request_root(0x05 * 64 + 0x05)->model !=
                sc::find_response_root(0x05 * 64 + 0x05)->model);  // MoveItems
  SUCCEED();
}

TEST(RequestModels, DecodeErrors) {
  // A required child missing: ClientId of an Add.
  const auto b = oxwire::wbxml::from_xml(
      R"(<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>1</SyncKey>
<CollectionId>5</CollectionId><Commands><Add><ApplicationData/></Add></Commands></Collection>
</Collections></Sync>)");
  ASSERT_TRUE(b);
  const auto r = as::decode<req::Sync>(*b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(schema_errc::missing_required));
  EXPECT_STREQ(r.error().what, "ClientId");
  // A response root is not a request root: MoveItems response into the request model.
  const auto m = oxwire::wbxml::from_xml(
      R"(<MoveItems xmlns="Move:"><Response><SrcMsgId>1</SrcMsgId><Status>3</Status></Response></MoveItems>)");
  ASSERT_TRUE(m);
  EXPECT_TRUE(
      fails_with(as::decode<req::MoveItems>(*m), schema_errc::unexpected_element, 7, "MoveItems"));
  // UserResponse is an unsignedByte in the model: 300 does not fit.
  const auto u = oxwire::wbxml::from_xml(
      R"(<MeetingResponse xmlns="MeetingResponse:"><Request><UserResponse>300</UserResponse></Request></MeetingResponse>)");
  ASSERT_TRUE(u);
  const auto ur = as::decode<req::MeetingResponse>(*u);
  ASSERT_FALSE(ur);
  EXPECT_EQ(ur.error().code, make_error_code(schema_errc::integer_out_of_range));
}

// ------------------------------------------------------------- syncgw device requests

protocol_version version_of(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  std::ifstream h(p.parent_path() / (name.substr(0, name.find(".req")) + ".req.http"));
  static const std::regex header("MS-ASProtocolVersion: ([0-9.]+)", std::regex::icase);
  std::string line;
  for (std::smatch m; std::getline(h, line);)
    if (std::regex_search(line, m, header))
      if (auto v = as::parse_protocol_version(m[1].str())) return *v;
  return protocol_version::v16_1;  // Windows Mail: base64 query, 16.1 in every trace
}

TEST(RequestModels, CorpusRequestsDecodeEncodeBackAndValidate) {
  OXWIRE_WBXML_CORPUS(files);
  using fn = ::testing::AssertionResult (*)(const std::vector<std::uint8_t>&, bool&);
  const std::map<std::string, fn> by_command = {
      {"Sync", &oxwire_test::model_round_trip<req::Sync>},
      {"FolderSync", &oxwire_test::model_round_trip<req::FolderSync>},
      {"GetItemEstimate", &oxwire_test::model_round_trip<req::GetItemEstimate>},
      {"ItemOperations", &oxwire_test::model_round_trip<req::ItemOperations>},
      {"Ping", &oxwire_test::model_round_trip<req::Ping>},
      {"Provision", &oxwire_test::model_round_trip<req::Provision>},
      {"Search", &oxwire_test::model_round_trip<req::Search>},
      {"SendMail", &oxwire_test::model_round_trip<req::SendMail>},
      {"Settings", &oxwire_test::model_round_trip<req::Settings>},
  };
  // Bodies that do not come back byte for byte, and why (checked by hand with wbxml2xml).
  const std::map<std::string, std::string> not_canonical = {
      // Nine sends the SMS Options first (FilterType, BodyPreference, Class): the encoder writes
      // Options children in AirSync.xsd order (Class first).
      {"800-R173-Sync.req.wbxml", "Options child order"},
      {"800-R252-Sync.req.wbxml", "Options child order"},
      {"800-R313-Sync.req.wbxml", "Options child order"},
      // GetItemEstimate 12.1 form sends Class, CollectionId, FilterType, SyncKey; the model
      // lists SyncKey before CollectionId (the 14.0+ order).
      {"810-R134-GetItemEstimate.req.wbxml", "12.1 child order"},
      // Search Options: RebuildResults before Range; Search.xsd (schema.json) lists Range first.
      {"803-R4-Search.req.wbxml", "Search Options child order"},
      // The Add's ApplicationData has airsyncbase:Body before the tasks:* elements; the
      // ApplicationData model (SyncResponse.xsd, flattened) lists Tasks before AirSyncBase.
      {"763-R18-Sync.req.wbxml", "ApplicationData child order"},
  };
  std::size_t decoded = 0, canonical_count = 0;
  for (const auto& f : files) {
    const std::string name = f.filename().string();
    if (f.parent_path().filename() != "syncgw-traces" || !name.ends_with(".req.wbxml")) continue;
    const std::string command =
        name.substr(name.rfind('-') + 1, name.size() - name.rfind('-') - 11);
    const auto it = by_command.find(command);
    ASSERT_NE(it, by_command.end()) << name << ": no request model for " << command;
    const auto in = oxwire_test::read_file(f);
    bool canonical = false;
    EXPECT_TRUE(it->second(in, canonical)) << name;
    const auto r = as::validate(in, version_of(f), request);
    if (!oxwire_test::known_invalid().count("syncgw-traces/" + name)) {
      EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message());
    }
    ++decoded;
    const bool listed = not_canonical.count(name) != 0;
    EXPECT_EQ(canonical, !listed) << name
                                  << (listed ? " is canonical now: take it off the list"
                                             : " does not encode back byte for byte");
    canonical_count += canonical;
  }
  std::cout << "decoded " << decoded << " corpus requests, " << canonical_count
            << " encoded back byte for byte\n";
  EXPECT_EQ(decoded, 60u);
}

// ------------------------------------------------------------- generated instances

TEST(RequestModels, EveryRequestModelRoundTripsGeneratedInstances) {
  const auto all = hana::concat(
      hana::concat(hana::concat(model::sync_request_models, model::getitemestimate_request_models),
                   hana::concat(model::moveitems_request_models,
                                hana::concat(model::meetingresponse_request_models,
                                             model::find_request_models))),
      hana::concat(hana::concat(hana::concat(model::resolverecipients_request_models,
                                             model::validatecert_request_models),
                                hana::concat(model::sendmail_request_models,
                                             model::smartreply_request_models)),
                   hana::concat(hana::concat(model::smartforward_request_models,
                                             model::provision_request_models),
                                hana::concat(model::settings_request_models,
                                             hana::concat(model::search_request_models,
                                                          model::itemoperations_request_models)))));
  std::size_t count = 0;
  hana::for_each(all, [&](auto t) {
    EXPECT_TRUE(oxwire_test::generated_round_trip<typename decltype(t)::type>());
    ++count;
  });
  EXPECT_EQ(count, 57u);
}

}  // namespace test_request_models
