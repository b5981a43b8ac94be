#include "tests/services/notification/test_support.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "common/ids.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "jalin/events/v1/matching_events.pb.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/notification/schema.h"

namespace jalin::notification::test {

absl::StatusOr<std::unique_ptr<storage::SqliteDatabase>> OpenStore(
    const std::string& path, bool synchronous_full) {
  auto db = storage::SqliteDatabase::Open(
      {.path = path, .synchronous_full = synchronous_full});
  if (!db.ok()) return db.status();
  RETURN_IF_ERROR(MigrateSchema(**db));
  return db;
}

events::v1::Event ProposalEvent(const std::string& verb,
                                const std::string& supplier,
                                const std::string& buyer,
                                const std::string& region) {
  events::v1::ProposalEvent payload;
  auto* p = payload.mutable_proposal();
  p->set_name(absl::StrCat("proposals/", NewUlid()));
  p->set_supplier(supplier);
  p->set_buyer(buyer);
  p->set_supplier_region(region);
  p->set_buyer_region(region);
  p->set_state(matching::v1::Proposal::PROPOSED);
  p->mutable_match()->mutable_listing()->set_title("Jahe emprit kering");
  p->mutable_match()->mutable_listing()->set_category("categories/jahe");
  return events::MakeEvent(
      {.service = "matching",
       .type = absl::StrCat("jalin.matching.proposal.", verb),
       .subject = p->name(),
       .regions = {region},
       .parties = {supplier, buyer}},
      payload, absl::Now());
}

events::v1::Event DecisionEvent(const std::string& enterprise,
                                const std::string& region) {
  events::v1::SubmissionEvent payload;
  auto* s = payload.mutable_submission();
  s->set_name(absl::StrCat("campaigns/c1/submissions/", NewUlid()));
  s->set_enterprise(enterprise);
  s->set_region(region);
  s->set_product_name("Jamu beras kencur");
  s->set_category("categories/jamu");
  s->set_state(curation::v1::Submission::DECIDED);
  s->mutable_decision()->set_result(curation::v1::Decision::PASSED);
  s->mutable_decision()->set_score(87.5);
  s->mutable_decision()->set_rank(3);
  s->mutable_decision()->set_grade("A");
  payload.set_campaign_display_name("Kurasi Jamu 2026");
  return events::MakeEvent({.service = "curation",
                            .type = "jalin.curation.submission.decided",
                            .subject = s->name(),
                            .regions = {region}},
                           payload, absl::Now());
}

events::v1::Event ListingEvent(const std::string& owner,
                               const std::string& category,
                               const std::string& region) {
  events::v1::ListingEvent payload;
  auto* l = payload.mutable_listing();
  l->set_name(absl::StrCat("listings/", NewUlid()));
  l->set_kind(registry::v1::Listing::OFFER);
  l->set_owner(owner);
  l->set_region(region);
  l->set_category(category);
  l->set_title("Baglog jamur tiram");
  return events::MakeEvent({.service = "registry",
                            .type = "jalin.registry.listing.created",
                            .subject = l->name(),
                            .regions = {region}},
                           payload, absl::Now());
}

absl::Status Publish(redis::Client& redis, const std::string& stream,
                     const std::vector<events::v1::Event>& events) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(events.size());
  for (const events::v1::Event& e : events) {
    commands.push_back({"XADD", stream, "*", "id", e.id(), "type", e.type(),
                        "event", e.SerializeAsString()});
  }
  absl::StatusOr<std::vector<redis::Reply>> replies = redis.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& r : *replies) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  return absl::OkStatus();
}

void FakeRegistry::AddCluster(const std::string& name,
                              const std::string& leader_name,
                              const std::string& leader_phone) {
  registry::v1::Cluster c;
  c.set_name(name);
  c.set_display_name(absl::StrCat("Klaster ", name));
  c.mutable_leader()->set_display_name(leader_name);
  c.mutable_leader()->set_role("Ketua klaster");
  c.mutable_leader()->set_phone(leader_phone);
  absl::MutexLock lock(&mu_);
  clusters_[name] = std::move(c);
}

grpc::ServerUnaryReactor* FakeRegistry::GetCluster(
    grpc::CallbackServerContext* ctx,
    const registry::v1::GetClusterRequest* req, registry::v1::Cluster* resp) {
  ++calls_;
  grpc::Status status;
  {
    absl::MutexLock lock(&mu_);
    auto auth = ctx->client_metadata().find("authorization");
    last_authorization_ =
        auth == ctx->client_metadata().end()
            ? ""
            : std::string(auth->second.data(), auth->second.size());
    auto it = clusters_.find(req->name());
    if (it == clusters_.end()) {
      status = grpc::Status(grpc::StatusCode::NOT_FOUND,
                            absl::StrCat(req->name(), " not found"));
    } else {
      *resp = it->second;
    }
  }
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

std::string FakeRegistry::last_authorization() const {
  absl::MutexLock lock(&mu_);
  return last_authorization_;
}

}  // namespace jalin::notification::test
