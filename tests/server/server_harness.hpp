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

#include <oxwire_test/shared.hpp>

#include <gtest/gtest.h>
#include <asio.hpp>
#include <asio/ssl.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;
using tcp = asio::ip::tcp;

extern char** environ;

namespace server_harness {

inline const std::string user = "anna", password = "s3cret";

/// The server binary as a child process; stopped with SIGTERM when destroyed. Its stderr goes to
/// a file beside the data directory, copied to the test's stderr at the end: a server left behind
/// by a test process that died (a sanitizer abort) then holds no pipe of ctest's open.
class server_process {
 public:
  explicit server_process(const fs::path& data, bool demo = true)
      : log_(data.string() + ".stderr") {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> args{OXWIRE_SERVER_BINARY, "--http", "127.0.0.1:0", "--https",
                                  "127.0.0.1:0",        "--data", data.string()};
    if (demo) args.insert(args.end(), {"--demo", user + ":" + password});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ) != 0)
      throw std::runtime_error("posix_spawn");
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    // "oxwire-server: listening on http://127.0.0.1:PORT", then the https line
    std::string text;
    char buf[256];
    while (!(http_port && https_port)) {
      const auto n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("server exited: " + text);
      text.append(buf, static_cast<std::size_t>(n));
      for (const auto& [scheme, port] :
           {std::pair{"http://", &http_port}, {"https://", &https_port}})
        if (const auto at = text.find(std::string("listening on ") + scheme);
            at != std::string::npos && text.find('\n', at) != std::string::npos)
          *port = static_cast<unsigned short>(std::stoi(text.substr(text.find(':', at + 20) + 1)));
    }
    ::close(out[0]);
  }
  ~server_process() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    std::ifstream log(log_);
    const std::string text{std::istreambuf_iterator<char>(log), {}};
    if (!text.empty()) std::cerr << "oxwire-server stderr:\n" << text;
    std::error_code ec;
    fs::remove(log_, ec);
  }
  unsigned short http_port = 0, https_port = 0;

 private:
  std::string log_;
  pid_t pid_ = 0;
};

struct temp_dir {
  fs::path path =
      fs::temp_directory_path() / ("oxwire-server-test-" + std::to_string(std::random_device{}()));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
};

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
