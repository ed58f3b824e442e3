// Must not compile: PidTagSubject is a PtypString, its value cannot be read as an integer.
#include <oxwire/mapi/property_bag.hpp>

int main() {
  using namespace oxwire::mapi;
  constexpr tagged_property<PropertyType::PtypString> PidTagSubject{0x0037, "PidTagSubject"};
  property_bag bag;
  std::optional<std::int32_t> wrong = bag.get(PidTagSubject);
  return wrong ? 0 : 1;
}
