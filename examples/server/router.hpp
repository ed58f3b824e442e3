// Which endpoint a request goes to, after Basic authentication (MS-ASHTTP 2.2.1.1.2.2) of every
// request: /Microsoft-Server-ActiveSync and /autodiscover/autodiscover.xml (any case).
#pragma once

#include "activesync_service.hpp"
#include "autodiscover.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/http/request_parser.hpp>
#include <oxwire/server/store.hpp>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

namespace oxwire_server {

class router {
 public:
  explicit router(store& db) : db_(db), activesync_(db) {
    std::array<unsigned char, 32> secret{};
    if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1)
      throw oxwire::server::store_error("RAND_bytes failed");
    // The HMAC-SHA-256 key set once; each request duplicates this context (fetching the
    // algorithms per request cost more than the hash).
    const std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(
        EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
    if (mac) hmac_.reset(EVP_MAC_CTX_new(mac.get()));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!hmac_ || !EVP_MAC_init(hmac_.get(), secret.data(), secret.size(), params))
      throw oxwire::server::store_error("HMAC setup failed");
    OPENSSL_cleanse(secret.data(), secret.size());
  }

  /// The answer to one request; `tls` says which listener it came through (for URLs).
  [[nodiscard]] outcome handle(const http::request& req, bool tls) {
    try {
      return route(req, tls);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "oxwire-server: %s\n", e.what());
      return {status_only(500), {}, {}};
    }
  }

 private:
  outcome route(const http::request& req, bool tls) {
    std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
    if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // ".../ActiveSync/?Cmd="
    const bool is_as = http::detail::iequals(path, "/Microsoft-Server-ActiveSync");
    const bool is_disco = http::detail::iequals(path, "/autodiscover/autodiscover.xml");
    if (!is_as && !is_disco) return {status_only(404), {}, {}};
    const auto user = authenticate(req);
    if (!user)
      return {http::response{401, {{"WWW-Authenticate", "Basic realm=\"oxwire\""}}, {}}, {}, {}};
    if (is_disco) {
      if (req.method != "POST") return {http::response{405, {{"Allow", "POST"}}, {}}, {}, {}};
      const auto host = req.find("Host");
      const std::string base = (tls ? "https://" : "http://") + std::string(host.value_or(""));
      return {autodiscover::handle(req, user->second, base), {}, {}};
    }
    if (req.method == "OPTIONS") return {activesync_.options(), {}, {}};
    if (req.method != "POST") return {http::response{405, {{"Allow", "OPTIONS,POST"}}, {}}, {}, {}};
    return activesync_.post(user->first, req);
  }

  /// The user of the Authorization header, or nullopt. A verified (user, password) pair is
  /// remembered as an HMAC-SHA-256 so that PBKDF2 runs once per password, not per request.
  std::optional<std::pair<user_id, std::string>> authenticate(const http::request& req) {
    std::vector<as::header_field> fields;
    for (const auto& [n, v] : req.headers) fields.emplace_back(n, v);
    auto basic = as::request_headers(fields).basic();
    if (!basic || !*basic) return std::nullopt;
    const auto& [name, password] = **basic;
    const std::string message = name + '\0' + password;  // NUL keeps user and password apart
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    std::size_t size = 0;
    const std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> h(EVP_MAC_CTX_dup(hmac_.get()),
                                                                      EVP_MAC_CTX_free);
    if (!h ||
        !EVP_MAC_update(h.get(), reinterpret_cast<const unsigned char*>(message.data()),
                        message.size()) ||
        !EVP_MAC_final(h.get(), digest.data(), &size, digest.size()))
      throw oxwire::server::store_error("HMAC failed");
    if (const auto it = cache_.find(name);
        it != cache_.end() &&
        CRYPTO_memcmp(it->second.first.data(), digest.data(), digest.size()) == 0)
      return std::pair{it->second.second, name};
    const auto id = db_.authenticate(name, password);
    if (!id) return std::nullopt;
    if (cache_.size() >= 4096) cache_.clear();
    cache_[name] = {digest, *id};
    return std::pair{*id, name};
  }

  store& db_;
  activesync_service activesync_;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> hmac_{nullptr, EVP_MAC_CTX_free};
  std::map<std::string, std::pair<std::array<unsigned char, SHA256_DIGEST_LENGTH>, user_id>> cache_;
};

}  // namespace oxwire_server
