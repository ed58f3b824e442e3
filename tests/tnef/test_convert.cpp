// .msg <-> TNEF through the one message model: every TNEF corpus stream written as a .msg file
// and read back, every .msg corpus file written as a TNEF stream and read back, keep their
// facts (convert_test.hpp); named properties of embedded messages move between the per-stream
// name maps of TNEF and the one map of a .msg file; the OEM code page and the message code page
// stand for each other; errors keep their offsets.
#include <oxwire/msg.hpp>

#include "convert_test.hpp"
#include "tnef_test.hpp"

namespace test_convert {

using namespace oxwire_test;
namespace tnef = oxwire::tnef;
namespace msg = oxwire::msg;
namespace mapi = oxwire::mapi;
namespace prop = mapi::prop;
using mapi::PropertyType;

TEST(Convert, EveryTnefCorpusStreamToMsg) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  int n = 0;
  for (const auto& p : tnef_files(dir)) {
    SCOPED_TRACE(p);
    std::vector<std::uint8_t> bytes;
    tnef::stream_header h;
    const auto m = decode_corpus_file(dir, p, bytes, h);
    ASSERT_TRUE(m) << m.error().message();
    auto fit = *m;
    ASSERT_TRUE(msg::adopt_tnef(fit, h));
    const auto file = msg::write_message(fit);
    ASSERT_TRUE(file) << file.error().message();
    const auto back = msg::read_message(*file);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(facts(*back, 1252), facts(*m, h.codepage.primary));
    // Reading and writing again changes nothing (an OLE storage's compound file is rewritten
    // once, by the reader, so `*back == fit` holds for every stream but MAPI_OBJECT.tnef).
    EXPECT_EQ(msg::write_message(*back).value(), *file);
    if (std::ranges::none_of(lax_files(), [&](const known_lax& k) { return dir / k.file == p; })) {
      const auto direct = msg::from_tnef(bytes);
      ASSERT_TRUE(direct) << direct.error().message();
      EXPECT_EQ(*direct, *file);
    }
    ++n;
  }
  EXPECT_GE(n, 13);
}

TEST(Convert, EveryMsgCorpusFileToTnef) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  int n = 0;
  for (const auto& p : msg_files(dir)) {
    SCOPED_TRACE(p);
    const auto bytes = read_file(p);
    const auto m = msg::read_message(bytes);
    ASSERT_TRUE(m) << m.error().message();
    const auto wire = tnef::from_msg(bytes, {.drop_unnamed = true});
    ASSERT_TRUE(wire) << wire.error().message();
    tnef::stream_header h;
    const auto back = tnef::decode(*wire, h);  // what we write is strictly valid
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(h.codepage.primary, mapi::codepage_of(m->properties));
    EXPECT_EQ(facts(*back, h.codepage.primary), facts(*m, 1252));
    ++n;
  }
  EXPECT_GE(n, 100);
}

// aquasync_qwerty_3.msg has a named property id its name map does not name: TNEF cannot carry
// it, so the conversion refuses the file unless told to leave such properties out.
TEST(Convert, UnnamedPropertiesOfAMsgFile) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  const auto bytes = read_file(dir / "hughbe-MsgReader/aquasync_qwerty_3.msg");
  const auto refused = tnef::from_msg(bytes);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, oxwire::error(mapi::errc::unresolved_named_property, 0).code);
  auto m = msg::read_message(bytes).value();
  EXPECT_GT(mapi::drop_unnamed(m), 0u);
  EXPECT_EQ(mapi::drop_unnamed(m), 0u);
  const auto wire = tnef::from_msg(bytes, {.drop_unnamed = true});
  ASSERT_TRUE(wire) << wire.error().message();
  EXPECT_TRUE(tnef::decode(*wire).value() == m);
}

// A named property of `bag` by its name in `names`.
const mapi::property_value* named(const mapi::property_bag& bag,
                                  const mapi::named_property_map& names,
                                  const mapi::property_name& n, PropertyType t) {
  const auto id =
      n.Kind == mapi::name_kind::lid ? names.find(n.GUID, n.LID) : names.find(n.GUID, n.Name);
  return id ? bag.find(mapi::property_tag::make(*id, t)) : nullptr;
}

// A TNEF stream whose embedded message gives 0x8000 another name than the outer one: the .msg
// file has one map, the embedded value keeps its name (under a new id), and back in TNEF each
// stream names what it uses.
TEST(Convert, NamedPropertiesOfEmbeddedMessagesAreRemapped) {
  const auto ps = *mapi::property_set_guid("PS_PUBLIC_STRINGS");
  const mapi::property_name outer_name{mapi::name_kind::name, ps, 0, u"x-outer"};
  const mapi::property_name inner_name{mapi::name_kind::lid, ps, 0x1234, {}};
  const auto i32 = [](std::int32_t v) {
    return mapi::property_value::make<PropertyType::PtypInteger32>(v);
  };
  mapi::message inner;
  inner.names.add(inner_name, 0x8000);
  inner.names.add(outer_name, 0x8001);
  ASSERT_TRUE(
      inner.properties.set(mapi::property_tag::make(0x8000, PropertyType::PtypInteger32), i32(7)));
  ASSERT_TRUE(
      inner.properties.set(mapi::property_tag::make(0x8001, PropertyType::PtypInteger32), i32(8)));
  inner.recipients.push_back({});
  ASSERT_TRUE(inner.recipients[0].properties.set(
      mapi::property_tag::make(0x8000, PropertyType::PtypInteger32), i32(9)));
  mapi::message m;
  m.names.add(outer_name, 0x8000);
  ASSERT_TRUE(
      m.properties.set(mapi::property_tag::make(0x8000, PropertyType::PtypInteger32), i32(1)));
  mapi::attachment a;
  a.properties.set(prop::PidTagAttachMethod, 5);
  a.embedded.emplace(inner);
  m.attachments.push_back(std::move(a));
  const auto wire = tnef::encode(m);
  ASSERT_TRUE(wire) << wire.error().message();

  const auto file = msg::from_tnef(*wire);
  ASSERT_TRUE(file) << file.error().message();
  const auto back = msg::read_message(*file);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->names.size(), 2u);
  EXPECT_EQ(*back->names.find(ps, u"x-outer"), 0x8000);
  const auto& e = **back->attachments.at(0).embedded;
  EXPECT_EQ(*named(e.properties, back->names, inner_name, PropertyType::PtypInteger32), i32(7));
  EXPECT_EQ(*named(e.properties, back->names, outer_name, PropertyType::PtypInteger32), i32(8));
  EXPECT_EQ(
      *named(e.recipients.at(0).properties, back->names, inner_name, PropertyType::PtypInteger32),
      i32(9));
  EXPECT_EQ(*named(back->properties, back->names, outer_name, PropertyType::PtypInteger32), i32(1));

  const auto again = tnef::from_msg(*file);
  ASSERT_TRUE(again) << again.error().message();
  const auto t = tnef::decode(*again);
  ASSERT_TRUE(t) << t.error().message();
  const auto& te = **t->attachments.at(0).embedded;
  EXPECT_EQ(*named(te.properties, te.names, inner_name, PropertyType::PtypInteger32), i32(7));
  EXPECT_EQ(*named(te.properties, te.names, outer_name, PropertyType::PtypInteger32), i32(8));
  EXPECT_EQ(*named(t->properties, t->names, outer_name, PropertyType::PtypInteger32), i32(1));
}

// An embedded message with a named property id its map does not name cannot join the file map.
TEST(Convert, UnnamedPropertyOfAnEmbeddedMessageIsAnError) {
  mapi::message inner;
  ASSERT_TRUE(inner.properties.set(mapi::property_tag::make(0x8005, PropertyType::PtypBoolean),
                                   mapi::property_value::make<PropertyType::PtypBoolean>(true)));
  mapi::message m;
  mapi::attachment a;
  a.embedded.emplace(std::move(inner));
  m.attachments.push_back(std::move(a));
  const auto r = mapi::unify_names(m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, oxwire::error(mapi::errc::unresolved_named_property, 0).code);
  EXPECT_FALSE(msg::adopt_tnef(m, {}));
}

// attOemCodepage becomes PidTagMessageCodepage (8-bit strings keep their meaning in the .msg
// file), and PidTagMessageCodepage the attOemCodepage of a stream made from a .msg file.
TEST(Convert, CodePages) {
  mapi::message m;
  (void)m.properties.set(prop::PidTagSubject.tag().with_type(PropertyType::PtypString8),
                         mapi::property_value::make<PropertyType::PtypString8>("caf\xE9"));
  const tnef::stream_header latin1{.codepage = {28591, 0}};
  const auto wire = tnef::encode(m, latin1);
  ASSERT_TRUE(wire);
  const auto file = msg::from_tnef(*wire);
  ASSERT_TRUE(file) << file.error().message();
  const auto back = msg::read_message(*file);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->properties.get(prop::PidTagMessageCodepage), 28591);
  EXPECT_EQ(
      mapi::text_of(back->properties, prop::PidTagSubject.id, mapi::codepage_of(back->properties)),
      "caf\xC3\xA9");
  const auto again = tnef::from_msg(*file);
  ASSERT_TRUE(again);
  tnef::stream_header h;
  ASSERT_TRUE(tnef::decode(*again, h));
  EXPECT_EQ(h.codepage, latin1.codepage);
  // The default code page is not written as a property.
  const auto plain = msg::from_tnef(tnef::encode(mapi::message{}).value());
  ASSERT_TRUE(plain);
  EXPECT_FALSE(msg::read_message(*plain)->properties.get(prop::PidTagMessageCodepage));
}

// A bad input fails as its decoder does, at the offset in that input.
TEST(Convert, ErrorsKeepTheirOffsets) {
  EXPECT_TRUE(fails_with(msg::from_tnef(bytes_of("nope")), tnef::errc::invalid_signature, 0));
  // A stream cut short: the error of tnef::decode, past the header.
  auto cut = tnef::encode(sample_message()).value();
  cut.resize(cut.size() - 1);
  const auto cut_error = tnef::decode(cut).error();
  EXPECT_GT(cut_error.offset, 6u);
  EXPECT_TRUE(fails_with(msg::from_tnef(cut), cut_error.code, cut_error.offset));
  const auto not_cfb = tnef::from_msg(bytes_of("not a compound file, not at all"));
  ASSERT_FALSE(not_cfb);
  EXPECT_EQ(not_cfb.error().offset, 0u);
  EXPECT_EQ(not_cfb.error(),
            msg::read_message(bytes_of("not a compound file, not at all")).error());
}

}  // namespace test_convert
