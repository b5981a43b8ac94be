#include "common/ids.h"

#include <cstdint>
#include <random>

#include "absl/time/clock.h"

namespace jalin {
namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::string NewUlid() { return NewUlid(absl::Now()); }

std::string NewUlid(absl::Time now) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(now));
  uint64_t r1 = rng();
  uint64_t r2 = rng();
  // 128 bits: 48 of time, 80 of randomness.
  unsigned __int128 value =
      (static_cast<unsigned __int128>(ms & 0xFFFFFFFFFFFFULL) << 80) |
      (static_cast<unsigned __int128>(r1 & 0xFFFF) << 64) | r2;
  std::string out(26, '0');
  for (int i = 25; i >= 0; --i) {
    out[i] = kAlphabet[static_cast<int>(value & 31)];
    value >>= 5;
  }
  return out;
}

}  // namespace jalin
