// The TNEF codec on hand-made streams: the MS-OXTNEF 3.1 sample's first attributes byte for byte,
// property values of every type TNEF carries, named properties, embedded messages, round trips,
// and every error with its offset.
#include "tnef_test.hpp"

namespace test_codec {

using namespace oxwire_test;
namespace tnef = oxwire::tnef;
namespace mapi = oxwire::mapi;
namespace prop = mapi::prop;
using mapi::PropertyType;
using tnef::errc;

/// Appends v little-endian.
template <class T>
void put(std::vector<std::uint8_t>& b, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

/// An attribute with the right checksum.
void attribute(std::vector<std::uint8_t>& b, std::uint8_t level, std::uint32_t id,
               const std::vector<std::uint8_t>& data) {
  b.push_back(level);
  put<std::uint32_t>(b, id);
  put<std::uint32_t>(b, static_cast<std::uint32_t>(data.size()));
  b.insert(b.end(), data.begin(), data.end());
  put<std::uint16_t>(b, tnef::checksum(data));
}

/// True if `v` lies inside `buffer` (a view, not a copy).
bool points_into(oxwire::bytes_view v, const std::vector<std::uint8_t>& buffer) {
  const auto p = reinterpret_cast<std::uintptr_t>(v.data());
  const auto b = reinterpret_cast<std::uintptr_t>(buffer.data());
  return !v.empty() && p >= b && p + v.size() <= b + buffer.size();
}

std::vector<std::uint8_t> header(std::uint16_t key = 1) {
  std::vector<std::uint8_t> b;
  put<std::uint32_t>(b, 0x223E9F78);
  put<std::uint16_t>(b, key);
  return b;
}

std::vector<std::uint8_t> text(std::string_view s) {
  std::vector<std::uint8_t> v(s.begin(), s.end());
  v.push_back(0);
  return v;
}

// MS-OXTNEF 3.1 Sample Message: the attributes before attMsgProps, with the checksums the sample
// states (attTnefVersion 0x0001, attOemCodepage 0x00E8, attMessageClass 0x0831, attPriority
// 0x0002, attSubject 0x057A).
std::vector<std::uint8_t> spec_sample() {
  auto b = header(0x0001);
  b.insert(b.end(), {0x01, 0x06, 0x90, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00,  // attTnefVersion
                     0x00, 0x00, 0x01, 0x00, 0x01, 0x00});
  b.insert(b.end(), {0x01, 0x07, 0x90, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00,  // attOemCodepage
                     0xE4, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE8, 0x00});
  std::vector<std::uint8_t> cls = text("IPM.Microsoft Mail.Note");
  b.insert(b.end(), {0x01, 0x08, 0x80, 0x07, 0x00, 0x18, 0x00, 0x00, 0x00});
  b.insert(b.end(), cls.begin(), cls.end());
  b.insert(b.end(), {0x31, 0x08});
  b.insert(b.end(), {0x01, 0x0D, 0x80, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00,  // attPriority
                     0x02, 0x00, 0x02, 0x00});
  std::vector<std::uint8_t> subject = text("Simple subject");
  b.insert(b.end(), {0x01, 0x04, 0x80, 0x01, 0x00, 0x0F, 0x00, 0x00, 0x00});
  b.insert(b.end(), subject.begin(), subject.end());
  b.insert(b.end(), {0x7A, 0x05});
  return b;
}

TEST(TnefCodec, SpecSampleDecodes) {
  const auto bytes = spec_sample();
  tnef::stream_header h;
  const auto m = tnef::decode(bytes, h);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(h.legacy_key, 1);
  EXPECT_EQ(h.tnef_version, 0x00010000u);
  EXPECT_EQ(h.codepage, (tnef::oem_codepage{1252, 0}));
  // MS-OXTNEF: the legacy class name maps to its MAPI counterpart.
  EXPECT_EQ(mapi::text_of(m->properties, prop::PidTagMessageClass.id, 1252), "IPM.Note");
  EXPECT_EQ(mapi::text_of(m->properties, prop::PidTagSubject.id, 1252), "Simple subject");
  EXPECT_EQ(m->properties.get(prop::PidTagImportance), 1);  // attPriority 2: normal
}

TEST(TnefCodec, SpecSampleHeaderEncodesByteForByte) {
  const auto wire = tnef::encode(mapi::message{}, {.legacy_key = 1});
  ASSERT_TRUE(wire);
  const auto sample = spec_sample();
  // Signature, LegacyKey, attTnefVersion, attOemCodepage: 6 + 15 + 19 bytes.
  EXPECT_EQ(*wire, std::vector<std::uint8_t>(sample.begin(), sample.begin() + 40));
  std::vector<std::uint8_t> cls;
  oxwire::vector_writer w(cls);
  ASSERT_TRUE(tnef::encode_attribute(w, tnef::attribute_level::LVL_MESSAGE,
                                     tnef::attribute_id::attMessageClass,
                                     text("IPM.Microsoft Mail.Note")));
  EXPECT_EQ(cls, std::vector<std::uint8_t>(sample.begin() + 40, sample.begin() + 75));
}

TEST(TnefCodec, Checksum) {
  EXPECT_EQ(tnef::checksum(text("Simple subject")), 0x057A);
  std::vector<std::uint8_t> big(70000, 0xFF);
  EXPECT_EQ(tnef::checksum(big), static_cast<std::uint16_t>(70000u * 255u));
}

// The AVX2 byte sum agrees with the scalar reference at every length and alignment around its
// 32- and 128-byte steps.
TEST(TnefCodec, ByteSumKernelsAgree) {
  std::vector<std::uint8_t> b(1200);
  std::uint32_t x = 12345;
  for (auto& c : b) c = static_cast<std::uint8_t>((x = x * 1103515245u + 12345u) >> 24);
  for (std::size_t shift = 0; shift < 4; ++shift)
    for (std::size_t n = 0; n + shift <= b.size(); n += (n < 300 ? 1 : 37)) {
      const std::uint64_t want = oxwire::detail::byte_sum_scalar(b.data() + shift, n);
      std::uint64_t bytewise = 0;
      for (std::size_t i = 0; i < n; ++i) bytewise += b[shift + i];
      ASSERT_EQ(want, bytewise) << n;
#if OXWIRE_X86
      if (oxwire::detail::best_isa() == oxwire::detail::isa::avx2) {
        ASSERT_EQ(oxwire::detail::byte_sum_avx2(b.data() + shift, n), want) << shift << " " << n;
      }
#endif
    }
}

TEST(TnefCodec, SampleMessageRoundTrips) {
  const auto m = sample_message();
  const auto wire = tnef::encode(m, sample_header);
  ASSERT_TRUE(wire) << wire.error().message();
  tnef::stream_header h;
  const auto again = tnef::decode(*wire, h);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(*again == m);
  EXPECT_EQ(h, sample_header);
  ASSERT_NE(again->names.name_of(0x8000), nullptr);
  EXPECT_EQ(again->names.name_of(0x8000)->Name, u"x-project");
  EXPECT_EQ(again->names.name_of(0x8001)->LID, 0x8501u);
  // The legacy attributes written beside attMAPIProps.
  oxwire::reader in(*wire);
  ASSERT_TRUE(tnef::decode_header(in));
  std::vector<std::uint32_t> ids;
  while (!in.empty()) ids.push_back(tnef::decode_attribute(in, {})->ID);
  using A = tnef::attribute_id;
  const auto id = [](A a) { return static_cast<std::uint32_t>(a); };
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{
                     id(A::attTnefVersion), id(A::attOemCodepage), id(A::attMessageClass),
                     id(A::attSubject), id(A::attMAPIProps), id(A::attRecipTable),
                     id(A::attAttachRenddata), id(A::attAttachTitle), id(A::attAttachData),
                     id(A::attAttachment), id(A::attAttachRenddata), id(A::attAttachTitle),
                     id(A::attAttachData), id(A::attAttachment)}));
}

// Every type a TNEF property list carries, single- and multi-valued, through encode -> decode.
TEST(TnefCodec, EveryPropertyTypeRoundTrips) {
  using enum PropertyType;
  mapi::property_bag bag;
  std::uint16_t id = 0x6000;
  const auto add = [&]<PropertyType T>(std::integral_constant<PropertyType, T>,
                                       mapi::value_type_t<T> v) {
    ASSERT_TRUE(bag.set(mapi::property_tag::make(id++, T), mapi::property_value::make<T>(v)));
  };
#define K(T) \
  std::integral_constant<PropertyType, T> {}
  add(K(PtypInteger16), std::int16_t{-2});
  add(K(PtypInteger32), -70000);
  add(K(PtypFloating32), 1.5f);
  add(K(PtypFloating64), -2.25);
  add(K(PtypCurrency), mapi::currency{123456789});
  add(K(PtypFloatingTime), mapi::floating_time{45000.5});
  add(K(PtypErrorCode), mapi::ErrorCode{0x8004010F});
  add(K(PtypBoolean), true);
  add(K(PtypInteger64), std::int64_t{-1} << 40);
  add(K(PtypString), u"Grüße");
  add(K(PtypString8), "abc");
  add(K(PtypTime), mapi::filetime{133000000000000000});
  add(K(PtypGuid), *mapi::property_set_guid("PSETID_Common"));
  add(K(PtypBinary), std::vector<std::uint8_t>{1, 2, 3, 4, 5});
  add(K(PtypObject), std::vector<std::uint8_t>(20, 7));
  add(K(PtypMultipleInteger16), std::vector<std::int16_t>{1, -1, 3});
  add(K(PtypMultipleInteger32), std::vector<std::int32_t>{1, 2});
  add(K(PtypMultipleFloating32), std::vector<float>{0.5f});
  add(K(PtypMultipleFloating64), std::vector<double>{1, 2, 3});
  add(K(PtypMultipleCurrency), std::vector<mapi::currency>{{1}, {2}});
  add(K(PtypMultipleFloatingTime), std::vector<mapi::floating_time>{{3}});
  add(K(PtypMultipleInteger64), std::vector<std::int64_t>{});
  add(K(PtypMultipleString), std::vector<std::u16string>{u"a", u"", u"bcd"});
  add(K(PtypMultipleString8), std::vector<std::string>{"x", "yz"});
  add(K(PtypMultipleTime), std::vector<mapi::filetime>{{1}, {2}});
  add(K(PtypMultipleGuid), std::vector<oxwire::guid>{oxwire::guid{}, oxwire::guid{1, 2, 3, {}}});
  add(K(PtypMultipleBinary), std::vector<std::vector<std::uint8_t>>{{}, {9}, {1, 2, 3, 4, 5, 6}});
#undef K
  mapi::named_property_map names;
  std::vector<std::uint8_t> wire;
  oxwire::vector_writer w(wire);
  ASSERT_TRUE(tnef::encode_property_list(w, bag, names));
  EXPECT_EQ(wire.size() % 4, 0u);  // every value padded to 4 bytes
  oxwire::reader in(wire);
  std::vector<tnef::named_id_view> read_names;
  tnef::scratch held;
  tnef::object_view back;
  ASSERT_TRUE(tnef::decode_property_list(in, read_names, held,
                                         [&](mapi::property_tag t) -> mapi::value_view& {
                                           auto& e = back.values.emplace_back();
                                           e.tag = t;
                                           return e.value;
                                         }));
  EXPECT_TRUE(in.empty());
  EXPECT_TRUE(read_names.empty());
  EXPECT_TRUE(tnef::to_owned(back) == bag);
  // Views: a string points into the list; 16-bit values (padded to 4 bytes there) are gathered.
  const auto* s = back.get(mapi::tagged_property<PropertyType::PtypString>{0x6009});
  ASSERT_TRUE(s);
  EXPECT_TRUE(points_into(s->bytes, wire));
  EXPECT_EQ(s->to_u16string(), u"Grüße");
  const auto* i16 = back.get(mapi::tagged_property<PropertyType::PtypMultipleInteger16>{0x600F});
  ASSERT_TRUE(i16);
  EXPECT_FALSE(points_into(i16->bytes, wire));
  EXPECT_EQ(std::vector<std::int16_t>(i16->begin(), i16->end()),
            (std::vector<std::int16_t>{1, -1, 3}));
}

// MS-OXTNEF 2.1.3.4 layouts: a 16-bit value padded to 4 bytes; a string with its value count,
// size (NUL included) and padding; a named property's GUID, Kind and ID before its value.
TEST(TnefCodec, ValueLayouts) {
  mapi::property_bag bag;
  bag.set(prop::PidTagSubject, u"Hi");
  (void)bag.set(mapi::property_tag::make(0x0E10, PropertyType::PtypInteger16),
                mapi::property_value::make<PropertyType::PtypInteger16>(std::int16_t{0x0102}));
  mapi::named_property_map names;
  const auto common = *mapi::property_set_guid("PSETID_Common");
  names.add({mapi::name_kind::lid, common, 0x8501, {}}, 0x8003);
  (void)bag.set(mapi::property_tag::make(0x8003, PropertyType::PtypInteger32),
                mapi::property_value::make<PropertyType::PtypInteger32>(10));
  std::vector<std::uint8_t> wire;
  oxwire::vector_writer w(wire);
  ASSERT_TRUE(tnef::encode_property_list(w, bag, names));
  std::vector<std::uint8_t> want;
  put<std::uint32_t>(want, 3);
  put<std::uint32_t>(want, 0x0037001F);
  put<std::uint32_t>(want, 1);
  put<std::uint32_t>(want, 6);
  want.insert(want.end(), {'H', 0, 'i', 0, 0, 0, 0, 0});
  put<std::uint32_t>(want, 0x0E100002);
  want.insert(want.end(), {0x02, 0x01, 0, 0});
  put<std::uint32_t>(want, 0x80030003);
  std::vector<std::uint8_t> g;
  oxwire::vector_writer gw(g);
  ASSERT_TRUE(oxwire::encode(gw, common));
  want.insert(want.end(), g.begin(), g.end());
  put<std::uint32_t>(want, 0);  // MNID_ID
  put<std::uint32_t>(want, 0x8501);
  put<std::uint32_t>(want, 10);
  EXPECT_EQ(wire, want);
}

TEST(TnefCodec, EmbeddedMessagesRoundTripAndNest) {
  // Three levels: message > attachment > embedded > attachment > embedded.
  const auto nest = [](mapi::message inner) {
    mapi::message outer;
    outer.properties.set(prop::PidTagSubject, u"outer");
    mapi::attachment a;
    a.properties.set(prop::PidTagAttachMethod, 5);
    a.properties.set(prop::PidTagRenderingPosition, -1);
    a.embedded.emplace(std::move(inner));
    outer.attachments.push_back(std::move(a));
    return outer;
  };
  auto m = nest(nest(sample_message()));
  const auto wire = tnef::encode(m);
  ASSERT_TRUE(wire) << wire.error().message();
  const auto again = tnef::decode(*wire);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(*again == m);
  ASSERT_TRUE(again->attachments[0].embedded);
  EXPECT_FALSE(again->attachments[0].properties.find(prop::PidTagAttachDataObject.tag()));
  // Two levels of embedding allowed, not one: nesting_too_deep at the inner value's data.
  EXPECT_TRUE(tnef::decode(*wire, {.max_depth = 2}));
  const auto shallow = tnef::decode(*wire, {.max_depth = 1});
  ASSERT_FALSE(shallow);
  EXPECT_EQ(shallow.error().code, oxwire::error(errc::nesting_too_deep, 0).code);
  EXPECT_GT(shallow.error().offset, 40u);
  EXPECT_LT(shallow.error().offset, wire->size());
  EXPECT_EQ(tnef::decode(*wire, {.max_depth = 0}).error().code,
            oxwire::error(errc::nesting_too_deep, 0).code);
}

// Each embedded message's stream has a header of its own (MS-OXTNEF 2.1.3.4): a LegacyKey,
// attTnefVersion and attOemCodepage that differ from the outer stream's come back from the decoder
// in stream_header::embedded, nested as the messages are, and the encoder writes them again.
TEST(TnefCodec, EmbeddedStreamHeadersRoundTrip) {
  const auto with_embedded = [](mapi::message inner) {
    mapi::message outer;
    mapi::attachment a;
    a.properties.set(prop::PidTagAttachMethod, 5);
    a.properties.set(prop::PidTagRenderingPosition, -1);
    a.embedded.emplace(std::move(inner));
    outer.attachments.push_back(std::move(a));
    return outer;
  };
  mapi::message leaf;
  leaf.properties.set(prop::PidTagSubject, u"Привет");
  const auto m = with_embedded(with_embedded(leaf));
  const tnef::stream_header h{
      .legacy_key = 0x1111,
      .codepage = {1252, 0},
      .embedded = {{.legacy_key = 0x2222,
                    .tnef_version = 0x00010001,
                    .codepage = {932, 0},
                    .embedded = {{.legacy_key = 0x3333, .codepage = {1251, 0}}}}}};
  const auto wire = tnef::encode(m, h);
  ASSERT_TRUE(wire) << wire.error().message();
  tnef::stream_header back;
  const auto again = tnef::decode(*wire, back);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(*again == m);
  EXPECT_EQ(back, h);
  EXPECT_EQ(tnef::encode(*again, back).value(), *wire);
  // The innermost subject's attSubject is in that stream's code page (1251): find the innermost
  // signature and the bytes after it.
  const std::string bytes(wire->begin(), wire->end());
  const auto inner = bytes.rfind("\x78\x9F\x3E\x22");
  ASSERT_NE(inner, std::string::npos);
  EXPECT_EQ(bytes.substr(inner + 4, 2), "\x33\x33");
  EXPECT_NE(bytes.find("\xCF\xF0\xE8\xE2\xE5\xF2", inner), std::string::npos);
  // Without headers of their own, embedded streams get the outer one's.
  const tnef::stream_header plain{.legacy_key = 0x4444, .codepage = {1253, 0}};
  tnef::stream_header read;
  ASSERT_TRUE(tnef::decode(tnef::encode(m, plain).value(), read));
  const tnef::stream_header inherited{.legacy_key = 0x4444, .codepage = {1253, 0}};
  EXPECT_EQ(
      read,
      (tnef::stream_header{
          .legacy_key = 0x4444,
          .codepage = {1253, 0},
          .embedded = {{.legacy_key = 0x4444, .codepage = {1253, 0}, .embedded = {inherited}}}}));
  // A header reused for a second decode does not keep the first stream's embedded headers.
  ASSERT_TRUE(tnef::decode(tnef::encode(leaf).value(), read));
  EXPECT_TRUE(read.embedded.empty());
}

// --- errors, each at its offset --------------------------------------------------------------

TEST(TnefCodec, BadSignature) {
  auto b = spec_sample();
  b[0] = 0x79;
  EXPECT_TRUE(fails_with(tnef::decode(b), errc::invalid_signature, 0, "Signature"));
  EXPECT_TRUE(fails_with(tnef::decode(std::vector<std::uint8_t>{0x78, 0x9F}),
                         oxwire::errc::truncated, 0, "Signature"));
  auto short_key = header();
  short_key.pop_back();
  EXPECT_TRUE(fails_with(tnef::decode(short_key), oxwire::errc::truncated, 4, "LegacyKey"));
  EXPECT_TRUE(tnef::decode(header()));  // a bare header is an empty message
}

TEST(TnefCodec, AttributeErrors) {
  const auto sample = spec_sample();
  {  // Level 3 at the first attribute.
    auto b = sample;
    b[6] = 3;
    EXPECT_TRUE(fails_with(tnef::decode(b), errc::invalid_level, 6, "Level"));
  }
  {  // Length past the end: reported at the Length field.
    auto b = sample;
    b[6 + 5] = 0xFF;
    EXPECT_TRUE(fails_with(tnef::decode(b), errc::length_past_end, 11, "Length"));
  }
  {  // Checksum mismatch at the Checksum field; tolerated on request.
    auto b = sample;
    b[6 + 9] ^= 1;  // attTnefVersion data
    EXPECT_TRUE(fails_with(tnef::decode(b), errc::checksum_mismatch, 19, "Checksum"));
    EXPECT_TRUE(tnef::decode(b, {.verify_checksums = false}));
  }
  {  // Cut inside an attribute header, and inside the checksum.
    auto b = sample;
    b.resize(6 + 3);
    // The first field that does not fit: the ID after the Level byte.
    EXPECT_TRUE(fails_with(tnef::decode(b), oxwire::errc::truncated, 7, "attribute"));
    b = sample;
    b.pop_back();
    EXPECT_TRUE(fails_with(tnef::decode(b), oxwire::errc::truncated, b.size() - 1, "Checksum"));
  }
  {  // A legacy attribute of the wrong size: strict error, skipped when not strict.
    auto b = header();
    attribute(b, 1, 0x0004800D, {2, 0, 0});  // attPriority with 3 bytes
    EXPECT_TRUE(fails_with(tnef::decode(b), errc::invalid_attribute_length, 11, "attPriority"));
    const auto lax = tnef::decode(b, {.strict = false});
    ASSERT_TRUE(lax);
    EXPECT_FALSE(lax->properties.get(prop::PidTagImportance));
  }
  {  // An impossible date.
    auto b = header();
    attribute(b, 1, 0x00038005, {0xD4, 0x07, 13, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    EXPECT_TRUE(fails_with(tnef::decode(b), errc::invalid_attribute_value, 15, "atpDate"));
  }
  {  // A real date past the last FILETIME (30828-09-14): year 65535.
    auto b = header();
    attribute(b, 1, 0x00038005, {0xFF, 0xFF, 12, 0, 31, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    EXPECT_TRUE(fails_with(tnef::decode(b), errc::invalid_attribute_value, 15, "atpDate"));
  }
  {  // Trailing zero padding: only when not strict.
    auto b = sample;
    b.insert(b.end(), {0, 0});
    EXPECT_TRUE(
        fails_with(tnef::decode(b), oxwire::errc::truncated, sample.size() + 1, "attribute"));
    EXPECT_TRUE(tnef::decode(b, {.strict = false}));
  }
}

/// A stream with one attMAPIProps attribute holding `props`.
std::vector<std::uint8_t> with_props(const std::vector<std::uint8_t>& props) {
  auto b = header();
  attribute(b, 1, 0x00069003, props);
  return b;
}
constexpr std::size_t props_at = 6 + 9;  // where attMAPIProps data starts

TEST(TnefCodec, PropertyListErrors) {
  {  // A count larger than the bytes left.
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, 1000);
    EXPECT_TRUE(fails_with(tnef::decode(with_props(p)), mapi::errc::count_too_large, props_at,
                           "NumberOfValues"));
  }
  {  // A single-valued string with two values.
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 0x0037001E);
    put<std::uint32_t>(p, 2);
    put<std::uint32_t>(p, 4);
    p.insert(p.end(), {'a', 'b', 'c', 0});
    put<std::uint32_t>(p, 4);
    p.insert(p.end(), {'a', 'b', 'c', 0});
    EXPECT_TRUE(fails_with(tnef::decode(with_props(p)), errc::invalid_value_count, props_at + 8,
                           "NumberOfValues"));
  }
  {  // PtypServerId is not carried by TNEF; neither is an unknown type.
    for (const std::uint32_t tag : {0x001000FBu, 0x00100077u}) {
      std::vector<std::uint8_t> p;
      put<std::uint32_t>(p, 1);
      put<std::uint32_t>(p, tag);
      put<std::uint32_t>(p, 0);
      EXPECT_TRUE(fails_with(tnef::decode(with_props(p)), errc::unsupported_property_type,
                             props_at + 8, "PropertyType"));
    }
  }
  {  // A named property with Kind 2.
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 0x80000003);
    p.insert(p.end(), 16, 0);
    put<std::uint32_t>(p, 2);
    put<std::uint32_t>(p, 0);
    EXPECT_TRUE(
        fails_with(tnef::decode(with_props(p)), errc::invalid_name_kind, props_at + 24, "Kind"));
  }
  {  // A PtypString of odd size.
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 0x0037001F);
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 3);
    p.insert(p.end(), {'a', 0, 0, 0});
    EXPECT_TRUE(fails_with(tnef::decode(with_props(p)), errc::invalid_size, props_at + 16,
                           "PtypString ValueSize"));
  }
  {  // A value size past the end of the attribute.
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 0x00370102);
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 100);
    EXPECT_TRUE(fails_with(tnef::decode(with_props(p)), oxwire::errc::truncated, props_at + 16,
                           "ValueData"));
  }
  {  // Bytes after the property list.
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 0x00170003);
    put<std::uint32_t>(p, 1);
    put<std::uint32_t>(p, 0xABCD);
    EXPECT_TRUE(fails_with(tnef::decode(with_props(p)), errc::trailing_data, props_at + 12,
                           "attMAPIProps"));
  }
}

TEST(TnefCodec, WriterErrors) {
  mapi::message m;
  (void)m.properties.set(mapi::property_tag::make(0x8123, PropertyType::PtypInteger32),
                         mapi::property_value::make<PropertyType::PtypInteger32>(1));
  const auto named = tnef::encode(m);
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().code, oxwire::error(mapi::errc::unresolved_named_property, 0).code);
  mapi::message s;
  (void)s.properties.set(mapi::property_tag::make(0x0E55, PropertyType::PtypServerId),
                         mapi::property_value::make<PropertyType::PtypServerId>({}));
  const auto server_id = tnef::encode(s);
  ASSERT_FALSE(server_id);
  EXPECT_EQ(server_id.error().code, oxwire::error(errc::unsupported_property_type, 0).code);
}

TEST(TnefCodec, LegacyAttributesMapToProperties) {
  auto b = header(7);
  // attFrom: TRP (trpidOneOff, cbgrtrp, cch, cb), name, address.
  std::vector<std::uint8_t> trp;
  put<std::uint16_t>(trp, 4);
  put<std::uint16_t>(trp, 0);
  put<std::uint16_t>(trp, 5);
  put<std::uint16_t>(trp, 15);
  for (const auto& s : {text("Anna"), text("SMTP:a@ex.com")})
    trp.insert(trp.end(), s.begin(), s.end());
  trp.push_back(0);
  attribute(b, 1, 0x00008000, trp);
  attribute(b, 1, 0x00038005, {0xE8, 0x07, 2, 0, 29, 0, 12, 0, 30, 0, 15, 0, 4, 0});
  attribute(b, 1, 0x00068007, {0x20});  // fmsRead, not fmsModified
  attribute(b, 1, 0x0002800C, text("Body text"));
  attribute(b, 1, 0x00018009, text("0A0B"));
  attribute(b, 2, 0x00069002, {2, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0});
  attribute(b, 2, 0x00018010, text("A.TXT"));
  attribute(b, 2, 0x0006800F, {1, 2, 3});
  const auto m = tnef::decode(b);
  ASSERT_TRUE(m) << m.error().message();
  const auto& p = m->properties;
  const std::uint32_t cp = 1252;
  EXPECT_EQ(mapi::text_of(p, prop::PidTagSenderName.id, cp), "Anna");
  EXPECT_EQ(mapi::text_of(p, prop::PidTagSenderAddressType.id, cp), "SMTP");
  EXPECT_EQ(mapi::text_of(p, prop::PidTagSenderEmailAddress.id, cp), "a@ex.com");
  EXPECT_EQ(p.get(prop::PidTagClientSubmitTime)->time_point(),
            std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + std::chrono::hours{12} +
                std::chrono::minutes{30} + std::chrono::seconds{15});
  EXPECT_EQ(p.get(prop::PidTagMessageFlags), 0x03);  // mfRead | mfUnmodified
  EXPECT_EQ(mapi::text_of(p, prop::PidTagBody.id, cp), "Body text");
  const auto key = p.get(prop::PidTagSearchKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(std::vector<std::uint8_t>(key->begin(), key->end()),
            (std::vector<std::uint8_t>{0x0A, 0x0B}));
  ASSERT_EQ(m->attachments.size(), 1u);
  const auto& a = m->attachments[0];
  EXPECT_EQ(a.properties.get(prop::PidTagAttachMethod), 6);  // atypOle -> afOle
  EXPECT_EQ(a.properties.get(prop::PidTagRenderingPosition), -1);
  EXPECT_EQ(mapi::attachment_name(a, cp), "A.TXT");
  EXPECT_EQ(mapi::attachment_data(a).size(), 3u);
}

// attSentFor's address "TYPE:address" with NULs before the colon: the type ends at them, so
// the message writes and reads back the same.
TEST(TnefCodec, CountedAddressTypeEndsAtItsNul) {
  auto b = header();
  std::vector<std::uint8_t> data;
  const auto name = text("Anna"),
             address = std::vector<std::uint8_t>{'S', 'M', 'T', 'P', 0, 0, ':', 'a', '@', 'x', 0};
  put<std::uint16_t>(data, static_cast<std::uint16_t>(name.size()));
  data.insert(data.end(), name.begin(), name.end());
  put<std::uint16_t>(data, static_cast<std::uint16_t>(address.size()));
  data.insert(data.end(), address.begin(), address.end());
  attribute(b, 1, 0x00060001, data);
  const auto m = tnef::decode(b);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(mapi::text_of(m->properties, prop::PidTagSentRepresentingAddressType.id, 1252), "SMTP");
  EXPECT_EQ(mapi::text_of(m->properties, prop::PidTagSentRepresentingEmailAddress.id, 1252), "a@x");
  const auto again = tnef::decode(tnef::encode(*m).value());
  ASSERT_TRUE(again);
  EXPECT_TRUE(*again == *m);
}

// decode_view reads in place: legacy strings and attachment bytes point into the stream, and
// the owning decode is its copy. A stream that fails part way leaves nothing behind for the next
// (the one-value-per-id sets are the thread's): its PidTagSubject does not hide the next
// stream's attSubject.
TEST(TnefCodec, ViewReadsInPlace) {
  auto b = header(7);
  attribute(b, 1, 0x00018004, text("Legacy subject"));  // attSubject
  attribute(b, 2, 0x00069002, {1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0});
  attribute(b, 2, 0x0006800F, {1, 2, 3});  // attAttachData
  const mapi::tagged_property<PropertyType::PtypString8> subject8{prop::PidTagSubject.id};
  const auto v = tnef::decode_view(b);
  ASSERT_TRUE(v) << v.error().message();
  const auto* subject = v->properties.get(subject8);
  ASSERT_TRUE(subject);
  EXPECT_EQ(*subject, "Legacy subject");
  EXPECT_TRUE(points_into(oxwire::as_bytes(*subject), b));
  ASSERT_EQ(v->attachments.size(), 1u);
  const auto* data = v->attachments[0].properties.get(prop::PidTagAttachDataBinary);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->size(), 3u);
  EXPECT_TRUE(points_into(*data, b));
  const auto m = tnef::decode(b);
  ASSERT_TRUE(m);
  EXPECT_TRUE(tnef::to_owned(*v) == *m);

  auto bad = header(7);
  std::vector<std::uint8_t> props;
  put<std::uint32_t>(props, 2);
  put<std::uint32_t>(props, 0x0037001E);  // PidTagSubject, PtypString8 "x"
  put<std::uint32_t>(props, 1);
  put<std::uint32_t>(props, 2);
  props.insert(props.end(), {'x', 0, 0, 0});
  put<std::uint32_t>(props, 0x0E080003);  // its value cut off
  attribute(bad, 1, 0x00069003, props);
  EXPECT_TRUE(fails_with(tnef::decode_view(bad), oxwire::errc::truncated, 15 + props.size()));
  const auto again = tnef::decode_view(b);
  ASSERT_TRUE(again);
  const auto* kept = again->properties.get(subject8);
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, "Legacy subject");
}

// An attribute ID written without its type (0 in the high 16 bits) names the attribute with
// that identifier; one whose identifier two attributes share is left alone.
TEST(TnefCodec, CanonicalIds) {
  EXPECT_EQ(tnef::canonical_id(0x0000800F), 0x0006800Fu);
  EXPECT_EQ(tnef::canonical_id(0x00070006), 0x00070006u);  // attOriginalMessageClass
  EXPECT_EQ(tnef::canonical_id(0x00000006), 0x00000006u);  // attDateStart or attOriginal...
  EXPECT_EQ(tnef::attribute_name(0x00069003), "attMAPIProps");
}

}  // namespace test_codec
