// oxwire-server: the reference ActiveSync server, assembled from the library's headers (HTTP
// parser, MS-ASHTTP, generated ActiveSync models, WBXML, MAPI property bags) and the parts in
// this directory. `oxwire-server --http 127.0.0.1:8080 --demo anna:secret`.
#include "demo_mailbox.hpp"
#include "listener.hpp"
#include "options.hpp"
#include "router.hpp"
#include "tls.hpp"

#include <oxwire/server/store.hpp>

#include <asio.hpp>

#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace server = oxwire_server;

/// Every connection is a file descriptor, and 10,000 idle Pings must fit: the soft limit goes
/// up to the hard one.
static void raise_file_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

int main(int argc, char** argv) try {
  const auto opt = server::parse_options(argc, argv);
  std::filesystem::create_directories(opt.data);
  oxwire::server::store db(opt.data / "oxwire.db");
  db.stale_after(opt.limits.stale_after);
  if (opt.demo && server::create_demo(db, opt.demo->first, opt.demo->second))
    std::printf("oxwire-server: created demo user %s\n", opt.demo->first.c_str());
  server::router router(db);
  server::server_state state{router, opt.limits, {}, 0};
  db.on_change([&state](oxwire::server::user_id u) { state.waiters.notify(u); });
  raise_file_limit();

  asio::io_context io;
  std::optional<asio::ssl::context> tls;
  std::vector<std::unique_ptr<server::listener>> listeners;
  const auto listen = [&](const std::string& at, const char* scheme, asio::ssl::context* ctx) {
    auto& l = listeners.emplace_back(
        std::make_unique<server::listener>(io, server::parse_endpoint(at), state, ctx));
    const auto ep = l->local_endpoint();
    std::printf("oxwire-server: listening on %s://%s:%u\n", scheme,
                ep.address().to_string().c_str(), ep.port());
    l->accept();
  };
  if (opt.http) listen(*opt.http, "http", nullptr);
  if (opt.https) {
    const auto cert = opt.cert.value_or(opt.data / "cert.pem");
    const auto key = opt.key.value_or(opt.data / "key.pem");
    if (!opt.cert && !std::filesystem::exists(cert)) server::make_self_signed(cert, key);
    tls.emplace(server::tls_context(cert, key));
    listen(*opt.https, "https", &*tls);
  }
  std::fflush(stdout);

  asio::signal_set stop(io, SIGINT, SIGTERM);
  stop.async_wait([&](std::error_code, int) { io.stop(); });
  io.run();
  db.on_change({});
  return 0;
} catch (const std::invalid_argument& e) {
  std::fprintf(stderr, "oxwire-server: %s\n%.*s", e.what(), int(server::usage.size()),
               server::usage.data());
  return 2;
} catch (const std::exception& e) {
  std::fprintf(stderr, "oxwire-server: %s\n", e.what());
  return 1;
}
