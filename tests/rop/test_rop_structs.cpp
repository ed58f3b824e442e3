// Every generated ROP struct (128 requests, 206 response variants): a sample built from the
// table encodes, decodes through the RopId dispatch to the same alternative and value, and
// encodes to the same bytes; every strict prefix of the bytes is rejected.
#include <gtest/gtest.h>

#include "rop_sample.hpp"

namespace test_rop_structs {

using namespace oxwire_test;
using oxwire::rop::errc;

context sample_context() {
  context ctx;
  ctx.columns = std::span<const mapi::property_tag>(sample_columns);
  return ctx;
}

// The checks on one sample, once per list V (not per struct, to keep this TU light).
template <class V, class F>
void check_round_trip(const V& sample, bool open_ended, F& dispatch) {
  SCOPED_TRACE(std::string(rop_name(sample)));
  const context ctx = sample_context();
  auto encode = [&](const V& v, std::vector<std::uint8_t>& out) {
    vector_writer w(out);
    return encode_rop(w, v, ctx);
  };
  std::vector<std::uint8_t> bytes;
  auto enc = encode(sample, bytes);
  ASSERT_TRUE(enc) << enc.error().message();

  reader in(bytes);
  auto dec = dispatch(in, ctx, info_of(sample).ropid);
  ASSERT_TRUE(dec) << dec.error().message();
  EXPECT_TRUE(in.empty());
  ASSERT_EQ(dec->index(), sample.index()) << "decoded as " << rop_name(*dec);
  EXPECT_TRUE(*dec == sample);

  std::vector<std::uint8_t> again;
  ASSERT_TRUE(encode(*dec, again));
  EXPECT_EQ(again, bytes);

  // A ROP ending in bytes up to the end of the list decodes from any prefix that holds its
  // fixed part; everything else must fail on every strict prefix.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    reader p(bytes_view(bytes).first(n));
    auto r = dispatch(p, ctx, info_of(sample).ropid);
    if (!open_ended) {
      EXPECT_FALSE(r) << "prefix of " << n << " of " << bytes.size() << " bytes decoded";
      if (!r) {
        EXPECT_LE(r.error().offset, n);
      }
    } else if (r) {
      EXPECT_FALSE(*r == *dec);
    }
  }
}

template <class V, class F>
void round_trip(const V& sample, unsigned seed, F& dispatch) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  check_round_trip<V>(sample, info_of(sample).fields.back().kind == kind::rest, dispatch);
}

// A sample of alternative I of V: the only code per struct, out of the loop below.
template <class V, std::size_t I>
V sample_of(unsigned seed) {
  return V(make_sample<typename V::template alternative<I>>(seed, sample_context()));
}

// Every alternative of V, through a table of sample builders (a fold over 206 alternatives in
// one function body costs the optimizer more than all of the codec).
template <class V, class F, std::size_t... I>
void all(F&& dispatch, std::index_sequence<I...>) {
  static constexpr V (*samples[])(unsigned) = {&sample_of<V, I>...};
  for (unsigned seed = 0; seed < 4; ++seed)
    for (auto* make : samples) round_trip(make(seed), seed, dispatch);
}

TEST(RopStructs, EveryRequestRoundTrips) {
  all<rop_request>(
      [](reader& in, const context& c, int) { return rop::detail::decode_request_rop(in, c); },
      std::make_index_sequence<rop_request::size>{});
}

TEST(RopStructs, EveryResponseVariantRoundTrips) {
  all<rop_response>(
      [](reader& in, const context& c, int request_ropid) {
        return rop::detail::decode_response_rop(in, c, request_ropid);
      },
      std::make_index_sequence<rop_response::size>{});
}

TEST(RopStructs, TableCoverage) {
  // MS-OXCROPS: 132 ROPs, 128 with a request (4 are server-originated), 206 response layouts.
  EXPECT_EQ(rop_request::size, 128u);
  EXPECT_EQ(rop_response::size, 206u);
  static_assert(layout<request::RopLogon>::ropid == 0xFE);
  static_assert(layout<response::RopLogon_redirect>::fields.size() == 6);
}

TEST(RopStructs, ConditionalFieldsFollowTheirFlags) {
  // MS-OXCROPS 2.2.4.1.2 RopOpenFolder response: ServerCount, CheapServerCount and Servers only
  // when IsGhosted is nonzero.
  const std::vector<std::uint8_t> not_ghosted = {0x02, 0x01, 0, 0, 0, 0, 0x01, 0x00};
  reader in(not_ghosted);
  auto r = decode_rop<response::RopOpenFolder_success>(in, {});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->HasRules, 1);
  EXPECT_FALSE(r->ServerCount);
  EXPECT_FALSE(r->Servers);
  EXPECT_TRUE(in.empty());

  const std::vector<std::uint8_t> ghosted = {0x02, 0x01, 0,    0,   0, 0,   0x00, 0x01, 0x02,
                                             0x00, 0x01, 0x00, 'a', 0, 'b', 'c',  0};
  reader g(ghosted);
  auto x = decode_rop<response::RopOpenFolder_success>(g, {});
  ASSERT_TRUE(x) << x.error().message();
  EXPECT_EQ(x->ServerCount, 2);
  EXPECT_EQ(x->CheapServerCount, 1);
  EXPECT_EQ(x->Servers, (std::vector<std::string>{"a", "bc"}));

  // Encoding a conditional field where its condition fails is an error, not silent bytes.
  auto bad = *x;
  bad.IsGhosted = 0;
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_TRUE(fails_with(encode_rop(w, bad, {}), errc::condition_mismatch, 8, "ServerCount"));
}

TEST(RopStructs, CountsMustAgreeWithTheData) {
  request::RopGetPropertiesSpecific g;
  g.PropertyTags = {mapi::property_tag{0x0037001F}};
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_TRUE(fails_with(encode_rop(w, g, {}), errc::count_mismatch, 9, "PropertyTagCount"));
  ASSERT_TRUE(fill_counts(g));
  EXPECT_EQ(g.PropertyTagCount, 1);
  out.clear();
  vector_writer w2(out);
  EXPECT_TRUE(encode_rop(w2, g, {}));
  EXPECT_EQ(out.size(), 13u);
}

TEST(RopStructs, RopIdFieldMustBeTheRops) {
  request::RopRelease r;
  r.RopId = 0x02;
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_TRUE(fails_with(encode_rop(w, r, {}), errc::invalid_value, 0, "RopId"));
}

}  // namespace test_rop_structs
