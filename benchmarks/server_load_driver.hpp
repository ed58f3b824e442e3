// The load driver of bench_server: oxwire-server as a child process on a temporary data
// directory, blocking keep-alive clients (one thread per connection) that send ActiveSync
// requests encoded by the library, a bare Asio HTTP/1.1 responder as the ceiling, and the
// latency/throughput summary of a run.
#pragma once

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/core/base64.hpp>
#include <oxwire/gen/activesync/models/foldersync.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/ping.hpp>
#include <oxwire/gen/activesync/models/ping_request.hpp>
#include <oxwire/gen/activesync/models/provision.hpp>
#include <oxwire/gen/activesync/models/provision_request.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>

#include <asio.hpp>

#include <oxwire_test/server_process.hpp>

#include <sys/resource.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace server_load {

namespace fs = std::filesystem;
namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

inline const std::string& user = oxwire_test::server_user;
inline const std::string& password = oxwire_test::server_password;

/// Raises the soft RLIMIT_NOFILE to the hard limit (inherited by the server); the new soft limit.
inline rlim_t raise_fd_limit() {
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0) return 0;
  l.rlim_cur = l.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &l);
  ::getrlimit(RLIMIT_NOFILE, &l);
  return l.rlim_cur;
}

using oxwire_test::server_process;
using oxwire_test::temp_dir;

/// A field of /proc/<pid>/status in bytes ("VmRSS"), 0 when absent.
inline std::uint64_t proc_status_bytes(pid_t pid, std::string_view field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':')
      return std::stoull(line.substr(field.size() + 1)) * 1024;  // "VmRSS:   1234 kB"
  return 0;
}

/// utime + stime of a process in seconds (/proc/<pid>/stat fields 14 and 15).
inline double proc_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  const std::string stat{std::istreambuf_iterator<char>(in), {}};
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return double(utime + stime) / double(::sysconf(_SC_CLK_TCK));
}

/// How many file descriptors a process has open.
inline std::size_t proc_open_fds(pid_t pid) {
  std::error_code ec;
  const fs::directory_iterator dir("/proc/" + std::to_string(pid) + "/fd", ec);
  return ec ? 0 : std::size_t(std::distance(fs::begin(dir), fs::end(dir)));
}

/// The soft "Max open files" of a process (/proc/<pid>/limits).
inline std::uint64_t proc_fd_limit(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("Max open files")) return std::stoull(line.substr(26));
  return 0;
}

struct reply {
  int status = 0;
  std::string raw;  // status line, headers and body as received
  std::size_t body_at = 0;
  [[nodiscard]] oxwire::bytes_view body() const {
    return {reinterpret_cast<const std::uint8_t*>(raw.data()) + body_at, raw.size() - body_at};
  }
};

/// Case-insensitive search of an ASCII needle given in lower case.
inline std::size_t ifind(std::string_view hay, std::string_view lower_needle) {
  const auto it =
      std::search(hay.begin(), hay.end(), lower_needle.begin(), lower_needle.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it == hay.end() ? std::string_view::npos : std::size_t(it - hay.begin());
}

/// The `dur` (milliseconds) of a reply's Server-Timing field, in microseconds; -1 if none.
inline double server_timing_us(const reply& r) {
  const std::string_view head(r.raw.data(), r.body_at);
  const std::size_t at = ifind(head, "\r\nserver-timing:");
  if (at == std::string_view::npos) return -1;
  const std::size_t dur = ifind(head.substr(at), "dur=");
  if (dur == std::string_view::npos) return -1;
  return std::strtod(head.data() + at + dur + 4, nullptr) * 1000;
}

/// Content-Length of a head ending in CRLF CRLF; 0 when absent.
inline std::size_t content_length(std::string_view head) {
  const auto at = ifind(head, "\r\ncontent-length:");
  return at == std::string_view::npos ? 0 : std::strtoul(head.data() + at + 17, nullptr, 10);
}

/// One blocking keep-alive connection.
class connection {
 public:
  explicit connection(unsigned short port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    socket_.set_option(tcp::no_delay(true));
  }
  void write(std::string_view request) { asio::write(socket_, asio::buffer(request)); }
  /// The next final response (1xx interim responses skipped).
  reply read() {
    for (;;) {
      const auto end = asio::read_until(socket_, asio::dynamic_buffer(buf_), "\r\n\r\n");
      reply r;
      r.status = std::atoi(buf_.c_str() + 9);
      const std::size_t length = content_length(std::string_view(buf_).substr(0, end));
      if (buf_.size() < end + length)
        asio::read(socket_, asio::dynamic_buffer(buf_),
                   asio::transfer_exactly(end + length - buf_.size()));
      r.raw.assign(buf_, 0, end + length);
      r.body_at = end;
      buf_.erase(0, end + length);
      if (r.status >= 200) return r;
    }
  }
  reply send(std::string_view request) {
    write(request);
    return read();
  }
  tcp::socket& socket() { return socket_; }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  std::string buf_;
};

/// A typed request as WBXML (the library's encoder).
template <class M>
std::string encoded(const M& m) {
  const auto b = as::encode(m);
  if (!b) throw std::runtime_error("encode: " + b.error().message());
  return {b->begin(), b->end()};
}

/// An ActiveSync POST: MS-ASHTTP plain query, Basic auth, X-MS-PolicyKey when provisioned.
inline std::string post(std::string_view cmd, std::string_view device,
                        std::optional<std::uint32_t> policy_key, const std::string& body) {
  as::request_line q;
  q.Cmd = cmd;
  q.User = user;
  q.DeviceId = device;
  q.DeviceType = "Bench";
  const auto target = as::format_plain_query(q);
  if (!target) throw std::runtime_error("query: " + target.error().message());
  const std::string up = user + ":" + password;
  std::string r = "POST " + *target +
                  " HTTP/1.1\r\nHost: localhost\r\nMS-ASProtocolVersion: 16.1\r\n"
                  "Content-Type: application/vnd.ms-sync.wbxml\r\nAuthorization: Basic " +
                  oxwire::base64::encode(oxwire::as_bytes(up)) + "\r\n";
  if (policy_key) r += "X-MS-PolicyKey: " + std::to_string(*policy_key) + "\r\n";
  return r + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// A 200 WBXML response decoded as M; throws otherwise. M's views point into `r`.
template <class M>
M decode(const reply& r, std::string_view what) {
  if (r.status != 200)
    throw std::runtime_error(std::string(what) + ": HTTP " + std::to_string(r.status));
  auto m = as::decode<M>(r.body());
  if (!m) throw std::runtime_error(std::string(what) + ": " + m.error().message());
  return *m;
}

/// A provisioned device (Provision, both phases) on its own connection.
struct device {
  std::unique_ptr<connection> c;
  std::string id;
  std::uint32_t policy = 0;

  device(unsigned short port, std::string name)
      : c(std::make_unique<connection>(port)), id(std::move(name)) {
    model::request::Provision ask;
    ask.Policies = model::request::Provision_Policies{{.PolicyType = "MS-EAS-Provisioning-WBXML"}};
    const auto r1 = c->send(post("Provision", id, {}, encoded(ask)));
    const auto p1 = decode<model::Provision>(r1, "Provision");
    if (p1.Status != 1 || !p1.Policies || !p1.Policies->Policy.PolicyKey)
      throw std::runtime_error("Provision: no temporary policy key");
    auto ack = ask;
    ack.Policies->Policy.PolicyKey = p1.Policies->Policy.PolicyKey;
    ack.Policies->Policy.Status = 1;
    const auto r2 = c->send(post("Provision", id, {}, encoded(ack)));
    const auto p2 = decode<model::Provision>(r2, "Provision acknowledgement");
    if (p2.Status != 1 || !p2.Policies || !p2.Policies->Policy.PolicyKey)
      throw std::runtime_error("Provision: no final policy key");
    policy = static_cast<std::uint32_t>(std::stoul(std::string(*p2.Policies->Policy.PolicyKey)));
  }
  [[nodiscard]] std::string request(std::string_view cmd, const std::string& body) const {
    return post(cmd, id, policy, body);
  }
  reply send(std::string_view cmd, const std::string& body) { return c->send(request(cmd, body)); }

  /// FolderSync from key 0; the new hierarchy key.
  std::string folder_sync() {
    const auto r = send("FolderSync", folder_sync_body("0"));
    const auto f = decode<model::FolderSync>(r, "FolderSync");
    if (f.Status != 1 || !f.SyncKey) throw std::runtime_error("FolderSync: status");
    return std::string(*f.SyncKey);
  }
  static std::string folder_sync_body(std::string_view key) {
    return encoded(model::request::FolderSync{.SyncKey = key});
  }
  static std::string sync_body(std::string_view collection, std::string_view key,
                               std::uint16_t window) {
    model::request::Sync s;
    s.Collections.emplace().Collection.push_back(
        {.SyncKey = key, .CollectionId = collection, .WindowSize = window});
    return encoded(s);
  }
  static std::string ping_body(std::string_view folder, std::string_view cls,
                               std::int64_t heartbeat) {
    return encoded(model::request::Ping{
        .HeartbeatInterval = heartbeat,
        .Folders = model::request::Ping_Folders{{{.Id = folder, .Class = cls}}}});
  }
};

/// A fixed-response HTTP/1.1 server on its own thread: reads each request up to the blank line
/// plus Content-Length and answers with the next of `responses` (cycled per connection),
/// keep-alive, one io_context thread like oxwire-server.
class bare_responder {
 public:
  explicit bare_responder(std::vector<std::string> responses)
      : responses_(std::move(responses)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~bare_responder() {
    io_.stop();
    thread_.join();
  }
  bare_responder(const bare_responder&) = delete;
  bare_responder& operator=(const bare_responder&) = delete;
  [[nodiscard]] unsigned short port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct session : std::enable_shared_from_this<session> {
    session(tcp::socket s, const std::vector<std::string>& r)
        : socket(std::move(s)), responses(r) {}
    tcp::socket socket;
    const std::vector<std::string>& responses;
    std::array<char, 16 * 1024> buffer{};
    std::string pending;
    std::size_t next = 0;

    void serve() {
      const auto end = pending.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::size_t whole =
            end + 4 + content_length(std::string_view(pending).substr(0, end + 4));
        if (pending.size() >= whole) {
          pending.erase(0, whole);
          const auto& out = responses[next++ % responses.size()];
          return asio::async_write(socket, asio::buffer(out),
                                   [self = shared_from_this()](std::error_code ec, std::size_t) {
                                     if (!ec) self->serve();
                                   });
        }
      }
      socket.async_read_some(asio::buffer(buffer),
                             [self = shared_from_this()](std::error_code ec, std::size_t n) {
                               if (ec) return;
                               self->pending.append(self->buffer.data(), n);
                               self->serve();
                             });
    }
  };
  void accept() {
    acceptor_.async_accept([this](std::error_code ec, tcp::socket s) {
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<session>(std::move(s), responses_)->serve();
      }
      accept();
    });
  }

  std::vector<std::string> responses_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

/// What a run measured.
struct load_result {
  double seconds = 0;
  std::uint64_t ops = 0, requests = 0, errors = 0;
  double p50_us = 0, p99_us = 0;
  double server_p50_us = 0, server_p99_us = 0;  // the op's last request, by its Server-Timing
  std::string first_error;
};

/// Each connection on its own thread sends its op (the requests in order, each answered before
/// the next) again and again for `duration`; an op's latency is from its first write to its
/// last response. A non-200 response or a socket error counts as an error (the thread stops).
inline load_result run_load(std::vector<std::unique_ptr<connection>>& conns,
                            const std::vector<std::vector<std::string>>& ops,
                            steady::duration duration) {
  struct per_thread {
    std::vector<double> latencies_us, server_us;
    std::uint64_t errors = 0;
    std::string error;
  };
  std::vector<per_thread> results(conns.size());
  std::atomic<bool> go{false};
  std::atomic<steady::rep> stop_at{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < conns.size(); ++i)
    threads.emplace_back([&, i] {
      auto& me = results[i];
      me.latencies_us.reserve(1 << 16);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      const steady::time_point end{steady::duration(stop_at.load())};
      try {
        while (steady::now() < end) {
          const auto t0 = steady::now();
          double server_us = -1;
          for (const auto& req : ops[i]) {
            const auto r = conns[i]->send(req);
            if (r.status != 200) throw std::runtime_error("HTTP " + std::to_string(r.status));
            server_us = server_timing_us(r);
          }
          me.latencies_us.push_back(
              std::chrono::duration<double, std::micro>(steady::now() - t0).count());
          if (server_us >= 0) me.server_us.push_back(server_us);
        }
      } catch (const std::exception& e) {
        ++me.errors;
        me.error = e.what();
      }
    });
  const auto t0 = steady::now();
  stop_at.store((t0 + duration).time_since_epoch().count());
  go.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();
  load_result out;
  out.seconds = std::chrono::duration<double>(steady::now() - t0).count();
  std::vector<double> all, server;
  for (std::size_t i = 0; i < results.size(); ++i) {
    all.insert(all.end(), results[i].latencies_us.begin(), results[i].latencies_us.end());
    server.insert(server.end(), results[i].server_us.begin(), results[i].server_us.end());
    out.requests += results[i].latencies_us.size() * ops[i].size();
    out.errors += results[i].errors;
    if (out.first_error.empty()) out.first_error = results[i].error;
  }
  out.ops = all.size();
  const auto at = [](std::vector<double>& v, double q) {
    if (v.empty()) return 0.0;
    auto it = v.begin() + std::ptrdiff_t(q * double(v.size() - 1));
    std::nth_element(v.begin(), it, v.end());
    return *it;
  };
  out.p50_us = at(all, 0.50);
  out.p99_us = at(all, 0.99);
  out.server_p50_us = at(server, 0.50);
  out.server_p99_us = at(server, 0.99);
  return out;
}

}  // namespace server_load
