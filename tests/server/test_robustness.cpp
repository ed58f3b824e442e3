// oxwire-server under stress, over real sockets: a Ping woken by a commit rather than a clock
// (MS-ASCMD 2.2.1.13); the connection and Ping limits answered 503 with Retry-After (MS-ASHTTP
// 3.1.5.2.3); the idle, header and read timeouts; and kill -9 in the middle of Sync rounds that
// add items: after a restart and the client's resend of the unanswered request (MS-ASCMD
// 3.1.5.3) every item exists exactly once and no acknowledged one is lost.
#include "server_harness.hpp"

#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <server/options.hpp>

#include <set>

namespace test_robustness {

using namespace server_harness;

class Robustness : public Server {};

/// A provisioned device on a connection that can be replaced (a restarted server), keeping the
/// SyncKey of one collection.
struct device {
  std::string id;
  std::unique_ptr<client> c;
  std::uint32_t policy = 0;
  std::string key = "0";

  device(unsigned short port, std::string name)
      : id(std::move(name)), c(std::make_unique<client>(port)) {
    policy = provision(*c, id);
  }
  [[nodiscard]] std::string request(std::string_view cmd, const std::string& body) const {
    return post(cmd, body, policy, basic(user, password), id);
  }
  reply send(std::string_view cmd, const std::string& body) { return c->send(request(cmd, body)); }

  /// One Sync of `collection` with this body; the key advances with a Status 1 answer.
  model::Sync_Collections_Collection sync(const std::string& body) {
    return note(decode<model::Sync>(send("Sync", body)));
  }
  model::Sync_Collections_Collection note(const model::Sync& s) {
    EXPECT_TRUE(s.Collections && s.Collections->Collection.size() == 1);
    if (!s.Collections || s.Collections->Collection.empty()) return {};
    const auto& col = s.Collections->Collection[0];
    if (col.Status == std::vector<std::int64_t>{1} && !col.SyncKey.empty())
      key = std::string(col.SyncKey[0]);
    return col;
  }
  /// Primes the collection and pulls it whole; the subjects of the items.
  std::vector<std::string> pull(std::string_view collection) {
    std::vector<std::string> subjects;
    if (key == "0") sync(sync_request(collection, key));
    for (int round = 0; round < 100; ++round) {
      const auto col = sync(sync_request(collection, key, 100));
      for (const auto& cmds : col.Commands)
        for (const auto& a : cmds.Add)
          subjects.emplace_back(a.ApplicationData.Email_Subject.empty()
                                    ? std::string_view()
                                    : a.ApplicationData.Email_Subject[0]);
      if (col.MoreAvailable.empty()) break;
    }
    return subjects;
  }
};

/// The subject of the n-th added message ("item-<n>"; append: GCC 12's -Wrestrict misfires on
/// a literal + std::string).
std::string subject(int n) {
  return std::string("item-").append(std::to_string(n));
}

/// A Sync adding messages "item-<first>" ... with ClientIds "c<n>" to a collection.
std::string add_request(std::string_view collection, std::string_view key, int first, int count) {
  std::deque<std::string> strings;  // what the model points into, until it is encoded
  model::request::Sync req;
  auto& col = req.Collections.emplace().Collection.emplace_back();
  col.CollectionId = collection;
  col.SyncKey = key;
  auto& cmds = col.Commands.emplace();
  for (int n = first; n < first + count; ++n) {
    auto& add = cmds.Add.emplace_back();
    add.ClientId = strings.emplace_back(std::string("c").append(std::to_string(n)));
    add.ApplicationData.Email_Subject.push_back(strings.emplace_back(subject(n)));
  }
  return encoded(req);
}

std::string ping_request(std::string_view folder, std::int64_t heartbeat) {
  model::request::Ping p;
  p.HeartbeatInterval = heartbeat;
  p.Folders.emplace().Folder.push_back({.Id = folder, .Class = "Email"});
  return encoded(p);
}

const std::string not_found = "GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n";

/// A new connection's answer to a request, or 0 when the connection failed first.
int status_of_new_connection(unsigned short port) {
  try {
    client c(port);
    c.read_timeout(std::chrono::seconds(10));
    return c.send(not_found).status;
  } catch (const std::exception&) {
    return 0;
  }
}

/// Retries until a new connection is served (the server counts a closed one down).
bool served_again(unsigned short port) {
  for (int i = 0; i < 100; ++i) {
    if (status_of_new_connection(port) == 404) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// MS-ASCMD 2.2.1.13: a change through another device answers a waiting Ping (Status 2, the
// folder). The heartbeat is 60 s and the read gives up after 20 s, so only the notification of
// the commit can answer it in time.
TEST_F(Robustness, PingIsWokenByAnotherDevicesSync) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  const auto before = a.pull("1");
  ASSERT_FALSE(before.empty());
  b.pull("1");
  a.c->read_timeout(std::chrono::seconds(20));
  asio::write(a.c->socket(), asio::buffer(a.request("Ping", ping_request("1", 60))));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the Ping waits by now
  const auto added = b.sync(add_request("1", b.key, 0, 1));
  ASSERT_EQ(added.Responses.size(), 1u);
  const auto woke = decode<model::Ping>(read_reply(a.c->socket(), a.c->buffer()));
  EXPECT_EQ(woke.Status, 2);
  ASSERT_TRUE(woke.Folders);
  EXPECT_EQ(woke.Folders->Folder, std::vector<std::string_view>{"1"});
  EXPECT_EQ(a.pull("1"), std::vector<std::string>{"item-0"});
}

// MS-ASHTTP 3.1.5.2.3: a Ping over --max-pings gets 503 with Retry-After; once the waiting Ping
// answered, the next one waits again (and is woken)
TEST_F(Robustness, PingsOverTheLimitGet503) {
  server_process s(dir.path, true, {"--max-pings", "1"});
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.pull("1");
  b.pull("1");
  a.c->read_timeout(std::chrono::seconds(20));
  b.c->read_timeout(std::chrono::seconds(20));
  asio::write(a.c->socket(), asio::buffer(a.request("Ping", ping_request("1", 60))));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto refused = b.send("Ping", ping_request("1", 60));
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("retry-after"), "30");
  // b's connection stays usable: its Sync wakes a's Ping, which leaves the server's count
  b.sync(add_request("1", b.key, 0, 1));
  EXPECT_EQ(decode<model::Ping>(read_reply(a.c->socket(), a.c->buffer())).Status, 2);
  asio::write(b.c->socket(), asio::buffer(b.request("Ping", ping_request("1", 60))));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  a.sync(add_request("1", a.key, 1, 1));
  EXPECT_EQ(decode<model::Ping>(read_reply(b.c->socket(), b.c->buffer())).Status, 2);
}

// MS-ASHTTP 3.1.5.2.3: the connection after --max-connections gets 503 with Retry-After and is
// closed; a closed connection makes room again
TEST_F(Robustness, ConnectionsOverTheLimitGet503) {
  server_process s(dir.path, false, {"--max-connections", "3"});
  std::vector<std::unique_ptr<client>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<client>(s.http_port));
    ASSERT_EQ(open.back()->send(not_found).status, 404);
  }
  client over(s.http_port);
  over.read_timeout(std::chrono::seconds(10));
  const auto r = read_reply(over.socket(), over.buffer());
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("retry-after"), "30");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_EQ(over.wait_closed(), asio::error::eof);
  EXPECT_EQ(open[0]->send(not_found).status, 404);  // the first three are still served
  open.erase(open.begin());
  EXPECT_TRUE(served_again(s.http_port));
}

// A request whose head trickles in is closed --read-timeout after its first byte, even while
// bytes keep coming (slowloris); one that stops half-way through a header line too
TEST_F(Robustness, SlowRequestHeadIsClosed) {
  server_process s(dir.path, false, {"--read-timeout", "1"});
  client half(s.http_port);
  half.read_timeout(std::chrono::seconds(10));
  asio::write(half.socket(), asio::buffer(std::string("POST /Microsoft-Server-ActiveSync HTTP/1.1"
                                                      "\r\nHost: loc")));
  EXPECT_EQ(half.wait_closed(), asio::error::eof);

  client slow(s.http_port);
  asio::write(slow.socket(), asio::buffer(std::string("GET / HTTP/1.1\r\nX-Slow: ")));
  slow.socket().non_blocking(true);
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {  // 8 s of one byte every 200 ms
    std::error_code ec;
    slow.socket().write_some(asio::buffer("a", 1), ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::array<char, 64> b{};
    slow.socket().read_some(asio::buffer(b), ec);
    closed = ec && ec != asio::error::would_block && ec != asio::error::try_again;
  }
  EXPECT_TRUE(closed);
}

// A keep-alive connection idle for --idle-timeout after its answer is closed, and counted down:
// with --max-connections 1 the next connection is served
TEST_F(Robustness, IdleConnectionIsClosed) {
  server_process s(dir.path, false, {"--idle-timeout", "1", "--max-connections", "1"});
  client c(s.http_port);
  c.read_timeout(std::chrono::seconds(10));
  EXPECT_EQ(c.send(not_found).status, 404);
  EXPECT_EQ(c.wait_closed(), asio::error::eof);
  EXPECT_TRUE(served_again(s.http_port));
}

// --stale-days sets the store's stale_after (ServerStore.StaleCollectionsLoseTheirHighWater shows
// what it does); the server starts with it and serves
TEST_F(Robustness, StaleDaysOptionIsAccepted) {
  EXPECT_EQ(oxwire_server::parse_options(
                3, std::array<char*, 3>{const_cast<char*>("s"), const_cast<char*>("--stale-days"),
                                        const_cast<char*>("7")}
                       .data())
                .limits.stale_after,
            std::chrono::days{7});
  server_process s(dir.path, false, {"--stale-days", "7"});
  client c(s.http_port);
  EXPECT_EQ(c.send(not_found).status, 404);
}

// kill -9 before the server read a Sync, after it committed but before the answer was read, and
// right after the answer was read; the device resends an unanswered request unchanged (MS-ASCMD
// 3.1.5.3: same SyncKey, same ClientIds). Every item exists once, every ClientId keeps one
// ServerId, and a fresh device sees each subject once.
TEST_F(Robustness, KillNineDuringSyncNeitherLosesNorDuplicates) {
  auto s = std::make_unique<server_process>(dir.path);
  device d(s->http_port, "DEVK");
  const auto initial = d.pull("1");
  constexpr int batches = 10, per_batch = 20;
  std::map<std::string, std::string> server_ids;  // ClientId → ServerId
  for (int batch = 0; batch < batches; ++batch) {
    const std::string body = add_request("1", d.key, batch * per_batch, per_batch);
    const int kill_at = batch % 4;  // 0: none, 1: at once, 2: after a pause, 3: after the answer
    std::optional<reply> answer;
    asio::write(d.c->socket(), asio::buffer(d.request("Sync", body)));
    if (kill_at == 2) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (kill_at == 0 || kill_at == 3) answer = read_reply(d.c->socket(), d.c->buffer());
    if (kill_at != 0) {
      s->kill(SIGKILL);
      s = std::make_unique<server_process>(dir.path);
      d.c = std::make_unique<client>(s->http_port);
    }
    if (!answer) answer = d.send("Sync", body);  // the same request again
    const auto col = d.note(decode<model::Sync>(*answer));
    ASSERT_EQ(col.Status, std::vector<std::int64_t>{1}) << "batch " << batch;
    ASSERT_EQ(col.Responses.size(), 1u);
    ASSERT_EQ(col.Responses[0].Add.size(), std::size_t{per_batch});
    for (const auto& a : col.Responses[0].Add) {
      EXPECT_EQ(a.Status, 1);
      EXPECT_TRUE(server_ids.emplace(a.ClientId, a.ServerId.value_or("")).second) << a.ClientId;
    }
  }
  // The device is in step: nothing new for it
  const auto last = d.sync(sync_request("1", d.key, 100));
  EXPECT_EQ(last.Status, std::vector<std::int64_t>{1});
  EXPECT_TRUE(last.Commands.empty());
  ASSERT_EQ(server_ids.size(), std::size_t{batches * per_batch});
  std::set<std::string> distinct;
  for (const auto& mapped : server_ids) distinct.insert(mapped.second);
  EXPECT_EQ(distinct.size(), server_ids.size());

  device fresh(s->http_port, "DEVFRESH");
  const auto subjects = fresh.pull("1");
  EXPECT_EQ(subjects.size(), initial.size() + batches * per_batch);
  std::map<std::string, int> seen;
  for (const auto& subject : subjects) ++seen[subject];
  for (int n = 0; n < batches * per_batch; ++n) EXPECT_EQ(seen[subject(n)], 1) << n;
}

}  // namespace test_robustness
