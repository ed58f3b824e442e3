// oxwire — property tags and the compile-time property descriptors the generated list is made of.
//   constexpr auto t = prop::PidTagSubject.tag();   // property_tag{0x0037001F}
//   using V = value_type_t<decltype(prop::PidTagSubject)::type>;
#pragma once

#include <oxwire/core/guid.hpp>
#include <oxwire/gen/mapi/property_types.hpp>

#include <cstdint>
#include <string_view>

namespace oxwire::mapi {

using gen::mapi::PropertyType;

/// MS-OXCDATA 2.9 PropertyTag: PropertyType in the low 16 bits, PropertyId in the high 16.
struct property_tag {
  std::uint32_t value = 0;

  [[nodiscard]] static constexpr property_tag make(std::uint16_t id, PropertyType type) noexcept {
    return {static_cast<std::uint32_t>(id) << 16 | static_cast<std::uint16_t>(type)};
  }
  [[nodiscard]] constexpr std::uint16_t id() const noexcept {
    return static_cast<std::uint16_t>(value >> 16);
  }
  [[nodiscard]] constexpr PropertyType type() const noexcept {
    return static_cast<PropertyType>(value & 0xFFFF);
  }
  /// The same property with another type (MS-OXCDATA 2.11.1: PtypUnspecified in requests).
  [[nodiscard]] constexpr property_tag with_type(PropertyType t) const noexcept {
    return make(id(), t);
  }
  friend constexpr auto operator<=>(property_tag, property_tag) noexcept = default;
};

/// MS-OXPROPS tagged property (PidTag*): a fixed property id and its type.
template <PropertyType T>
struct tagged_property {
  static constexpr PropertyType type = T;
  std::uint16_t id = 0;
  std::string_view canonical{};

  [[nodiscard]] constexpr property_tag tag() const noexcept { return property_tag::make(id, T); }
};

/// MS-OXPROPS named property (PidLid* by LID, PidName* by string name) in its property set; the
/// property id is assigned per store and found through a name-to-id map (MS-OXCDATA 2.6.1).
template <PropertyType T>
struct named_property {
  static constexpr PropertyType type = T;
  oxwire::guid set{};
  std::uint32_t lid = 0;    // PidLid*: the LID; PidName*: 0
  std::string_view name{};  // PidName*: the string name (ASCII in MS-OXPROPS); PidLid*: empty
  std::string_view canonical{};

  [[nodiscard]] constexpr bool by_lid() const noexcept { return name.empty(); }
};

}  // namespace oxwire::mapi
