// The harness of the server tests: oxwire-server as a subprocess on 127.0.0.1 (ephemeral ports,
// a temporary data directory), keep-alive clients, and ActiveSync requests encoded by the library.
#pragma once

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/core/base64.hpp>
#include <oxwire/gen/activesync/models/foldersync.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/ping.hpp>
#include <oxwire/gen/activesync/models/ping_request.hpp>
#include <oxwire/gen/activesync/models/provision.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/server/store.hpp>
#include <oxwire/wbxml/tree.hpp>
#include <oxwire/wbxml/xml_reader.hpp>
#include <thread>

#include <oxwire_test/server_process.hpp>
#include <oxwire_test/shared.hpp>

#include <gtest/gtest.h>
#include <asio.hpp>
#include <asio/ssl.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <chrono>
#include <csignal>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;
using tcp = asio::ip::tcp;

extern char** environ;

namespace server_harness {

inline const std::string user = oxwire_test::server_user, password = oxwire_test::server_password;

using oxwire_test::server_process;
using oxwire_test::temp_dir;

struct reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  [[nodiscard]] std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  [[nodiscard]] oxwire::bytes_view bytes() const {
    return {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()};
  }
};

/// Reads one final response (1xx interim responses skipped) from a stream.
template <class Stream>
reply read_reply(Stream& s, std::string& buf) {
  for (;;) {
    const auto end = asio::read_until(s, asio::dynamic_buffer(buf), "\r\n\r\n");
    std::istringstream head(buf.substr(0, end));
    buf.erase(0, end);
    reply r;
    std::string line;
    std::getline(head, line);
    r.status = std::stoi(line.substr(9, 3));
    while (std::getline(head, line) && line != "\r") {
      const auto colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = line.substr(colon + 2, line.size() - colon - 3);
    }
    if (r.status < 200) continue;
    const std::size_t length = std::stoul(r.header("content-length"));
    if (buf.size() < length)
      asio::read(s, asio::dynamic_buffer(buf), asio::transfer_exactly(length - buf.size()));
    r.body = buf.substr(0, length);
    buf.erase(0, length);
    return r;
  }
}

/// One connection (keep-alive) to the plain listener.
class client {
 public:
  explicit client(unsigned short port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  reply send(const std::string& request) {
    asio::write(socket_, asio::buffer(request));
    return read_reply(socket_, buf_);
  }
  tcp::socket& socket() { return socket_; }
  std::string& buffer() { return buf_; }
  /// Blocking reads give up after `t` (SO_RCVTIMEO; asio reports would_block or timed_out).
  void read_timeout(std::chrono::milliseconds t) {
    const timeval tv{static_cast<time_t>(t.count() / 1000),
                     static_cast<suseconds_t>(t.count() % 1000 * 1000)};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  /// The error that ends the connection with nothing more from the server (eof: closed).
  std::error_code wait_closed() {
    std::error_code ec;
    std::array<char, 256> b{};
    while (!ec) socket_.read_some(asio::buffer(b), ec);
    return ec;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  std::string buf_;
};

inline std::string basic(const std::string& u, const std::string& p) {
  const std::string up = u + ":" + p;
  return "Basic " +
         oxwire::base64::encode({reinterpret_cast<const std::uint8_t*>(up.data()), up.size()});
}

/// An ActiveSync POST with the plain query and the given body and policy key.
inline std::string post(std::string_view cmd, const std::string& body,
                        std::optional<std::uint32_t> policy_key = std::nullopt,
                        const std::string& auth = basic(user, password),
                        std::string_view device = "DEV1", std::string_view version = "16.1") {
  std::string r = "POST /Microsoft-Server-ActiveSync?Cmd=" + std::string(cmd) +
                  "&User=anna&DeviceId=" + std::string(device) +
                  "&DeviceType=Test HTTP/1.1\r\nHost: localhost\r\n"
                  "MS-ASProtocolVersion: " +
                  std::string(version) +
                  "\r\n"
                  "Content-Type: application/vnd.ms-sync.wbxml\r\n";
  if (!auth.empty()) r += "Authorization: " + auth + "\r\n";
  if (policy_key) r += "X-MS-PolicyKey: " + std::to_string(*policy_key) + "\r\n";
  return r + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

inline std::string text_of(const std::vector<std::uint8_t>& b) {
  return {b.begin(), b.end()};
}

/// WBXML of ActiveSync XML, encoded by the library.
inline std::string wbxml_of(std::string_view xml) {
  auto b = oxwire::wbxml::from_xml(xml);
  EXPECT_TRUE(b) << b.error().message();
  return b ? text_of(*b) : std::string();
}

/// WBXML of ActiveSync XML (code pages switched by xmlns), encoded by libwbxml's xml2wbxml: the
/// independent encoder. nullopt when the tool is missing (a failure under CI=true) or fails.
inline std::optional<std::string> libwbxml_of(const fs::path& dir, std::string_view xml) {
  if (::access("/usr/bin/xml2wbxml", X_OK) != 0) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") ADD_FAILURE() << "xml2wbxml missing (setup.sh)";
    return std::nullopt;
  }
  const auto in = dir / "in.xml", out = dir / "out.wbxml";
  std::ofstream(in) << "<?xml version=\"1.0\"?>\n<!DOCTYPE ActiveSync PUBLIC "
                       "\"-//MICROSOFT//DTD ActiveSync//EN\" \"http://www.microsoft.com/\">\n"
                    << xml;
  const std::string cmd = "xml2wbxml -v 1.3 -o " + out.string() + " " + in.string();
  if (std::system(cmd.c_str()) != 0) {
    ADD_FAILURE() << cmd;
    return std::nullopt;
  }
  return text_of(oxwire_test::read_file(out));
}

/// The skip message of a test whose request libwbxml_of could not encode.
inline constexpr const char* no_xml2wbxml =
    "*** NOT RUN: xml2wbxml missing; apt-get install libwbxml2-utils ***";

/// Replies whose bodies decoded models still point into.
inline std::deque<reply> kept;

template <class M>
M decode(reply fresh) {
  const reply& r = kept.emplace_back(std::move(fresh));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "",
            "application/vnd.ms-sync.wbxml");
  auto m = as::decode<M>(r.bytes());
  EXPECT_TRUE(m) << m.error().message();
  return m ? *m : M{};
}

inline const std::string provision_request =
    R"(<Provision xmlns="Provision:"><Policies><Policy>)"
    R"(<PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>)";

inline std::string provision_ack(std::string_view key) {
  return wbxml_of(R"(<Provision xmlns="Provision:"><Policies><Policy>)"
                  R"(<PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>)" +
                  std::string(key) +
                  "</PolicyKey><Status>1</Status></Policy></Policies></Provision>");
}

/// Both Provision phases; the final policy key.
inline std::uint32_t provision(client& c, std::string_view device = "DEV1") {
  const auto r1 =
      c.send(post("Provision", wbxml_of(provision_request), {}, basic(user, password), device));
  const auto p1 = decode<model::Provision>(r1);
  EXPECT_EQ(p1.Status, 1);
  if (!p1.Policies || !p1.Policies->Policy.PolicyKey) return 0;
  EXPECT_TRUE(p1.Policies->Policy.Data);
  const auto r2 = c.send(post("Provision", provision_ack(*p1.Policies->Policy.PolicyKey), {},
                              basic(user, password), device));
  const auto p2 = decode<model::Provision>(r2);
  EXPECT_EQ(p2.Status, 1);
  EXPECT_EQ(p2.Policies->Policy.Status, 1);
  EXPECT_NE(p2.Policies->Policy.PolicyKey, p1.Policies->Policy.PolicyKey);
  return static_cast<std::uint32_t>(std::stoul(std::string(*p2.Policies->Policy.PolicyKey)));
}

/// A provisioned device of the test user on its own connection; test files derive their
/// command helpers from it.
struct device_session {
  client c;
  std::string id;
  std::uint32_t policy = 0;
  explicit device_session(unsigned short port, std::string name = "DEV1")
      : c(port), id(std::move(name)) {
    policy = provision(c, id);
  }
  reply send(std::string_view cmd, const std::string& body, std::string_view version = "16.1") {
    return c.send(post(cmd, body, policy, basic(user, password), id, version));
  }
};

/// A typed request encoded by the library, as a request body.
template <class M>
std::string encoded(const M& m) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  EXPECT_TRUE(as::encode(m, w));
  return text_of(out);
}

inline std::string folder_sync_request(std::string_view key) {
  return encoded(model::request::FolderSync{.SyncKey = key});
}

inline std::string sync_request(std::string_view collection, std::string_view key, int window = 0) {
  std::string xml = R"(<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>)" +
                    std::string(key) + "</SyncKey><CollectionId>" + std::string(collection) +
                    "</CollectionId>";
  if (window) xml += "<WindowSize>" + std::to_string(window) + "</WindowSize>";
  return wbxml_of(xml + "</Collection></Collections></Sync>");
}

/// Syncs a whole collection from key 0; every Add, and the last key.
inline std::pair<std::vector<model::Sync_Collections_Collection_Commands_Add>, std::string>
sync_all(client& c, std::uint32_t key, std::string_view collection) {
  std::vector<model::Sync_Collections_Collection_Commands_Add> adds;
  std::string sync_key = "0";
  for (int round = 0; round < 20; ++round) {
    const auto s =
        decode<model::Sync>(c.send(post("Sync", sync_request(collection, sync_key, 100), key)));
    if (!s.Collections || s.Collections->Collection.size() != 1) return {adds, ""};
    const auto& col = s.Collections->Collection[0];
    EXPECT_EQ(col.Status, std::vector<std::int64_t>{1});
    sync_key = std::string(col.SyncKey.at(0));
    for (const auto& cmds : col.Commands) adds.insert(adds.end(), cmds.Add.begin(), cmds.Add.end());
    if (round > 0 && col.MoreAvailable.empty()) break;
  }
  return {adds, sync_key};
}

class Server : public ::testing::Test {
 protected:
  temp_dir dir;
};

}  // namespace server_harness
