// Scoring one known (offer, need) pair outside a search: for proposals and
// for the matches shown in a channeling report. Same filters and scores as
// FindTopK, seen from the need (the Match's listing is the offer).

#ifndef SERVICES_MATCHING_SCORING_PAIR_H_
#define SERVICES_MATCHING_SCORING_PAIR_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "jalin/matching/v1/match.pb.h"
#include "services/matching/index/match_index.h"
#include "services/matching/scoring/signals.h"
#include "services/matching/scoring/weights.h"

namespace jalin::matching {

// OK when the two listings may be matched; FAILED_PRECONDITION naming the
// hard filter that fails otherwise.
absl::Status CheckPair(const MatchIndex& index, uint32_t offer, uint32_t need,
                       int64_t now_seconds);

// The scored, explained match of `offer` for `need`; FAILED_PRECONDITION
// when a hard filter fails.
absl::StatusOr<matching::v1::Match> ScorePair(const MatchIndex& index,
                                              const Signals::ReadLock& signals,
                                              const Weights& weights,
                                              uint32_t offer, uint32_t need,
                                              int64_t now_seconds);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SCORING_PAIR_H_
