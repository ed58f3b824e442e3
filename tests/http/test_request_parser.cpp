// HTTP/1.1 request parser (RFC 9112) and response writer: whole, byte-at-a-time and pipelined
// input, keep-alive, chunked bodies, and every limit and malformed input it rejects.
#include <oxwire/http/request_parser.hpp>

#include <oxwire_test/assertions.hpp>

#include <gtest/gtest.h>

#include <string>

namespace http = oxwire::http;
using http::errc;
using oxwire_test::fails_with;

using namespace std::string_literals;

namespace test_request_parser {

const std::string post =
    "POST /Microsoft-Server-ActiveSync?Cmd=Sync&User=u&DeviceId=D1&DeviceType=T HTTP/1.1\r\n"
    "Host: example.com\r\n"
    "Content-Type: application/vnd.ms-sync.wbxml\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "\x03\x01\x6a\x00\x00"s;

/// Parses `text` as one request; the error of the first failing call otherwise.
oxwire::result<http::request> parse_all(std::string_view text, const http::limits& l = {}) {
  http::request_parser p(l);
  auto used = p.parse(text);
  if (!used) return used.error();
  if (!p.done()) return oxwire::error{oxwire::errc::truncated, *used, "incomplete"};
  return p.get();
}

TEST(HttpRequestParser, WholeRequest) {
  http::request_parser p;
  auto used = p.parse(post);
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, post.size());
  ASSERT_TRUE(p.done());
  const auto& r = p.get();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/Microsoft-Server-ActiveSync?Cmd=Sync&User=u&DeviceId=D1&DeviceType=T");
  EXPECT_EQ(r.minor_version, 1);
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.find("content-type"), "application/vnd.ms-sync.wbxml");
  EXPECT_EQ(r.body, std::string("\x03\x01\x6a\x00\x00", 5));
  EXPECT_TRUE(r.keep_alive);
}

TEST(HttpRequestParser, ByteAtATimeGivesTheSameRequest) {
  for (const std::string& text :
       {post, std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\n")}) {
    http::request_parser p;
    std::size_t total = 0;
    for (char c : text) {
      ASSERT_FALSE(p.done());
      auto used = p.parse(std::string_view(&c, 1));
      ASSERT_TRUE(used) << used.error().message();
      total += *used;
    }
    EXPECT_TRUE(p.done());
    EXPECT_EQ(total, text.size());
    auto whole = parse_all(text);
    ASSERT_TRUE(whole);
    EXPECT_EQ(p.get().body, whole->body);
    EXPECT_EQ(p.get().headers, whole->headers);
  }
}

TEST(HttpRequestParser, ChunkedBody) {
  auto r = parse_all(
      "POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
      "4\r\nWiki\r\n5 ; a=b\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->body, "Wikipedia in\r\n\r\nchunks.");
}

TEST(HttpRequestParser, PipelinedRequestsAreConsumedOneAtATime) {
  const std::string two = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
  http::request_parser p;
  auto first = p.parse(two);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, 19u);
  ASSERT_TRUE(p.done());
  EXPECT_EQ(p.get().target, "/a");
  EXPECT_TRUE(p.get().keep_alive);
  p.reset();
  auto second = p.parse(std::string_view(two).substr(*first));
  ASSERT_TRUE(second);
  EXPECT_EQ(*first + *second, two.size());
  EXPECT_EQ(p.get().target, "/b");
  EXPECT_FALSE(p.get().keep_alive);
}

TEST(HttpRequestParser, KeepAliveRules) {
  EXPECT_TRUE(parse_all("GET / HTTP/1.1\r\n\r\n")->keep_alive);
  EXPECT_FALSE(parse_all("GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n")->keep_alive);
  EXPECT_FALSE(parse_all("GET / HTTP/1.0\r\n\r\n")->keep_alive);
  EXPECT_TRUE(parse_all("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")->keep_alive);
}

TEST(HttpRequestParser, LeadingEmptyLinesAreIgnored) {
  auto r = parse_all("\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "OPTIONS");
}

TEST(HttpRequestParser, MalformedRequestLines) {
  EXPECT_TRUE(fails_with(parse_all("GET /\r\n\r\n"), errc::bad_request_line, 0));
  EXPECT_TRUE(fails_with(parse_all("GET  / HTTP/1.1\r\n\r\n"), errc::bad_request_line, 0));
  EXPECT_TRUE(fails_with(parse_all("G(T / HTTP/1.1\r\n\r\n"), errc::bad_request_line, 1));
  EXPECT_TRUE(fails_with(parse_all("GET /a\x01 HTTP/1.1\r\n\r\n"), errc::bad_request_line, 6));
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.x\r\n\r\n"), errc::bad_request_line, 6));
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/2.0\r\n\r\n"), errc::unsupported_version, 6));
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.1\n\r\n"), errc::bad_line_ending, 14));
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.1\rX\r\n"), errc::bad_line_ending, 15));
}

TEST(HttpRequestParser, MalformedHeaders) {
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), errc::bad_header, 16));
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.1\r\n: v\r\n\r\n"), errc::bad_header, 16));
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.1\r\nA b: v\r\n\r\n"), errc::bad_header, 17));
  // obs-fold: a continuation line starts with whitespace, which is no tchar
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.1\r\nA: v\r\n w\r\n\r\n"), errc::bad_header, 22));
  EXPECT_TRUE(fails_with(parse_all("GET / HTTP/1.1\r\nA: v\x01w\r\n\r\n"), errc::bad_header, 20));
}

TEST(HttpRequestParser, ContentLengthRules) {
  EXPECT_TRUE(fails_with(parse_all("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"),
                         errc::bad_content_length, 37));
  EXPECT_TRUE(fails_with(parse_all("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
                         errc::bad_content_length, 37));
  EXPECT_TRUE(fails_with(parse_all("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n"),
                         errc::bad_content_length, 35));
  EXPECT_TRUE(
      fails_with(parse_all("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
                 errc::bad_content_length, 58));
  EXPECT_TRUE(
      fails_with(parse_all("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
                 errc::bad_content_length, 55));
  auto same = parse_all("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->body, "ab");
  EXPECT_TRUE(fails_with(parse_all("POST / HTTP/1.1\r\nContent-Length: 2\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n"),
                         errc::conflicting_length, 64));
  EXPECT_TRUE(fails_with(parse_all("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
                         errc::unsupported_transfer_encoding, 51));
}

TEST(HttpRequestParser, MalformedChunks) {
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";  // 47 bytes
  EXPECT_TRUE(fails_with(parse_all(head + "\r\n"), errc::bad_chunk_size, 47));
  EXPECT_TRUE(fails_with(parse_all(head + "x\r\n"), errc::bad_chunk_size, 47));
  EXPECT_TRUE(fails_with(parse_all(head + "-1\r\n"), errc::bad_chunk_size, 47));
  EXPECT_TRUE(fails_with(parse_all(head + "1x\r\n"), errc::bad_chunk_size, 48));
  EXPECT_TRUE(fails_with(parse_all(head + "1\r\naXY"), errc::bad_chunk, 51));
  EXPECT_TRUE(fails_with(parse_all(head + "1\r\na\rY"), errc::bad_chunk, 52));
  // Sizes that overflow 64 bits or exceed the body limit are caught before the multiply
  EXPECT_TRUE(fails_with(parse_all(head + "FFFFFFFFFFFFFFFFFFFF\r\n"), errc::body_too_large, 53));
  EXPECT_TRUE(fails_with(parse_all(head + "10\r\n", {.max_body = 15}), errc::body_too_large, 48));
  EXPECT_TRUE(fails_with(parse_all(head + "8\r\n12345678\r\n8\r\n", {.max_body = 15}),
                         errc::body_too_large, 60));
  auto zeros = parse_all(head + "0000000000000000000000001\r\nz\r\n0\r\n\r\n");
  ASSERT_TRUE(zeros);
  EXPECT_EQ(zeros->body, "z");
}

TEST(HttpRequestParser, EveryLimit) {
  const std::string req = "GET /0123456789 HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n";
  EXPECT_TRUE(parse_all(req, {.max_line = 24}));
  EXPECT_TRUE(fails_with(parse_all(req, {.max_line = 23}), errc::line_too_long, 23));
  EXPECT_TRUE(parse_all(req, {.max_headers = 2}));
  EXPECT_TRUE(fails_with(parse_all(req, {.max_headers = 1}), errc::too_many_headers, 32));
  EXPECT_TRUE(parse_all(req, {.max_header_bytes = req.size()}));
  EXPECT_TRUE(fails_with(parse_all(req, {.max_header_bytes = req.size() - 1}),
                         errc::headers_too_large, req.size() - 1));
  const std::string body = "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd";
  EXPECT_TRUE(parse_all(body, {.max_body = 4}));
  EXPECT_TRUE(fails_with(parse_all(body, {.max_body = 3}), errc::body_too_large, 36));
  // trailers count against max_headers too
  const std::string trailers =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n";
  EXPECT_TRUE(fails_with(parse_all(trailers, {.max_headers = 1}), errc::too_many_headers, 56));
}

TEST(HttpRequestParser, StaysFailedUntilReset) {
  http::request_parser p;
  EXPECT_FALSE(p.parse("BAD\r\n"));
  EXPECT_TRUE(fails_with(p.parse("GET / HTTP/1.1\r\n\r\n"), errc::bad_request_line, 0));
  p.reset();
  EXPECT_TRUE(p.parse("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(p.done());
}

TEST(HttpResponse, WriteAndStatus) {
  http::response r{401, {{"WWW-Authenticate", "Basic realm=\"oxwire\""}}, "no"};
  EXPECT_EQ(http::write(r, true),
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"oxwire\"\r\n"
            "Content-Length: 2\r\n\r\nno");
  EXPECT_EQ(http::write(http::response{449, {}, ""}, false),
            "HTTP/1.1 449 Retry With\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(http::status_of(parse_all("GET / HTTP/3.0\r\n\r\n").error()), 505);
  EXPECT_EQ(http::status_of(parse_all("GET / HTTP/1.1\r\nX\r\n\r\n").error()), 400);
}

}  // namespace test_request_parser
