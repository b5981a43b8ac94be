#include "services/matching/scoring/pair.h"

#include "absl/strings/str_cat.h"
#include "services/matching/scoring/explain.h"
#include "services/matching/scoring/matcher.h"

namespace jalin::matching {

absl::Status CheckPair(const MatchIndex& index, uint32_t offer, uint32_t need,
                       int64_t now_seconds) {
  auto fail = [](absl::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("the listings do not match: ", why));
  };
  if (index.kind(offer) != kOffer) return fail("offer_listing is not an offer");
  if (index.kind(need) != kNeed) return fail("need_listing is not a need");
  if (!TypesCompatible(index.type(offer), index.type(need))) {
    return fail("their types are not compatible");
  }
  if (index.taxonomy().Relate(index.category(offer), index.category(need)) ==
      nullptr) {
    return fail("their categories are not related");
  }
  for (uint32_t s : {offer, need}) {
    if (index.valid_until(s) != 0 && index.valid_until(s) <= now_seconds) {
      return fail(absl::StrCat(index.name(s), " is past its valid_until"));
    }
  }
  if (index.owner(offer) == index.owner(need)) {
    return fail("both belong to the same owner");
  }
  if ((index.required_certs(need) & ~index.owner_certs(offer)) != 0) {
    return fail("the supplier lacks a certification the need requires");
  }
  const double km =
      index.grid().DistanceKm(index.region(offer), index.region(need));
  for (uint32_t s : {offer, need}) {
    if (index.radius_km(s) > 0 && km > index.radius_km(s)) {
      return fail(absl::StrCat("they are ", static_cast<int>(km),
                               " km apart, beyond the delivery radius of ",
                               index.name(s)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<matching::v1::Match> ScorePair(const MatchIndex& index,
                                              const Signals::ReadLock& signals,
                                              const Weights& weights,
                                              uint32_t offer, uint32_t need,
                                              int64_t now_seconds) {
  if (absl::Status s = CheckPair(index, offer, need, now_seconds); !s.ok()) {
    return s;
  }
  QueryOptions options;
  options.now_seconds = now_seconds;
  QueryContext q(index, signals, weights, SideOf(index, need), options);
  Candidate c;
  c.slot = offer;
  c.related =
      index.taxonomy().Relate(index.category(offer), index.category(need));
  const PostingFacts p = MakePostingFacts(q, index.category(offer), c.related);
  const BucketFacts b = MakeBucketFacts(q, p, index.region(offer));
  if (!Evaluate(q, p, b, index.entry(offer), &c.eval)) {
    return absl::FailedPreconditionError("the listings do not match");
  }
  return ExplainMatch(q, c);
}

}  // namespace jalin::matching
