#include "tests/tools/fake_services.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/validation/validators.h"

namespace jalin::ctl::testing {
namespace {

using registry::v1::ImportRecord;
using registry::v1::ImportRecordResult;
using registry::v1::ImportRecordsRequest;
using registry::v1::ImportRecordsResponse;

bool Authorized(grpc::CallbackServerContext* ctx) {
  auto it = ctx->client_metadata().find("authorization");
  return it != ctx->client_metadata().end() &&
         std::string(it->second.data(), it->second.size()) ==
             absl::StrCat("Bearer ", kToken);
}

grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* ctx,
                                 const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, "fake.jalin"));
  return reactor;
}

absl::Status Unauthenticated() {
  return absl::UnauthenticatedError("missing or invalid bearer token");
}

std::string DisplayName(const ImportRecord& r) {
  switch (r.record_case()) {
    case ImportRecord::kCluster:
      return r.cluster().display_name();
    case ImportRecord::kEnterprise:
      return r.enterprise().display_name();
    case ImportRecord::kPartner:
      return r.partner().display_name();
    case ImportRecord::kListing:
      return r.listing().title();
    default:
      return "";
  }
}

std::string Collection(const ImportRecord& r) {
  switch (r.record_case()) {
    case ImportRecord::kCluster:
      return "clusters";
    case ImportRecord::kEnterprise:
      return "enterprises";
    case ImportRecord::kPartner:
      return "partners";
    default:
      return "listings";
  }
}

class ImportReactor final
    : public grpc::ServerBidiReactor<ImportRecordsRequest,
                                     ImportRecordsResponse> {
 public:
  ImportReactor(FakeRegistry* registry, bool authorized) : registry_(registry) {
    if (!authorized) {
      Finish(ToGrpcStatus(Unauthenticated(), "fake.jalin"));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    response_ = registry_->Apply(request_);
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNKNOWN, "write failed"));
      return;
    }
    if (registry_->ShouldFail()) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "link dropped"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  FakeRegistry* const registry_;
  ImportRecordsRequest request_;
  ImportRecordsResponse response_;
};

}  // namespace

ImportRecordsResponse FakeRegistry::Apply(const ImportRecordsRequest& request) {
  absl::MutexLock lock(&mu_);
  ++batches_;
  ++stream_batches_;
  max_batch_size_ = std::max(max_batch_size_, request.records_size());
  ImportRecordsResponse response;
  response.set_batch_id(request.batch_id());
  for (int i = 0; i < request.records_size(); ++i) {
    const ImportRecord& r = request.records(i);
    ImportRecordResult* result = response.add_results();
    result->set_index(i);
    result->set_external_id(r.external_id());
    FieldViolations v;
    if (DisplayName(r).empty()) {
      v.Add(r.has_listing() ? "title" : "display_name", "is required");
    }
    if (r.has_enterprise() && !r.enterprise().nib().empty() &&
        !validation::IsNib(r.enterprise().nib())) {
      v.Add("nib", "must be 13 digits");
    }
    absl::Status error = v.ToStatus("invalid record");
    if (error.ok() && r.has_listing() &&
        r.listing().owner().rfind("external:", 0) == 0 &&
        !records_.contains(r.listing().owner().substr(9))) {
      error = absl::FailedPreconditionError(
          absl::StrCat("owner ", r.listing().owner(), " is not known"));
    }
    if (!error.ok()) {
      result->set_outcome(ImportRecordResult::REJECTED);
      *result->mutable_error() = ToRpcStatus(error, "fake.jalin");
      response.set_rejected(response.rejected() + 1);
      continue;
    }
    auto it = records_.find(r.external_id());
    if (it == records_.end()) {
      Stored s;
      s.name = absl::StrCat(Collection(r), "/f", ++next_id_);
      s.version = r.version();
      s.record = r;
      result->set_name(s.name);
      records_[r.external_id()] = std::move(s);
      result->set_outcome(ImportRecordResult::CREATED);
      response.set_created(response.created() + 1);
    } else if (it->second.version < r.version()) {
      it->second.version = r.version();
      it->second.record = r;
      result->set_name(it->second.name);
      result->set_outcome(ImportRecordResult::UPDATED);
      response.set_updated(response.updated() + 1);
    } else {
      result->set_name(it->second.name);
      result->set_outcome(ImportRecordResult::UNCHANGED);
      response.set_unchanged(response.unchanged() + 1);
    }
  }
  return response;
}

bool FakeRegistry::ShouldFail() {
  absl::MutexLock lock(&mu_);
  if (fail_after_batches_ >= 0 && stream_batches_ >= fail_after_batches_) {
    stream_batches_ = 0;
    fail_after_batches_ = -1;
    return true;
  }
  return false;
}

grpc::ServerBidiReactor<ImportRecordsRequest, ImportRecordsResponse>*
FakeRegistry::ImportRecords(grpc::CallbackServerContext* ctx) {
  {
    absl::MutexLock lock(&mu_);
    stream_batches_ = 0;
  }
  return new ImportReactor(this, Authorized(ctx));
}

grpc::ServerUnaryReactor* FakeRegistry::GetCluster(
    grpc::CallbackServerContext* ctx,
    const registry::v1::GetClusterRequest* request,
    registry::v1::Cluster* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  absl::MutexLock lock(&mu_);
  for (const auto& [id, s] : records_) {
    if (s.name == request->name() && s.record.has_cluster()) {
      *response = s.record.cluster();
      response->set_name(s.name);
      return Answer(ctx, absl::OkStatus());
    }
  }
  return Answer(ctx, absl::NotFoundError(
                         absl::StrCat(request->name(), " does not exist")));
}

grpc::ServerUnaryReactor* FakeRegistry::ListClusters(
    grpc::CallbackServerContext* ctx,
    const registry::v1::ListClustersRequest* request,
    registry::v1::ListClustersResponse* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  absl::MutexLock lock(&mu_);
  std::vector<registry::v1::Cluster> matching;
  for (const auto& [id, s] : records_) {
    if (!s.record.has_cluster()) continue;
    if (!request->region().empty() &&
        s.record.cluster().location().region() != request->region()) {
      continue;
    }
    registry::v1::Cluster c = s.record.cluster();
    c.set_name(s.name);
    matching.push_back(std::move(c));
  }
  int offset = 0;
  if (!request->page_token().empty() &&
      !absl::SimpleAtoi(request->page_token(), &offset)) {
    return Answer(ctx, absl::InvalidArgumentError("bad page token"));
  }
  const int size = request->page_size() > 0 ? request->page_size() : 50;
  for (int i = offset;
       i < static_cast<int>(matching.size()) && i < offset + size; ++i) {
    *response->add_clusters() = matching[i];
  }
  if (offset + size < static_cast<int>(matching.size())) {
    response->set_next_page_token(absl::StrCat(offset + size));
  }
  response->set_total_size(static_cast<int32_t>(matching.size()));
  return Answer(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* FakeRegistry::GetRegion(
    grpc::CallbackServerContext* ctx,
    const registry::v1::GetRegionRequest* request,
    registry::v1::Region* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  if (request->name() == "regions/33.11") {
    response->set_display_name("Kabupaten Sukoharjo");
  } else if (request->name() == "regions/33.13") {
    response->set_display_name("Kabupaten Karanganyar");
  } else {
    return Answer(ctx, absl::NotFoundError("no such region"));
  }
  response->set_name(request->name());
  return Answer(ctx, absl::OkStatus());
}

matching::v1::ChannelingReport FakeMatching::SampleReport() {
  matching::v1::ChannelingReport report;
  report.set_region_a("regions/33.11");
  report.set_region_b("regions/33.13");
  report.set_opportunity_count(3);
  report.set_a_to_b_count(1);
  report.set_b_to_a_count(2);
  report.mutable_generate_time()->set_seconds(1767225600);  // 2026-01-01
  matching::v1::ClusterPair* b_to_a = report.add_pairs();
  b_to_a->set_supplier("clusters/jahe");
  b_to_a->set_supplier_display_name("Klaster Jahe Kemuning");
  b_to_a->set_supplier_region("regions/33.13");
  b_to_a->set_buyer("clusters/jamu");
  b_to_a->set_buyer_display_name("Klaster Jamu Nguter");
  b_to_a->set_buyer_region("regions/33.11");
  b_to_a->set_strength(0.82);
  auto* o1 = b_to_a->add_opportunities();
  o1->set_kind(matching::v1::Opportunity::LISTING_MATCH);
  o1->set_direction(matching::v1::Opportunity::B_TO_A);
  o1->set_offer_listing("listings/offer-jahe");
  o1->set_need_listing("listings/need-jahe");
  o1->set_score(0.82);
  o1->mutable_text()->set_id(
      "Klaster Jamu Nguter butuh jahe; Klaster Jahe "
      "Kemuning dapat memasok");
  o1->mutable_text()->set_en(
      "Klaster Jamu Nguter needs ginger; Klaster Jahe "
      "Kemuning can supply it");
  auto* o2 = b_to_a->add_opportunities();
  o2->set_kind(matching::v1::Opportunity::COMPLEMENTARITY);
  o2->set_direction(matching::v1::Opportunity::B_TO_A);
  o2->set_supply_link("supplyLinks/jahe-jamu");
  o2->set_score(0.61);
  o2->mutable_text()->set_id("Jahe adalah bahan baku utama jamu");
  o2->mutable_text()->set_en("Ginger is a main raw material of jamu");
  matching::v1::ClusterPair* a_to_b = report.add_pairs();
  a_to_b->set_supplier("clusters/mebel");
  a_to_b->set_supplier_display_name("Klaster Mebel | Kayu");
  a_to_b->set_supplier_region("regions/33.11");
  a_to_b->set_buyer("clusters/jamur");
  a_to_b->set_buyer_display_name("Klaster Jamur Tiram");
  a_to_b->set_buyer_region("regions/33.13");
  a_to_b->set_strength(0.7);
  auto* o3 = a_to_b->add_opportunities();
  o3->set_kind(matching::v1::Opportunity::LISTING_MATCH);
  o3->set_direction(matching::v1::Opportunity::A_TO_B);
  o3->set_offer_listing("listings/offer-serbuk");
  o3->set_need_listing("listings/need-serbuk");
  o3->set_score(0.7);
  o3->mutable_text()->set_id("Serbuk gergaji untuk baglog jamur");
  o3->mutable_text()->set_en("Sawdust for mushroom grow bags");
  return report;
}

grpc::ServerUnaryReactor* FakeMatching::GenerateChannelingReport(
    grpc::CallbackServerContext* ctx,
    const matching::v1::GenerateChannelingReportRequest* request,
    matching::v1::ChannelingReport* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  {
    absl::MutexLock lock(&mu_);
    last_report_ = *request;
  }
  if (request->region_a() == request->region_b()) {
    FieldViolations v;
    v.Add("region_b", "must differ from region_a");
    v.Add("region_a", "must be a kabupaten or kota");
    return Answer(ctx, v.ToStatus("invalid report request"));
  }
  *response = SampleReport();
  return Answer(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* FakeMatching::FindMatches(
    grpc::CallbackServerContext* ctx,
    const matching::v1::FindMatchesRequest* request,
    matching::v1::FindMatchesResponse* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  if (request->listing() != "listings/need-jahe") {
    return Answer(ctx, absl::NotFoundError(
                           absl::StrCat(request->listing(), " not found")));
  }
  response->set_listing(request->listing());
  for (int i = 0; i < 2; ++i) {
    matching::v1::Match* m = response->add_matches();
    m->mutable_listing()->set_name(absl::StrCat("listings/offer-", i));
    m->mutable_listing()->set_kind(registry::v1::Listing::OFFER);
    m->mutable_listing()->set_title(i == 0 ? "Jahe segar" : "Jahe emprit");
    m->mutable_listing()->set_region("regions/33.13");
    m->mutable_listing()->mutable_owner_profile()->set_display_name(
        i == 0 ? "Klaster Jahe Kemuning" : "");
    m->mutable_listing()->set_owner("clusters/owner-1");
    m->set_score(i == 0 ? 0.9123 : 0.5);
    m->set_distance_km(24.5);
    m->mutable_reason()->set_id("Jarak dekat");
    m->mutable_reason()->set_en("Close by");
  }
  return Answer(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* FakeMatching::CreateProposal(
    grpc::CallbackServerContext* ctx,
    const matching::v1::CreateProposalRequest* request,
    matching::v1::Proposal* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  {
    absl::MutexLock lock(&mu_);
    request_ids_.push_back(request->request_id());
  }
  *response = request->proposal();
  response->set_name("proposals/p1");
  response->set_state(matching::v1::Proposal::PROPOSED);
  return Answer(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* FakeMatching::AcceptProposal(
    grpc::CallbackServerContext* ctx,
    const matching::v1::AnswerProposalRequest* request,
    matching::v1::Proposal* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  {
    absl::MutexLock lock(&mu_);
    last_answer_ = *request;
    request_ids_.push_back(request->request_id());
  }
  if (request->name() != "proposals/p1") {
    return Answer(ctx, absl::NotFoundError("no such proposal"));
  }
  response->set_name(request->name());
  response->set_state(matching::v1::Proposal::PARTIALLY_ACCEPTED);
  return Answer(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* FakeMatching::RecordOutcome(
    grpc::CallbackServerContext* ctx,
    const matching::v1::RecordOutcomeRequest* request,
    matching::v1::Proposal* response) {
  if (!Authorized(ctx)) return Answer(ctx, Unauthenticated());
  {
    absl::MutexLock lock(&mu_);
    last_outcome_ = *request;
  }
  response->set_name(request->name());
  response->set_state(matching::v1::Proposal::COMPLETED);
  *response->mutable_outcome() = request->outcome();
  return Answer(ctx, absl::OkStatus());
}

namespace {

class SubscribeReactor final
    : public grpc::ServerWriteReactor<notification::v1::Notification> {
 public:
  SubscribeReactor(const std::string& cursor, bool first, bool authorized)
      : first_(first) {
    if (!authorized) {
      finished_ = true;
      Finish(ToGrpcStatus(Unauthenticated(), "fake.jalin"));
      return;
    }
    int start = 0;
    if (cursor == "c1") start = 1;
    if (cursor == "c2") start = 2;
    if (cursor == "c3") start = 3;
    for (int i = start; i < 3; ++i) {
      notification::v1::Notification n;
      n.set_name(absl::StrCat("recipients/x/notifications/n", i + 1));
      n.set_event_type("jalin.matching.proposal.created");
      n.set_title_id(absl::StrCat("Usulan baru ", i + 1));
      n.set_title_en(absl::StrCat("New proposal ", i + 1));
      n.set_body_id("Ada usulan kerja sama");
      n.set_cursor(absl::StrCat("c", i + 1));
      n.mutable_create_time()->set_seconds(1767225600 + i);
      pending_.push_back(std::move(n));
    }
    // The first stream drops after two notifications.
    if (first_ && pending_.size() > 2) pending_.resize(2);
    Next();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return;  // cancelled; OnCancel finishes
    Next();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    if (!finished_) {
      finished_ = true;
      Finish(grpc::Status::CANCELLED);
    }
  }

  void OnDone() override { delete this; }

 private:
  void Next() {
    if (next_ < pending_.size()) {
      StartWrite(&pending_[next_++]);
      return;
    }
    if (first_) {
      absl::MutexLock lock(&mu_);
      if (!finished_) {
        finished_ = true;
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "link dropped"));
      }
    }
    // Later streams stay open until the client cancels.
  }

  const bool first_;
  std::vector<notification::v1::Notification> pending_;
  size_t next_ = 0;
  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

grpc::ServerWriteReactor<notification::v1::Notification>*
FakeNotification::Subscribe(grpc::CallbackServerContext* ctx,
                            const notification::v1::SubscribeRequest* request) {
  bool first;
  {
    absl::MutexLock lock(&mu_);
    first = cursors_.empty();
    cursors_.push_back(request->cursor());
    parents_.push_back(request->parent());
  }
  return new SubscribeReactor(request->cursor(), first, Authorized(ctx));
}

}  // namespace jalin::ctl::testing
