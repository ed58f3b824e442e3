// Helpers shared by the TNEF tests: the ../shared corpus with its MANIFEST facts, and the
// attachment facts (name, bytes) other readers are compared on.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <oxwire/mapi/property_lookup.hpp>
#include <oxwire/tnef.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/shared.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace oxwire_test {

/// One row of ../shared/corpus/tnef/manifest.tsv.
struct tnef_manifest_row {
  std::string file;                      // path below corpus/tnef
  std::string tnef_key;                  // "0x1708", or empty when the source states none
  std::vector<std::string> attachments;  // names tnefparse gives, in order
  std::string body;                      // body, rtfbody, htmlbody or empty
};

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

inline std::vector<tnef_manifest_row> read_tnef_manifest(const std::filesystem::path& dir) {
  std::ifstream f(dir / "manifest.tsv");
  std::vector<tnef_manifest_row> rows;
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    const auto cols = split(line, '\t');
    tnef_manifest_row r;
    r.file = cols.at(0);
    r.tnef_key = cols.size() > 4 ? cols[4] : "";
    if (cols.size() > 5 && !cols[5].empty()) r.attachments = split(cols[5], ';');
    r.body = cols.size() > 6 ? cols[6] : "";
    rows.push_back(r);
  }
  return rows;
}

/// Every *.tnef file of the corpus, sorted.
inline std::vector<std::filesystem::path> tnef_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.path().extension() == ".tnef") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// The corpus files that strict decoding rejects, and why: checksums a writer got wrong (the
/// offset is that of the Checksum field), a stream cut short, trailing padding. Every other file
/// decodes with the default (strict) options; these decode with checksums and legacy attributes
/// tolerated.
struct known_lax {
  const char* file;
  oxwire::error strict_error;
};
inline const std::vector<known_lax>& lax_files() {
  using oxwire::tnef::errc;
  static const std::vector<known_lax> files = {
      {"koodaamo-tnefparse/IPM-DistList.tnef", {errc::checksum_mismatch, 2588}},
      {"koodaamo-tnefparse/bad_checksum.tnef", {oxwire::errc::truncated, 1543512}},
      {"koodaamo-tnefparse/duplicate_filename.tnef", {errc::checksum_mismatch, 65269}},
      {"koodaamo-tnefparse/minimal_attachment.tnef", {errc::invalid_attribute_length, 11}},
  };
  return files;
}

inline constexpr oxwire::tnef::decode_options lax_options{.verify_checksums = false,
                                                          .strict = false};

/// Decodes a corpus file with the options it needs (see lax_files).
inline oxwire::result<oxwire::mapi::message> decode_corpus_file(const std::filesystem::path& dir,
                                                                const std::filesystem::path& p,
                                                                std::vector<std::uint8_t>& bytes,
                                                                oxwire::tnef::stream_header& h) {
  bytes = read_file(p);
  const auto rel = std::filesystem::relative(p, dir).generic_string();
  const bool lax = std::any_of(lax_files().begin(), lax_files().end(),
                               [&](const known_lax& k) { return rel == k.file; });
  return oxwire::tnef::decode(bytes, h, lax ? lax_options : oxwire::tnef::decode_options{});
}

/// An attachment as the differential tests compare it.
struct attachment_fact {
  std::string name;  // UTF-8
  std::vector<std::uint8_t> data;
  friend bool operator==(const attachment_fact&, const attachment_fact&) = default;
  friend bool operator<(const attachment_fact& a, const attachment_fact& b) {
    return std::tie(a.name, a.data) < std::tie(b.name, b.data);
  }
};

inline std::vector<attachment_fact> facts_of(const oxwire::mapi::message& m,
                                             std::uint32_t codepage = 1252) {
  std::vector<attachment_fact> out;
  for (const auto& a : m.attachments) {
    const auto d = oxwire::mapi::attachment_data(a);
    out.push_back({oxwire::mapi::attachment_name(a, codepage), {d.begin(), d.end()}});
  }
  return out;
}

inline std::ostream& operator<<(std::ostream& o, const attachment_fact& f) {
  return o << "{" << f.name << ", " << f.data.size() << " bytes}";
}

/// A small message with a subject, a recipient, a named property and two attachments, for round
/// trips and the differential tests of what we write (with LegacyKey 0x1234).
inline const oxwire::tnef::stream_header sample_header{.legacy_key = 0x1234};
inline oxwire::mapi::message sample_message() {
  namespace mapi = oxwire::mapi;
  namespace prop = mapi::prop;
  oxwire::mapi::message m;
  m.properties.set(prop::PidTagMessageClass, u"IPM.Note");
  m.properties.set(prop::PidTagSubject, u"Quarterly report");
  m.properties.set(prop::PidTagBody, u"See the attached files.\r\n");
  m.properties.set(prop::PidTagImportance, 2);
  m.properties.set(prop::PidTagClientSubmitTime, mapi::filetime{133000000000000000});
  // Named properties: one by string name, one by LID (single-valued: libytnef misreads
  // multi-valued properties with more than one value, see test_codec for those).
  const auto public_strings = *mapi::property_set_guid("PS_PUBLIC_STRINGS");
  m.names.add({mapi::name_kind::name, public_strings, 0, u"x-project"}, 0x8000);
  m.names.add({mapi::name_kind::lid, *mapi::property_set_guid("PSETID_Common"), 0x8501, {}},
              0x8001);
  (void)m.properties.set(mapi::property_tag::make(0x8000, mapi::PropertyType::PtypString),
                         mapi::property_value::make<mapi::PropertyType::PtypString>(u"Atlas"));
  (void)m.properties.set(mapi::property_tag::make(0x8001, mapi::PropertyType::PtypInteger32),
                         mapi::property_value::make<mapi::PropertyType::PtypInteger32>(15));
  mapi::property_bag to;
  to.set(prop::PidTagDisplayName, u"Anna Example");
  to.set(prop::PidTagEmailAddress, u"anna@example.com");
  to.set(prop::PidTagRecipientType, 1);
  m.recipients.push_back({to});
  const auto add = [&](std::u16string long_name, std::string short_name, std::string data) {
    oxwire::mapi::attachment a;
    a.properties.set(prop::PidTagAttachMethod, 1);
    a.properties.set(prop::PidTagRenderingPosition, -1);
    a.properties.set(prop::PidTagAttachLongFilename, std::move(long_name));
    (void)a.properties.set(
        prop::PidTagAttachFilename.tag().with_type(mapi::PropertyType::PtypString8),
        mapi::property_value::make<mapi::PropertyType::PtypString8>(short_name));
    a.properties.set(prop::PidTagAttachDataBinary,
                     std::vector<std::uint8_t>(data.begin(), data.end()));
    m.attachments.push_back(std::move(a));
  };
  add(u"report-2024.txt", "REPORT~1.TXT", "revenue up\nprofit up\n");
  std::string blob;
  for (int i = 0; i < 3000; ++i) blob.push_back(static_cast<char>(i * 7 % 256));
  add(u"figures.bin", "FIGURES.BIN", blob);
  return m;
}

/// A subject and an attachment file name in a legacy code page: the Unicode text, its bytes in
/// `codepage` (iconv(1)), and a message that has them as PtypString subject and
/// PidTagAttachFilename (which the encoder writes as attSubject and attAttachTitle).
struct legacy_text_sample {
  std::uint32_t codepage;
  std::u16string text;
  std::string bytes;
  [[nodiscard]] oxwire::mapi::message message() const {
    namespace prop = oxwire::mapi::prop;
    oxwire::mapi::message m;
    m.properties.set(prop::PidTagSubject, text);
    oxwire::mapi::attachment a;
    a.properties.set(prop::PidTagAttachMethod, 1);
    a.properties.set(prop::PidTagAttachFilename, text + u".txt");
    a.properties.set(prop::PidTagAttachDataBinary, std::vector<std::uint8_t>{'h', 'i'});
    m.attachments.push_back(std::move(a));
    return m;
  }
};
inline const legacy_text_sample legacy_text_samples[] = {
    {1251, u"Привет", "\xCF\xF0\xE8\xE2\xE5\xF2"},
    {932, u"日本語", "\x93\xFA\x96\x7B\x8C\xEA"},
    {1253, u"Αρχείο", "\xC1\xF1\xF7\xE5\xDF\xEF"},
    {936, u"资料", "\xD7\xCA\xC1\xCF"},
};

}  // namespace oxwire_test
