#include "common/testing/free_port.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

namespace jalin::testing {
namespace {

constexpr int kLowestPort = 10'000;
constexpr int kMinimumRange = 1'000;

// The first port of the kernel's ephemeral range (32768 by default).
int EphemeralLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  int high = 0;
  if (!(in >> low >> high)) return 0;
  return low;
}

// True when nothing is bound to 127.0.0.1:`port` right now (port 0: binds
// any, and returns the kernel's choice through `port`).
bool Bindable(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(*port));
  socklen_t len = sizeof(addr);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (ok) *port = ntohs(addr.sin_port);
  close(fd);
  return ok;
}

}  // namespace

bool ClaimPort(int port) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  // Abstract namespace: a leading NUL, no file.
  char name[64];
  const int n = std::snprintf(name, sizeof(name), "jalin-test-port-%d", port);
  std::memcpy(addr.sun_path + 1, name, static_cast<size_t>(n));
  const socklen_t len =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    close(fd);
    return false;
  }
  return true;  // fd stays open: the claim lasts until the process exits
}

int FreePort() {
  static std::mutex mu;
  static std::set<int> handed_out;
  std::lock_guard<std::mutex> lock(mu);
  const int high = EphemeralLow();
  if (high - kLowestPort >= kMinimumRange) {
    static std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> pick(kLowestPort, high - 1);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      int port = pick(rng);
      if (handed_out.count(port) > 0 || !ClaimPort(port)) continue;
      if (!Bindable(&port)) continue;  // a server of another kind holds it
      handed_out.insert(port);
      return port;
    }
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    int port = 0;
    if (Bindable(&port) && handed_out.insert(port).second) return port;
  }
  throw std::runtime_error("no free port");
}

}  // namespace jalin::testing
