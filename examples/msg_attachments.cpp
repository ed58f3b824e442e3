// Writes the attachments of a .msg file (MS-OXMSG) into a directory: each attachment's data
// (PidTagAttachDataBinary) under its file name, each embedded message as a .msg of its own.
//
//   msg_attachments mail.msg out/       -> out/report.pdf, out/2.msg, ...
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <oxwire/msg.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// A file name that stays inside the directory: no separators, not "." or "..", not empty.
std::string safe_name(std::string name, std::size_t index, const char* fallback_ext) {
  for (char& c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  if (name.empty() || name == "." || name == "..")
    name = "attachment_" + std::to_string(index) + fallback_ext;
  return name;
}

bool save(const fs::path& path, oxwire::bytes_view data) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: msg_attachments FILE.msg DIRECTORY\n";
    return 1;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
  const auto m = oxwire::msg::read_message(bytes);
  if (!m) {
    std::cerr << "error: " << m.error().message() << "\n";
    return 2;
  }
  const fs::path dir = argv[2];
  fs::create_directories(dir);
  const std::uint32_t cp = oxwire::mapi::codepage_of(m->properties);
  for (std::size_t i = 0; i < m->attachments.size(); ++i) {
    const auto& a = m->attachments[i];
    // PidTagAttachLongFilename, else PidTagAttachFilename.
    auto name = oxwire::mapi::text_of(a.properties, 0x3707, cp);
    if (!name) name = oxwire::mapi::text_of(a.properties, 0x3704, cp);
    fs::path path;
    bool ok = true;
    if (a.embedded) {
      path = dir / (std::to_string(i) + ".msg");
      const auto file = oxwire::msg::write_message(**a.embedded);
      ok = file && save(path, *file);
    } else if (const auto* v = a.properties.find(oxwire::mapi::property_tag{0x37010102})) {
      path = dir / safe_name(name.value_or(""), i, ".bin");
      ok = save(path, *v->get_if<oxwire::mapi::PropertyType::PtypBinary>());
    } else {
      continue;  // by reference or OLE storage: no bytes to write
    }
    if (!ok) {
      std::cerr << "error: cannot write " << path << "\n";
      return 1;
    }
    std::cout << path.string() << "\n";
  }
  return 0;
}
