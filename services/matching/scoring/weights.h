// The score of a match is a weighted sum of seven components, each a value
// in [0, 1] (DESIGN §8). Weights are settings; contributions (value x
// weight) add up to the score, summed in the order below.

#ifndef SERVICES_MATCHING_SCORING_WEIGHTS_H_
#define SERVICES_MATCHING_SCORING_WEIGHTS_H_

#include <array>

#include "absl/strings/string_view.h"

namespace jalin::matching {

enum Component : int {
  kCategory = 0,
  kDistance,
  kDistanceSaved,
  kCapacity,
  kReliability,
  kPolicy,
  kFeedback,
  kComponentCount,
};

// "category", "distance", ...: ScoreComponent.name.
absl::string_view ComponentName(Component c);

struct Weights {
  std::array<double, kComponentCount> w = {
      0.25,  // category closeness
      0.20,  // distance between the owners' regions
      0.10,  // distance saved against a need's current source
      0.15,  // capacity coverage
      0.15,  // reliability of the supplying side
      0.10,  // policy: across clusters and regions, agreements
      0.05,  // feedback from past proposals
  };

  double operator[](int c) const { return w[c]; }
};

// Sum of value x weight in component order: the one way a score is formed.
inline double WeightedSum(const Weights& weights,
                          const std::array<double, kComponentCount>& values) {
  double score = 0;
  for (int c = 0; c < kComponentCount; ++c) score += values[c] * weights[c];
  return score;
}

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SCORING_WEIGHTS_H_
