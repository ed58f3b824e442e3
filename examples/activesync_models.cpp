// Typed ActiveSync models: a Sync response decoded into structs (ServerId, Subject and From of
// every Add), then a FolderSync request (SyncKey 0) built with the encoder.
//
//   example_activesync_models    prints the Adds of a built-in Sync response and the request hex
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;

int main() {
  // A Sync response with two Email Adds, made with the same encoder a server would use.
  model::Sync response;
  response.Status = 1;
  auto& collection = response.Collections.emplace().Collection.emplace_back();
  collection.SyncKey = {"2"};
  collection.CollectionId = {"5"};
  auto& commands = collection.Commands.emplace_back();
  for (const auto& [id, subject, from] :
       {std::array<std::string_view, 3>{"5:1", "Lunch?", "anna@example.com"},
        std::array<std::string_view, 3>{"5:2", "Report", "bob@example.com"}}) {
    auto& add = commands.Add.emplace_back();
    add.ServerId = id;
    add.ApplicationData.Email_Subject = {subject};
    add.ApplicationData.From = {from};
  }
  auto body = as::encode(response);
  if (!body) return std::fprintf(stderr, "error: %s\n", body.error().message().c_str()), 1;

  // Decoding: strings are views into `*body`.
  auto sync = as::decode<model::Sync>(*body);
  if (!sync) return std::fprintf(stderr, "error: %s\n", sync.error().message().c_str()), 2;
  for (const auto& c : sync->Collections->Collection)
    for (const auto& cmds : c.Commands)
      for (const auto& add : cmds.Add) {
        const auto& d = add.ApplicationData;
        std::printf(
            "ServerId=%.*s Subject=%.*s From=%.*s\n", int(add.ServerId.size()), add.ServerId.data(),
            d.Email_Subject.empty() ? 0 : int(d.Email_Subject[0].size()),
            d.Email_Subject.empty() ? "" : d.Email_Subject[0].data(),
            d.From.empty() ? 0 : int(d.From[0].size()), d.From.empty() ? "" : d.From[0].data());
      }

  // A FolderSync request (MS-ASCMD 2.2.1.5) with SyncKey 0: the first hierarchy sync.
  std::vector<std::uint8_t> request;
  oxwire::vector_writer w(request);
  if (auto r = as::encode(model::request::FolderSync{.SyncKey = "0"}, w); !r)
    return std::fprintf(stderr, "error: %s\n", r.error().message().c_str()), 3;
  std::printf("FolderSync request:");
  for (auto b : request) std::printf(" %02X", b);
  std::printf("\n");
  return 0;
}
