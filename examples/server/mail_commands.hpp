// The mail commands of the ActiveSync endpoint (MS-ASCMD): SendMail (2.2.1.17), SmartForward
// (2.2.1.19), SmartReply (2.2.1.20) and MeetingResponse (2.2.1.11).
//
// Sending: the client's MIME is parsed by include/oxwire/server/mime.hpp; the message is stored
// in the sender's Sent Items when SaveInSentItems (or SaveInSent=T) asks, and delivered to the
// Inbox of every To/Cc/Bcc recipient who is a user of this server. A recipient address is local
// when a user has that whole address as name, or else its local part (before the last '@') as
// name, whatever the domain ("ben@example.com" reaches user "ben"). Other recipients are not
// relayed: this server has no SMTP client, so their copies are silently dropped.
//
// Both request forms: 14.0 and later send WBXML (Mime as string or opaque); 12.1 sends the MIME
// itself as the body with Content-Type message/rfc822, SaveInSent=T and, for SmartReply and
// SmartForward, ItemId/CollectionId/LongId in the query (MS-ASHTTP 2.2.1.1.1.2). Failures are a
// ComposeMail Status (MS-ASCMD 2.2.2 values) from 14.0 on, an HTTP status before (MS-ASCMD 2.2.2:
// the table's HTTP status, else 500). Not supported: TemplateID (IRM, MS-ASRM) is ignored,
// AccountId is ignored (one account per user), Forwardees and Body of 16.x SmartForward/SmartReply
// are ignored, InstanceId (one occurrence of a recurring meeting) is ignored.
#pragma once

#include "application_data.hpp"
#include "wire.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/gen/activesync/models/meetingresponse.hpp>
#include <oxwire/gen/activesync/models/meetingresponse_request.hpp>
#include <oxwire/gen/activesync/models/sendmail.hpp>
#include <oxwire/gen/activesync/models/sendmail_request.hpp>
#include <oxwire/gen/activesync/models/smartforward.hpp>
#include <oxwire/gen/activesync/models/smartforward_request.hpp>
#include <oxwire/gen/activesync/models/smartreply.hpp>
#include <oxwire/gen/activesync/models/smartreply_request.hpp>
#include <oxwire/gen/activesync/status.hpp>
#include <oxwire/server/mime.hpp>
#include <oxwire/server/mime_writer.hpp>
#include <oxwire/server/store.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace oxwire_server {

using CommonStatus = oxwire::gen::activesync::CommonStatus;
using oxwire::gen::activesync::MeetingResponseStatus;

/// What SendMail, SmartReply and SmartForward ask, from either request form.
struct compose_request {
  std::string client_id;  // empty in the 12.1 form, which has none
  bool save_in_sent = false;
  bool replace_mime = false;  // SmartReply/SmartForward: the MIME is the whole message
  std::string mime;
  std::optional<std::string> source;  // the original item's ServerId
};

/// Now, to the second, as a PtypTime.
[[nodiscard]] inline mapi::filetime filetime_now() {
  return {oxwire::to_filetime(
              std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()))
              .value()};
}

/// The ServerId of a user's folder of this Type (MS-ASCMD 2.2.3.186.3).
[[nodiscard]] inline std::optional<std::string> folder_of_type(oxwire::server::store& db,
                                                               oxwire::server::user_id u,
                                                               int type) {
  for (const auto& f : db.folders(u))
    if (f.type == type) return f.server_id;
  return std::nullopt;
}

/// Stores a message in a user's folder: its bag, recipients and attachments; its ServerId.
inline std::string store_message(oxwire::server::store& db, oxwire::server::user_id u,
                                 const std::string& folder, const oxwire::mapi::message& msg) {
  auto bag = msg.properties;
  bag.names(&oxwire::server::named_properties());
  const auto id = db.add_item(u, folder, bag);
  std::vector<mapi::property_bag> rows;
  for (const auto& r : msg.recipients) rows.push_back(r.properties);
  if (!rows.empty()) db.set_recipients(u, id, rows);
  for (const auto& a : msg.attachments) db.add_attachment(u, id, a.properties);
  return id;
}

/// The user a recipient address reaches: a user with that whole address as name, or else its
/// local part (before the last '@'), whatever the domain.
[[nodiscard]] inline std::optional<oxwire::server::user_id> local_user(oxwire::server::store& db,
                                                                       const std::string& address) {
  if (address.empty()) return std::nullopt;
  if (auto u = db.find_user(address)) return u;
  const auto at = address.rfind('@');
  if (at == std::string::npos || at == 0) return std::nullopt;
  return db.find_user(std::string_view(address).substr(0, at));
}

/// The three answers to a meeting, in MS-ASCMD 2.2.3.181 UserResponse order (1 accept, 2
/// tentative, 3 decline): the Meeting Response object's class and subject prefix (MS-OXOCAL
/// 2.2.7), the organizer's record of it (PidTagRecipientTrackStatus, 2.2.4.10.2) and its iCalendar
/// PARTSTAT (RFC 5545 3.2.12).
struct meeting_answer {
  std::u16string_view message_class, subject_prefix;
  std::int32_t track_status;
  oxwire::server::participation partstat;
};
inline constexpr std::array<meeting_answer, 3> meeting_answers{
    {{u"IPM.Schedule.Meeting.Resp.Pos", u"Accepted: ", 3, oxwire::server::participation::accepted},
     {u"IPM.Schedule.Meeting.Resp.Tent", u"Tentative: ", 2,
      oxwire::server::participation::tentative},
     {u"IPM.Schedule.Meeting.Resp.Neg", u"Declined: ", 4,
      oxwire::server::participation::declined}}};

/// An iCalendar REPLY (RFC 5546 3.2.3: the one ATTENDEE who answers, with its PARTSTAT) as
/// MS-OXCICAL maps it to a Meeting Response object (MS-OXOCAL 2.2.7): IPM.Schedule.Meeting.Resp.
/// Pos, .Tent or .Neg, the meeting's ids from the UID, its sequence, and the attendee as the one
/// it is sent for (PidTagSentRepresentingEmailAddress); the text/calendar part is then no
/// attachment. A reply without a clear answer stays mail.
inline void apply_reply(oxwire::mapi::message& m, const oxwire::server::invitation& inv,
                        std::vector<oxwire::mapi::attachment>::iterator part) {
  if (inv.attendees.size() != 1) return;
  const auto& who = inv.attendees.front();
  const auto answer =
      std::find_if(meeting_answers.begin(), meeting_answers.end(),
                   [&](const meeting_answer& a) { return a.partstat == who.status; });
  if (answer == meeting_answers.end() || who.address.empty()) return;
  auto& p = m.properties;
  p.names(&oxwire::server::named_properties());
  p.set(prop::PidTagMessageClass, std::u16string(answer->message_class));
  const auto ft = oxwire::to_filetime(inv.stamp);
  const auto id = global_object_id(inv.uid, mapi::filetime{ft ? *ft : 0});
  (void)p.set(prop::PidLidGlobalObjectId, id);
  (void)p.set(prop::PidLidCleanGlobalObjectId, id);
  (void)p.set(prop::PidLidAppointmentSequence, inv.sequence);
  p.set(prop::PidTagSentRepresentingEmailAddress, u16_of(who.address));
  if (!who.name.empty()) p.set(prop::PidTagSentRepresentingName, u16_of(who.name));
  m.attachments.erase(part);
  p.set(prop::PidTagHasAttachments, !m.attachments.empty());
}

/// Makes the meeting an iCalendar part invites to (RFC 5546 METHOD REQUEST or CANCEL, read by
/// server/icalendar.hpp) the message's own, as MS-OXCICAL maps it to a meeting request or
/// cancellation (MS-OXOCAL 2.2.6): PidTagMessageClass IPM.Schedule.Meeting.Request or .Canceled,
/// start and end, location, all-day, sequence, PidLidGlobalObjectId from the UID, intended busy
/// status, and the recurrence as PidLidAppointmentRecur; the text/calendar part is then no
/// attachment. Mail without such a part, or with one this server cannot hold (another METHOD, a
/// rule no MS-OXOCAL pattern holds, an invalid calendar), stays as it is, the part attached.
inline void apply_invitation(oxwire::mapi::message& m) {
  const auto part = std::find_if(m.attachments.begin(), m.attachments.end(), [](const auto& a) {
    return utf8_of(a.properties, prop::PidTagAttachMimeTag) == "text/calendar";
  });
  if (part == m.attachments.end()) return;
  const auto data = part->properties.get(prop::PidTagAttachDataBinary);
  if (!data) return;
  const auto inv = oxwire::server::parse_invitation(oxwire::as_chars(*data));
  if (!inv) return;
  if (inv->method == "REPLY") return apply_reply(m, *inv, part);
  if (inv->method != "REQUEST" && inv->method != "CANCEL") return;
  const auto at = [](std::chrono::sys_seconds t) {
    const auto ft = oxwire::to_filetime(t);
    return mapi::filetime{ft ? *ft : 0};
  };
  std::optional<std::vector<std::uint8_t>> series;
  if (inv->rule) {
    std::string until;
    const auto r = recurrence_of(*inv->rule, inv->start, until);
    const auto s = recurrence_minutes_of(at(inv->start));
    const auto e = recurrence_minutes_of(at(inv->end));
    auto a = s && e ? recurrence_pattern_of(r, *s, *e) : std::nullopt;
    if (!a) return;
    // EXDATE: a deleted instance (MS-OXOCAL 2.2.1.44.1 DeletedInstanceDates)
    for (const auto x : inv->exdates)
      if (const auto original = recurrence_minutes_of(at(x)))
        apply_instance_edit(*a, {.original = *original, .deleted = true});
    auto blob = mapi::encode_appointment_recurrence(*a);
    if (!blob) return;
    series = std::move(*blob);
  }
  auto& p = m.properties;
  p.names(&oxwire::server::named_properties());
  const bool request = inv->method == "REQUEST";
  p.set(prop::PidTagMessageClass,
        request ? u"IPM.Schedule.Meeting.Request" : u"IPM.Schedule.Meeting.Canceled");
  (void)p.set(prop::PidLidAppointmentStartWhole, at(inv->start));
  (void)p.set(prop::PidLidAppointmentEndWhole, at(inv->end));
  if (!inv->location.empty()) (void)p.set(prop::PidLidLocation, u16_of(inv->location));
  (void)p.set(prop::PidLidAppointmentSubType, inv->all_day);
  (void)p.set(prop::PidLidAppointmentSequence, inv->sequence);
  // MS-OXOCAL 2.2.1.10: asfMeeting | asfReceived, and asfCanceled for a cancellation
  (void)p.set(prop::PidLidAppointmentStateFlags, std::int32_t{request ? 3 : 7});
  // MS-OXOCAL 2.2.6.4: busy once accepted; a cancellation frees the time
  (void)p.set(prop::PidLidIntendedBusyStatus, std::int32_t{request ? 2 : 0});
  const auto id = global_object_id(inv->uid, at(inv->stamp));
  (void)p.set(prop::PidLidCleanGlobalObjectId, id);  // the series: no instance date
  if (inv->recurrence_id) {
    // MS-OXOCAL 2.2.1.27: the id of one instance carries its date; 2.2.10.2.5: the instance it
    // replaces
    (void)p.set(
        prop::PidLidGlobalObjectId,
        instance_object_id(id, std::chrono::year_month_day{
                                   std::chrono::floor<std::chrono::days>(*inv->recurrence_id)}));
    (void)p.set(prop::PidLidExceptionReplaceTime, at(*inv->recurrence_id));
  } else {
    (void)p.set(prop::PidLidGlobalObjectId, id);
  }
  if (series) {
    (void)p.set(prop::PidLidRecurring, true);
    (void)p.set(prop::PidLidAppointmentRecur, std::move(*series));
  }
  m.attachments.erase(part);
  p.set(prop::PidTagHasAttachments, !m.attachments.empty());
}

/// The tag a property has in the store's bags.
template <mapi::PropertyType T>
[[nodiscard]] mapi::property_tag store_tag(const mapi::named_property<T>& p) {
  return mapi::property_tag::make(oxwire::server::named_properties().find(p).value(), T);
}
template <mapi::PropertyType T>
[[nodiscard]] mapi::property_tag store_tag(const mapi::tagged_property<T>& p) {
  return p.tag();
}

/// A meeting response (IPM.Schedule.Meeting.Resp.Pos, .Tent, .Neg) delivered to the organizer
/// records the answer on the meeting in the organizer's Calendar (the same UID in
/// PidLidCleanGlobalObjectId, whoever made the id): the responding attendee's recipient row gets
/// PidTagRecipientTrackStatus 3, 2 or 4 (MS-OXOCAL 2.2.4.10.2) and PidTagRecipientTrackStatusTime
/// (2.2.4.10.3), and the item a new version, so the organizer's devices see the new
/// AttendeeStatus (MS-ASCAL 2.2.2.5). The attendee (the one the response is sent for, else its
/// sender) is matched by address, or as the same user of this server.
inline void record_response(oxwire::server::store& db, oxwire::server::user_id u,
                            const mapi::property_bag& msg) {
  const auto cls = msg.get(prop::PidTagMessageClass);
  const auto answer =
      std::find_if(meeting_answers.begin(), meeting_answers.end(),
                   [&](const meeting_answer& a) { return cls && *cls == a.message_class; });
  const auto id = msg.get(prop::PidLidCleanGlobalObjectId);
  const auto calendar = folder_of_type(db, u, 8);
  auto from = utf8_of(msg, prop::PidTagSentRepresentingEmailAddress);
  if (from.empty()) from = utf8_of(msg, prop::PidTagSenderEmailAddress);
  if (answer == meeting_answers.end() || !id || !calendar || from.empty()) return;
  const auto who = local_user(db, from);
  const auto same = [&](const std::string& address) {
    const auto lower = [](std::string v) {
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      return v;
    };
    return lower(address) == lower(from) || (who && local_user(db, address) == who);
  };
  const auto uid = uid_of(*id);
  for (const auto& item : db.items(u, *calendar)) {
    const auto goid = item.props.get(prop::PidLidCleanGlobalObjectId);
    if (!goid || uid_of(*goid) != uid) continue;
    auto rows = db.recipients(u, item.server_id);
    bool found = false;
    for (auto& r : rows)
      if (same(utf8_of(r, prop::PidTagSmtpAddress))) {
        r.set(prop::PidTagRecipientTrackStatus, answer->track_status);
        r.set(prop::PidTagRecipientTrackStatusTime, filetime_now());
        found = true;
      }
    if (!found) return;
    db.set_recipients(u, item.server_id, rows);
    db.update_item(u, item.server_id, item.props);
    return;
  }
}

/// A meeting update or cancellation delivered to an attendee whose Calendar holds that meeting
/// (the same PidLidCleanGlobalObjectId, MS-OXOCAL 2.2.1.28) changes the calendar item: an update
/// brings its times, place, subject, all-day flag, recurrence and sequence; a cancellation marks
/// it canceled (PidLidAppointmentStateFlags asfCanceled, 2.2.1.10) and frees its time; for one
/// instance (PidLidExceptionReplaceTime, 2.2.10.2.5) it changes or deletes that instance of the
/// series. One older than the item (PidLidAppointmentSequence, 2.2.1.1) is out of date and
/// changes nothing.
inline void apply_to_calendar(oxwire::server::store& db, oxwire::server::user_id u,
                              const mapi::property_bag& msg) {
  const auto cls = utf8_of(msg, prop::PidTagMessageClass);
  const bool cancel = cls == "IPM.Schedule.Meeting.Canceled";
  const auto id = msg.get(prop::PidLidCleanGlobalObjectId);
  if ((!cancel && cls != "IPM.Schedule.Meeting.Request") || !id) return;
  const auto calendar = folder_of_type(db, u, 8);
  if (!calendar) return;
  for (const auto& item : db.items(u, *calendar)) {
    const auto same = item.props.get(prop::PidLidCleanGlobalObjectId);
    if (!same || !std::ranges::equal(*same, *id)) continue;
    const auto sequence = [](const mapi::property_bag& b) {
      return b.get(prop::PidLidAppointmentSequence).value_or(0);
    };
    if (sequence(msg) < sequence(item.props)) return;
    auto p = item.props;
    if (const auto replace = msg.get(prop::PidLidExceptionReplaceTime)) {
      // one instance (RECURRENCE-ID): canceled, or changed, as an exception of the series
      const auto minutes = [&](const auto& t) -> std::optional<std::uint32_t> {
        const auto v = msg.get(t);
        return v ? recurrence_minutes_of(*v) : std::nullopt;
      };
      const auto original = recurrence_minutes_of(*replace);
      if (!original || !application_data_reader::edit_instance(*original, p, [&](instance_edit& e) {
            e.deleted = cancel;
            if (cancel) return;
            e.start = minutes(prop::PidLidAppointmentStartWhole);
            e.end = minutes(prop::PidLidAppointmentEndWhole);
            if (const auto l = msg.get(prop::PidLidLocation)) e.location = std::u16string(*l);
            if (const auto t = msg.get(prop::PidTagSubject)) e.subject = std::u16string(*t);
          }))
        return;
    } else if (cancel) {
      (void)p.set(prop::PidLidAppointmentStateFlags,
                  p.get(prop::PidLidAppointmentStateFlags).value_or(3) | 4);
      (void)p.set(prop::PidLidBusyStatus, 0);  // MS-OXOCAL 2.2.1.2: free
    } else {
      const auto copy = [&](mapi::property_tag tag) {
        if (const auto* v = msg.find(tag))
          (void)p.set(tag, *v);
        else
          p.erase(tag);
      };
      for (const auto tag :
           {store_tag(prop::PidTagSubject), store_tag(prop::PidLidAppointmentStartWhole),
            store_tag(prop::PidLidAppointmentEndWhole), store_tag(prop::PidLidLocation),
            store_tag(prop::PidLidAppointmentSubType), store_tag(prop::PidLidRecurring),
            store_tag(prop::PidLidAppointmentRecur), store_tag(prop::PidLidGlobalObjectId)})
        copy(tag);
    }
    (void)p.set(prop::PidLidAppointmentSequence, sequence(msg));
    p.set(prop::PidTagLastModificationTime, filetime_now());
    db.update_item(u, item.server_id, p);
    return;
  }
}

/// Sends a message of user `from` (SendMail, SmartReply, SmartForward, and a draft sent by Sync
/// with email2:Send, MS-ASEMAIL 2.2.2.69): a copy in the sender's Sent Items (read) if
/// `save_in_sent`, one in each local recipient's Inbox (unread, without the Bcc line or Bcc
/// recipient rows). Inside the caller's transaction.
inline void deliver_message(oxwire::server::store& db, oxwire::server::user_id from,
                            oxwire::mapi::message& msg, bool save_in_sent) {
  namespace prop = oxwire::mapi::prop;
  auto& p = msg.properties;
  const auto t = filetime_now();
  if (!p.get(prop::PidTagClientSubmitTime)) p.set(prop::PidTagClientSubmitTime, t);
  p.set(prop::PidTagMessageDeliveryTime, t);
  if (save_in_sent)
    if (const auto sent = folder_of_type(db, from, 5)) {  // MS-ASCMD 2.2.3.151: SaveInSentItems
      p.set(prop::PidTagRead, true);
      store_message(db, from, *sent, msg);
    }
  p.set(prop::PidTagRead, false);
  p.erase(prop::PidTagDisplayBcc.tag());
  if (const auto m = p.get(oxwire::server::original_mime)) {  // the delivered MIME has no Bcc
    const auto mime = oxwire::server::without_header(oxwire::as_chars(*m), "Bcc");
    (void)p.set(oxwire::server::original_mime, std::vector<std::uint8_t>(mime.begin(), mime.end()));
  }
  auto copy = msg;
  std::erase_if(copy.recipients, [](const oxwire::mapi::recipient& r) {
    return r.properties.get(prop::PidTagRecipientType).value_or(0) == 3;  // MAPI_BCC
  });
  std::set<oxwire::server::user_id> done;
  for (const auto& r : msg.recipients) {
    std::string address;
    if (const auto v = r.properties.get(prop::PidTagSmtpAddress))
      if (auto a = oxwire::utf16::to_utf8(*v, oxwire::utf16::policy::replace))
        address = std::move(*a);
    const auto to = local_user(db, address);
    if (!to || !done.insert(*to).second) continue;
    if (const auto inbox = folder_of_type(db, *to, 2)) store_message(db, *to, *inbox, copy);
    apply_to_calendar(db, *to, copy.properties);
    record_response(db, *to, copy.properties);
  }
}

class mail_commands {
 public:
  mail_commands(oxwire::server::store& db, oxwire::server::user_id u, std::string device_id,
                as::protocol_version v)
      : db_(db), user_(u), device_(std::move(device_id)), version_(v) {}

  /// SendMail, SmartReply or SmartForward (`cmd`) with its request line and HTTP request.
  [[nodiscard]] http::response compose(std::string_view cmd, const as::request_line& line,
                                       const http::request& req) {
    if (cmd == "SendMail") return run<model::SendMail, model::request::SendMail>(line, req, false);
    if (cmd == "SmartReply")
      return run<model::SmartReply, model::request::SmartReply>(line, req, false);
    return run<model::SmartForward, model::request::SmartForward>(line, req, true);
  }

  /// MeetingResponse (MS-ASCMD 2.2.1.11) on a meeting request (Inbox) or a meeting (Calendar):
  /// accepting or tentatively accepting a request puts an appointment in the Calendar (its
  /// ServerId is the CalendarId) and any answer moves the request to Deleted Items; on a
  /// Calendar item the answer changes its PidLidBusyStatus, and declining moves it to Deleted
  /// Items. Status (MS-ASCMD 2.2.3.177.9): 1 success, 2 not a meeting request (or no such item),
  /// 4 the mailbox lacks a Calendar or Deleted Items folder. A 16.x SendResponse mails the
  /// answer to the organizer.
  [[nodiscard]] http::response meeting_response(const http::request& req) {
    model::MeetingResponse out;
    auto in = as::decode<model::request::MeetingResponse>(bytes_of(req.body));
    if (!in) {
      out.Result.push_back({.RequestId = {},
                            .Status = status_value(MeetingResponseStatus::InvalidMeetingRequest),
                            .CalendarId = {},
                            .InstanceId = {}});
      return wbxml_response(out, version_);
    }
    arena keep;
    const auto calendar = folder_of_type(8);
    const auto deleted = folder_of_type(4);
    for (const auto& r : in->Request) {
      auto& result = out.Result.emplace_back();
      result.RequestId = r.RequestId;
      if (!calendar || !deleted) {
        result.Status = status_value(MeetingResponseStatus::ServerError);
        continue;
      }
      const auto id = r.RequestId ? r.RequestId : r.LongId;
      const auto item = id ? db_.find_item(user_, *id) : std::nullopt;
      const std::string cls = item ? utf8_of(item->props, prop::PidTagMessageClass) : "";
      const bool is_request = cls.starts_with("IPM.Schedule.Meeting.Request");
      const bool is_appointment = cls == "IPM.Appointment" && in_folder(*id, *calendar);
      if (!item || (r.CollectionId && !in_folder(*id, *r.CollectionId)) ||
          !(is_request || is_appointment)) {
        result.Status = status_value(MeetingResponseStatus::InvalidMeetingRequest);
        continue;
      }
      result.Status = status_value(MeetingResponseStatus::Success);
      db_.transaction([&] {
        // MS-OXOCAL 2.2.1.2 PidLidBusyStatus: 2 busy (accepted), 1 tentative
        auto appointment = item->props;
        appointment.set(prop::PidTagMessageClass, u"IPM.Appointment");
        (void)appointment.set(prop::PidLidBusyStatus, r.UserResponse == 1 ? 2 : 1);
        appointment.set(prop::PidTagLastModificationTime, now());
        if (r.UserResponse != 3) {
          if (is_appointment) {
            db_.update_item(user_, *id, appointment);
            result.CalendarId = id;
          } else {
            result.CalendarId = keep.keep(db_.add_item(user_, *calendar, appointment));
          }
        }
        // MS-ASCMD 2.2.1.11: from 16.0 the server mails the answer when SendResponse is there
        if (r.SendResponse && version_ >= as::protocol_version::v16_0)
          send_response(item->props, r.UserResponse, *r.SendResponse);
        // the answered request, or the declined meeting, goes to Deleted Items
        if (is_request || r.UserResponse == 3) (void)db_.move_item(user_, *id, *deleted);
      });
    }
    return wbxml_response(out, version_);
  }

 private:
  /// MS-ASCMD 2.2.3.163 SendResponse: the answer (UserResponse 1 accept, 2 tentative, 3 decline)
  /// as a Meeting Response object (MS-OXOCAL 3.1.4.8.4): IPM.Schedule.Meeting.Resp.Pos, .Tent or
  /// .Neg with the meeting's ids, sequence, times and place, the subject prefixed by the answer
  /// and the body SendResponse carries (none if it is empty), from the user to the organizer; a
  /// copy in Sent Items, delivered when the organizer is a user of this server.
  void send_response(const mapi::property_bag& meeting, std::uint8_t answer,
                     const model::request::MeetingResponse_Request_SendResponse& s) {
    if (answer < 1 || answer > meeting_answers.size()) return;
    const auto& kind = meeting_answers[answer - 1];
    oxwire::mapi::message m;
    auto& p = m.properties;
    p.names(&oxwire::server::named_properties());
    p.set(prop::PidTagMessageClass, std::u16string(kind.message_class));
    p.set(prop::PidTagSubject, std::u16string(kind.subject_prefix) +
                                   std::u16string(meeting.get(prop::PidTagSubject).value_or(u"")));
    for (const auto tag :
         {store_tag(prop::PidLidGlobalObjectId), store_tag(prop::PidLidCleanGlobalObjectId),
          store_tag(prop::PidLidAppointmentSequence), store_tag(prop::PidLidAppointmentStartWhole),
          store_tag(prop::PidLidAppointmentEndWhole), store_tag(prop::PidLidLocation)})
      if (const auto* v = meeting.find(tag)) (void)p.set(tag, *v);
    if (const auto name = db_.user_name(user_)) {
      p.set(prop::PidTagSenderName, u16_of(*name));
      p.set(prop::PidTagSenderEmailAddress, u16_of(*name));
    }
    if (s.Body && s.Body->Data) {  // MS-ASAIRS 2.2.2.9: Type 1 plain text, 2 HTML
      const std::string_view text = *s.Body->Data;
      if (s.Body->Type == 2)
        p.set(prop::PidTagHtml, std::vector<std::uint8_t>(text.begin(), text.end()));
      else
        p.set(prop::PidTagBody, u16_of(text));
    }
    auto organizer = utf8_of(meeting, prop::PidTagSentRepresentingEmailAddress);
    if (organizer.empty()) organizer = utf8_of(meeting, prop::PidTagSenderEmailAddress);
    if (organizer.empty()) return;
    mapi::recipient to;
    to.properties.set(prop::PidTagRecipientType, 1);  // MAPI_TO
    to.properties.set(prop::PidTagDisplayName, u16_of(organizer));
    to.properties.set(prop::PidTagSmtpAddress, u16_of(organizer));
    to.properties.set(prop::PidTagAddressType, u"SMTP");
    m.recipients.push_back(std::move(to));
    p.set(prop::PidTagDisplayTo, u16_of(organizer));
    deliver_message(db_, user_, m, true);
  }

  /// A failed compose command: a Status element from 14.0, an HTTP status before.
  template <class Response>
  http::response fail(CommonStatus s) const {
    if (version_ < as::protocol_version::v14_0) {
      const auto* e =
          oxwire::gen::activesync::find_common_status_by_value(static_cast<std::uint8_t>(s));
      return status_only(e && e->http_status ? e->http_status : 500);
    }
    Response out;
    out.Status = status_value(s);
    return wbxml_response(out, version_);
  }

  /// The request in its 12.1 form (raw MIME) or its WBXML form.
  template <class Request>
  static std::optional<compose_request> read(const as::request_line& line,
                                             const http::request& req) {
    compose_request c;
    const auto type = req.find("Content-Type");
    if (type && lower(*type).starts_with("message/rfc822")) {
      c.save_in_sent = line.save_in_sent();
      c.mime = req.body;
      if (line.ItemId)
        c.source = line.CollectionId && !in_folder(*line.ItemId, *line.CollectionId)
                       ? std::string()  // an item outside the folder named: not found
                       : *line.ItemId;
      else if (line.LongId)
        c.source = *line.LongId;
      return c;
    }
    auto m = as::decode<Request>(bytes_of(req.body));
    if (!m) return std::nullopt;
    c.client_id = std::string(m->ClientId);
    c.save_in_sent = m->SaveInSentItems.has_value();
    if constexpr (requires { m->Source; }) {
      c.replace_mime = m->ReplaceMime.has_value();
      const auto& s = m->Source;
      // MS-ASCMD 2.2.3.168: FolderId and ItemId, or LongId (a Search result)
      if (s.ItemId)
        c.source = s.FolderId && !in_folder(*s.ItemId, *s.FolderId) ? std::string()
                                                                    : std::string(*s.ItemId);
      else if (s.LongId)
        c.source = std::string(*s.LongId);
      else
        c.source = std::string();
    }
    const auto mime = [&]() -> oxwire::bytes_view {
      if constexpr (requires { m->Mime->data; })
        return m->Mime ? m->Mime->data : oxwire::bytes_view{};
      else
        return m->Mime.data;
    }();
    c.mime = oxwire::as_chars(mime);
    return c;
  }

  template <class Response, class Request>
  http::response run(const as::request_line& line, const http::request& req, bool forward) {
    const auto c = read<Request>(line, req);
    if (!c) return fail<Response>(CommonStatus::InvalidWBXML);
    auto msg = oxwire::server::parse_mime(bytes_of(c->mime));
    if (!msg) return fail<Response>(CommonStatus::InvalidMIME);
    apply_invitation(*msg);
    if (c->source) {
      const auto original = c->source->empty() ? std::nullopt : db_.find_item(user_, *c->source);
      if (!original) return fail<Response>(CommonStatus::ItemNotFound);
      if (!c->replace_mime) append_original(*msg, *original, forward);
    }
    // The bytes as sent, for Type 4 bodies (MS-ASAIRS 2.2.2.41.1); not once a body was appended
    if (!c->source || c->replace_mime) {
      msg->properties.names(&oxwire::server::named_properties());
      (void)msg->properties.set(oxwire::server::original_mime,
                                std::vector<std::uint8_t>(c->mime.begin(), c->mime.end()));
    }
    if (msg->recipients.empty()) return fail<Response>(CommonStatus::MessageHasNoRecipient);
    const bool sent = db_.transaction([&] {
      if (!c->client_id.empty() && !db_.claim_client_id(user_, device_, c->client_id)) return false;
      deliver_message(db_, user_, *msg, c->save_in_sent);
      return true;
    });
    if (!sent) return fail<Response>(CommonStatus::MessagePreviouslySent);
    return status_only(200);  // MS-ASCMD 2.2.1.17.2: success has no body
  }

  /// MS-ASCMD 2.2.1.19/2.2.1.20: without ReplaceMime the server appends the original message's
  /// body (under a header block naming it) and, for SmartForward, its attachments.
  void append_original(oxwire::mapi::message& msg, const oxwire::server::item& original,
                       bool forward) {
    const auto& o = original.props;
    std::string quote =
        "\r\n\r\n-----Original Message-----\r\nFrom: " + utf8_of(o, prop::PidTagSenderName) + " <" +
        utf8_of(o, prop::PidTagSenderEmailAddress) + ">\r\n";
    if (const auto t = o.get(prop::PidTagMessageDeliveryTime))
      quote += "Sent: " + format_time(*t, false) + "\r\n";
    quote += "To: " + utf8_of(o, prop::PidTagDisplayTo) + "\r\n";
    if (const auto cc = utf8_of(o, prop::PidTagDisplayCc); !cc.empty())
      quote += "Cc: " + cc + "\r\n";
    std::string body = utf8_of(o, prop::PidTagBody);
    if (const auto html = o.get(prop::PidTagHtml); body.empty() && html)  // HTML-only mail
      body = oxwire::server::html_to_text(oxwire::as_chars(*html));
    quote += "Subject: " + utf8_of(o, prop::PidTagSubject) + "\r\n\r\n" + body;
    msg.properties.set(prop::PidTagBody, u16_of(utf8_of(msg.properties, prop::PidTagBody) + quote));
    if (!forward) return;
    for (auto& a : db_.attachments(user_, original.server_id)) {
      oxwire::mapi::attachment copy;
      copy.properties = std::move(a);
      msg.attachments.push_back(std::move(copy));
    }
    msg.properties.set(prop::PidTagHasAttachments, !msg.attachments.empty());
  }

  /// The ServerId of a user's folder of this Type (MS-ASCMD 2.2.3.186.3).
  std::optional<std::string> folder_of_type(int type) {
    return oxwire_server::folder_of_type(db_, user_, type);
  }

  /// ServerIds are "<folder>:<n>" (store.hpp).
  static bool in_folder(std::string_view item, std::string_view folder) {
    return item.size() > folder.size() && item.starts_with(folder) && item[folder.size()] == ':';
  }
  static std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  }
  static mapi::filetime now() { return filetime_now(); }

  oxwire::server::store& db_;
  oxwire::server::user_id user_;
  std::string device_;
  as::protocol_version version_;
};

}  // namespace oxwire_server
