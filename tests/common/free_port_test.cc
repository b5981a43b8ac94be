// Test ports: picked below the ephemeral range, bindable, and claimed
// against other processes.

#include "common/testing/free_port.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "gtest/gtest.h"

namespace jalin::testing {
namespace {

int EphemeralLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  int high = 0;
  in >> low >> high;
  return low;
}

bool CanListen(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok =
      bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      listen(fd, 1) == 0;
  close(fd);
  return ok;
}

TEST(FreePortTest, PortsAreDistinctBindableAndOutsideTheEphemeralRange) {
  const int ephemeral_low = EphemeralLow();
  ASSERT_GT(ephemeral_low, 11'000) << "this machine's range leaves no room";
  std::set<int> seen;
  for (int i = 0; i < 50; ++i) {
    const int port = FreePort();
    EXPECT_GE(port, 10'000);
    EXPECT_LT(port, ephemeral_low);
    EXPECT_TRUE(seen.insert(port).second) << port << " twice";
    EXPECT_TRUE(CanListen(port)) << port;
  }
}

TEST(FreePortTest, AClaimedPortIsRefusedToAnotherProcess) {
  const int port = FreePort();
  EXPECT_FALSE(ClaimPort(port));  // this process holds it already
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Another process: the claim must be refused, and a port nobody
    // claimed must be granted.
    const bool refused = !ClaimPort(port);
    const bool granted = ClaimPort(port == 10'000 ? 10'001 : 10'000) ||
                         ClaimPort(port == 10'002 ? 10'003 : 10'002);
    _exit(refused && granted ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace jalin::testing
