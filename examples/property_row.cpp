// A PropertyRow as a RopGetPropertiesSpecific response carries it (MS-OXCROPS 2.2.8.3): the
// client names the columns, the server sends their values in that order without tags. Decode it
// and read typed values through a property_bag.
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/property_bag.hpp>

#include <chrono>
#include <cstdio>

int main() {
  using namespace oxwire::mapi;
  const property_tag columns[] = {prop::PidTagSubject.tag(), prop::PidTagImportance.tag(),
                                  prop::PidTagMessageDeliveryTime.tag(),
                                  prop::PidTagHasAttachments.tag(), prop::PidTagBody.tag()};

  // MS-OXCDATA 2.8.1.2 FlaggedPropertyRow: Flag 0x01, then per column a FlaggedPropertyValue
  // (2.11.5): 0x00 and the value, or 0x0A and a PtypErrorCode saying why there is none.
  // clang-format off
  const std::uint8_t wire[] = {
      0x01,                                                                // FlaggedPropertyRow
      0x00, 'Q', 0, '3', 0, ' ', 0, 'p', 0, 'l', 0, 'a', 0, 'n', 0, 0, 0,  // Subject "Q3 plan"
      0x00, 0x02, 0x00, 0x00, 0x00,                                        // Importance 2 (high)
      0x00, 0xF6, 0xE5, 0xD4, 0xC3, 0xA2, 0xB1, 0xD9, 0x01,                // delivery FILETIME
      0x00, 0x01,                                                          // HasAttachments true
      0x0A, 0x0F, 0x01, 0x04, 0x80,                                        // Body: ecNotFound
  };
  // clang-format on

  oxwire::reader in(wire);
  auto row = decode_property_row(in, columns);
  if (!row || !in.empty()) return 1;

  // The bag keeps the present values under their tags; typed access checks types at compile time.
  const auto bag = property_bag::from_row(columns, *row);
  const auto subject = oxwire::utf16::to_utf8(bag.get(prop::PidTagSubject).value_or(u""));
  const auto importance = bag.get(prop::PidTagImportance);
  const auto delivered = bag.get(prop::PidTagMessageDeliveryTime);
  const auto attachments = bag.get(prop::PidTagHasAttachments);
  if (!subject || !importance || !delivered || !attachments) return 1;

  const auto t = std::chrono::floor<std::chrono::seconds>(delivered->time_point());
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(t)};
  const std::chrono::hh_mm_ss hms{t - std::chrono::floor<std::chrono::days>(t)};
  std::printf("PidTagSubject: %s\n", subject->c_str());
  std::printf("PidTagImportance: %d\n", *importance);
  std::printf("PidTagMessageDeliveryTime: %04d-%02u-%02uT%02d:%02d:%02dZ\n",
              static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
              static_cast<unsigned>(day.day()), static_cast<int>(hms.hours().count()),
              static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  std::printf("PidTagHasAttachments: %s\n", *attachments ? "true" : "false");

  // An error value is not in the bag; the row says why it is missing.
  const auto& body = row->ValueArray[4];
  if (bag.get(prop::PidTagBody) || body.flag != value_flag::error) return 1;
  const auto code = static_cast<std::uint32_t>(*body.value.get_if<PropertyType::PtypErrorCode>());
  const auto names = oxwire::gen::mapi::find_error_codes_by_value(code);
  const auto name = names.empty() ? "?" : oxwire::gen::mapi::error_codes[names[0]].name;
  std::printf("PidTagBody: error %.*s (0x%08X)\n", static_cast<int>(name.size()), name.data(),
              static_cast<unsigned>(code));
  return 0;
}
