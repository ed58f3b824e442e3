// Must not compile: PidTagImportance is a PtypInteger32, a string cannot be stored in it.
#include <oxwire/mapi/property_bag.hpp>

int main() {
  using namespace oxwire::mapi;
  constexpr tagged_property<PropertyType::PtypInteger32> PidTagImportance{0x0017,
                                                                          "PidTagImportance"};
  property_bag bag;
  bag.set(PidTagImportance, u"high");
  return 0;
}
