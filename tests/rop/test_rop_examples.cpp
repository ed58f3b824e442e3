// The ROP bytes of the Protocol Examples sections (MS-OXCROPS 4, MS-OXCTABL 4, MS-OXORULE 4,
// MS-OXCPRPT 4, MS-OXCFOLD 4, MS-OXCPERM 4, MS-OXCMSG 4), transcribed in specs/rop-examples.json:
// each decodes through the RopId dispatch to the struct the example names, holds the field values
// the spec text documents, consumes every byte and encodes back to the same bytes. One test case
// per example, named after its spec and section.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/json/src.hpp>  // header-only Boost.JSON, in this one translation unit

#include <oxwire/rop.hpp>

#include "oxwire_test/assertions.hpp"
#include "oxwire_test/requirements.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace test_rop_examples {

namespace json = boost::json;
using oxwire::rop::field;
using oxwire::rop::kind;
using oxwire::rop::shape;
using oxwire::rop::struct_info;

json::value load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(s.str(), ec);
  return ec ? json::value{} : v;
}

const json::array& examples() {
  static const json::value doc = load(OXWIRE_SPECS_DIR "/rop-examples.json");
  static const json::array none;
  const json::value* v = doc.is_object() ? doc.as_object().if_contains("examples") : nullptr;
  return v && v->is_array() ? v->as_array() : none;
}

std::string text(const json::value& v) {
  return std::string(v.as_string());
}

// "0x1F" -> 31 (the JSON writes integers and tags as hex strings).
std::uint64_t number(const json::value& v) {
  return std::stoull(text(v), nullptr, 16);
}

std::vector<oxwire::mapi::property_tag> tags_of(const json::value& v) {
  std::vector<oxwire::mapi::property_tag> out;
  for (const json::value& t : v.as_array()) out.push_back({static_cast<std::uint32_t>(number(t))});
  return out;
}

const field* find_field(const struct_info& s, std::string_view name) {
  for (const field& f : s.fields)
    if (name == f.name) return &f;
  return nullptr;
}

template <class T>
const T& member(const void* obj, const field& f) {
  return *static_cast<const T*>(oxwire::rop::detail::member_at(obj, f));
}

// The value of field `name` of the struct at `obj` is `want`.
void check_field(const void* obj, const struct_info& s, std::string_view name,
                 const json::value& want) {
  SCOPED_TRACE(std::string(s.name) + "." + std::string(name));
  const field* f = find_field(s, name);
  ASSERT_NE(f, nullptr) << "no such field in the layout";
  const bool one = f->shape == shape::one && !f->conditional;
  switch (f->kind) {
    case kind::u8:
    case kind::u16:
    case kind::u32:
    case kind::u64:
    case kind::i32:
    case kind::u48:
      ASSERT_EQ(f->shape, shape::one);
      if (f->conditional) {
        EXPECT_NE(oxwire::rop::detail::scalar(obj, *f), 0u) << "the field is absent";
      }
      EXPECT_EQ(oxwire::rop::detail::scalar(obj, *f), number(want));
      return;
    case kind::tag:
      if (one) {
        EXPECT_EQ(member<oxwire::mapi::property_tag>(obj, *f).value, number(want));
        return;
      }
      if (f->shape == shape::vector) {
        EXPECT_EQ(member<std::vector<oxwire::mapi::property_tag>>(obj, *f), tags_of(want));
        return;
      }
      break;
    case kind::tagged_value:
      if (f->shape == shape::vector) {
        std::vector<oxwire::mapi::property_tag> got;
        for (const auto& v : member<std::vector<oxwire::mapi::tagged_value>>(obj, *f))
          got.push_back(v.tag);
        EXPECT_EQ(got, tags_of(want));
        return;
      }
      break;
    case kind::flex_string:
      if (one) {
        const std::string w = text(want);
        EXPECT_EQ(member<std::u16string>(obj, *f), std::u16string(w.begin(), w.end()));
        return;
      }
      break;
    case kind::asciiz:
      if (one) {
        EXPECT_EQ(member<std::string>(obj, *f), text(want));
        return;
      }
      break;
    default: break;
  }
  ADD_FAILURE() << "the test cannot compare a field of this kind and shape";
}

// The MS-OXCROPS requirement IDs: the ones an example names must exist.
const std::set<std::string>& known_requirements() {
  static const std::set<std::string> ids = [] {
    std::set<std::string> out;
    const json::value doc = load(OXWIRE_SPECS_DIR "/requirements/MS-OXCROPS.json");
    if (doc.is_object())
      for (const json::value& r : doc.at("rows").as_array()) out.insert(text(r.at("id")));
    return out;
  }();
  return ids;
}

class Example : public ::testing::TestWithParam<std::size_t> {};

void check_single(const json::object& e, const std::vector<std::uint8_t>& bytes) {
  using namespace oxwire::rop;
  context ctx;
  std::vector<oxwire::mapi::property_tag> columns;
  if (const json::value* c = e.if_contains("columns")) {
    columns = tags_of(*c);
    ctx.columns = std::span<const oxwire::mapi::property_tag>(columns);
  }
  const bool request = text(e.at("direction")) == "request";
  oxwire::reader in(bytes);
  auto check = [&](const auto& rop) {
    const struct_info& s = info_of(rop);
    EXPECT_EQ(s.name, text(e.at("rop")));
    EXPECT_EQ(s.variant, request ? "request" : text(e.at("variant")));
    EXPECT_TRUE(in.empty()) << in.remaining() << " bytes left after the ROP";
    for (const json::value& f : e.at("fields").as_array())
      check_field(rop.address(), s, text(f.at("field")), f.at("value"));
    std::vector<std::uint8_t> again;
    oxwire::vector_writer w(again);
    auto enc = encode_rop(w, rop, ctx);
    ASSERT_TRUE(enc) << enc.error().message();
    EXPECT_EQ(again, bytes);
  };
  if (request) {
    auto rop = detail::decode_request_rop(in, ctx);
    ASSERT_TRUE(rop) << rop.error().message();
    check(*rop);
  } else {
    auto rop = detail::decode_response_rop(in, ctx);
    ASSERT_TRUE(rop) << rop.error().message();
    check(*rop);
  }
}

// MS-OXCROPS 2.2.1: a whole ROP input buffer (the examples give no whole output buffer).
void check_request_buffer(const json::object& e, const std::vector<std::uint8_t>& bytes) {
  using namespace oxwire::rop;
  ASSERT_EQ(text(e.at("direction")), "request");
  auto b = decode_request_buffer(bytes);
  ASSERT_TRUE(b) << b.error().message();
  for (const auto& r : b->rops) EXPECT_EQ(rop_name(r), text(e.at("rop")));
  for (const json::value& f : e.at("fields").as_array()) {
    const std::size_t i = static_cast<std::size_t>(f.at("rop").as_int64());
    ASSERT_LT(i, b->rops.size());
    check_field(b->rops[i].address(), info_of(b->rops[i]), text(f.at("field")), f.at("value"));
  }
  std::vector<std::uint32_t> handles;
  for (const json::value& h : e.at("handles").as_array())
    handles.push_back(static_cast<std::uint32_t>(number(h)));
  EXPECT_EQ(b->handles, handles);
  auto again = encode_request_buffer(*b);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(*again, bytes);
}

TEST_P(Example, DecodesToTheDocumentedFieldsAndEncodesBack) {
  const json::object& e = examples().at(GetParam()).as_object();
  std::string reqs;
  for (const json::value& r : e.at("requirements").as_array()) {
    EXPECT_TRUE(known_requirements().contains(text(r))) << text(r);
    if (!reqs.empty()) reqs += ' ';
    reqs += text(r);
  }
  oxwire_test::record_requirements(reqs);
  SCOPED_TRACE(text(e.at("spec")) + " " + text(e.at("section")) + " " + text(e.at("title")));
  const std::vector<std::uint8_t> bytes = oxwire_test::from_hex(text(e.at("hex")));
  ASSERT_FALSE(bytes.empty());
  if (e.at("whole_buffer").as_bool())
    check_request_buffer(e, bytes);
  else
    check_single(e, bytes);
}

INSTANTIATE_TEST_SUITE_P(Spec, Example, ::testing::Range<std::size_t>(0, examples().size()),
                         [](const ::testing::TestParamInfo<std::size_t>& p) {
                           return text(examples().at(p.param).at("id"));
                         });

// The table was found and read: an unreadable file must not pass as "no examples".
TEST(RopExamples, TableIsReadAndIdsAreUnique) {
  ASSERT_GE(examples().size(), 11u);
  std::set<std::string> ids;
  for (const json::value& e : examples()) EXPECT_TRUE(ids.insert(text(e.at("id"))).second);
  EXPECT_FALSE(known_requirements().empty());
}

// A documented value the bytes do not hold is caught: the checks can fail.
const oxwire::rop::request::RopQueryRows& query_rows_50() {
  static const oxwire::rop::request::RopQueryRows rop = [] {
    oxwire::rop::request::RopQueryRows r;
    r.RowCount = 0x32;
    return r;
  }();
  return rop;
}

TEST(RopExamples, AWrongFieldValueIsReported) {
  using oxwire::rop::info;
  using oxwire::rop::request::RopQueryRows;
  EXPECT_NONFATAL_FAILURE(
      check_field(&query_rows_50(), info<RopQueryRows>, "RowCount", json::value("0x33")), "51");
  EXPECT_FATAL_FAILURE(
      check_field(&query_rows_50(), info<RopQueryRows>, "NoSuchField", json::value("0x0")),
      "no such field");
}

}  // namespace test_rop_examples
