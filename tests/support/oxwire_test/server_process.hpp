// oxwire-server as a child process for the socket tests and the load benchmark: a temporary
// data directory, ephemeral ports read from the server's "listening on" lines, SIGTERM when done
// or SIGKILL on demand. No GoogleTest here: bench_server includes it too.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace oxwire_test {

namespace fs = std::filesystem;

inline const std::string server_user = "anna", server_password = "s3cret";

/// The server binary as a child process with `extra` options; stopped with SIGTERM when
/// destroyed, or killed earlier (kill -9). Its stderr goes to a file beside the data directory,
/// copied to the test's stderr at the end: a server left behind by a test process that died (a
/// sanitizer abort) then holds no pipe of ctest's open.
class server_process {
 public:
  explicit server_process(const fs::path& data, bool demo = true,
                          const std::vector<std::string>& extra = {})
      : log_(data.string() + ".stderr") {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> args{OXWIRE_SERVER_BINARY, "--http", "127.0.0.1:0", "--https",
                                  "127.0.0.1:0",        "--data", data.string()};
    if (demo) args.insert(args.end(), {"--demo", server_user + ":" + server_password});
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ) != 0)
      throw std::runtime_error("posix_spawn");
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    // "oxwire-server: listening on http://127.0.0.1:PORT", then the https line
    std::string text;
    char buf[256];
    while (!(http_port && https_port)) {
      const auto n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("server exited: " + text);
      text.append(buf, static_cast<std::size_t>(n));
      for (const auto& [scheme, port] :
           {std::pair{"http://", &http_port}, {"https://", &https_port}})
        if (const auto at = text.find(std::string("listening on ") + scheme);
            at != std::string::npos && text.find('\n', at) != std::string::npos)
          *port = static_cast<unsigned short>(std::stoi(text.substr(text.find(':', at + 20) + 1)));
    }
    ::close(out[0]);
  }
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;
  ~server_process() { kill(SIGTERM); }

  /// Sends `signal` (SIGKILL: no chance to clean up) and reaps the server.
  void kill(int signal) {
    if (pid_ == 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    std::ifstream log(log_);
    const std::string text{std::istreambuf_iterator<char>(log), {}};
    if (!text.empty()) std::cerr << "oxwire-server stderr:\n" << text;
    std::error_code ec;
    fs::remove(log_, ec);
  }
  [[nodiscard]] pid_t pid() const { return pid_; }
  unsigned short http_port = 0, https_port = 0;

 private:
  std::string log_;
  pid_t pid_ = 0;
};

struct temp_dir {
  fs::path path =
      fs::temp_directory_path() / ("oxwire-server-test-" + std::to_string(std::random_device{}()));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
};

}  // namespace oxwire_test
