// ResolveRecipients (MS-ASCMD 2.2.1.15): each To resolved against the server's users (the GAL
// matcher of search_commands.hpp) and the requesting user's contacts, with the Status codes of
// MS-ASCMD 2.2.3.177.12, certificates (none are stored), free/busy (MergedFreeBusy, 2.2.3.107)
// from the resolved user's Calendar folders, and contact photos (none are stored). Read through
// the generated request model, answered through the response model.
#pragma once

#include "application_data.hpp"
#include "search_commands.hpp"
#include "wire.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/gen/activesync/models/resolverecipients.hpp>
#include <oxwire/gen/activesync/models/resolverecipients_request.hpp>
#include <oxwire/server/store.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire_server {

/// MS-ASCMD 2.2.3.177.12 Status (ResolveRecipients): of the ResolveRecipients, Response,
/// Availability, Certificates and Picture elements.
using oxwire::gen::activesync::ResolveRecipientsAvailabilityStatus;
using oxwire::gen::activesync::ResolveRecipientsCertificatesStatus;
using oxwire::gen::activesync::ResolveRecipientsPictureStatus;
using oxwire::gen::activesync::ResolveRecipientsResponseStatus;
using oxwire::gen::activesync::ResolveRecipientsStatus;

/// Bounds of a request.
struct resolve_limits {
  std::size_t max_to = 100;         // MS-ASCMD 2.2.3.183: 1...100 To
  std::size_t max_to_length = 256;  // MS-ASCMD 2.2.3.183
  std::uint16_t max_count = 9999;   // 2.2.3.100 MaxAmbiguousRecipients, 2.2.3.101 MaxCertificates
  std::uint16_t suggestions = 20;   // suggestions without MaxAmbiguousRecipients
  std::chrono::days max_span{42};   // 2.2.3.61.1 EndTime: at most this after StartTime
  std::size_t max_occurrences = 1000;  // of one recurring appointment
};

/// One entry a To can resolve to: a server user (Type 1, GAL) or a contact's address (Type 2,
/// MS-ASCMD 2.2.3.186.5), with the names a To is matched against.
struct recipient_entry {
  std::uint8_t type = 1;
  std::string display_name;
  std::string email;
  std::vector<std::string> names;
};

using free_busy_clock = std::chrono::sys_seconds;

/// MS-ASCMD 2.2.3.107 MergedFreeBusy of calendar items over [start, end): one digit per 30
/// minutes, 0 free, 1 tentative, 2 busy, 3 out of office; an interval takes the highest digit
/// of the appointments that overlap it. PidLidBusyStatus (MS-OXOCAL 2.2.1.2) 0..3 maps to the
/// same digit; 4 (working elsewhere) has no digit and counts as tentative; an appointment
/// without one is busy (as Sync reports it). Recurring items are expanded over the window
/// (mapi/recurrence.hpp); one with more than `max_occurrences` there counts as its first only.
[[nodiscard]] inline std::string merged_free_busy(const std::vector<oxwire::server::item>& items,
                                                  free_busy_clock start, free_busy_clock end,
                                                  std::size_t max_occurrences) {
  using namespace std::chrono;
  constexpr minutes slot{30};
  const auto slots = static_cast<std::size_t>((end - start + slot - seconds{1}) / slot);
  std::string out(slots, '0');
  const auto mark = [&](free_busy_clock from, free_busy_clock to, char digit) {
    if (to <= start || from >= end) return;
    const auto first = static_cast<std::size_t>(from <= start ? 0 : (from - start) / slot);
    const auto last =
        std::min(slots, static_cast<std::size_t>((to - start + slot - seconds{1}) / slot));
    for (std::size_t i = first; i < last; ++i) out[i] = std::max(out[i], digit);
  };
  for (const auto& it : items) {
    const auto s = it.props.get(prop::PidLidAppointmentStartWhole);
    const auto e = it.props.get(prop::PidLidAppointmentEndWhole);
    if (!s || !e) continue;
    const auto from = floor<seconds>(s->time_point()), to = floor<seconds>(e->time_point());
    const auto busy = it.props.get(prop::PidLidBusyStatus).value_or(2);
    const char digit = static_cast<char>('0' + (busy >= 0 && busy <= 3 ? busy : busy == 4 ? 1 : 2));
    const auto blob = it.props.get(prop::PidLidRecurring).value_or(false)
                          ? it.props.get(prop::PidLidAppointmentRecur)
                          : std::nullopt;
    const auto a = blob ? mapi::decode_appointment_recurrence(*blob)
                        : oxwire::result<mapi::AppointmentRecurrencePattern>{oxwire::error{}};
    const auto window_start = mapi::recurrence_minutes(start);
    const auto window_end = mapi::recurrence_minutes(end);
    const auto occurrences = a && window_start && window_end
                                 ? mapi::expand_occurrences(*a, *window_start, *window_end,
                                                            {.max_occurrences = max_occurrences})
                                 : oxwire::result<std::vector<mapi::occurrence>>{oxwire::error{}};
    if (!occurrences) {
      mark(from, to, digit);
      continue;
    }
    // MS-OXOCAL 2.2.1.44: the series' instances in the window, deleted ones skipped and
    // modified ones where they were moved
    for (const auto& o : *occurrences)
      mark(mapi::recurrence_time(o.start), mapi::recurrence_time(o.end), digit);
  }
  return out;
}

/// One ResolveRecipients request of one user.
class resolve_command {
 public:
  resolve_command(store& db, user_id u, as::protocol_version v, resolve_limits limits = {})
      : db_(db), user_(u), version_(v), limits_(limits) {}

  [[nodiscard]] http::response run(const std::string& body) {
    using st = ResolveRecipientsStatus;
    model::ResolveRecipients out;
    const auto req = as::decode<model::request::ResolveRecipients>(bytes_of(body));
    // MS-ASCMD 2.2.2: the common status codes exist from protocol 14.0
    if (!req)
      return out.Status = version_ >= as::protocol_version::v14_0 ? malformed_status(body)
                                                                  : status_value(st::ProtocolError),
             wbxml_response(out, version_);
    const model::request::ResolveRecipients_Options none;
    const auto& o = req->Options ? *req->Options : none;
    const auto window = availability_window(o);
    if (!valid(*req, o) || (o.Availability && !window))
      return out.Status = status_value(st::ProtocolError), wbxml_response(out, version_);
    std::vector<recipient_entry> entries;  // the Recipients point into it
    try {
      entries = directory();
      for (const auto to : req->To) out.Response.push_back(resolve(to, o, entries, window));
    } catch (const oxwire::server::store_error&) {
      out.Response.clear();
      return out.Status = status_value(st::ServerError), wbxml_response(out, version_);
    }
    out.Status = status_value(st::Success);
    return wbxml_response(out, version_);
  }

 private:
  using window_t = std::optional<std::pair<free_busy_clock, free_busy_clock>>;

  bool valid(const model::request::ResolveRecipients& r,
             const model::request::ResolveRecipients_Options& o) const {
    if (r.To.size() > limits_.max_to) return false;  // MS-ASCMD 2.2.3.183: a protocol error
    for (const auto to : r.To)
      if (to.empty() || to.size() > limits_.max_to_length) return false;
    // MS-ASCMD 2.2.3.100, 2.2.3.101: 0..9999
    if (o.MaxAmbiguousRecipients.value_or(0) > limits_.max_count ||
        o.MaxCertificates.value_or(0) > limits_.max_count)
      return false;
    // MS-ASCMD 2.2.3.16 Availability: 14.0 and later; 2.2.3.135.2 Picture: 14.1 and later
    if (o.Availability && version_ < as::protocol_version::v14_0) return false;
    if (o.Picture && version_ < as::protocol_version::v14_1) return false;
    return true;
  }

  /// MS-ASCMD 2.2.3.176.1 StartTime, 2.2.3.61.1 EndTime (default StartTime + 7 days): at least
  /// 30 minutes apart and at most `max_span`; nullopt if invalid or not asked for.
  window_t availability_window(const model::request::ResolveRecipients_Options& o) const {
    using namespace std::chrono;
    if (!o.Availability) return std::nullopt;
    const auto start = o.Availability->StartTime.parse();
    auto end = start;
    if (o.Availability->EndTime)
      end = o.Availability->EndTime->parse();
    else if (start)
      end = *start + days{7};
    if (!start || !end || *end < *start + minutes{30} || *end - *start > limits_.max_span)
      return std::nullopt;
    return std::pair{floor<seconds>(*start), floor<seconds>(*end)};
  }

  static std::string text(const mapi::property_bag& bag, const auto& p) {
    if (const auto s = bag.get(p))
      if (auto u = oxwire::utf16::to_utf8(*s, oxwire::utf16::policy::replace)) return *u;
    return {};
  }

  /// The GAL (the server's users: the login name is name and address) and the user's contacts,
  /// one entry per e-mail address (a contact without one is no recipient).
  std::vector<recipient_entry> directory() {
    std::vector<recipient_entry> out;
    for (auto& name : db_.user_names()) out.push_back({1, name, name, {name}});
    for (const auto& f : db_.folders(user_)) {
      if (class_of_folder(f.type) != item_class::contacts) continue;
      for (const auto& it : db_.items(user_, f.server_id)) {
        const auto& b = it.props;
        const std::string given = text(b, prop::PidTagGivenName),
                          surname = text(b, prop::PidTagSurname),
                          file_as = text(b, prop::PidLidFileUnder);
        std::string display = text(b, prop::PidTagDisplayName);
        if (display.empty())
          display = given.empty() || surname.empty() ? given + surname : given + " " + surname;
        if (display.empty()) display = file_as;
        for (const auto& email :
             {text(b, prop::PidLidEmail1EmailAddress), text(b, prop::PidLidEmail2EmailAddress),
              text(b, prop::PidLidEmail3EmailAddress)}) {
          // A contact that is a server user is the GAL entry already
          if (email.empty() || std::any_of(out.begin(), out.end(), [&](const auto& e) {
                return lower(e.email) == lower(email);
              }))
            continue;
          out.push_back({2,
                         display.empty() ? email : display,
                         email,
                         {email, display, file_as, given, surname}});
        }
      }
    }
    return out;
  }

  /// MS-ASCMD 2.2.3.183 To: matched by prefix against the entries' names and addresses; an
  /// exact (case-insensitive) address or display name wins over prefix matches.
  model::ResolveRecipients_Response resolve(std::string_view to,
                                            const model::request::ResolveRecipients_Options& o,
                                            const std::vector<recipient_entry>& entries,
                                            const window_t& window) {
    using st = ResolveRecipientsResponseStatus;
    model::ResolveRecipients_Response r{
        .To = to, .Status = status_value(st::NotResolved), .RecipientCount = 0, .Recipient = {}};
    std::vector<const recipient_entry*> found, exact;
    for (const auto& e : entries) {
      if (std::none_of(e.names.begin(), e.names.end(),
                       [&](const auto& n) { return !n.empty() && name_matches(to, n); }))
        continue;
      found.push_back(&e);
      if (lower(e.email) == lower(to) || lower(e.display_name) == lower(to)) exact.push_back(&e);
    }
    if (!exact.empty()) found = exact;
    if (found.empty()) return r;
    r.RecipientCount = static_cast<std::int64_t>(found.size());
    const bool one = found.size() == 1;
    const std::size_t shown =
        one ? 1
            : std::min<std::size_t>(found.size(),
                                    o.MaxAmbiguousRecipients.value_or(limits_.suggestions));
    r.Status = status_value(one                     ? st::Resolved
                            : shown == found.size() ? st::Ambiguous
                                                    : st::AmbiguousPartial);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& e = *found[i];
      auto& rec = r.Recipient.emplace_back();
      rec.Type = e.type;
      rec.DisplayName = e.display_name;
      rec.EmailAddress = e.email;
      // MS-ASCMD 2.2.3.177.12: suggestions of an ambiguous To carry no certificates, and
      // 2.2.3.183: no free/busy data
      if (one && (o.CertificateRetrieval == 2 || o.CertificateRetrieval == 3))
        rec.Certificates = model::ResolveRecipients_Response_Recipient_Certificates{
            .Status = status_value(ResolveRecipientsCertificatesStatus::NoValidCertificate),
            .CertificateCount = 0,
            .RecipientCount = {},
            .Certificate = {},
            .MiniCertificate = {}};  // 2.2.3.22: none are stored
      if (one && window) rec.Availability = availability(e, *window);
      if (o.Picture)
        rec.Picture.push_back(
            {.Status = status_value(ResolveRecipientsPictureStatus::NoPicture), .Data = {}});
    }
    return r;
  }

  /// The free/busy string of a server user (a contact whose address is one included); no data
  /// for anyone else (Status 162).
  model::ResolveRecipients_Response_Recipient_Availability availability(
      const recipient_entry& e, std::pair<free_busy_clock, free_busy_clock> window) {
    const auto u = db_.find_user(e.email);
    if (!u)
      return {.Status = status_value(ResolveRecipientsAvailabilityStatus::TemporaryFailure),
              .MergedFreeBusy = {}};
    std::vector<oxwire::server::item> items;
    for (const auto& f : db_.folders(*u))
      if (class_of_folder(f.type) == item_class::calendar)
        for (auto& it : db_.items(*u, f.server_id)) items.push_back(std::move(it));
    return {.Status = status_value(ResolveRecipientsAvailabilityStatus::Success),
            .MergedFreeBusy = strings_.keep(
                merged_free_busy(items, window.first, window.second, limits_.max_occurrences))};
  }

  store& db_;
  user_id user_;
  as::protocol_version version_;
  resolve_limits limits_;
  arena strings_;
};

}  // namespace oxwire_server
