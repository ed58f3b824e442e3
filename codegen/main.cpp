// oxwire-codegen: reads the spec tables in specs/ and writes include/oxwire/gen/.
//
//   oxwire-codegen SPECS_DIR OUT_DIR
//
// Hand-written headers copied into the output (codegen/snippets/) are found through
// OXWIRE_CODEGEN_SNIPPETS, set by the build. Output is deterministic: the drift test regenerates
// into a temporary directory and compares byte for byte with the committed headers.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "emit.hpp"
#include "models.hpp"
#include "rops.hpp"
#include "tables.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: oxwire-codegen SPECS_DIR OUT_DIR\n";
    return 2;
  }
  namespace fs = std::filesystem;
  const std::string specs = argv[1];
  const fs::path out = argv[2];
  try {
    auto write = [&](const std::string& path, const std::string& text) {
      const fs::path file = out / path;
      fs::create_directories(file.parent_path());
      std::ofstream f(file, std::ios::binary | std::ios::trunc);
      f << text;
      if (!f.flush()) throw std::runtime_error("cannot write " + file.string());
    };
    for (const auto& h : codegen::headers())
      write(h.path, codegen::emit_header(h, specs, OXWIRE_CODEGEN_SNIPPETS));
    // The ActiveSync models: one header per XSD file or request, so not a header_def each.
    for (const auto& [path, text] : codegen::emit_models(specs)) write(path, text);
    // The ROP structs: one struct per buffer layout, so not a header_def each either.
    for (const auto& [path, text] : codegen::emit_rops(specs)) write(path, text);
  } catch (const std::exception& e) {
    std::cerr << "oxwire-codegen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
