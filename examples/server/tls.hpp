// The TLS context of the --https listener: the given certificate and key, or a self-signed
// certificate (EC P-256, CN and SAN localhost / 127.0.0.1, one year) made with OpenSSL on first
// start and kept in the data directory.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <asio/ssl.hpp>

#include <sys/stat.h>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace oxwire_server {

namespace detail_tls {
template <class T, void (*F)(T*)>
using owned = std::unique_ptr<T, std::integral_constant<decltype(F), F>>;

inline void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("openssl: ") + what);
}

inline void close_file(FILE* f) {
  std::fclose(f);
}

inline void write_pem(const std::filesystem::path& file, bool secret, auto&& write) {
  const mode_t old = ::umask(secret ? 077 : 022);
  owned<FILE, close_file> f(std::fopen(file.c_str(), "wb"));
  ::umask(old);
  check(f != nullptr, "cannot create certificate file");
  check(write(f.get()) == 1, "PEM write");
}
}  // namespace detail_tls

/// Makes `cert` and `key` (PEM) with a new self-signed certificate.
inline void make_self_signed(const std::filesystem::path& cert, const std::filesystem::path& key) {
  using namespace detail_tls;
  owned<EVP_PKEY, EVP_PKEY_free> pkey(EVP_EC_gen("P-256"));
  check(pkey != nullptr, "EC key generation");
  owned<X509, X509_free> x(X509_new());
  check(x != nullptr, "X509_new");
  X509_set_version(x.get(), 2);
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
  serial[0] &= 0x7F;
  owned<BIGNUM, BN_free> bn(BN_bin2bn(serial, sizeof serial, nullptr));
  check(bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x.get())), "serial");
  X509_gmtime_adj(X509_getm_notBefore(x.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 365L * 24 * 3600);
  X509_set_pubkey(x.get(), pkey.get());
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
  owned<X509_EXTENSION, X509_EXTENSION_free> san(X509V3_EXT_conf_nid(
      nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"));
  check(san && X509_add_ext(x.get(), san.get(), -1), "subjectAltName");
  check(X509_sign(x.get(), pkey.get(), EVP_sha256()) > 0, "X509_sign");
  write_pem(key, true, [&](FILE* f) {
    return PEM_write_PrivateKey(f, pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  write_pem(cert, false, [&](FILE* f) { return PEM_write_X509(f, x.get()); });
}

/// A server TLS context (TLS 1.2 and up) from PEM files.
inline asio::ssl::context tls_context(const std::filesystem::path& cert,
                                      const std::filesystem::path& key) {
  asio::ssl::context ctx(asio::ssl::context::tls_server);
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1);
  ctx.use_certificate_chain_file(cert.string());
  ctx.use_private_key_file(key.string(), asio::ssl::context::pem);
  return ctx;
}

}  // namespace oxwire_server
