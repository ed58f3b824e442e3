// oxwire — the vocabulary of the typed ActiveSync models (gen/activesync/models/*.hpp): leaf
// types, the Boost.Hana field descriptor and the traits every generated struct specializes.
//
// One struct per content model of the flattened XSDs (specs/activesync/schema.json) and of the
// hand-made request table (specs/activesync-requests.json), in namespace
// oxwire::activesync::model (requests in model::request):
//   struct names   the model's path with '/' → '_' (Sync_Collections_Collection_Commands_Add);
//                  prefixed with the code page namespace where two models share a path
//                  (Calendar_Categories, Email_Categories, Tasks_Recurrence)
//   member names   the child element's tag as MS-ASWBXML spells it (SyncKey, CollectionId);
//                  where one model has the same tag from several code pages, every such member
//                  is <Namespace>_<Tag> (Email_Subject, Calendar_Subject, AirSyncBase_Body); a
//                  C++ keyword would get a trailing '_' (none occurs)
//   occurrence     maxOccurs 1 → T if required, std::optional<T> if minOccurs 0 or the child is
//                  an alternative of an xs:choice (exclusivity is left to the validator);
//                  maxOccurs > 1 → std::vector<T> (also the recursive Search And/Or)
//   leaves         string → std::string_view (a view into the WBXML buffer), the elements
//                  MS-ASWBXML marks opaque → bytes_view, integers → the smallest type holding the
//                  XSD type's and facets' range, boolean → bool, double, dateTime → date_time,
//                  EmptyTag → empty, union with EmptyTag → or_empty<T>, xs:anyType → text.
//                  The XSD enumerations are numeric and unnamed: they stay integers.
//   mixed content  a `std::string_view text` member (not an element, so snake_case) for the
//                  character content of the mixed models (a GAL Search Query string)
#pragma once

#include <oxwire/activesync/validator_error.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace oxwire::activesync::model {

/// An element with no content (airsyncbase:EmptyTag): present or not.
struct empty {
  friend bool operator==(empty, empty) = default;
};

/// OPAQUE data (the elements MS-ASWBXML 2.1.2.1 marks opaque): a view into the WBXML buffer.
struct opaque {
  bytes_view data;
  friend bool operator==(const opaque& a, const opaque& b) noexcept {
    return std::ranges::equal(a.data, b.data);
  }
};

/// A value that may also be the empty string (Provision's unsignedIntOrEmpty and the like).
template <class T>
struct or_empty {
  std::optional<T> value;  // nullopt: the element was empty
  friend bool operator==(const or_empty&, const or_empty&) = default;
};

/// MS-ASDTYPE 2.3 dateTime, kept as its text; `parse()` gives the instant.
struct date_time {
  std::string_view text;
  friend bool operator==(const date_time&, const date_time&) = default;

  /// Both forms of MS-ASDTYPE 2.3: 2009-11-12T10:20:30.000Z and 20091112T102030Z (UTC).
  /// `auto t = msg.DateReceived->parse();  // sys_time<milliseconds>`
  [[nodiscard]] result<std::chrono::sys_time<std::chrono::milliseconds>> parse() const noexcept {
    const auto bad = [] {
      return error{make_error_code(schema_errc::invalid_datetime), 0, "dateTime"};
    };
    const bool extended = text.size() == 24;
    if (!extended && text.size() != 16) return bad();
    // Digit runs and separators of each form: (offset, digits) per field, then fixed characters.
    const std::size_t ext[7][2] = {{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}, {20, 3}};
    const std::size_t cmp[7][2] = {{0, 4}, {4, 2}, {6, 2}, {9, 2}, {11, 2}, {13, 2}, {0, 0}};
    const auto& f = extended ? ext : cmp;
    int v[7] = {0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 7; ++i)
      for (std::size_t k = 0; k < f[i][1]; ++k) {
        const char c = text[f[i][0] + k];
        if (c < '0' || c > '9') return bad();
        v[i] = v[i] * 10 + (c - '0');
      }
    const std::string_view seps = extended ? "--T::.Z" : "TZ";
    const std::size_t at_ext[7] = {4, 7, 10, 13, 16, 19, 23};
    const std::size_t at_cmp[2] = {8, 15};
    for (std::size_t i = 0; i < seps.size(); ++i)
      if (text[extended ? at_ext[i] : at_cmp[i]] != seps[i]) return bad();
    using namespace std::chrono;
    const year_month_day ymd{year{v[0]}, month{static_cast<unsigned>(v[1])},
                             day{static_cast<unsigned>(v[2])}};
    if (!ymd.ok() || v[3] > 23 || v[4] > 59 || v[5] > 60) return bad();
    return sys_days{ymd} + hours{v[3]} + minutes{v[4]} + seconds{v[5]} + milliseconds{v[6]};
  }
};

/// maxOccurs="unbounded".
inline constexpr std::uint16_t unbounded = 0xFFFF;

/// One child of a model: the member it fills, the element's (code page, token) and its
/// occurrence bounds; `name` is the element's tag (error messages).
template <auto Member, std::uint8_t Page, std::uint8_t Token, std::uint16_t Min, std::uint16_t Max>
struct field {
  const char* name;
  static constexpr auto member = Member;
  static constexpr std::uint8_t page = Page;
  static constexpr std::uint8_t token = Token;
  static constexpr std::uint16_t min_occurs = Min;
  static constexpr std::uint16_t max_occurs = Max;
  /// (code page, token) as one key: page * 64 + token.
  static constexpr std::uint16_t key = static_cast<std::uint16_t>(Page * 64 + Token);
};

/// Specialized by the generated headers: `name` (the model's path), `fields` (a hana::tuple
/// of field<...> in schema order) and, for a mixed content model (xs:complexType mixed="true":
/// Search Query, AirSync Supported), `text`, the member holding its character content.
template <class T>
struct model_traits;

/// Specialized for the models that are a command's root element: `page`, `token`.
template <class T>
struct root_element;

template <class T>
concept model_struct = requires {
  model_traits<T>::fields;
};

/// A model whose element may carry text between its children (one string; written first).
template <class T>
concept mixed_model = model_struct<T> && requires {
  model_traits<T>::text;
};

template <class T>
concept root_model = model_struct<T> && requires {
  root_element<T>::page;
};

}  // namespace oxwire::activesync::model
