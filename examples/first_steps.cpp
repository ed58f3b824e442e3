// First steps with oxwire: the core layer and the generated spec tables, used as a user would.
// Build: any C++20 compiler with `-I include` (or find_package(oxwire) and link oxwire::oxwire).
#include <cstdio>
#include <oxwire/core.hpp>
#include <oxwire/gen/mapi/property_sets.hpp>
#include <oxwire/gen/rop/rop_ids.hpp>

int main() {
  // A little-endian structure, read with bounds checks: a RopId, a LogonId and a UTF-16LE name.
  const std::uint8_t wire[] = {0xFE, 0x00, 'I', 0, 'n', 0, 'b', 0, 'o', 0, 'x', 0, 0, 0};
  oxwire::reader in(wire);
  auto rop_id = in.read<std::uint8_t>();
  auto logon_id = in.read<std::uint8_t>();
  auto name = in.until_u16_nul();
  if (!rop_id || !logon_id || !name) return 1;

  // Spec tables come generated from specs/: look the ROP up by its id, at run time or compile time.
  const auto* rop = oxwire::gen::rop::find_rop_by_id(*rop_id);
  static_assert(oxwire::gen::rop::find_rop_by_name("RopLogon")->ropid ==
                static_cast<std::uint8_t>(oxwire::gen::rop::RopId::RopLogon));

  // UTF-16LE -> UTF-8, validated (lone surrogates are errors with their byte offset).
  auto utf8 = oxwire::utf16::to_utf8(*name);
  if (!rop || !utf8) return 1;
  std::printf("%.*s (0x%02X) on logon %u, name \"%s\"\n", static_cast<int>(rop->name.size()),
              rop->name.data(), *rop_id, *logon_id, utf8->c_str());

  // Bad input is an error value naming what failed and where, never a crash.
  const std::uint8_t broken[] = {'A', 0, 0x00, 0xD8, 'B', 0};  // lone high surrogate at offset 2
  auto bad = oxwire::utf16::to_utf8(broken);
  if (bad) return 1;
  std::printf("rejected: %s\n", bad.error().message().c_str());

  // GUIDs of property sets, FILETIMEs, base64.
  const auto* ps = oxwire::gen::mapi::find_property_set_by_name("PS_PUBLIC_STRINGS");
  std::printf("%s = %s\n", "PS_PUBLIC_STRINGS", ps->guid.to_string().c_str());
  const auto t = oxwire::from_filetime(116444736000000000ULL);
  std::printf("FILETIME 116444736000000000 is the Unix epoch: %s\n",
              t.time_since_epoch().count() == 0 ? "yes" : "no");
  std::printf("base64: %s\n", oxwire::base64::encode(oxwire::as_bytes("oxwire")).c_str());
  return 0;
}
