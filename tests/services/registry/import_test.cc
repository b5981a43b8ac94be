// Bulk import through the real binary: per-record answers with every
// violation, exact counts, upserts by source and version, cross-tenant
// refusals, and kill -9 in the middle of an import.

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/registry_test_env.h"

namespace jalin::registry::testing {
namespace {

using auth::Role;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using Result = v1::ImportRecordResult;

std::vector<v1::ImportRecordsRequest> Batches(
    const std::vector<v1::ImportRecord>& records, size_t size) {
  std::vector<v1::ImportRecordsRequest> out;
  for (size_t i = 0; i < records.size(); i += size) {
    v1::ImportRecordsRequest& b = out.emplace_back();
    b.set_batch_id(absl::StrCat("batch-", out.size()));
    for (size_t j = i; j < std::min(records.size(), i + size); ++j) {
      *b.add_records() = records[j];
    }
  }
  return out;
}

v1::ImportRecord EnterpriseRecord(const std::string& external_id,
                                  int64_t version, const v1::Enterprise& e) {
  v1::ImportRecord r;
  r.set_external_id(external_id);
  r.set_version(version);
  *r.mutable_enterprise() = e;
  return r;
}

// The violations ("field: description") of a rejected result.
std::vector<std::string> Violations(const Result& r) {
  return ErrorOf(r).violations;
}

// A file of `n` enterprises of Kabupaten Karanganyar; every tenth record
// is bad in one of five ways. `bad` receives the expected violations by
// external id.
std::vector<v1::ImportRecord> File(
    int n, std::map<std::string, std::vector<std::string>>* bad) {
  std::vector<v1::ImportRecord> records;
  for (int i = 0; i < n; ++i) {
    const std::string id = absl::StrCat("umkm-", i);
    v1::Enterprise e =
        SampleEnterprise("regions/33.13", absl::StrCat("UMKM ", i));
    e.set_nib(absl::StrCat(9100000000000 + i));
    int64_t version = 1;
    if (i % 10 == 0) {
      switch ((i / 10) % 5) {
        case 0:
          e.set_nib("123");
          (*bad)[id] = {"enterprise.nib: must be 13 digits"};
          break;
        case 1:
          e.mutable_location()->set_region("regions/33.98");
          (*bad)[id] = {
              "enterprise.location.region: unknown region regions/33.98"};
          break;
        case 2:
          e.set_categories(0, "categories/rokok");
          (*bad)[id] = {
              "enterprise.categories[0]: unknown category categories/rokok"};
          break;
        case 3:
          e.clear_display_name();
          e.mutable_contacts(0)->set_phone("555");
          (*bad)[id] = {"enterprise.display_name: is required",
                        "enterprise.contacts[0].phone: must be an Indonesian "
                        "phone number (+62... or 08...)"};
          break;
        case 4:
          version = 0;
          (*bad)[id] = {"version: must be positive"};
          break;
      }
    }
    records.push_back(EnterpriseRecord(id, version, e));
  }
  return records;
}

class RegistryImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = RegistryEnv::Start({"JALIN_IMPORT_MAX_BATCH_RECORDS=1000"});
    ASSERT_TRUE(env.ok()) << env.status();
    env_ = *std::move(env);
    integrator_ = env_->Token(Role::kIntegrator, {"33.13"}, "",
                              "sida-karanganyar", "systems/sida-karanganyar");
  }

  // Every enterprise in `region`, paging through the list.
  std::vector<v1::Enterprise> AllEnterprises(const std::string& region) {
    std::vector<v1::Enterprise> out;
    v1::ListEnterprisesRequest req;
    req.set_region(region);
    req.set_page_size(1000);
    do {
      v1::ListEnterprisesResponse resp;
      grpc::Status s =
          Call(*env_, env_->AdminToken(), &Stub::ListEnterprises, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& e : resp.enterprises()) out.push_back(e);
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return out;
  }

  std::unique_ptr<RegistryEnv> env_;
  std::string integrator_;
};

TEST_F(RegistryImportTest, TenThousandRecordsWithTenPercentBad) {
  std::map<std::string, std::vector<std::string>> bad;
  const std::vector<v1::ImportRecord> file = File(10'000, &bad);
  ASSERT_EQ(bad.size(), 1000u);
  ImportRun run = Import(*env_, integrator_, Batches(file, 500));
  ASSERT_TRUE(run.status.ok()) << run.status.error_message();
  ASSERT_EQ(run.answers.size(), 20u);
  int created = 0, rejected = 0;
  for (size_t b = 0; b < run.answers.size(); ++b) {
    const auto& answer = run.answers[b];
    EXPECT_EQ(answer.batch_id(), absl::StrCat("batch-", b + 1));
    ASSERT_EQ(answer.results_size(), 500);
    EXPECT_EQ(answer.created() + answer.rejected(), 500);
    created += answer.created();
    rejected += answer.rejected();
    for (const Result& r : answer.results()) {
      EXPECT_EQ(r.external_id(), file[b * 500 + r.index()].external_id());
      auto it = bad.find(r.external_id());
      if (it == bad.end()) {
        EXPECT_EQ(r.outcome(), Result::CREATED) << r.external_id();
        EXPECT_FALSE(r.name().empty());
      } else {
        EXPECT_EQ(r.outcome(), Result::REJECTED) << r.external_id();
        EXPECT_EQ(r.error().code(), grpc::StatusCode::INVALID_ARGUMENT);
        EXPECT_THAT(Violations(r), ElementsAreArray(it->second))
            << r.external_id();
        EXPECT_TRUE(r.name().empty());
      }
    }
  }
  EXPECT_EQ(created, 9000);
  EXPECT_EQ(rejected, 1000);
  const std::vector<v1::Enterprise> stored = AllEnterprises("regions/33.13");
  ASSERT_EQ(stored.size(), 9000u);
  for (const auto& e : stored) {
    EXPECT_EQ(e.source().system(), "sida-karanganyar");
    EXPECT_FALSE(bad.contains(e.source().external_id()));
  }
}

TEST_F(RegistryImportTest, AnotherRegionsRecordIsRejectedAndNothingStored) {
  const std::string sukoharjo = env_->Token(
      Role::kIntegrator, {"33.11"}, "", "sida-sukoharjo", "systems/sukoharjo");
  v1::Enterprise foreign = SampleEnterprise("regions/33.13", "Batik Lain");
  v1::Enterprise foreign_and_bad = foreign;
  foreign_and_bad.set_nib("1");
  v1::ImportRecordsRequest batch;
  *batch.add_records() = EnterpriseRecord(
      "a", 1, SampleEnterprise("regions/33.11", "Jamu Nguter"));
  *batch.add_records() = EnterpriseRecord("b", 1, foreign);
  *batch.add_records() = EnterpriseRecord("c", 1, foreign_and_bad);
  ImportRun run = Import(*env_, sukoharjo, {batch});
  ASSERT_TRUE(run.status.ok()) << run.status.error_message();
  ASSERT_EQ(run.answers.size(), 1u);
  const auto& a = run.answers[0];
  EXPECT_EQ(a.created(), 1);
  EXPECT_EQ(a.rejected(), 2);
  EXPECT_EQ(a.results(0).outcome(), Result::CREATED);
  for (int i : {1, 2}) {
    EXPECT_EQ(a.results(i).outcome(), Result::REJECTED);
    EXPECT_EQ(a.results(i).error().code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(Violations(a.results(i)).empty());
  }
  EXPECT_TRUE(AllEnterprises("regions/33.13").empty());
  EXPECT_EQ(AllEnterprises("regions/33.11").size(), 1u);
}

TEST_F(RegistryImportTest, UpsertsBySourceAndVersionWithExternalReferences) {
  const std::string wonogiri = env_->Token(Role::kIntegrator, {"33.12"}, "",
                                           "sida-wonogiri", "systems/wng");
  v1::ImportRecord cluster;
  cluster.set_external_id("k1");
  cluster.set_version(1);
  *cluster.mutable_cluster() = SampleCluster(
      "regions/33.12", "Klaster Mete Wonogiri", "categories/makanan-olahan");
  v1::Enterprise e = SampleEnterprise("regions/33.12", "Mete Pak Harjo");
  e.add_clusters("external:k1");
  v1::ImportRecord listing;
  listing.set_external_id("l1");
  listing.set_version(1);
  *listing.mutable_listing() = SampleListing(
      "external:e1", "Kacang mete goreng", "categories/makanan-olahan");
  v1::ImportRecordsRequest batch;
  *batch.add_records() = cluster;
  *batch.add_records() = EnterpriseRecord("e1", 1, e);
  *batch.add_records() = listing;

  ImportRun first = Import(*env_, wonogiri, {batch});
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  const auto& r1 = first.answers.at(0);
  ASSERT_EQ(r1.created(), 3) << r1.DebugString();
  const std::string cluster_name = r1.results(0).name();
  const std::string enterprise_name = r1.results(1).name();
  const std::string listing_name = r1.results(2).name();

  v1::GetEnterpriseRequest get;
  get.set_name(enterprise_name);
  v1::Enterprise stored;
  ASSERT_TRUE(Call(*env_, wonogiri, &Stub::GetEnterprise, get, &stored).ok());
  EXPECT_THAT(stored.clusters(), ElementsAre(cluster_name));
  EXPECT_EQ(stored.source().system(), "sida-wonogiri");
  EXPECT_EQ(stored.source().external_id(), "e1");
  EXPECT_EQ(stored.source().version(), 1);
  v1::GetListingRequest get_listing;
  get_listing.set_name(listing_name);
  v1::Listing l;
  ASSERT_TRUE(Call(*env_, wonogiri, &Stub::GetListing, get_listing, &l).ok());
  EXPECT_EQ(l.owner(), enterprise_name);
  EXPECT_EQ(l.region(), "regions/33.12");

  // The same file again changes nothing.
  ImportRun again = Import(*env_, wonogiri, {batch});
  ASSERT_TRUE(again.status.ok());
  EXPECT_EQ(again.answers.at(0).unchanged(), 3);
  EXPECT_EQ(again.answers.at(0).results(1).name(), enterprise_name);

  // A newer version updates and keeps the name; an older one changes
  // nothing.
  v1::ImportRecordsRequest newer;
  e.set_display_name("Mete Pak Harjo & Putra");
  *newer.add_records() = EnterpriseRecord("e1", 2, e);
  v1::Enterprise older_e = e;
  older_e.set_display_name("Mete lama");
  *newer.add_records() = EnterpriseRecord("e1", 1, older_e);
  v1::Enterprise missing_ref =
      SampleEnterprise("regions/33.12", "Tanpa klaster");
  missing_ref.add_clusters("external:k9");
  *newer.add_records() = EnterpriseRecord("e2", 1, missing_ref);
  ImportRun third = Import(*env_, wonogiri, {newer});
  ASSERT_TRUE(third.status.ok());
  const auto& r3 = third.answers.at(0);
  EXPECT_EQ(r3.results(0).outcome(), Result::UPDATED);
  EXPECT_EQ(r3.results(0).name(), enterprise_name);
  EXPECT_EQ(r3.results(1).outcome(), Result::UNCHANGED);
  EXPECT_EQ(r3.results(2).outcome(), Result::REJECTED);
  EXPECT_THAT(Violations(r3.results(2)),
              ElementsAre("enterprise.clusters[0]: no cluster with external id "
                          "k9 from sida-wonogiri"));
  ASSERT_TRUE(Call(*env_, wonogiri, &Stub::GetEnterprise, get, &stored).ok());
  EXPECT_EQ(stored.display_name(), "Mete Pak Harjo & Putra");
  EXPECT_EQ(stored.source().version(), 2);
  // Its listing follows the new name.
  ASSERT_TRUE(Call(*env_, wonogiri, &Stub::GetListing, get_listing, &l).ok());
  EXPECT_EQ(l.owner_profile().display_name(), "Mete Pak Harjo & Putra");
  auto events = env_->Settle();
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(RegistryEnv::CountEvents(
                *events, "jalin.registry.enterprise.created", enterprise_name),
            1);
  EXPECT_EQ(RegistryEnv::CountEvents(
                *events, "jalin.registry.enterprise.updated", enterprise_name),
            1);
  EXPECT_EQ(RegistryEnv::CountEvents(*events, "jalin.registry.listing.updated",
                                     listing_name),
            1);
}

TEST_F(RegistryImportTest, RefusesCallersAndBatchesItCannotTake) {
  v1::ImportRecordsRequest batch;
  *batch.add_records() =
      EnterpriseRecord("x", 1, SampleEnterprise("regions/33.13", "X"));
  // No source system in the token, or a role that does not import.
  for (const std::string& token :
       {env_->AdminToken(), env_->Token(Role::kViewer),
        env_->Token(Role::kFacilitator, {"33.13"})}) {
    ImportRun run = Import(*env_, token, {batch});
    EXPECT_EQ(run.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(run.answers.empty());
  }
  // A batch above the limit ends the stream; earlier batches stay.
  std::map<std::string, std::vector<std::string>> bad;
  std::vector<v1::ImportRecordsRequest> batches =
      Batches(File(1001, &bad), 1001);
  batches.insert(batches.begin(), batch);
  ImportRun run = Import(*env_, integrator_, batches);
  EXPECT_EQ(run.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(run.answers.size(), 1u);
  EXPECT_EQ(run.answers[0].created(), 1);
  EXPECT_EQ(AllEnterprises("regions/33.13").size(), 1u);
}

TEST_F(RegistryImportTest, KillDuringImportLosesNothingAcknowledged) {
  std::map<std::string, std::vector<std::string>> bad;
  const std::vector<v1::ImportRecord> file = File(10'000, &bad);
  const std::vector<v1::ImportRecordsRequest> batches = Batches(file, 250);
  const size_t good = file.size() - bad.size();

  // kill -9 once some batches were answered.
  ImportRun cut = Import(*env_, integrator_, batches, [&](int answers) {
    if (answers == 8) env_->suite().Kill("registry");
  });
  EXPECT_FALSE(cut.status.ok());
  ASSERT_GE(cut.answers.size(), 8u);
  ASSERT_LT(cut.answers.size(), batches.size());
  std::set<std::string> acknowledged;
  for (const auto& a : cut.answers) {
    for (const Result& r : a.results()) {
      if (r.outcome() == Result::CREATED) acknowledged.insert(r.external_id());
    }
  }

  ASSERT_TRUE(env_->Restart().ok());
  ImportRun resent = Import(*env_, integrator_, batches);
  ASSERT_TRUE(resent.status.ok()) << resent.status.error_message();
  ASSERT_EQ(resent.answers.size(), batches.size());
  size_t created = 0, unchanged = 0, rejected = 0;
  for (const auto& a : resent.answers) {
    created += a.created();
    unchanged += a.unchanged();
    rejected += a.rejected();
    for (const Result& r : a.results()) {
      if (acknowledged.contains(r.external_id())) {
        EXPECT_EQ(r.outcome(), Result::UNCHANGED) << r.external_id();
      }
    }
  }
  EXPECT_EQ(created + unchanged, good);
  EXPECT_EQ(rejected, bad.size());
  EXPECT_GE(unchanged, acknowledged.size());

  // Exactly one record per good row, and one created event each.
  const std::vector<v1::Enterprise> stored = AllEnterprises("regions/33.13");
  std::set<std::string> external_ids;
  for (const auto& e : stored) external_ids.insert(e.source().external_id());
  EXPECT_EQ(stored.size(), good);
  EXPECT_EQ(external_ids.size(), good);
  auto events = env_->Settle();
  ASSERT_TRUE(events.ok()) << events.status();
  // The relay publishes at least once (a kill between publishing and
  // marking may repeat an entry; consumers drop it by id): every record
  // has exactly one distinct created event.
  std::map<std::string, std::set<std::string>> created_ids;
  for (const auto& e : *events) {
    if (e.type() == "jalin.registry.enterprise.created") {
      created_ids[e.subject()].insert(e.id());
    }
  }
  EXPECT_EQ(created_ids.size(), good);
  for (const auto& [subject, ids] : created_ids) {
    EXPECT_EQ(ids.size(), 1u) << subject;
  }
}

}  // namespace
}  // namespace jalin::registry::testing
