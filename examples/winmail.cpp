// Converts a winmail.dat (MS-OXTNEF): prints its facts (subject, sender, recipients,
// attachments) and writes each attachment into a directory.
//
//   example_winmail winmail.dat out/       # out/report.pdf, out/figures.xlsx, ...
//   example_winmail --lax winmail.dat out/ # tolerate checksum and legacy-attribute defects
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <oxwire/tnef.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace tnef = oxwire::tnef;
namespace mapi = oxwire::mapi;
namespace prop = mapi::prop;

/// A file name safe to create inside the output directory: no directories, no "." or "..".
std::string safe_name(std::string name, std::size_t index) {
  for (char& c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  if (name.empty() || name == "." || name == "..") name = "attachment-" + std::to_string(index);
  return name;
}

/// Writes the attachments of `m` (and of its embedded messages, in subdirectories).
void save(const mapi::message& m, std::uint32_t codepage, const std::filesystem::path& dir,
          const std::string& indent) {
  std::filesystem::create_directories(dir);
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    const auto& a = m.attachments[i];
    const std::string name = safe_name(mapi::attachment_name(a, codepage), i + 1);
    if (a.embedded) {
      const auto subject =
          mapi::text_of((*a.embedded)->properties, prop::PidTagSubject.id, codepage);
      std::cout << indent << "embedded message " << name << ": " << subject.value_or("") << "\n";
      save(**a.embedded, codepage, dir / (name + ".d"), indent + "  ");
      continue;
    }
    const auto data = mapi::attachment_data(a);
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
    std::cout << indent << "attachment " << name << " (" << data.size() << " bytes)\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  const bool lax = !args.empty() && args.front() == "--lax";
  if (lax) args.erase(args.begin());
  if (args.size() != 2) {
    std::cerr << "usage: example_winmail [--lax] WINMAIL.DAT OUTPUT-DIRECTORY\n";
    return 1;
  }
  std::ifstream f{std::string(args[0]), std::ios::binary};
  if (!f) {
    std::cerr << "error: cannot open " << args[0] << "\n";
    return 1;
  }
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(f), {}};
  tnef::stream_header h;
  const auto m = tnef::decode(bytes, h, {.verify_checksums = !lax, .strict = !lax});
  if (!m) {
    std::cerr << "error: " << m.error().message() << "\n";
    return 2;
  }
  const std::uint32_t cp = h.codepage.primary;
  const auto text = [&](const mapi::property_bag& bag, std::uint16_t id) {
    return mapi::text_of(bag, id, cp).value_or("");
  };
  std::cout << "subject: " << text(m->properties, prop::PidTagSubject.id) << "\n";
  std::cout << "from: " << text(m->properties, prop::PidTagSenderName.id) << " <"
            << text(m->properties, prop::PidTagSenderEmailAddress.id) << ">\n";
  for (const auto& r : m->recipients)
    std::cout << "to: " << text(r.properties, prop::PidTagDisplayName.id) << " <"
              << text(r.properties, prop::PidTagEmailAddress.id) << ">\n";
  save(*m, cp, std::string(args[1]), "");
  return 0;
}
