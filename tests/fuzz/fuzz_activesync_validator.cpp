// libFuzzer: the ActiveSync schema validator never crashes and is deterministic — the same
// input gives the same result (and path) for every version, direction and for event feeding.
#include <oxwire/activesync/validator.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace oxwire::activesync;
  if (size < 1) return 0;
  // First byte: version (low 3 bits), direction, fragment mode.
  const auto& versions = protocol_versions;
  const protocol_version v = versions[(data[0] & 7) % versions.size()].version;
  validate_options opt;
  opt.dir = (data[0] & 8) ? direction::request : direction::response;
  opt.wbxml.fragment = (data[0] & 16) != 0;
  opt.wbxml.max_depth = validator_max_depth;  // what run() uses, so feeding matches it
  const oxwire::bytes_view in(data + 1, size - 1);

  validator a(v, opt);
  const auto ra = a.run(in);
  const std::string path(a.path());
  validator b(v, opt);
  const auto rb = b.run(in);
  if (static_cast<bool>(ra) != static_cast<bool>(rb) || path != b.path()) std::abort();
  if (!ra && !(ra.error() == rb.error())) std::abort();

  // Feeding events one by one reports the same first schema violation.
  auto tok = oxwire::wbxml::tokenizer::create(in, opt.wbxml);
  if (!tok) return 0;
  validator c(v, opt);
  for (;;) {
    auto ev = tok->next();
    if (!ev || ev->kind == oxwire::wbxml::event_kind::eof) break;
    if (!c.feed(*ev)) break;
  }
  if (!c.path().empty() && (ra || c.path() != path)) std::abort();
  return 0;
}
