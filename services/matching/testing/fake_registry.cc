#include "services/matching/testing/fake_registry.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::matching::testing {

using registry::v1::ExportSnapshotResponse;

// Streams one snapshot taken when the call arrived: the position, then the
// stored records in chunks, then the generator's chunks.
class FakeRegistry::Writer final
    : public grpc::ServerWriteReactor<ExportSnapshotResponse> {
 public:
  Writer(FakeRegistry* registry, int chunk_size) : chunk_size_(chunk_size) {
    absl::MutexLock lock(&registry->mu_);
    const State& state =
        registry->frozen_ != nullptr ? *registry->frozen_ : registry->state_;
    position_.set_stream(registry->stream_);
    position_.set_stream_id(state.stream_id);
    position_.set_sequence(state.sequence);
    for (const auto& [n, l] : state.listings) listings_.push_back(l);
    for (const auto& [n, c] : state.clusters) *rest_.add_clusters() = c;
    for (const auto& [n, a] : state.agreements) *rest_.add_agreements() = a;
    for (const auto& [n, c] : state.categories) *rest_.add_categories() = c;
    for (const auto& [n, l] : state.links) *rest_.add_supply_links() = l;
    generator_ = registry->generator_;
    Next();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    Next();
  }
  void OnDone() override { delete this; }

 private:
  void Next() {
    out_.Clear();
    if (!sent_position_) {
      *out_.mutable_position() = position_;
      sent_position_ = true;
    } else if (next_listing_ < listings_.size()) {
      for (int i = 0; i < chunk_size_ && next_listing_ < listings_.size();
           ++i) {
        *out_.add_listings() = listings_[next_listing_++];
      }
    } else if (!sent_rest_) {
      out_ = rest_;
      sent_rest_ = true;
    } else if (!generator_ || !generator_(next_chunk_++, &out_)) {
      Finish(grpc::Status::OK);
      return;
    }
    StartWrite(&out_);
  }

  const int chunk_size_;
  registry::v1::SnapshotPosition position_;
  std::vector<registry::v1::Listing> listings_;
  ExportSnapshotResponse rest_;
  Generator generator_;
  ExportSnapshotResponse out_;
  bool sent_position_ = false;
  size_t next_listing_ = 0;
  bool sent_rest_ = false;
  int next_chunk_ = 0;
};

FakeRegistry::FakeRegistry(redis::Client* redis, std::string stream)
    : redis_(redis), stream_(std::move(stream)) {}

absl::Status FakeRegistry::Publish(absl::string_view type,
                                   absl::string_view subject,
                                   const google::protobuf::Message& payload) {
  const uint64_t sequence = ++state_.sequence;
  if (redis_ == nullptr) return absl::OkStatus();
  events::v1::Event event = events::MakeEvent(
      {.service = "registry", .type = type, .subject = subject}, payload,
      absl::Now());
  event.set_sequence(sequence);
  absl::StatusOr<redis::Reply> r = redis_->Command(
      {"XADD", stream_, "*", "id", event.id(), "type", event.type(), "seq",
       absl::StrCat(sequence), "event", event.SerializeAsString()});
  if (!r.ok()) return r.status();
  state_.stream_id = r->str;
  return absl::OkStatus();
}

absl::Status FakeRegistry::PutListing(const registry::v1::Listing& listing,
                                      absl::string_view verb) {
  absl::MutexLock lock(&mu_);
  if (listing.status() == registry::v1::Listing::OPEN) {
    state_.listings[listing.name()] = listing;
  } else {
    // The snapshot holds OPEN listings only.
    state_.listings.erase(listing.name());
  }
  events::v1::ListingEvent e;
  *e.mutable_listing() = listing;
  return Publish(absl::StrCat("jalin.registry.listing.", verb), listing.name(),
                 e);
}

absl::Status FakeRegistry::DeleteListing(absl::string_view name) {
  absl::MutexLock lock(&mu_);
  events::v1::ListingEvent e;
  auto it = state_.listings.find(std::string(name));
  if (it != state_.listings.end()) {
    *e.mutable_listing() = it->second;
    state_.listings.erase(it);
  } else {
    e.mutable_listing()->set_name(std::string(name));
  }
  return Publish("jalin.registry.listing.deleted", name, e);
}

absl::Status FakeRegistry::PutCluster(const registry::v1::Cluster& cluster) {
  absl::MutexLock lock(&mu_);
  const bool created = state_.clusters.count(cluster.name()) == 0;
  state_.clusters[cluster.name()] = cluster;
  events::v1::ClusterEvent e;
  *e.mutable_cluster() = cluster;
  return Publish(created ? "jalin.registry.cluster.created"
                         : "jalin.registry.cluster.updated",
                 cluster.name(), e);
}

absl::Status FakeRegistry::PutAgreement(
    const registry::v1::Agreement& agreement) {
  absl::MutexLock lock(&mu_);
  const bool created = state_.agreements.count(agreement.name()) == 0;
  if (agreement.status() == registry::v1::Agreement::ACTIVE) {
    state_.agreements[agreement.name()] = agreement;
  } else {
    state_.agreements.erase(agreement.name());
  }
  events::v1::AgreementEvent e;
  *e.mutable_agreement() = agreement;
  return Publish(created ? "jalin.registry.agreement.created"
                         : "jalin.registry.agreement.updated",
                 agreement.name(), e);
}

absl::Status FakeRegistry::PutCategory(
    const registry::v1::Category& category) {
  absl::MutexLock lock(&mu_);
  state_.categories[category.name()] = category;
  events::v1::CategoryEvent e;
  *e.mutable_category() = category;
  return Publish("jalin.registry.category.created", category.name(), e);
}

absl::Status FakeRegistry::PutSupplyLink(
    const registry::v1::SupplyLink& link) {
  absl::MutexLock lock(&mu_);
  state_.links[link.name()] = link;
  events::v1::SupplyLinkEvent e;
  *e.mutable_supply_link() = link;
  return Publish("jalin.registry.supply_link.created", link.name(), e);
}

void FakeRegistry::set_generator(Generator generator) {
  absl::MutexLock lock(&mu_);
  generator_ = std::move(generator);
}

uint64_t FakeRegistry::sequence() const {
  absl::MutexLock lock(&mu_);
  return state_.sequence;
}

void FakeRegistry::Freeze() {
  absl::MutexLock lock(&mu_);
  frozen_ = std::make_unique<State>(state_);
}

void FakeRegistry::Thaw() {
  absl::MutexLock lock(&mu_);
  frozen_.reset();
}

grpc::ServerWriteReactor<ExportSnapshotResponse>* FakeRegistry::ExportSnapshot(
    grpc::CallbackServerContext* /*ctx*/,
    const registry::v1::ExportSnapshotRequest* request) {
  ++exports_;
  if (fail_exports_.load() > 0) {
    --fail_exports_;
    class Failing final
        : public grpc::ServerWriteReactor<ExportSnapshotResponse> {
     public:
      Failing() {
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            "registry is starting"));
      }
      void OnDone() override { delete this; }
    };
    return new Failing;
  }
  const int chunk = request->chunk_size() > 0 ? request->chunk_size() : 500;
  return new Writer(this, chunk);
}

}  // namespace jalin::matching::testing
