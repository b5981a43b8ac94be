#include "services/matching/scoring/signals.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jalin::matching {

double FeedbackValue(const FeedbackCounts& counts) {
  return (static_cast<double>(counts.agreed) + 1.0) /
         (static_cast<double>(counts.agreed + counts.declined) + 2.0);
}

double DealsFactor(int64_t deals) {
  return std::min(1.0, static_cast<double>(std::max<int64_t>(deals, 0)) / 3.0);
}

uint32_t Signals::ProvincePair(absl::string_view supplier_province,
                               absl::string_view buyer_province) {
  uint32_t a = 0, b = 0;
  if (!absl::SimpleAtoi(supplier_province, &a) ||
      !absl::SimpleAtoi(buyer_province, &b) || a > 0xFFFF || b > 0xFFFF) {
    return 0;
  }
  return ProvincePair(static_cast<uint16_t>(a), static_cast<uint16_t>(b));
}

void Signals::AddFeedback(const FeedbackKey& key, int64_t agreed,
                          int64_t declined) {
  absl::MutexLock lock(&mu_);
  FeedbackCounts& c =
      feedback_[absl::StrCat(key.offer_group, "|", key.need_group)]
               [ProvincePair(key.supplier_province, key.buyer_province)];
  c.agreed += agreed;
  c.declined += declined;
}

void Signals::AddDeal(uint64_t owner_key, int64_t n) {
  absl::MutexLock lock(&mu_);
  int64_t& d = deals_[owner_key];
  d += n;
  max_deals_ = std::max(max_deals_, d);
}

void Signals::Clear() {
  absl::MutexLock lock(&mu_);
  feedback_.clear();
  deals_.clear();
  max_deals_ = 0;
}

const absl::flat_hash_map<uint32_t, FeedbackCounts>*
Signals::ReadLock::ForGroups(absl::string_view offer_group,
                             absl::string_view need_group) const {
  if (s_.feedback_.empty()) return nullptr;
  auto it = s_.feedback_.find(absl::StrCat(offer_group, "|", need_group));
  return it == s_.feedback_.end() ? nullptr : &it->second;
}

int64_t Signals::ReadLock::Deals(uint64_t owner_key) const {
  if (s_.deals_.empty()) return 0;
  auto it = s_.deals_.find(owner_key);
  return it == s_.deals_.end() ? 0 : it->second;
}

double Signals::ReadLock::MaxDealsFactor() const {
  return DealsFactor(s_.max_deals_);
}

}  // namespace jalin::matching
