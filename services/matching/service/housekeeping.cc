#include "services/matching/service/housekeeping.h"

#include <utility>

#include "common/log/log.h"
#include "services/matching/scoring/matcher.h"

namespace jalin::matching {

Sweeper::Sweeper(Proposals* proposals, IndexSync* sync,
                 absl::Duration interval)
    : proposals_(proposals), sync_(sync), interval_(interval) {}

Sweeper::~Sweeper() { Stop(); }

void Sweeper::Start() {
  absl::MutexLock lock(&mu_);
  stop_ = false;
  thread_ = std::thread([this] {
    while (true) {
      SweepOnce();
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), interval_)) return;
    }
  });
}

void Sweeper::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Sweeper::SweepOnce() {
  absl::StatusOr<int> expired = proposals_->ExpireDue();
  if (!expired.ok()) {
    log::Warn("expiring proposals failed",
              {{"error", std::string(expired.status().message())}});
  } else if (*expired > 0) {
    log::Info("proposals expired", {{"count", *expired}});
  }
  const int purged = sync_->PurgeExpired();
  if (purged > 0) log::Info("expired listings dropped", {{"count", purged}});
}

AutoProposer::AutoProposer(const LiveIndex* index, const Signals* signals,
                           const Weights* weights, const Clock* clock,
                           Proposals* proposals, AutoProposeOptions options)
    : index_(index),
      signals_(signals),
      weights_(weights),
      clock_(clock),
      proposals_(proposals),
      options_(options) {}

void AutoProposer::OnListingsOpened(const std::vector<std::string>& listings) {
  if (!options_.enabled) return;
  // (offer, need) pairs worth proposing, found under the index lock and
  // proposed after it is released.
  std::vector<std::pair<std::string, std::string>> pairs;
  const int64_t now = absl::ToUnixSeconds(clock_->Now());
  index_
      ->Read([&](const MatchIndex& index) {
        Signals::ReadLock lock(*signals_);
        QueryOptions options;
        options.now_seconds = now;
        for (const std::string& name : listings) {
          const uint32_t slot = index.FindListing(name);
          if (slot == kNoId) continue;
          QueryContext q(index, lock, *weights_, SideOf(index, slot), options);
          for (const Candidate& c :
               FindTopK(q, options_.max_per_listing).matches) {
            if (c.eval.score < options_.min_score) break;
            if (q.query_is_need()) {
              pairs.emplace_back(index.name(c.slot), name);
            } else {
              pairs.emplace_back(name, index.name(c.slot));
            }
          }
        }
        return absl::OkStatus();
      })
      .IgnoreError();
  for (const auto& [offer, need] : pairs) {
    absl::StatusOr<bool> made = proposals_->ProposeAutomatically(offer, need);
    if (!made.ok()) {
      log::Warn("automatic proposal failed",
                {{"offer", offer},
                 {"need", need},
                 {"error", std::string(made.status().message())}});
    } else if (*made) {
      log::Info("automatic proposal made", {{"offer", offer}, {"need", need}});
    }
  }
}

}  // namespace jalin::matching
