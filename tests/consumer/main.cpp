// Builds against an installed oxwire through find_package(oxwire CONFIG REQUIRED).
#include <cstdio>
#include <oxwire/core.hpp>
#include <oxwire/gen/rop/rop_ids.hpp>
#include <oxwire/version.hpp>

int main() {
  static_assert(oxwire::gen::rop::find_rop_by_name("RopLogon")->ropid == 0xFE);
  auto decoded = oxwire::base64::decode("b3h3aXJl");
  if (!decoded || oxwire::as_chars(*decoded) != "oxwire") return 1;
  std::printf("installed oxwire %s works\n", OXWIRE_VERSION_STRING);
  return 0;
}
