// Command line of oxwire-server.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace oxwire_server {

inline constexpr std::string_view usage =
    "usage: oxwire-server [--http ADDR:PORT] [--https ADDR:PORT] [--data DIR]\n"
    "                     [--cert FILE --key FILE] [--demo USER:PASSWORD]\n"
    "  --http / --https  listen there (port 0: any free port; the address is printed)\n"
    "  --data DIR        the store and the generated certificate (default ./oxwire-data)\n"
    "  --cert, --key     PEM certificate chain and key for --https (default: self-signed,\n"
    "                    made on first start in DIR)\n"
    "  --demo U:P        create user U with password P and a demo mailbox if U does not exist\n"
    "Without --http or --https: --http 127.0.0.1:8080.\n";

struct options {
  std::optional<std::string> http, https;
  std::filesystem::path data = "oxwire-data";
  std::optional<std::filesystem::path> cert, key;
  std::optional<std::pair<std::string, std::string>> demo;
};

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
