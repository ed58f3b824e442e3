// HTTP/1.1 over Asio (completion handlers, no coroutines: clang 14 builds it): one listener per
// address, one connection object per socket (plain or TLS), keep-alive and pipelining through
// the incremental parser, 100-continue, and Ping's long poll on a timer.
#pragma once

#include "router.hpp"

#include <oxwire/http/request_parser.hpp>

#include <asio.hpp>
#include <asio/ssl.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>

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

template <class Stream>
class connection : public std::enable_shared_from_this<connection<Stream>> {
 public:
  static constexpr bool tls = std::is_same_v<Stream, tls_stream>;
  static constexpr auto poll_every = std::chrono::milliseconds(500);

  connection(Stream s, router& r) : stream_(std::move(s)), router_(r), timer_(executor()) {}

  void start() {
    if constexpr (tls) {
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](std::error_code ec) {
                                if (!ec) self->next();
                              });
    } else {
      next();
    }
  }

 private:
  auto executor() { return stream_.get_executor(); }
  tcp::socket& socket() {
    if constexpr (tls)
      return stream_.next_layer();
    else
      return stream_;
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

  void read() {
    stream_.async_read_some(asio::buffer(buffer_),
                            [self = this->shared_from_this()](std::error_code ec, std::size_t n) {
                              if (ec) return;  // closed, reset or TLS error: drop the connection
                              self->pending_.append(self->buffer_.data(), n);
                              self->next();
                            });
  }

  void dispatch() {
    auto out = router_.handle(parser_.get(), tls);
    if (out.now) return send(std::move(*out.now), parser_.get().keep_alive);
    poll_ = std::move(out.poll);
    deadline_ = std::chrono::steady_clock::now() + out.heartbeat;
    wait();
  }

  /// Ping: look again every poll_every until something changed or the heartbeat is over.
  void wait() {
    timer_.expires_after(poll_every);
    timer_.async_wait([self = this->shared_from_this()](std::error_code ec) {
      if (ec) return;
      const bool expired = std::chrono::steady_clock::now() >= self->deadline_;
      std::optional<http::response> r;
      try {
        r = self->poll_(expired);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "oxwire-server: %s\n", e.what());
        r = status_only(500);
      }
      if (!r) return self->wait();
      self->poll_ = nullptr;
      self->send(std::move(*r), self->parser_.get().keep_alive);
    });
  }

  void send(const http::response& r, bool keep_alive) {
    auto bytes = std::make_shared<std::string>(http::write(r, keep_alive));
    asio::async_write(
        stream_, asio::buffer(*bytes),
        [self = this->shared_from_this(), bytes, keep_alive](std::error_code ec, std::size_t) {
          if (ec) return;
          if (!keep_alive) return self->close();
          self->parser_.reset();
          self->continued_ = false;
          self->next();
        });
  }

  void close() {
    if constexpr (tls) {
      stream_.async_shutdown([self = this->shared_from_this()](std::error_code) {
        std::error_code ignored;
        self->socket().close(ignored);
      });
    } else {
      std::error_code ignored;
      socket().shutdown(tcp::socket::shutdown_both, ignored);
      socket().close(ignored);
    }
  }

  Stream stream_;
  router& router_;
  asio::steady_timer timer_;
  http::request_parser parser_;
  std::array<char, 16 * 1024> buffer_{};
  std::string pending_;
  bool continued_ = false;
  std::function<std::optional<http::response>(bool)> poll_;
  std::chrono::steady_clock::time_point deadline_{};
};

/// Accepts connections on one endpoint; `tls_ctx` null: plain HTTP.
class listener {
 public:
  listener(asio::io_context& io, const tcp::endpoint& at, router& r,
           asio::ssl::context* tls_ctx = nullptr)
      : acceptor_(io, at), router_(r), tls_ctx_(tls_ctx) {}

  /// The bound endpoint (the real port when 0 was asked for).
  [[nodiscard]] tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void accept() {
    acceptor_.async_accept([this](std::error_code ec, tcp::socket s) {
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        if (tls_ctx_)
          std::make_shared<connection<tls_stream>>(tls_stream(std::move(s), *tls_ctx_), router_)
              ->start();
        else
          std::make_shared<connection<tcp::socket>>(std::move(s), router_)->start();
      }
      accept();
    });
  }

 private:
  tcp::acceptor acceptor_;
  router& router_;
  asio::ssl::context* tls_ctx_;
};

}  // namespace oxwire_server
