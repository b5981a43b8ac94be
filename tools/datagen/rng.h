// A small deterministic random number generator for the demo-data
// generator: the same seed gives the same data on every machine and every
// standard library (std:: distributions differ between libraries, so none
// is used).

#ifndef TOOLS_DATAGEN_RNG_H_
#define TOOLS_DATAGEN_RNG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace jalin::datagen {

// A stable 64-bit hash of text (FNV-1a), for deriving seeds from names.
uint64_t StableHash(absl::string_view text);

// xoshiro256** seeded through SplitMix64. Not thread-safe; cheap to copy.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  // A generator for one purpose ("33.13/clusters"), independent of how
  // much this one has been used: the same (seed, purpose) always gives the
  // same sequence.
  static Rng For(uint64_t seed, absl::string_view purpose);

  uint64_t Next();
  // Uniform in [lo, hi] (inclusive); lo <= hi.
  int64_t Int(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double Unit();
  // Uniform in [lo, hi).
  double Real(double lo, double hi);
  // True with probability p.
  bool Chance(double p);
  // An index in [0, weights.size()) drawn with the given weights (at least
  // one positive).
  size_t Weighted(const std::vector<double>& weights);

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Int(0, items.size() - 1))];
  }

 private:
  uint64_t s_[4];
};

}  // namespace jalin::datagen

#endif  // TOOLS_DATAGEN_RNG_H_
