// oxwire — finding MS-OXPROPS properties by name, alternate name, tag, LID or string name.
//
//   const auto* p = oxwire::mapi::find_property("PR_SUBJECT_W");   // PidTagSubject
//   static_assert(oxwire::mapi::find_property("PidTagSubject")->id == 0x0037);
//   find_property(property_tag{0x0037001E})                          // PidTagSubject (String8)
//   find_named_property(propset::PSETID_Common, 0x8501)              // PidLidReminderDelta
//
// Two lists are searched, the MS-OXPROPS list first, then the names mfcmapi and openchange give
// to properties the spec does not list; an entry from the second has `nonspec == true`. Every
// function is constexpr and returns nullptr (or an empty result) for what no list holds.
#pragma once

#include <oxwire/core/guid.hpp>
#include <oxwire/gen/detail/hash_index.hpp>
#include <oxwire/gen/mapi/properties.hpp>
#include <oxwire/gen/mapi/property_sets.hpp>
#include <oxwire/mapi/property_tag.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace oxwire::mapi {

using gen::mapi::property_entry;
using gen::mapi::property_set_entry;

/// Every entry listed under one name: rows of gen::mapi::properties, then of
/// gen::mapi::properties_nonspec. Within each list, entries whose canonical name it is come
/// before entries that list it as an alternate, each in source order.
struct property_matches {
  std::span<const std::uint16_t> spec{};
  std::span<const std::uint16_t> nonspec{};

  [[nodiscard]] constexpr std::size_t size() const noexcept { return spec.size() + nonspec.size(); }
  [[nodiscard]] constexpr bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] constexpr const property_entry& operator[](std::size_t i) const noexcept {
    return i < spec.size() ? gen::mapi::properties[spec[i]]
                           : gen::mapi::properties_nonspec[nonspec[i - spec.size()]];
  }
};

/// Every entry whose canonical name or alternate name is `name` (case-sensitive, as MS-OXPROPS
/// spells it). Most names have one entry; a few alternates have several (e.g.
/// "urn:schemas:calendar:locationurl": PidNameCalendarLocationUrl and PidNameLocationUrl).
[[nodiscard]] constexpr property_matches find_properties(std::string_view name) noexcept {
  const std::uint64_t h = oxwire::detail::hash_string(name);
  return {gen::mapi::find_properties_by_any_name(name, h),
          gen::mapi::find_properties_nonspec_by_any_name(name, h)};
}

/// The first of find_properties(name): the MS-OXPROPS entry with this canonical name, else the
/// first listing it as an alternate, else the same in the non-spec list; nullptr if none.
///   find_property("PR_SUBJECT")->canonical == "PidTagSubject"
[[nodiscard]] constexpr const property_entry* find_property(std::string_view name) noexcept {
  const std::uint64_t h = oxwire::detail::hash_string(name);
  if (auto s = gen::mapi::find_properties_by_any_name(name, h); !s.empty())
    return &gen::mapi::properties[s.front()];
  if (auto s = gen::mapi::find_properties_nonspec_by_any_name(name, h); !s.empty())
    return &gen::mapi::properties_nonspec[s.front()];
  return nullptr;
}

namespace detail {

// MS-OXCDATA 2.11.1: PtypString8/PtypString (and their multi-valued forms) are one property
// in two encodings; 0x2000 (MultiValueInstance, 2.11.1.2) only marks a table column.
[[nodiscard]] constexpr int type_distance(std::uint16_t wanted, std::uint16_t canonical) noexcept {
  wanted &= static_cast<std::uint16_t>(~0x2000u);
  if (wanted == canonical) return 0;
  const auto unicode = [](std::uint16_t t) {
    return t == 0x001E ? std::uint16_t{0x001F} : t == 0x101E ? std::uint16_t{0x101F} : t;
  };
  return unicode(wanted) == unicode(canonical) ? 1 : 2;
}

}  // namespace detail

/// The tagged (PidTag*) entry for `tag`: same id and type, else the same id with the other
/// string encoding (PtypString8 for PtypString), else the same id with any type; MS-OXPROPS
/// before non-spec at each step. nullptr if no entry has the id.
///   find_property(property_tag{0x0037001E})->canonical == "PidTagSubject"
[[nodiscard]] constexpr const property_entry* find_property(property_tag tag) noexcept {
  const property_entry* best = nullptr;
  int best_distance = 3;
  const auto consider = [&](const auto& rows, std::span<const std::uint16_t> hits) {
    for (auto i : hits) {
      const int d =
          detail::type_distance(static_cast<std::uint16_t>(tag.type()), rows[i].type_code);
      if (d < best_distance) best = &rows[i], best_distance = d;
    }
  };
  // Spec rows first; a non-spec row replaces the choice only with a strictly closer type.
  consider(gen::mapi::properties, gen::mapi::find_properties_by_id("tag", tag.id()));
  consider(gen::mapi::properties_nonspec,
           gen::mapi::find_properties_nonspec_by_id("tag", tag.id()));
  return best;
}

/// The property set with this name (PS_PUBLIC_STRINGS, PSETID_Common, ...), or nullptr.
[[nodiscard]] constexpr const property_set_entry* find_property_set(
    std::string_view name) noexcept {
  return gen::mapi::find_property_set_by_name(name);
}

/// The property set with this GUID, or nullptr.
[[nodiscard]] constexpr const property_set_entry* find_property_set(
    const oxwire::guid& set) noexcept {
  return gen::mapi::find_property_set_by_guid(set);
}

/// The GUID of a property set name: property_set_guid("PSETID_Common") ==
/// guid::from_string("{00062008-0000-0000-C000-000000000046}").
[[nodiscard]] constexpr std::optional<oxwire::guid> property_set_guid(
    std::string_view name) noexcept {
  const auto* s = find_property_set(name);
  return s ? std::optional<oxwire::guid>(s->guid) : std::nullopt;
}

/// The name of a property set GUID, or "" if MS-OXPROPS 1.3.2 (and mfcmapi/openchange) name none.
[[nodiscard]] constexpr std::string_view property_set_name(const oxwire::guid& set) noexcept {
  const auto* s = find_property_set(set);
  return s ? s->name : std::string_view{};
}

namespace detail {

// The first entry of `hits` (indices into `rows`) that passes `keep`, or nullptr.
template <class Rows, class Keep>
[[nodiscard]] constexpr const property_entry* first_of(const Rows& rows,
                                                       std::span<const std::uint16_t> hits,
                                                       Keep keep) noexcept {
  for (auto i : hits)
    if (keep(rows[i])) return &rows[i];
  return nullptr;
}

}  // namespace detail

/// The PidLid* entry for LID `lid` in property set `set` (MS-OXCDATA 2.6.1 MNID_ID), or nullptr.
///   find_named_property(propset::PSETID_Common, 0x8501)->canonical == "PidLidReminderDelta"
[[nodiscard]] constexpr const property_entry* find_named_property(const oxwire::guid& set,
                                                                  std::uint32_t lid) noexcept {
  const std::string_view set_name = property_set_name(set);
  if (set_name.empty()) return nullptr;
  const auto in_set = [&](const property_entry& e) { return e.propset == set_name; };
  if (const auto* e = detail::first_of(gen::mapi::properties,
                                       gen::mapi::find_properties_by_id("lid", lid), in_set))
    return e;
  return detail::first_of(gen::mapi::properties_nonspec,
                          gen::mapi::find_properties_nonspec_by_id("lid", lid), in_set);
}

/// The PidName* entry for string name `name` in property set `set` (MS-OXCDATA 2.6.1
/// MNID_STRING; compared case-sensitively), or nullptr.
///   find_named_property(propset::PS_PUBLIC_STRINGS, "Keywords")->canonical == "PidNameKeywords"
[[nodiscard]] constexpr const property_entry* find_named_property(const oxwire::guid& set,
                                                                  std::string_view name) noexcept {
  const std::string_view set_name = property_set_name(set);
  if (set_name.empty() || name.empty()) return nullptr;
  const auto any = [](const property_entry&) { return true; };
  if (const auto* e = detail::first_of(gen::mapi::properties,
                                       gen::mapi::find_properties_by_set_name(set_name, name), any))
    return e;
  return detail::first_of(gen::mapi::properties_nonspec,
                          gen::mapi::find_properties_nonspec_by_set_name(set_name, name), any);
}

/// The tag of a PidTag* entry with its canonical type; nullopt for named properties.
[[nodiscard]] constexpr std::optional<property_tag> tag_of(const property_entry& e) noexcept {
  if (e.kind != "tag") return std::nullopt;
  return property_tag::make(static_cast<std::uint16_t>(e.id),
                            static_cast<PropertyType>(e.type_code));
}

}  // namespace oxwire::mapi
