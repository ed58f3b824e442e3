// HTTP/1.1 over Asio (completion handlers, no coroutines: clang 14 builds it): one listener per
// address, one connection object per socket (plain or TLS), keep-alive and pipelining through
// the incremental parser, 100-continue, and Ping's long poll: a timer for the heartbeat that a
// commit changing the user's mailbox cuts short (store::on_change → ping_waiters::notify).
// Limits: connections and waiting Pings over the maximum get 503 with Retry-After (MS-ASHTTP
// 3.1.5.2.3); idle keep-alive connections, requests that trickle in, TLS handshakes and
// answers nobody reads are closed on timeouts.
#pragma once

#include "options.hpp"
#include "router.hpp"

#include <oxwire/http/request_parser.hpp>

#include <asio.hpp>
#include <asio/ssl.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace oxwire_server {

using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;

/// "127.0.0.1:8080" or "[::1]:8443" → endpoint.
inline tcp::endpoint parse_endpoint(std::string_view s) {
  const auto colon = s.rfind(':');
  if (colon == std::string_view::npos) throw std::invalid_argument("expected ADDR:PORT");
  std::string host(s.substr(0, colon));
  if (host.size() > 1 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const int port = std::stoi(std::string(s.substr(colon + 1)));
  if (port < 0 || port > 65535) throw std::invalid_argument("port out of range");
  return {asio::ip::make_address(host), static_cast<unsigned short>(port)};
}

/// The Pings waiting for a change, by user. One io_context thread: no locking. A connection is
/// in here while its Ping waits; it leaves when it answers or stops, and its destructor makes sure.
class ping_waiters {
 public:
  struct waiter {
    virtual ~waiter() = default;
    /// Something of the user changed: look again.
    virtual void wake() = 0;
  };

  void add(user_id u, const std::shared_ptr<waiter>& w) { by_user_.emplace(u, entry{w.get(), w}); }
  void remove(user_id u, const waiter* w) {
    const auto [first, last] = by_user_.equal_range(u);
    for (auto it = first; it != last; ++it)
      if (it->second.key == w) return void(by_user_.erase(it));
  }
  /// Wakes the waiting Pings of a user.
  void notify(user_id u) {
    std::vector<std::shared_ptr<waiter>> woken;
    const auto [first, last] = by_user_.equal_range(u);
    for (auto it = first; it != last; ++it)
      if (auto w = it->second.alive.lock()) woken.push_back(std::move(w));
    for (const auto& w : woken) w->wake();
  }
  [[nodiscard]] std::size_t size() const noexcept { return by_user_.size(); }

 private:
  struct entry {
    const waiter* key;
    std::weak_ptr<waiter> alive;
  };
  std::multimap<user_id, entry> by_user_;
};

/// What the connections share: the router, the limits, the waiting Pings and how many
/// connections are open.
struct server_state {
  router& route;
  limits limit;
  ping_waiters waiters;
  std::size_t connections = 0;
};

template <class Stream>
class connection : public std::enable_shared_from_this<connection<Stream>>,
                   public ping_waiters::waiter {
 public:
  static constexpr bool tls = std::is_same_v<Stream, tls_stream>;
  using clock = std::chrono::steady_clock;

  /// `refuse`: the server is full; the connection answers 503 and closes.
  connection(Stream s, server_state& state, bool refuse)
      : stream_(std::move(s)),
        state_(state),
        refuse_(refuse),
        ping_timer_(executor()),
        deadline_timer_(executor()) {
    if (!refuse_) ++state_.connections;
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() override {
    if (waiting_) state_.waiters.remove(user_, this);
    if (!refuse_) --state_.connections;
  }

  void start() {
    arm(clock::now() + state_.limit.read_timeout);  // the TLS handshake
    if constexpr (tls) {
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](std::error_code ec) {
                                if (!ec) self->begin();
                              });
    } else {
      begin();
    }
  }

  void wake() override {
    if (!waiting_) return;
    woken_ = true;
    ping_timer_.cancel();
  }

 private:
  auto executor() { return stream_.get_executor(); }
  tcp::socket& socket() {
    if constexpr (tls)
      return stream_.next_layer();
    else
      return stream_;
  }

  // MS-ASHTTP 3.1.5.2.3: over a limit, 503 and when to retry
  [[nodiscard]] http::response unavailable() const {
    return {503, {{"Retry-After", std::to_string(state_.limit.retry_after.count())}}, {}};
  }

  void begin() {
    if (refuse_) return send(unavailable(), false);
    next();
  }

  /// Closes the connection at `at` unless re-armed before: whatever it waits for then fails.
  void arm(clock::time_point at) {
    deadline_timer_.expires_at(at);
    deadline_timer_.async_wait([weak = this->weak_from_this()](std::error_code ec) {
      const auto self = weak.lock();
      // a handler already queued when the timer was re-armed sees the later expiry
      if (ec || !self || self->deadline_timer_.expiry() > clock::now()) return;
      self->stop();
    });
  }

  /// Ends the connection now (a timeout, or the peer gone): pending operations fail.
  void stop() {
    leave_ping();
    deadline_timer_.cancel();
    ping_timer_.cancel();
    std::error_code ignored;
    socket().close(ignored);
  }

  /// Parses what is buffered; reads more, or answers a whole request.
  void next() {
    if (!pending_.empty()) {
      auto used = parser_.parse(pending_);
      if (!used) return send(http::response{http::status_of(used.error()), {}, {}}, false);
      pending_.erase(0, *used);
      if (parser_.done()) return dispatch();
      // RFC 9110 10.1.1: tell a client waiting on Expect: 100-continue to send the body
      if (parser_.headers_done() && !continued_ &&
          http::detail::iequals(parser_.get().find("Expect").value_or(""), "100-continue")) {
        continued_ = true;
        auto msg = std::make_shared<std::string>("HTTP/1.1 100 Continue\r\n\r\n");
        return asio::async_write(
            stream_, asio::buffer(*msg),
            [self = this->shared_from_this(), msg](std::error_code ec, std::size_t) {
              if (!ec) self->read();
            });
      }
    }
    read();
  }

  /// One read at a time; one may still be outstanding from a Ping's wait. Between requests the
  /// idle timeout applies, within the headers the read timeout from their first byte, within a
  /// body the read timeout for each read; a waiting Ping has its heartbeat instead.
  void read() {
    if (waiting_)
      deadline_timer_.cancel();
    else if (!started_)
      arm(clock::now() + state_.limit.idle_timeout);
    else
      arm(parser_.headers_done() ? clock::now() + state_.limit.read_timeout : head_deadline_);
    if (reading_) return;
    reading_ = true;
    stream_.async_read_some(asio::buffer(buffer_), [self = this->shared_from_this()](
                                                       std::error_code ec, std::size_t n) {
      self->reading_ = false;
      if (ec) return self->stop();  // closed, reset, TLS error, timeout
      if (!self->started_) {
        self->started_ = true;
        self->head_deadline_ = clock::now() + self->state_.limit.read_timeout;
      }
      self->pending_.append(self->buffer_.data(), n);
      if (!self->waiting_) self->next();  // else after the Ping's answer
    });
  }

  void dispatch() {
    const auto t0 = clock::now();
    auto out = state_.route.handle(parser_.get(), tls);
    if (out.now) {
      // W3C Server Timing: the time the server spent on the request, for load drivers
      const std::chrono::duration<double, std::milli> took = clock::now() - t0;
      char dur[32];
      std::snprintf(dur, sizeof dur, "app;dur=%.3f", took.count());
      out.now->headers.emplace_back("Server-Timing", dur);
      return send(*out.now, parser_.get().keep_alive);
    }
    if (state_.waiters.size() >= state_.limit.max_pings)
      return send(unavailable(), parser_.get().keep_alive);
    poll_ = std::move(out.poll);
    user_ = out.user;
    ping_deadline_ = clock::now() + out.heartbeat;
    waiting_ = true;
    woken_ = false;
    state_.waiters.add(user_, this->shared_from_this());
    wait();
    read();  // notices a client that goes away while its Ping waits
  }

  /// Ping: sleep until the heartbeat is over or a change of the user wakes us, then look.
  void wait() {
    ping_timer_.expires_at(ping_deadline_);
    ping_timer_.async_wait([self = this->shared_from_this()](std::error_code ec) {
      if (!self->waiting_ || (ec && !std::exchange(self->woken_, false))) return;  // stopped
      self->woken_ = false;
      std::optional<http::response> r;
      try {
        r = self->poll_(clock::now() >= self->ping_deadline_);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "oxwire-server: %s\n", e.what());
        r = status_only(500);
      }
      if (!r) return self->wait();
      self->leave_ping();
      self->send(*r, self->parser_.get().keep_alive);
    });
  }

  void leave_ping() {
    if (!waiting_) return;
    state_.waiters.remove(user_, this);
    waiting_ = false;
    poll_ = nullptr;
  }

  void send(const http::response& r, bool keep_alive) {
    arm(clock::now() + state_.limit.read_timeout);  // an answer nobody reads
    auto bytes = std::make_shared<std::string>(http::write(r, keep_alive));
    asio::async_write(
        stream_, asio::buffer(*bytes),
        [self = this->shared_from_this(), bytes, keep_alive](std::error_code ec, std::size_t) {
          if (ec) return self->stop();
          if (!keep_alive) return self->close();
          self->parser_.reset();
          self->continued_ = false;
          self->started_ = !self->pending_.empty();  // pipelined, or sent during a Ping
          self->head_deadline_ = clock::now() + self->state_.limit.read_timeout;
          self->next();
        });
  }

  void close() {
    if constexpr (tls) {
      stream_.async_shutdown([self = this->shared_from_this()](std::error_code) { self->stop(); });
    } else {
      std::error_code ignored;
      socket().shutdown(tcp::socket::shutdown_both, ignored);
      stop();
    }
  }

  Stream stream_;
  server_state& state_;
  bool refuse_;
  asio::steady_timer ping_timer_, deadline_timer_;
  http::request_parser parser_;
  std::array<char, 16 * 1024> buffer_{};
  std::string pending_;
  bool continued_ = false, reading_ = false, started_ = false;
  clock::time_point head_deadline_{};
  // a waiting Ping
  bool waiting_ = false, woken_ = false;
  user_id user_ = 0;
  std::function<std::optional<http::response>(bool)> poll_;
  clock::time_point ping_deadline_{};
};

/// Accepts connections on one endpoint; `tls_ctx` null: plain HTTP.
class listener {
 public:
  listener(asio::io_context& io, const tcp::endpoint& at, server_state& state,
           asio::ssl::context* tls_ctx = nullptr)
      : acceptor_(io, at), backoff_(io), state_(state), tls_ctx_(tls_ctx) {}

  /// The bound endpoint (the real port when 0 was asked for).
  [[nodiscard]] tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void accept() {
    acceptor_.async_accept([this](std::error_code ec, tcp::socket s) {
      if (ec == asio::error::no_descriptors) {
        // out of file descriptors: let some connections end before accepting again
        backoff_.expires_after(std::chrono::milliseconds(100));
        return backoff_.async_wait([this](std::error_code) { accept(); });
      }
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        const bool full = state_.connections >= state_.limit.max_connections;
        if (tls_ctx_)
          std::make_shared<connection<tls_stream>>(tls_stream(std::move(s), *tls_ctx_), state_,
                                                   full)
              ->start();
        else
          std::make_shared<connection<tcp::socket>>(std::move(s), state_, full)->start();
      }
      accept();
    });
  }

 private:
  tcp::acceptor acceptor_;
  asio::steady_timer backoff_;
  server_state& state_;
  asio::ssl::context* tls_ctx_;
};

}  // namespace oxwire_server
