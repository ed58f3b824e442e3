// MS-OXCDATA 2.2.1 identifiers (Folder ID, Message ID, GID, LongTermID), MS-OXCFXICS XID and
// SizedXid, and the MS-OXCDATA 2.2.4 / 2.2.5 EntryIDs: spec bytes, round trips, recognition by
// decode_entryid and every error the decoders and encoders report.
#include <oxwire/core/hex.hpp>
#include <oxwire/mapi/entryid.hpp>
#include <oxwire/mapi/ids.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace test_entryid {

namespace mapi = oxwire::mapi;
using oxwire::guid;
using oxwire::reader;
using oxwire_test::bytes_of;
using oxwire_test::fails_with;
using bytes = std::vector<std::uint8_t>;

using oxwire_test::from_hex;

/// Concatenation of byte pieces.
bytes cat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// An 8-bit string and its NUL terminator.
bytes z8(std::string_view s) {
  bytes b = bytes_of(s);
  b.push_back(0);
  return b;
}

/// A UTF-16LE string and its 2-byte NUL terminator.
bytes z16(std::u16string_view s) {
  bytes b;
  for (const char16_t c : s)
    b.insert(b.end(), {static_cast<std::uint8_t>(c), static_cast<std::uint8_t>(c >> 8)});
  b.insert(b.end(), {0, 0});
  return b;
}

/// The first n bytes of b.
oxwire::bytes_view bytes_view_of(const bytes& b, std::size_t n) {
  return {b.data(), n};
}

/// A GUID's 16 wire bytes (MS-DTYP 2.3.4.2).
bytes encoded_guid(const guid& g) {
  bytes out;
  oxwire::vector_writer w(out);
  oxwire::encode(w, g).value();
  return out;
}

template <class T>
bytes encoded(const T& value) {
  bytes out;
  oxwire::vector_writer w(out);
  mapi::encode(w, value).value();
  return out;
}

template <class T>
oxwire::result<void> encode_into(bytes& out, const T& value) {
  oxwire::vector_writer w(out);
  return mapi::encode(w, value);
}

/// Decodes `b` with decode_entryid and returns the alternative T (failing the test otherwise).
template <class T>
T decoded_as(const bytes& b) {
  const oxwire::result<mapi::entryid> e = mapi::decode_entryid(b);
  EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().message());
  EXPECT_TRUE(e && std::holds_alternative<T>(*e)) << "alternative " << (e ? e->index() : 99);
  return e && std::holds_alternative<T>(*e) ? std::get<T>(*e) : T{};
}

/// Every EntryID decodes to the same bytes it came from.
void expect_round_trip(const bytes& b) {
  const oxwire::result<mapi::entryid> e = mapi::decode_entryid(b);
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(encoded(*e), b);
}

// MS-OXODLGT 4.1.1: PidTagIpmAppointmentEntryId of the delegator's mailbox, a Folder EntryID.
const bytes kAppointmentFolderEntryId = from_hex(
    "00 00 00 00 C3 E1 78 57 96 52 CE 46 A3 53 B3 E0 7F 9B 97 BC 01 00 8B 8D B1 82 AF 2E D0 48"
    "93 47 07 ED 54 48 84 0F 00 17 4E A8 9C 98 00 00");
constexpr guid kMailboxGuid = guid::from_string("{5778E1C3-5296-46CE-A353-B3E07F9B97BC}");
constexpr guid kDatabaseGuid = guid::from_string("{82B18D8B-2EAF-48D0-9347-07ED5448840F}");
const bytes kDatabaseGuidWire = from_hex("8B 8D B1 82 AF 2E D0 48 93 47 07 ED 54 48 84 0F");

const std::string kMailboxDn =
    "/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=janedoe";

// ---------------------------------------------------------------------------------------------
// Folder ID, Message ID

TEST(FolderId, GlobalCounterIsMostSignificantByteFirst) {
  OXWIRE_REQ("MS-OXCDATA_R2175", "MS-OXCDATA_R2176", "MS-OXCDATA_R2177", "MS-OXCFXICS_R3778");
  // MS-OXODLGT 4.1.1 lists the Inbox as FolderID 0001-00174ea8cda0.
  const mapi::folder_id inbox{0x0001, 0x00174EA8CDA0};
  const bytes wire = from_hex("01 00 00 17 4E A8 CD A0");
  EXPECT_EQ(encoded(inbox), wire);
  EXPECT_EQ(inbox.to_u64(), 0xA0CDA84E17000001u);
  EXPECT_EQ(mapi::folder_id::from_u64(0xA0CDA84E17000001u), inbox);
  static_assert(mapi::folder_id::from_u64(mapi::folder_id{7, 0x123456789ABC}.to_u64()) ==
                mapi::folder_id{7, 0x123456789ABC});

  reader in(wire);
  const auto fid = mapi::decode_folder_id(in);
  ASSERT_TRUE(fid.has_value());
  EXPECT_EQ(*fid, inbox);
  EXPECT_TRUE(in.empty());
}

TEST(MessageId, RoundTripsAndReadsEightBytes) {
  OXWIRE_REQ("MS-OXCDATA_R2180", "MS-OXCDATA_R2181", "MS-OXCDATA_R2182", "MS-OXCFXICS_R3060");
  const bytes wire = from_hex("05 00 00 00 00 00 12 34 FF");
  reader in(wire);
  const auto mid = mapi::decode_message_id(in);
  ASSERT_TRUE(mid.has_value());
  EXPECT_EQ(mid->ReplicaId, 5);
  EXPECT_EQ(mid->GlobalCounter, 0x1234u);
  EXPECT_EQ(in.position(), mapi::message_id::wire_size);
  EXPECT_EQ(encoded(*mid), bytes(wire.begin(), wire.begin() + 8));
}

TEST(FolderId, TruncationNamesTheFieldAndRestoresTheReader) {
  const bytes one = from_hex("01");
  reader a(one);
  EXPECT_TRUE(
      fails_with(mapi::decode_folder_id(a), oxwire::errc::truncated, 0, "Folder ID ReplicaId"));
  const bytes seven = from_hex("01 00 00 00 00 00 01");
  reader b(seven, 100);
  EXPECT_TRUE(fails_with(mapi::decode_message_id(b), oxwire::errc::truncated, 102,
                         "Message ID GlobalCounter"));
  EXPECT_EQ(b.position(), 0u);
}

TEST(FolderId, EncodeRejectsCountersWiderThan48Bits) {
  bytes out;
  EXPECT_TRUE(fails_with(encode_into(out, mapi::folder_id{1, std::uint64_t{1} << 48}),
                         oxwire::errc::out_of_range, 2, "Folder ID GlobalCounter"));
  EXPECT_TRUE(out.empty());
}

// ---------------------------------------------------------------------------------------------
// GID, LongTermID

TEST(Gid, TwentyTwoBytesRoundTrip) {
  OXWIRE_REQ("MS-OXCDATA_R2186", "MS-OXCDATA_R2187", "MS-OXCFXICS_R3061");
  const bytes wire = cat({kDatabaseGuidWire, from_hex("00 17 4E A8 9C 98")});
  reader in(wire);
  const auto g = mapi::decode_gid(in);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->DatabaseGuid, kDatabaseGuid);
  EXPECT_EQ(g->GlobalCounter, 0x00174EA89C98u);
  EXPECT_EQ(encoded(*g), wire);
  EXPECT_EQ(wire.size(), mapi::gid::wire_size);

  reader short_in(bytes_view_of(wire, 20));
  EXPECT_TRUE(
      fails_with(mapi::decode_gid(short_in), oxwire::errc::truncated, 16, "GID GlobalCounter"));
}

TEST(LongTermId, IsAGidPlusAZeroPad) {
  OXWIRE_REQ("MS-OXCDATA_R2188", "MS-OXCDATA_R2189");
  const bytes wire = cat({kDatabaseGuidWire, from_hex("00 00 00 00 00 2A 00 00")});
  ASSERT_EQ(wire.size(), 24u);
  reader in(wire);
  const auto l = mapi::decode_long_term_id(in);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->GlobalCounter, 42u);
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(encoded(*l), wire);

  bytes bad_pad = wire;
  bad_pad[23] = 1;
  reader bad(bad_pad);
  EXPECT_TRUE(
      fails_with(mapi::decode_long_term_id(bad), oxwire::errc::out_of_range, 22, "LongTermID Pad"));
  EXPECT_EQ(bad.position(), 0u);
  reader short_in(bytes_view_of(wire, 23));
  EXPECT_TRUE(fails_with(mapi::decode_long_term_id(short_in), oxwire::errc::truncated, 22,
                         "LongTermID Pad"));
}

// ---------------------------------------------------------------------------------------------
// XID, SizedXid (MS-OXCFXICS 2.2.2.2, 2.2.2.3.1)

TEST(Xid, LocalIdOfOneToEightBytesFromContext) {
  OXWIRE_REQ("MS-OXCFXICS_R153", "MS-OXCFXICS_R155", "MS-OXCFXICS_R157", "MS-OXCFXICS_R163");
  const bytes wire = cat({kDatabaseGuidWire, from_hex("01 02 03 04 05 06 07 08 09")});
  for (std::size_t size = 17; size <= 24; ++size) {
    reader in(wire);
    const auto x = mapi::decode_xid(in, size);
    ASSERT_TRUE(x.has_value()) << size;
    EXPECT_EQ(x->NamespaceGuid, kDatabaseGuid);
    EXPECT_EQ(x->LocalId.size(), size - 16);
    EXPECT_EQ(x->size(), size);
    EXPECT_EQ(encoded(*x), bytes(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(size)));
  }
  for (const std::size_t size : {std::size_t{0}, std::size_t{16}, std::size_t{25}}) {
    reader in(wire, 7);
    EXPECT_TRUE(fails_with(mapi::decode_xid(in, size), mapi::errc::invalid_size, 7, "XID size"));
  }
  reader short_in(bytes_view_of(wire, 20));
  EXPECT_TRUE(
      fails_with(mapi::decode_xid(short_in, 24), oxwire::errc::truncated, 16, "XID LocalId"));
  bytes out;
  EXPECT_TRUE(
      fails_with(encode_into(out, mapi::xid{}), mapi::errc::invalid_size, 0, "XID LocalId"));
}

TEST(Xid, AGidIsAnXidWithASixByteLocalId) {
  OXWIRE_REQ("MS-OXCFXICS_R159", "MS-OXCFXICS_R160");
  const mapi::gid g{kDatabaseGuid, 0x00174EA89C98};
  const mapi::xid x = mapi::to_xid(g);
  EXPECT_EQ(x.LocalId.size(), 6u);
  EXPECT_EQ(encoded(x), encoded(g));
}

TEST(SizedXid, XidSizeGivesTheLength) {
  OXWIRE_REQ("MS-OXCFXICS_R170", "MS-OXCFXICS_R171", "MS-OXCFXICS_R172", "MS-OXCFXICS_R173");
  const bytes wire = cat({from_hex("16"), kDatabaseGuidWire, from_hex("00 17 4E A8 9C 98")});
  reader in(wire);
  const auto s = mapi::decode_sized_xid(in);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->XID, mapi::to_xid(mapi::gid{kDatabaseGuid, 0x00174EA89C98}));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(encoded(*s), wire);

  for (const std::uint8_t size : {0x00, 0x10, 0x19}) {
    bytes b = wire;
    b[0] = size;
    reader r(b);
    EXPECT_TRUE(
        fails_with(mapi::decode_sized_xid(r), mapi::errc::invalid_size, 0, "SizedXid XidSize"));
  }
  bytes long_size = wire;
  long_size[0] = 0x18;  // 24 bytes announced, 22 present
  reader r(long_size);
  EXPECT_TRUE(fails_with(mapi::decode_sized_xid(r), oxwire::errc::truncated, 17, "XID LocalId"));
  EXPECT_EQ(r.position(), 0u);
  const bytes empty;
  reader e(empty);
  EXPECT_TRUE(
      fails_with(mapi::decode_sized_xid(e), oxwire::errc::truncated, 0, "SizedXid XidSize"));
  bytes out;
  EXPECT_TRUE(fails_with(encode_into(out, mapi::sized_xid{}), mapi::errc::invalid_size, 0));
}

// ---------------------------------------------------------------------------------------------
// ProviderUIDs

TEST(ProviderUid, ConstantsHaveTheSpecBytes) {
  const auto wire = [](const guid& g) { return encoded_guid(g); };
  EXPECT_EQ(wire(mapi::one_off_provider_uid),
            from_hex("81 2B 1F A4 BE A3 10 19 9D 6E 00 DD 01 0F 54 02"));
  EXPECT_EQ(wire(mapi::address_book_provider_uid),
            from_hex("DC A7 40 C8 C0 42 10 1A B4 B9 08 00 2B 2F E1 82"));
  EXPECT_EQ(wire(mapi::store_object_provider_uid),
            from_hex("38 A1 BB 10 05 E5 10 1A A1 BB 08 00 2B 2A 56 C2"));
  EXPECT_EQ(wire(mapi::mailbox_store_provider_uid),
            from_hex("1B 55 FA 20 AA 66 11 CD 9B C8 00 AA 00 2F C4 5A"));
  EXPECT_EQ(wire(mapi::public_store_provider_uid),
            from_hex("1C 83 02 10 AA 66 11 CD 9B C8 00 AA 00 2F C4 5A"));
  EXPECT_EQ(wire(mapi::contact_provider_uid),
            from_hex("FE 42 AA 0A 18 C7 1A 10 E8 85 0B 65 1C 24 00 00"));
  EXPECT_EQ(wire(mapi::wrapped_entryid_provider_uid),
            from_hex("C0 91 AD D3 51 9D CF 11 A4 A9 00 AA 00 47 FA A4"));
  // The same values in registry form (MAPI's MAPI_ONE_OFF_UID and MUIDEMSAB).
  static_assert(mapi::one_off_provider_uid ==
                guid::from_string("{A41F2B81-A3BE-1910-9D6E-00DD010F5402}"));
  static_assert(mapi::address_book_provider_uid ==
                guid::from_string("{C840A7DC-42C0-1A10-B4B9-08002B2FE182}"));
}

// ---------------------------------------------------------------------------------------------
// Folder EntryID, Message EntryID

TEST(FolderEntryId, SpecExampleFromMsOxodlgt) {
  OXWIRE_REQ("MS-OXCDATA_R2225", "MS-OXCDATA_R2229", "MS-OXCDATA_R2230", "MS-OXCDATA_R2231");
  ASSERT_EQ(kAppointmentFolderEntryId.size(), mapi::folder_entryid::wire_size);
  const auto f = decoded_as<mapi::folder_entryid>(kAppointmentFolderEntryId);
  EXPECT_EQ(f.ProviderUID, kMailboxGuid);
  EXPECT_EQ(f.FolderType, mapi::store_object_type::PrivateFolder);
  EXPECT_EQ(f.DatabaseGuid, kDatabaseGuid);
  EXPECT_EQ(f.GlobalCounter, 0x00174EA89C98u);  // the FIDs of 4.1.1 are 0001-00174ea8cdxx
  EXPECT_EQ(encoded(f), kAppointmentFolderEntryId);
  EXPECT_EQ(encoded(mapi::entryid{f}), kAppointmentFolderEntryId);
}

TEST(FolderEntryId, Errors) {
  bytes flags = kAppointmentFolderEntryId;
  flags[3] = 0x80;
  EXPECT_TRUE(
      fails_with(mapi::decode_entryid(flags), mapi::errc::invalid_flag, 0, "Folder EntryID Flags"));

  bytes message_type = kAppointmentFolderEntryId;
  message_type[20] = 0x07;
  reader in(message_type);
  EXPECT_TRUE(fails_with(mapi::decode_folder_entryid(in), mapi::errc::invalid_kind, 20,
                         "Folder EntryID FolderType"));
  EXPECT_EQ(in.position(), 0u);

  bytes pad = kAppointmentFolderEntryId;
  pad[45] = 1;
  EXPECT_TRUE(
      fails_with(mapi::decode_entryid(pad), oxwire::errc::out_of_range, 44, "Folder EntryID Pad"));

  const bytes short_id(kAppointmentFolderEntryId.begin(), kAppointmentFolderEntryId.end() - 4);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(short_id), oxwire::errc::truncated, 38,
                         "Folder EntryID GlobalCounter"));

  bytes trailing = kAppointmentFolderEntryId;
  trailing.push_back(0);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(trailing), mapi::errc::invalid_size, 46,
                         "EntryID trailing bytes"));

  bytes out;
  mapi::folder_entryid bad_type;
  bad_type.FolderType = mapi::store_object_type::PublicMessage;
  EXPECT_TRUE(fails_with(encode_into(out, bad_type), mapi::errc::invalid_kind, 20));
  mapi::folder_entryid wide;
  wide.GlobalCounter = std::uint64_t{1} << 48;
  out.clear();
  EXPECT_TRUE(fails_with(encode_into(out, wide), oxwire::errc::out_of_range, 38,
                         "Folder EntryID GlobalCounter"));
}

TEST(FolderEntryId, EveryFolderTypeIsRecognised) {
  for (const auto t :
       {mapi::store_object_type::PrivateFolder, mapi::store_object_type::PublicFolder,
        mapi::store_object_type::MappedPublicFolder,
        mapi::store_object_type::PublicNewsgroupFolder}) {
    const mapi::folder_entryid f{kMailboxGuid, t, kDatabaseGuid, 0x1234};
    const bytes b = encoded(f);
    EXPECT_EQ(decoded_as<mapi::folder_entryid>(b), f);
  }
}

mapi::message_entryid sample_message() {
  return {kMailboxGuid,  mapi::store_object_type::PrivateMessage,
          kDatabaseGuid, 0x00174EA8CDA0,
          kDatabaseGuid, 0x00174EA8D001};
}

TEST(MessageEntryId, LayoutAndRoundTrip) {
  OXWIRE_REQ("MS-OXCDATA_R2236", "MS-OXCDATA_R2239", "MS-OXCDATA_R2241", "MS-OXCDATA_R2242",
             "MS-OXCDATA_R2243", "MS-OXCDATA_R2244", "MS-OXCDATA_R2245", "MS-OXCDATA_R2246");
  const bytes wire =
      cat({from_hex("00 00 00 00"),
           bytes(kAppointmentFolderEntryId.begin() + 4, kAppointmentFolderEntryId.begin() + 20),
           from_hex("07 00"), kDatabaseGuidWire, from_hex("00 17 4E A8 CD A0 00 00"),
           kDatabaseGuidWire, from_hex("00 17 4E A8 D0 01 00 00")});
  ASSERT_EQ(wire.size(), mapi::message_entryid::wire_size);
  EXPECT_EQ(encoded(sample_message()), wire);
  EXPECT_EQ(decoded_as<mapi::message_entryid>(wire), sample_message());
  expect_round_trip(wire);

  bytes folder_type = wire;
  folder_type[20] = 0x01;
  reader in(folder_type);
  EXPECT_TRUE(fails_with(mapi::decode_message_entryid(in), mapi::errc::invalid_kind, 20,
                         "Message EntryID MessageType"));
  bytes pad1 = wire;
  pad1[44] = 1;
  EXPECT_TRUE(fails_with(mapi::decode_entryid(pad1), oxwire::errc::out_of_range, 44,
                         "Message EntryID Pad"));
  bytes pad2 = wire;
  pad2[69] = 1;
  EXPECT_TRUE(fails_with(mapi::decode_entryid(pad2), oxwire::errc::out_of_range, 68,
                         "Message EntryID Pad"));
  bytes trailing = wire;
  trailing.push_back(0);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(trailing), mapi::errc::invalid_size, 70));
  const bytes short_id(wire.begin(), wire.begin() + 50);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(short_id), oxwire::errc::truncated, 46,
                         "Message EntryID MessageDatabaseGuid"));
  bytes out;
  mapi::message_entryid bad = sample_message();
  bad.MessageType = mapi::store_object_type::PrivateFolder;
  EXPECT_TRUE(fails_with(encode_into(out, bad), mapi::errc::invalid_kind, 20));
}

// ---------------------------------------------------------------------------------------------
// Store Object EntryID

const bytes kStoreHeader = from_hex(
    "00 00 00 00 38 A1 BB 10 05 E5 10 1A A1 BB 08 00 2B 2A 56 C2 00 00"
    "45 4D 53 4D 44 42 2E 44 4C 4C 00 00 00 00 00 00 00 00");

bytes mailbox_store_bytes() {
  return cat({kStoreHeader, from_hex("1B 55 FA 20 AA 66 11 CD 9B C8 00 AA 00 2F C4 5A 0C 00 00 00"),
              z8("EXCH01"), z8(kMailboxDn)});
}

TEST(StoreObjectEntryId, MailboxStore) {
  OXWIRE_REQ("MS-OXCDATA_R2249", "MS-OXCDATA_R2250", "MS-OXCDATA_R2251", "MS-OXCDATA_R2252",
             "MS-OXCDATA_R2253", "MS-OXCDATA_R2254", "MS-OXCDATA_R2255", "MS-OXCDATA_R2256",
             "MS-OXCDATA_R2260", "MS-OXCDATA_R2263", "MS-OXCDATA_R2264", "MS-OXCDATA_R2265");
  const bytes wire = mailbox_store_bytes();
  const auto s = decoded_as<mapi::store_object_entryid>(wire);
  EXPECT_EQ(s.WrappedProviderUID, mapi::mailbox_store_provider_uid);
  EXPECT_EQ(s.WrappedType, mapi::store_object_entryid::mailbox_wrapped_type);
  EXPECT_EQ(s.ServerShortname, "EXCH01");
  EXPECT_EQ(s.MailboxDN, kMailboxDn);
  EXPECT_TRUE(s.extension.empty());
  EXPECT_EQ(encoded(s), wire);
}

TEST(StoreObjectEntryId, PublicStoreHasNoMailboxDn) {
  const bytes wire =
      cat({kStoreHeader, from_hex("1C 83 02 10 AA 66 11 CD 9B C8 00 AA 00 2F C4 5A 06 00 00 00"),
           z8("EXCH01")});
  const auto s = decoded_as<mapi::store_object_entryid>(wire);
  EXPECT_EQ(s.WrappedProviderUID, mapi::public_store_provider_uid);
  EXPECT_EQ(s.WrappedType, 6u);
  EXPECT_FALSE(s.MailboxDN.has_value());
  EXPECT_EQ(encoded(s), wire);
}

TEST(StoreObjectEntryId, BytesAfterMailboxDnAreKept) {
  const bytes wire = cat({mailbox_store_bytes(), from_hex("D8 35 21 F3 10 00 00 00")});
  const auto s = decoded_as<mapi::store_object_entryid>(wire);
  EXPECT_EQ(s.extension, from_hex("D8 35 21 F3 10 00 00 00"));
  EXPECT_EQ(encoded(s), wire);
}

TEST(StoreObjectEntryId, Errors) {
  const bytes wire = mailbox_store_bytes();
  const auto with = [&wire](std::size_t at, std::uint8_t v) {
    bytes b = wire;
    b[at] = v;
    return b;
  };
  EXPECT_TRUE(fails_with(mapi::decode_entryid(with(1, 1)), mapi::errc::invalid_flag, 0,
                         "Store Object EntryID Flags"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(with(20, 1)), oxwire::errc::out_of_range, 20,
                         "Store Object EntryID Version"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(with(21, 1)), mapi::errc::invalid_flag, 21,
                         "Store Object EntryID Flag"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(with(23, 'm')), oxwire::errc::out_of_range, 22,
                         "Store Object EntryID DLLFileName"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(with(36, 1)), mapi::errc::invalid_flag, 36,
                         "Store Object EntryID WrappedFlags"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(with(40, 0x1D)), mapi::errc::invalid_kind, 40,
                         "Store Object EntryID WrappedProvider UID"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(with(56, 0x06)), mapi::errc::invalid_kind, 56,
                         "Store Object EntryID WrappedType"));
  const bytes no_dn_nul(wire.begin(), wire.end() - 1);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(no_dn_nul), oxwire::errc::truncated, 67,
                         "Store Object EntryID MailboxDN"));
  const bytes no_server(wire.begin(), wire.begin() + 63);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(no_server), oxwire::errc::truncated, 60,
                         "Store Object EntryID ServerShortname"));
  const bytes short_header(wire.begin(), wire.begin() + 30);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(short_header), oxwire::errc::truncated, 22,
                         "Store Object EntryID DLLFileName"));

  bytes out;
  mapi::store_object_entryid public_with_dn;
  public_with_dn.WrappedProviderUID = mapi::public_store_provider_uid;
  public_with_dn.WrappedType = mapi::store_object_entryid::public_wrapped_type;
  public_with_dn.MailboxDN = "x";
  EXPECT_TRUE(fails_with(encode_into(out, public_with_dn), mapi::errc::invalid_kind, 61,
                         "Store Object EntryID MailboxDN"));
  mapi::store_object_entryid mismatched;
  mismatched.WrappedType = mapi::store_object_entryid::public_wrapped_type;
  out.clear();
  EXPECT_TRUE(fails_with(encode_into(out, mismatched), mapi::errc::invalid_kind, 56));
  mapi::store_object_entryid nul_in_name;
  nul_in_name.ServerShortname = std::string("EX\0CH", 5);
  nul_in_name.MailboxDN = "dn";
  out.clear();
  EXPECT_TRUE(fails_with(encode_into(out, nul_in_name), oxwire::errc::invalid_argument, 62,
                         "Store Object EntryID ServerShortname"));
}

// ---------------------------------------------------------------------------------------------
// One-Off EntryID

const bytes kOneOffHeader =
    from_hex("00 00 00 00 81 2B 1F A4 BE A3 10 19 9D 6E 00 DD 01 0F 54 02 00 00");

TEST(OneOffEntryId, UnicodeStringsAndFlagWordValues) {
  // Word 0x8026: U (0x8000), Format TextOnly (word value 0x0006), MAE UUENCODE (word value 0x0020).
  const bytes wire = cat(
      {kOneOffHeader, from_hex("26 80"), z16(u"Jane Doe"), z16(u"SMTP"), z16(u"jane@example.com")});
  const auto o = decoded_as<mapi::one_off_entryid>(wire);
  EXPECT_TRUE(o.U());
  EXPECT_EQ(o.Format, mapi::one_off_entryid::TextOnly);
  EXPECT_EQ(o.MAE, mapi::one_off_entryid::UUENCODE);
  EXPECT_FALSE(o.M);
  EXPECT_FALSE(o.L);
  EXPECT_EQ(o.R, 0);
  EXPECT_EQ(o.Pad, 0);
  const auto& s = std::get<mapi::one_off_strings<std::u16string>>(o.strings);
  EXPECT_EQ(s.DisplayName, u"Jane Doe");
  EXPECT_EQ(s.AddressType, u"SMTP");
  EXPECT_EQ(s.EmailAddress, u"jane@example.com");
  EXPECT_EQ(encoded(o), wire);
}

TEST(OneOffEntryId, EightBitStrings) {
  // Word 0x1001: M (0x0001) and L (0x1000); U clear, so the strings are 8-bit.
  const bytes wire =
      cat({kOneOffHeader, from_hex("01 10"), z8("Jane"), z8("SMTP"), z8("jane@example.com")});
  const auto o = decoded_as<mapi::one_off_entryid>(wire);
  EXPECT_FALSE(o.U());
  EXPECT_TRUE(o.M);
  EXPECT_TRUE(o.L);
  EXPECT_EQ(o.Format, 0);
  const auto& s = std::get<mapi::one_off_strings<std::string>>(o.strings);
  EXPECT_EQ(s.DisplayName, "Jane");
  EXPECT_EQ(s.EmailAddress, "jane@example.com");
  EXPECT_EQ(encoded(o), wire);
}

TEST(OneOffEntryId, EveryBitOfTheWordHasItsField) {
  struct bit_case {
    std::uint16_t word;
    std::uint8_t MAE, Format, R;
    bool M, L;
    std::uint16_t Pad;
  };
  for (const bit_case c :
       {bit_case{0x0001, 0, 0, 0, true, false, 0},
        bit_case{0x000E, 0, 0x7, 0, false, false, 0},  // HtmlOnly
        bit_case{0x0016, 0, 0xB, 0, false, false, 0},  // TextAndHtml
        bit_case{0x0060, 3, 0, 0, false, false, 0},    // AppleDouble
        bit_case{0x0040, 2, 0, 0, false, false, 0},    // AppleSingle
        bit_case{0x0F80, 0, 0, 0, false, false, 0x0F80}, bit_case{0x1000, 0, 0, 0, false, true, 0},
        bit_case{0x6000, 0, 0, 3, false, false, 0}}) {
    const bytes wire =
        cat({kOneOffHeader,
             {static_cast<std::uint8_t>(c.word), static_cast<std::uint8_t>(c.word >> 8)},
             z8(""),
             z8("SMTP"),
             z8("a@b")});
    const auto o = decoded_as<mapi::one_off_entryid>(wire);
    EXPECT_EQ(o.MAE, c.MAE) << c.word;
    EXPECT_EQ(o.Format, c.Format) << c.word;
    EXPECT_EQ(o.R, c.R) << c.word;
    EXPECT_EQ(o.M, c.M) << c.word;
    EXPECT_EQ(o.L, c.L) << c.word;
    EXPECT_EQ(o.Pad, c.Pad) << c.word;
    EXPECT_EQ(encoded(o), wire) << c.word;
  }
}

TEST(OneOffEntryId, Errors) {
  // A lone high surrogate in DisplayName: its code unit is at 24 + 2.
  const bytes lone =
      cat({kOneOffHeader, from_hex("00 80 41 00 00 D8 42 00 00 00"), z16(u"SMTP"), z16(u"a@b")});
  EXPECT_TRUE(fails_with(mapi::decode_entryid(lone), oxwire::errc::lone_surrogate, 26,
                         "One-Off EntryID DisplayName"));
  const bytes unterminated =
      cat({kOneOffHeader, from_hex("00 80"), z16(u"A"), z16(u"SMTP"), from_hex("61 00 62")});
  EXPECT_TRUE(fails_with(mapi::decode_entryid(unterminated), oxwire::errc::truncated, 38,
                         "One-Off EntryID EmailAddress"));
  const bytes unterminated8 = cat({kOneOffHeader, from_hex("00 00"), z8("A"), bytes_of("SMTP")});
  EXPECT_TRUE(fails_with(mapi::decode_entryid(unterminated8), oxwire::errc::truncated, 26,
                         "One-Off EntryID AddressType"));
  const bytes short_word(kOneOffHeader.begin(), kOneOffHeader.end());
  EXPECT_TRUE(fails_with(mapi::decode_entryid(short_word), oxwire::errc::truncated, 22,
                         "One-Off EntryID flags word"));
  const bytes trailing =
      cat({kOneOffHeader, from_hex("00 00"), z8("A"), z8("SMTP"), z8("a@b"), from_hex("00")});
  EXPECT_TRUE(fails_with(mapi::decode_entryid(trailing), mapi::errc::invalid_size,
                         trailing.size() - 1, "EntryID trailing bytes"));
  reader not_one_off(kAppointmentFolderEntryId);
  EXPECT_TRUE(fails_with(mapi::decode_one_off_entryid(not_one_off), mapi::errc::invalid_kind, 4,
                         "One-Off EntryID ProviderUID"));

  mapi::one_off_entryid bad_mae;
  bad_mae.MAE = 4;
  bytes out;
  EXPECT_TRUE(fails_with(encode_into(out, bad_mae), oxwire::errc::out_of_range, 22));
  mapi::one_off_entryid bad_pad;
  bad_pad.Pad = 0x0001;
  out.clear();
  EXPECT_TRUE(fails_with(encode_into(out, bad_pad), oxwire::errc::out_of_range, 22));
  mapi::one_off_entryid nul;
  nul.strings = mapi::one_off_strings<std::u16string>{u"A", std::u16string(u"S\0M", 3), u"x"};
  out.clear();
  EXPECT_TRUE(fails_with(encode_into(out, nul), oxwire::errc::invalid_argument, 30,
                         "One-Off EntryID AddressType"));
  mapi::one_off_entryid surrogate;
  surrogate.strings =
      mapi::one_off_strings<std::u16string>{u"A", u"SMTP", std::u16string(1, u'\xDC00')};
  out.clear();
  EXPECT_TRUE(fails_with(encode_into(out, surrogate), oxwire::errc::lone_surrogate, 38,
                         "One-Off EntryID EmailAddress"));
}

// ---------------------------------------------------------------------------------------------
// Address Book EntryID

bytes address_book_bytes(std::uint8_t type) {
  return cat({from_hex("00 00 00 00 DC A7 40 C8 C0 42 10 1A B4 B9 08 00 2B 2F E1 82 01 00 00 00"),
              {type, 0, 0, 0},
              z8(kMailboxDn)});
}

TEST(AddressBookEntryId, X500DnAndType) {
  OXWIRE_REQ("MS-OXCDATA_R2319", "MS-OXCDATA_R2753", "MS-OXCDATA_R2320", "MS-OXCDATA_R2321",
             "MS-OXCDATA_R2323");
  const bytes wire = address_book_bytes(0);
  const auto a = decoded_as<mapi::address_book_entryid>(wire);
  EXPECT_EQ(a.Type, mapi::address_book_type::LocalMailUser);
  EXPECT_EQ(a.X500DN, kMailboxDn);
  EXPECT_EQ(encoded(a), wire);
  for (const std::uint32_t t : {0x0u, 0x6u, 0x100u, 0x101u, 0x102u, 0x200u}) {
    const mapi::address_book_entryid e{static_cast<mapi::address_book_type>(t), "/o=x"};
    expect_round_trip(encoded(e));
  }
}

TEST(AddressBookEntryId, Errors) {
  bytes flags = address_book_bytes(0);
  flags[0] = 1;
  EXPECT_TRUE(fails_with(mapi::decode_entryid(flags), mapi::errc::invalid_flag, 0,
                         "Address Book EntryID Flags"));
  bytes version = address_book_bytes(0);
  version[20] = 2;
  EXPECT_TRUE(fails_with(mapi::decode_entryid(version), oxwire::errc::out_of_range, 20,
                         "Address Book EntryID Version"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(address_book_bytes(7)), mapi::errc::invalid_kind, 24,
                         "Address Book EntryID Type"));
  const bytes wire = address_book_bytes(0);
  const bytes unterminated(wire.begin(), wire.end() - 1);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(unterminated), oxwire::errc::truncated, 28,
                         "Address Book EntryID X500DN"));
  bytes trailing = wire;
  trailing.push_back('x');
  EXPECT_TRUE(fails_with(mapi::decode_entryid(trailing), mapi::errc::invalid_size, wire.size()));
  bytes out;
  EXPECT_TRUE(fails_with(
      encode_into(out,
                  mapi::address_book_entryid{static_cast<mapi::address_book_type>(0x103), "/o=x"}),
      mapi::errc::invalid_kind, 24));
}

// ---------------------------------------------------------------------------------------------
// Contact Address EntryID, Personal Distribution List EntryID

bytes contab_bytes(std::uint8_t type, std::uint8_t index, std::uint8_t count_low,
                   const bytes& entry) {
  return cat({from_hex("00 00 00 00 FE 42 AA 0A 18 C7 1A 10 E8 85 0B 65 1C 24 00 00 03 00 00 00"),
              {type, 0, 0, 0, index, 0, 0, 0, count_low, 0, 0, 0},
              entry});
}

TEST(ContactAddressEntryId, IndexAndMessageEntryId) {
  const bytes message = encoded(sample_message());
  const bytes wire = contab_bytes(0x04, 1, 70, message);
  const auto c = decoded_as<mapi::contact_address_entryid>(wire);
  EXPECT_EQ(c.Index, 1u);
  EXPECT_EQ(c.EntryIdBytes, message);
  EXPECT_EQ(encoded(c), wire);
  reader inner(c.EntryIdBytes);
  EXPECT_EQ(mapi::decode_message_entryid(inner).value(), sample_message());

  EXPECT_TRUE(fails_with(mapi::decode_entryid(contab_bytes(0x04, 6, 70, message)),
                         oxwire::errc::out_of_range, 28, "Contact Address EntryID Index"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(contab_bytes(0x04, 0, 71, message)),
                         mapi::errc::count_too_large, 32, "Contact Address EntryID EntryIdCount"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(contab_bytes(0x06, 0, 70, message)),
                         mapi::errc::invalid_kind, 24, "Contact Address EntryID Type"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid(contab_bytes(0x04, 0, 69, message)),
                         mapi::errc::invalid_size, 105, "EntryID trailing bytes"));
  bytes version = wire;
  version[20] = 2;
  EXPECT_TRUE(fails_with(mapi::decode_entryid(version), oxwire::errc::out_of_range, 20,
                         "Contact Address EntryID Version"));
  const bytes short_header(wire.begin(), wire.begin() + 30);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(short_header), oxwire::errc::truncated, 28,
                         "Contact Address EntryID Index"));
  bytes out;
  EXPECT_TRUE(fails_with(encode_into(out, mapi::contact_address_entryid{6, {}}),
                         oxwire::errc::out_of_range, 28));
}

TEST(PersonalDistributionListEntryId, IndexIsFF) {
  const bytes message = encoded(sample_message());
  const bytes wire = contab_bytes(0x05, 0xFF, 70, message);
  const auto p = decoded_as<mapi::personal_distribution_list_entryid>(wire);
  EXPECT_EQ(p.EntryIdBytes, message);
  EXPECT_EQ(encoded(p), wire);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(contab_bytes(0x05, 0, 70, message)),
                         oxwire::errc::out_of_range, 28,
                         "Personal Distribution List EntryID Index"));
  reader as_contact(wire);
  EXPECT_TRUE(
      fails_with(mapi::decode_contact_address_entryid(as_contact), mapi::errc::invalid_kind, 24));
}

// ---------------------------------------------------------------------------------------------
// WrappedEntryId (MS-OXOCNTC 2.2.2.2.4.1.1)

TEST(WrappedEntryId, TypeRulesAndEmbeddedEntryId) {
  static_assert(mapi::wrapped_entryid::valid_type(0x00));   // one-off
  static_assert(mapi::wrapped_entryid::valid_type(0xB5));   // GAL mail user
  static_assert(mapi::wrapped_entryid::valid_type(0xB6));   // GAL distribution list
  static_assert(mapi::wrapped_entryid::valid_type(0xB4));   // personal distribution list
  static_assert(mapi::wrapped_entryid::valid_type(0xC3));   // contact, address index 4
  static_assert(!mapi::wrapped_entryid::valid_type(0xF3));  // contact with index 7
  static_assert(!mapi::wrapped_entryid::valid_type(0x80));  // one-off with the high bit
  static_assert(!mapi::wrapped_entryid::valid_type(0x35));  // no high bit
  static_assert(!mapi::wrapped_entryid::valid_type(0x85));  // GAL user, middle bits not 3
  static_assert(!mapi::wrapped_entryid::valid_type(0xB1));  // kind 1

  const bytes embedded = address_book_bytes(0);
  const bytes wire =
      cat({from_hex("00 00 00 00 C0 91 AD D3 51 9D CF 11 A4 A9 00 AA 00 47 FA A4 B5"), embedded});
  const auto w = decoded_as<mapi::wrapped_entryid>(wire);
  EXPECT_EQ(w.Type, 0xB5);
  EXPECT_EQ(w.EmbeddedEntryID, embedded);
  EXPECT_EQ(decoded_as<mapi::address_book_entryid>(w.EmbeddedEntryID).X500DN, kMailboxDn);
  EXPECT_EQ(encoded(w), wire);

  bytes bad = wire;
  bad[20] = 0x85;
  EXPECT_TRUE(
      fails_with(mapi::decode_entryid(bad), mapi::errc::invalid_kind, 20, "WrappedEntryId Type"));
  const bytes no_type(wire.begin(), wire.begin() + 20);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(no_type), oxwire::errc::truncated, 20,
                         "WrappedEntryId Type"));
  bytes out;
  EXPECT_TRUE(
      fails_with(encode_into(out, mapi::wrapped_entryid{0x80, {}}), mapi::errc::invalid_kind, 20));
}

// ---------------------------------------------------------------------------------------------
// Unknown EntryIDs, limits, encoders

TEST(DecodeEntryId, UnknownProvidersAreKeptNotRejected) {
  const bytes wire = cat({from_hex("00 00 00 00"),
                          encoded_guid(guid::from_string("{4E3A2A58-0F6B-4F3B-9C2D-2B8F4C1E5D6A}")),
                          from_hex("22 01 00 00")});
  const auto u = decoded_as<mapi::unknown_entryid>(wire);
  EXPECT_EQ(u.ProviderData, from_hex("22 01 00 00"));
  EXPECT_EQ(encoded(u), wire);

  const bytes bare(wire.begin(), wire.begin() + 20);
  EXPECT_TRUE(decoded_as<mapi::unknown_entryid>(bare).ProviderData.empty());
  bytes short_term = wire;
  short_term[0] = 0xFF;  // abFlags of a short-term EntryID: kept for unknown providers
  EXPECT_EQ(decoded_as<mapi::unknown_entryid>(short_term).Flags, 0xFFu);

  const bytes no_uid(wire.begin(), wire.begin() + 19);
  EXPECT_TRUE(
      fails_with(mapi::decode_entryid(no_uid), oxwire::errc::truncated, 4, "EntryID ProviderUID"));
  const bytes no_flags(wire.begin(), wire.begin() + 3);
  EXPECT_TRUE(
      fails_with(mapi::decode_entryid(no_flags), oxwire::errc::truncated, 0, "EntryID Flags"));
  EXPECT_TRUE(fails_with(mapi::decode_entryid({}), oxwire::errc::truncated, 0, "EntryID Flags"));
}

TEST(DecodeEntryId, SizeLimit) {
  const bytes wire = mailbox_store_bytes();
  EXPECT_TRUE(fails_with(mapi::decode_entryid(wire, {.max_size = 100}),
                         oxwire::errc::limit_exceeded, 100, "EntryID size"));
  EXPECT_TRUE(mapi::decode_entryid(wire, {.max_size = wire.size()}).has_value());
  const bytes huge(mapi::entryid_limits{}.max_size + 1, 0);
  EXPECT_TRUE(fails_with(mapi::decode_entryid(huge), oxwire::errc::limit_exceeded, 0xFFFF));
}

TEST(Encode, FixedBufferTooSmall) {
  std::array<std::uint8_t, 45> buffer{};
  oxwire::writer w(buffer);
  const auto f = decoded_as<mapi::folder_entryid>(kAppointmentFolderEntryId);
  EXPECT_TRUE(
      fails_with(mapi::encode(w, f), oxwire::errc::buffer_too_small, 44, "Folder EntryID Pad"));
}

}  // namespace test_entryid
