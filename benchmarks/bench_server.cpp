// oxwire-server under load over loopback: FolderSync (current SyncKey, no changes), the initial
// Sync of 100 Inbox items (SyncKey 0, then SyncKey 1 with WindowSize 100), a small Sync (the same
// with WindowSize 1: one e-mail), and Ping answered at
// once (Inbox has changes pending), each with C = 1, 8, 64 keep-alive connections, one client
// thread and one provisioned device per connection. bench_bare_http replays the same request
// bytes against a bare Asio HTTP/1.1 responder that answers with the server's own responses:
// the transport ceiling. bench_idle_pings parks 10,000 Pings and reads the server's VmRSS.
// Counters: req_per_s (HTTP requests), ops_per_s, p50_us/p99_us of an op (Sync: both requests),
// server_p50_us/server_p99_us: the server's own time for the op's last request (its
// Server-Timing field: request parsed to response ready; Sync: the request that sends 100 items).
// The server is one io_context thread and shares the machine with the clients: numbers are
// indicative, and are never timed in CI.
#include "server_load_driver.hpp"

#include <benchmark/benchmark.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace sl = server_load;
namespace model = oxwire::activesync::model;
using namespace std::chrono_literals;

constexpr auto run_for = 1s;

/// One server for the whole binary; destroyed at exit (SIGTERM, then the data directory goes).
struct shared_server {
  rlim_t fd_limit = sl::raise_fd_limit();
  sl::temp_dir dir;
  sl::server_process server{dir.path};
};
shared_server& server() {
  static shared_server s;
  return s;
}

std::string next_device_id() {
  static std::atomic<int> n{0};
  return "BENCH" + std::to_string(n++);
}

enum class command { folder_sync, sync_100, sync_small, ping };

/// The connections of a run, the op each sends, and the server's responses to one op.
struct scenario {
  std::vector<std::unique_ptr<sl::connection>> conns;
  std::vector<std::vector<std::string>> ops;
  std::vector<std::string> responses;
};

/// Sends an op once on a device; its raw responses, each checked by `check`.
template <class Check>
std::vector<sl::reply> once(sl::device& d, const std::vector<std::string>& op, Check check) {
  std::vector<sl::reply> out;
  for (const auto& req : op) out.push_back(d.c->send(req));
  check(out);
  return out;
}

/// The replies of a Sync op (SyncKey 0, then 1 with WindowSize `window`): `window` Adds and
/// MoreAvailable (the Inbox holds 300).
void check_sync(const std::vector<sl::reply>& r, std::size_t window) {
  const auto first = sl::decode<model::Sync>(r.at(0), "Sync 0");
  const auto s = sl::decode<model::Sync>(r.at(1), "Sync 1");
  if (!first.Collections || first.Collections->Collection.at(0).SyncKey.at(0) != "1" ||
      !s.Collections)
    throw std::runtime_error("Sync: unexpected keys");
  const auto& col = s.Collections->Collection.at(0);
  std::size_t adds = 0;
  for (const auto& c : col.Commands) adds += c.Add.size();
  if (adds != window || col.MoreAvailable.empty())
    throw std::runtime_error("Sync: expected " + std::to_string(window) +
                             " Adds and MoreAvailable, got " + std::to_string(adds));
}

/// C provisioned devices, each on its own connection, ready to send `cmd` again and again.
scenario prepare(command cmd, int c) {
  auto& srv = server();
  scenario s;
  for (int i = 0; i < c; ++i) {
    sl::device d(srv.server.http_port, next_device_id());
    const std::string key = d.folder_sync();
    const auto sync_op = [&](int window) {
      return std::vector<std::string>{d.request("Sync", sl::device::sync_body("1", "0", window)),
                                      d.request("Sync", sl::device::sync_body("1", "1", window))};
    };
    const auto check_window = [](std::size_t window) {
      return [window](const std::vector<sl::reply>& r) { check_sync(r, window); };
    };
    std::vector<std::string> op;
    std::vector<sl::reply> replies;
    switch (cmd) {
      case command::folder_sync:
        op = {d.request("FolderSync", sl::device::folder_sync_body(key))};
        replies = once(d, op, [&](const std::vector<sl::reply>& r) {
          const auto f = sl::decode<model::FolderSync>(r.at(0), "FolderSync");
          if (f.Status != 1 || f.SyncKey != key || (f.Changes && f.Changes->Count.value_or(0) != 0))
            throw std::runtime_error("FolderSync: the hierarchy changed");
        });
        break;
      case command::sync_100:
        op = sync_op(100);
        replies = once(d, op, check_window(100));
        break;
      case command::sync_small:
        op = sync_op(1);
        replies = once(d, op, check_window(1));
        break;
      case command::ping:
        // 100 of the Inbox's 300 items synced: 200 pending, so Ping answers at once
        once(d, sync_op(100), check_window(100));
        op = {d.request("Ping", sl::device::ping_body("1", "Email", 60))};
        replies = once(d, op, [](const std::vector<sl::reply>& r) {
          if (sl::decode<model::Ping>(r.at(0), "Ping").Status != 2)
            throw std::runtime_error("Ping: expected Status 2 (changes)");
        });
        break;
    }
    if (i == 0)
      for (const auto& r : replies) s.responses.push_back(r.raw);
    s.conns.push_back(std::move(d.c));
    s.ops.push_back(std::move(op));
  }
  return s;
}

void report(benchmark::State& state, const sl::load_result& r, const scenario& s,
            bool server_timed) {
  state.SetIterationTime(r.seconds);
  state.counters["req_per_s"] = double(r.requests) / r.seconds;
  state.counters["ops_per_s"] = double(r.ops) / r.seconds;
  state.counters["p50_us"] = r.p50_us;
  state.counters["p99_us"] = r.p99_us;
  state.counters["errors"] = double(r.errors);
  if (server_timed) {  // the server's Server-Timing of the op's last request (Sync: the 100 items)
    state.counters["server_p50_us"] = r.server_p50_us;
    state.counters["server_p99_us"] = r.server_p99_us;
  }
  std::size_t bytes = 0;
  for (const auto& x : s.responses) bytes += x.size();
  state.counters["resp_bytes_per_op"] = double(bytes);
  if (r.errors) state.SetLabel("first error: " + r.first_error);
}

void bench_server(benchmark::State& state, command cmd) {
  auto s = prepare(cmd, int(state.range(0)));
  for (auto _ : state) report(state, sl::run_load(s.conns, s.ops, run_for), s, true);
}

/// The same clients and request bytes against the bare responder replaying the server's
/// responses to one op.
void bench_bare_http(benchmark::State& state, command cmd) {
  auto s = prepare(cmd, int(state.range(0)));
  sl::bare_responder bare(s.responses);
  for (auto& c : s.conns) c = std::make_unique<sl::connection>(bare.port());
  for (auto _ : state) report(state, sl::run_load(s.conns, s.ops, run_for), s, false);
}

/// A plain blocking socket to the server (an io_context per idle connection would cost fds).
int raw_connect(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// N connections each parked in a Ping (Notes fully synced: nothing pending; heartbeat 900 s);
/// then the server's VmRSS, its CPU while they wait, what answered early, and the VmRSS after
/// they close.
void bench_idle_pings(benchmark::State& state) {
  auto& srv = server();
  const auto n = std::size_t(state.range(0));
  const pid_t pid = srv.server.pid();
  sl::device d(srv.server.http_port, next_device_id());
  const std::string key = d.folder_sync();
  for (const auto* k : {"0", "1"}) {
    const auto r = d.send("Sync", sl::device::sync_body("8", k, 100));
    if (const auto s = sl::decode<model::Sync>(r, "Sync Notes");
        !s.Collections || !s.Collections->Collection.at(0).MoreAvailable.empty())
      throw std::runtime_error("Sync Notes: not complete in one window");
  }
  const std::string ping = d.request("Ping", sl::device::ping_body("8", "Notes", 900));
  const std::string probe = d.request("FolderSync", sl::device::folder_sync_body(key));

  for (auto _ : state) {
    const auto rss_before = sl::proc_status_bytes(pid, "VmRSS");
    std::vector<int> fds;
    fds.reserve(n);
    std::string refused;
    const auto t0 = sl::steady::now();
    while (fds.size() < n) {
      const int fd = raw_connect(srv.server.http_port);
      if (fd < 0) {
        refused = std::string("connect: ") + std::strerror(errno);
        break;
      }
      fds.push_back(fd);
      if (::send(fd, ping.data(), ping.size(), MSG_NOSIGNAL) != ssize_t(ping.size())) {
        refused = std::string("send: ") + std::strerror(errno);
        break;
      }
    }
    const double open_s = std::chrono::duration<double>(sl::steady::now() - t0).count();
    // Parked: every connection accepted, the server idle (under 5% CPU for 500 ms), and a
    // request on another connection still answered
    const auto settle_end = sl::steady::now() + 30s;
    while (sl::steady::now() < settle_end) {
      const double cpu = sl::proc_cpu_seconds(pid);
      std::this_thread::sleep_for(500ms);
      const double busy = (sl::proc_cpu_seconds(pid) - cpu) / 0.5;
      if (busy < 0.05 && sl::proc_open_fds(pid) >= fds.size()) break;
    }
    const double settle_s = std::chrono::duration<double>(sl::steady::now() - t0).count() - open_s;
    const int probe_status = d.c->send(probe).status;
    std::vector<pollfd> polls;
    for (const int fd : fds) polls.push_back({fd, POLLIN, 0});
    ::poll(polls.data(), polls.size(), 0);
    std::size_t early = 0;
    std::string early_reply;
    for (const auto& p : polls) {
      if (!p.revents) continue;
      ++early;
      if (early_reply.empty()) {
        char buf[200];
        const auto got = ::recv(p.fd, buf, sizeof buf, MSG_DONTWAIT);
        early_reply = got > 0 ? std::string(buf, std::size_t(got)).substr(0, 40) : "closed";
      }
    }
    const auto rss_parked = sl::proc_status_bytes(pid, "VmRSS");
    const double cpu0 = sl::proc_cpu_seconds(pid);
    std::this_thread::sleep_for(2s);
    const double cpu_pct = (sl::proc_cpu_seconds(pid) - cpu0) / 2.0 * 100.0;
    for (const int fd : fds) ::close(fd);
    std::this_thread::sleep_for(1s);
    const auto rss_closed = sl::proc_status_bytes(pid, "VmRSS");

    state.SetIterationTime(open_s);
    const double parked = double(fds.size() - early);
    state.counters["parked"] = parked;
    state.counters["answered_early"] = double(early);
    state.counters["open_s"] = open_s;
    state.counters["settle_s"] = settle_s;
    state.counters["rss_before_MiB"] = double(rss_before) / 1048576.0;
    state.counters["rss_parked_MiB"] = double(rss_parked) / 1048576.0;
    state.counters["rss_1s_after_close_MiB"] = double(rss_closed) / 1048576.0;
    state.counters["bytes_per_idle_ping"] =
        parked > 0 ? double(rss_parked - rss_before) / parked : 0.0;
    state.counters["server_cpu_parked_pct"] = cpu_pct;
    state.counters["probe_status"] = probe_status;
    state.counters["server_fd_limit"] = double(sl::proc_fd_limit(pid));
    std::string label;
    if (!refused.empty()) label += "stopped after " + std::to_string(fds.size()) + ": " + refused;
    if (early) label += (label.empty() ? "" : "; ") + ("early reply: " + early_reply);
    if (!label.empty()) {
      state.SetLabel(label);
      std::fprintf(stderr, "bench_idle_pings: %s\n", label.c_str());
    }
  }
}

void concurrency(benchmark::internal::Benchmark* b) {
  b->ArgName("conns")->Arg(1)->Arg(8)->Arg(64)->Iterations(1)->UseManualTime()->Unit(
      benchmark::kMillisecond);
}

}  // namespace

BENCHMARK_CAPTURE(bench_server, folder_sync, command::folder_sync)->Apply(concurrency);
BENCHMARK_CAPTURE(bench_bare_http, folder_sync, command::folder_sync)->Apply(concurrency);
BENCHMARK_CAPTURE(bench_server, sync_100, command::sync_100)->Apply(concurrency);
BENCHMARK_CAPTURE(bench_bare_http, sync_100, command::sync_100)->Apply(concurrency);
BENCHMARK_CAPTURE(bench_server, sync_small, command::sync_small)->Apply(concurrency);
BENCHMARK_CAPTURE(bench_bare_http, sync_small, command::sync_small)->Apply(concurrency);
BENCHMARK_CAPTURE(bench_server, ping, command::ping)->Apply(concurrency);
BENCHMARK_CAPTURE(bench_bare_http, ping, command::ping)->Apply(concurrency);
// Last: the server's heap keeps what 10,000 connections grew it to
BENCHMARK(bench_idle_pings)
    ->ArgName("pings")
    ->Arg(10000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
