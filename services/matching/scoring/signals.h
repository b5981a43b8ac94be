// What past proposals teach the scorer: how often proposals between similar
// category and region pairs were agreed or declined (the feedback
// component), and how many deals each owner completed (part of
// reliability). Kept in memory, loaded from the proposal store at start and
// updated as proposals change.

#ifndef SERVICES_MATCHING_SCORING_SIGNALS_H_
#define SERVICES_MATCHING_SCORING_SIGNALS_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace jalin::matching {

// "Similar" pairs share the group of each category (its parent, or itself
// for a root) and the province of each side.
struct FeedbackKey {
  // Category names of the groups: "categories/rempah".
  std::string offer_group;
  std::string need_group;
  // Province codes: "33".
  std::string supplier_province;
  std::string buyer_province;
};

struct FeedbackCounts {
  int64_t agreed = 0;
  int64_t declined = 0;
};

// Laplace-smoothed share of agreed answers: 0.5 without history, towards 1
// as agreements accumulate and towards 0 as declines do.
double FeedbackValue(const FeedbackCounts& counts);
// Completed deals as a share of the three that count fully.
double DealsFactor(int64_t deals);

// Thread-safe. Readers hold a ReadLock for the whole query so that the
// scorer sees one consistent state without locking per candidate.
class Signals {
 public:
  Signals() = default;
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;

  void AddFeedback(const FeedbackKey& key, int64_t agreed, int64_t declined);
  // `owner_key` is StableHash of the owner's name.
  void AddDeal(uint64_t owner_key, int64_t n = 1);
  void Clear();

  // A consistent view for one query.
  class ReadLock {
   public:
    explicit ReadLock(const Signals& s) ABSL_SHARED_LOCK_FUNCTION(s.mu_)
        : s_(s) {
      s_.mu_.ReaderLock();
    }
    ~ReadLock() ABSL_UNLOCK_FUNCTION() { s_.mu_.ReaderUnlock(); }
    ReadLock(const ReadLock&) = delete;
    ReadLock& operator=(const ReadLock&) = delete;

    // Counts by province pair for a pair of category groups, or null.
    const absl::flat_hash_map<uint32_t, FeedbackCounts>* ForGroups(
        absl::string_view offer_group,
        absl::string_view need_group) const ABSL_NO_THREAD_SAFETY_ANALYSIS;
    int64_t Deals(uint64_t owner_key) const ABSL_NO_THREAD_SAFETY_ANALYSIS;
    // The highest DealsFactor of any owner (a bound for pruning).
    double MaxDealsFactor() const ABSL_NO_THREAD_SAFETY_ANALYSIS;

   private:
    const Signals& s_;
  };

  // "33" and "35" -> one key; 0 for codes that are not numbers.
  static uint32_t ProvincePair(absl::string_view supplier_province,
                               absl::string_view buyer_province);
  static uint32_t ProvincePair(uint16_t supplier_province,
                               uint16_t buyer_province) {
    return (static_cast<uint32_t>(supplier_province) << 16) | buyer_province;
  }

 private:
  mutable absl::Mutex mu_;
  // offer group + "|" + need group -> province pair -> counts.
  absl::flat_hash_map<std::string,
                      absl::flat_hash_map<uint32_t, FeedbackCounts>>
      feedback_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, int64_t> deals_ ABSL_GUARDED_BY(mu_);
  int64_t max_deals_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SCORING_SIGNALS_H_
