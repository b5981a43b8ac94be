#include "services/matching/sync/index_sync.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::matching {
namespace {

// Fills a fresh index from the snapshot's messages.
class Builder final : public SnapshotSink {
 public:
  Builder(MatchIndex* index, absl::Time now, const std::atomic<bool>* cancel)
      : index_(index), now_(now), cancel_(cancel) {}

  absl::Status OnPosition(
      const registry::v1::SnapshotPosition& position) override {
    position_ = position;
    return absl::OkStatus();
  }

  absl::Status OnRecords(
      const registry::v1::ExportSnapshotResponse& chunk) override {
    if (cancel_->load()) {
      return absl::CancelledError("the service is shutting down");
    }
    for (const auto& c : chunk.categories()) index_->UpsertCategory(c);
    for (const auto& l : chunk.supply_links()) index_->AddSupplyLink(l);
    for (const auto& c : chunk.clusters()) index_->UpsertCluster(c);
    for (const auto& a : chunk.agreements()) index_->UpsertAgreement(a);
    for (const auto& l : chunk.listings()) {
      absl::Status s = index_->UpsertListing(l, now_);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  const registry::v1::SnapshotPosition& position() const { return position_; }

 private:
  MatchIndex* const index_;
  const absl::Time now_;
  const std::atomic<bool>* const cancel_;
  registry::v1::SnapshotPosition position_;
};

template <typename Payload>
absl::Status Unpack(const events::v1::Event& event, Payload* payload) {
  if (!event.data().UnpackTo(payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.id(), " (", event.type(),
                     ") does not carry a ", payload->GetTypeName()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyRegistryEvent(MatchIndex& index,
                                const events::v1::Event& event, absl::Time now,
                                std::vector<std::string>* opened) {
  absl::string_view type = event.type();
  if (!absl::ConsumePrefix(&type, "jalin.registry.")) return absl::OkStatus();
  const bool deleted = absl::EndsWith(type, ".deleted");
  if (absl::StartsWith(type, "listing.")) {
    events::v1::ListingEvent e;
    if (absl::Status s = Unpack(event, &e); !s.ok()) return s;
    if (deleted) {
      index.RemoveListing(e.listing().name());
      return absl::OkStatus();
    }
    bool indexed = false;
    if (absl::Status s = index.UpsertListing(e.listing(), now, &indexed);
        !s.ok()) {
      return s;
    }
    if (indexed && opened != nullptr) opened->push_back(e.listing().name());
  } else if (absl::StartsWith(type, "cluster.")) {
    events::v1::ClusterEvent e;
    if (absl::Status s = Unpack(event, &e); !s.ok()) return s;
    if (deleted) {
      index.RemoveCluster(e.cluster().name());
    } else {
      index.UpsertCluster(e.cluster());
    }
  } else if (absl::StartsWith(type, "agreement.")) {
    events::v1::AgreementEvent e;
    if (absl::Status s = Unpack(event, &e); !s.ok()) return s;
    if (deleted) {
      index.RemoveAgreement(e.agreement().name());
    } else {
      index.UpsertAgreement(e.agreement());
    }
  } else if (absl::StartsWith(type, "category.")) {
    events::v1::CategoryEvent e;
    if (absl::Status s = Unpack(event, &e); !s.ok()) return s;
    index.UpsertCategory(e.category());
  } else if (absl::StartsWith(type, "supply_link.")) {
    events::v1::SupplyLinkEvent e;
    if (absl::Status s = Unpack(event, &e); !s.ok()) return s;
    index.AddSupplyLink(e.supply_link());
  }
  index.FinalizeTaxonomy();
  return absl::OkStatus();
}

IndexSync::IndexSync(std::shared_ptr<const RegionGrid> grid,
                     SnapshotSource* source, RegistryFeed* feed,
                     LiveIndex* live, const Clock* clock, SyncOptions options,
                     ListingsOpened on_opened)
    : grid_(std::move(grid)),
      source_(source),
      feed_(feed),
      live_(live),
      clock_(clock),
      options_(options),
      on_opened_(std::move(on_opened)) {}

IndexSync::~IndexSync() { Stop(); }

absl::Status IndexSync::Load() {
  bool swapped = false;
  return LoadOnce(&swapped);
}

absl::Status IndexSync::LoadOnce(bool* swapped) {
  absl::MutexLock load_lock(&load_mu_);
  const absl::Time start = absl::Now();
  auto index = std::make_unique<MatchIndex>(grid_);
  if (options_.expected_listings > 0) {
    index->Reserve(options_.expected_listings);
  }
  Builder builder(index.get(), clock_->Now(), &cancel_);
  if (absl::Status s = source_->Export(builder); !s.ok()) {
    return Annotate(s, "loading the registry snapshot");
  }
  index->FinalizeTaxonomy();
  index->ShrinkToFit();
  index->set_sequence(builder.position().sequence());
  const IndexCounts counts = index->counts();
  // The old index stops following before the new one takes over; the feed
  // resumes at the snapshot's position, so nothing in between is lost.
  feed_->Stop();
  IndexInfo info;
  info.build_time = clock_->Now();
  info.build_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::unique_ptr<MatchIndex> old = live_->Swap(std::move(index), info);
  old.reset();
  *swapped = true;
  absl::Status started = StartFeed(builder.position());
  log::Info("match index loaded",
            {{"listings", counts.listings},
             {"clusters", counts.clusters},
             {"categories", counts.categories},
             {"sequence", builder.position().sequence()},
             {"stream_id", builder.position().stream_id()},
             {"seconds", info.build_seconds}});
  if (!started.ok()) {
    return Annotate(started,
                    "following registry events (the new index is in place; "
                    "retrying in the background)");
  }
  return absl::OkStatus();
}

absl::Status IndexSync::StartFeed(
    const registry::v1::SnapshotPosition& position) {
  absl::Status started = feed_->Start(
      position, [this](const events::v1::Event& e) { return Apply(e); });
  absl::MutexLock lock(&mu_);
  if (started.ok()) {
    unstarted_.reset();
    return absl::OkStatus();
  }
  unstarted_ = position;
  if (!stop_ && !restarter_.joinable()) {
    restarter_ = std::thread([this] { RestartFeed(); });
  }
  return started;
}

void IndexSync::RestartFeed() {
  absl::Duration backoff = options_.retry_initial;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto wanted = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || unstarted_.has_value();
      };
      mu_.Await(absl::Condition(&wanted));
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), backoff)) return;
    }
    // Under load_mu_, so that a load in progress finishes first: it starts
    // the feed at its own, newer position.
    absl::MutexLock load_lock(&load_mu_);
    std::optional<registry::v1::SnapshotPosition> position;
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
      position = unstarted_;
    }
    if (!position.has_value()) {
      backoff = options_.retry_initial;
      continue;
    }
    absl::Status s = StartFeed(*position);
    if (s.ok()) {
      log::Info("match index: following registry events again",
                {{"stream_id", position->stream_id()}});
      backoff = options_.retry_initial;
      continue;
    }
    log::Warn("match index: starting the registry feed failed, retrying",
              {{"error", std::string(s.message())},
               {"retry_ms", absl::ToInt64Milliseconds(backoff)}});
    backoff = std::min(backoff * 2, options_.retry_max);
  }
}

bool IndexSync::feed_healthy() const {
  {
    absl::MutexLock lock(&mu_);
    if (unstarted_.has_value()) return false;
  }
  return feed_->healthy();
}

absl::Status IndexSync::Apply(const events::v1::Event& event) {
  std::vector<std::string> opened;
  bool applied = false;
  absl::Status s = live_->Write([&](MatchIndex& index) -> absl::Status {
    if (event.sequence() != 0 && event.sequence() <= index.sequence()) {
      return absl::OkStatus();  // already in the snapshot or applied
    }
    absl::Status a = ApplyRegistryEvent(index, event, clock_->Now(), &opened);
    if (!a.ok()) return a;
    index.set_sequence(std::max(index.sequence(), event.sequence()));
    applied = true;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (applied) live_->CountEvent();
  if (!opened.empty() && on_opened_) on_opened_(opened);
  return absl::OkStatus();
}

int IndexSync::PurgeExpired() {
  int removed = 0;
  live_
      ->Write([&](MatchIndex& index) {
        removed = index.RemoveExpired(clock_->Now());
        return absl::OkStatus();
      })
      .IgnoreError();
  return removed;
}

void IndexSync::StartBackgroundLoad() {
  absl::MutexLock lock(&mu_);
  stop_ = false;
  loader_ = std::thread([this] { BackgroundLoad(); });
}

void IndexSync::BackgroundLoad() {
  absl::Duration backoff = options_.retry_initial;
  while (true) {
    bool swapped = false;
    absl::Status s = LoadOnce(&swapped);
    // Once the index is in, a feed that failed to start is the restarter's.
    if (s.ok() || swapped) return;
    log::Warn("match index: load failed, retrying",
              {{"error", std::string(s.message())},
               {"retry_ms", absl::ToInt64Milliseconds(backoff)}});
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stop_), backoff)) return;
    backoff = std::min(backoff * 2, options_.retry_max);
  }
}

void IndexSync::Stop() {
  cancel_ = true;
  std::thread restarter;
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    restarter = std::move(restarter_);
  }
  if (loader_.joinable()) loader_.join();
  if (restarter.joinable()) restarter.join();
  feed_->Stop();
}

}  // namespace jalin::matching
