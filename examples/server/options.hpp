// Command line of oxwire-server.
#pragma once

#include <charconv>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace oxwire_server {

inline constexpr std::string_view usage =
    "usage: oxwire-server [--http ADDR:PORT] [--https ADDR:PORT] [--data DIR]\n"
    "                     [--cert FILE --key FILE] [--demo USER:PASSWORD]\n"
    "                     [--max-connections N] [--max-pings N] [--idle-timeout S]\n"
    "                     [--read-timeout S] [--stale-days D]\n"
    "  --http / --https  listen there (port 0: any free port; the address is printed)\n"
    "  --data DIR        the store and the generated certificate (default ./oxwire-data)\n"
    "  --cert, --key     PEM certificate chain and key for --https (default: self-signed,\n"
    "                    made on first start in DIR)\n"
    "  --demo U:P        create user U with password P and a demo mailbox if U does not exist\n"
    "  --max-connections N  open connections at most (default 16384); one more is answered\n"
    "                    503 Service Unavailable with Retry-After and closed\n"
    "  --max-pings N     Pings waiting at once at most (default 16384); more: 503\n"
    "  --idle-timeout S  close a keep-alive connection idle between requests (default 120)\n"
    "  --read-timeout S  a request's headers, the TLS handshake, each later read of a body and\n"
    "                    each write must complete within S seconds (default 30)\n"
    "  --stale-days D    a device that has not synced a folder for D days no longer holds\n"
    "                    back its deletion records; it compares the folder when back (30)\n"
    "Without --http or --https: --http 127.0.0.1:8080.\n";

/// Connection limits and timeouts (MS-ASHTTP 3.1.5.2.3: over a limit, 503 with Retry-After).
struct limits {
  std::size_t max_connections = 16384;
  std::size_t max_pings = 16384;
  std::chrono::seconds idle_timeout{120};
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds retry_after{30};
  std::chrono::days stale_after{30};  // store::stale_after
};

struct options {
  std::optional<std::string> http, https;
  std::filesystem::path data = "oxwire-data";
  std::optional<std::filesystem::path> cert, key;
  std::optional<std::pair<std::string, std::string>> demo;
  oxwire_server::limits limits;
};

/// A positive decimal number of an option.
inline std::size_t positive(std::string_view option, const std::string& v) {
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n == 0 || n > 1'000'000'000)
    throw std::invalid_argument(std::string(option) + " takes a positive number");
  return n;
}

/// The options of argv; std::invalid_argument with a message on a bad command line.
inline options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("missing value after " + std::string(a));
    const std::string v = argv[++i];
    if (a == "--http")
      o.http = v;
    else if (a == "--https")
      o.https = v;
    else if (a == "--data")
      o.data = v;
    else if (a == "--cert")
      o.cert = v;
    else if (a == "--key")
      o.key = v;
    else if (a == "--max-connections")
      o.limits.max_connections = positive(a, v);
    else if (a == "--max-pings")
      o.limits.max_pings = positive(a, v);
    else if (a == "--idle-timeout")
      o.limits.idle_timeout = std::chrono::seconds(positive(a, v));
    else if (a == "--read-timeout")
      o.limits.read_timeout = std::chrono::seconds(positive(a, v));
    else if (a == "--stale-days")
      o.limits.stale_after = std::chrono::days(positive(a, v));
    else if (a == "--demo") {
      const auto colon = v.find(':');
      if (colon == std::string::npos || colon == 0)
        throw std::invalid_argument("--demo takes USER:PASSWORD");
      o.demo = {{v.substr(0, colon), v.substr(colon + 1)}};
    } else {
      throw std::invalid_argument("unknown option " + std::string(a));
    }
  }
  if (o.cert.has_value() != o.key.has_value())
    throw std::invalid_argument("--cert and --key go together");
  if (!o.http && !o.https) o.http = "127.0.0.1:8080";
  return o;
}

}  // namespace oxwire_server
