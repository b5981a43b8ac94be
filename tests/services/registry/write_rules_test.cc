// Write rules of the registry against the real binary, found by an audit:
// limits of repeated fields, printable timestamps, short error messages for
// long values, no cluster cycles, no attaching records to another region's
// cluster, permission before every violation at once, members staying in
// their region, and the agreement party filter.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/registry_test_env.h"

namespace jalin::registry::testing {
namespace {

using auth::Role;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using Result = v1::ImportRecordResult;

class RegistryWriteRulesTest : public RegistrySuiteTest {
 protected:
  // The results of one import batch of `records` sent with `token`.
  std::vector<Result> ImportBatch(
      const std::string& token, const std::vector<v1::ImportRecord>& records) {
    v1::ImportRecordsRequest batch;
    batch.set_batch_id("b1");
    for (const auto& r : records) *batch.add_records() = r;
    ImportRun run = Import(env(), token, {batch});
    EXPECT_TRUE(run.status.ok()) << run.status.error_message();
    std::vector<Result> results;
    for (const auto& answer : run.answers) {
      for (const auto& r : answer.results()) results.push_back(r);
    }
    return results;
  }
};

TEST_F(RegistryWriteRulesTest, RepeatedFieldsAreLimited) {
  v1::CreateEnterpriseRequest create;
  *create.mutable_enterprise() =
      SampleEnterprise("regions/33.13", "Jamu Banyak Sertifikat");
  auto* cert = create.mutable_enterprise()->add_certifications();
  cert->set_kind(jalin::type::v1::PIRT);
  cert->set_number("2063313010123-27");
  for (int i = 0; i < 50; ++i) {
    *create.mutable_enterprise()->add_certifications() = *cert;
  }
  v1::Enterprise e;
  CallError err =
      ErrorOf(Call(env(), Admin(), &Stub::CreateEnterprise, create, &e));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              ElementsAre("enterprise.certifications: must have at most 50 "
                          "entries"));

  v1::CreateClusterRequest cluster;
  *cluster.mutable_cluster() = SampleCluster("regions/33.13", "Klaster Dobel");
  cluster.mutable_cluster()->clear_roles();
  cluster.mutable_cluster()->add_roles(v1::PRODUCER);
  cluster.mutable_cluster()->add_roles(v1::PRODUCER);
  v1::Cluster c;
  err = ErrorOf(Call(env(), Admin(), &Stub::CreateCluster, cluster, &c));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations, ElementsAre("cluster.roles[1]: is listed twice"));

  v1::CreateCategoryRequest category;
  category.set_category_id("kbli-banyak");
  category.mutable_category()->set_parent("categories/jamu");
  category.mutable_category()->set_kind(v1::GOODS);
  category.mutable_category()->set_label_id("Jamu lain");
  category.mutable_category()->set_label_en("Other jamu");
  for (int i = 0; i < 21; ++i) {
    category.mutable_category()->add_kbli_codes(absl::StrCat(10790 + i));
  }
  v1::Category out;
  err = ErrorOf(Call(env(), Admin(), &Stub::CreateCategory, category, &out));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              Contains("category.kbli_codes: must have at most 20 entries"));
}

TEST_F(RegistryWriteRulesTest, ValidUntilMustBeARealTimestamp) {
  const v1::Enterprise owner =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Jahe Pak Tono"));
  v1::CreateListingRequest req;
  *req.mutable_listing() = SampleListing(owner.name(), "Jahe emprit");
  req.mutable_listing()->mutable_valid_until()->set_seconds(int64_t{1} << 50);
  req.mutable_listing()->mutable_valid_until()->set_nanos(-7);
  v1::Listing l;
  CallError err = ErrorOf(Call(env(), Admin(), &Stub::CreateListing, req, &l));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              ElementsAre(HasSubstr("listing.valid_until.seconds"),
                          HasSubstr("listing.valid_until.nanos")));
}

TEST_F(RegistryWriteRulesTest, LongValuesAreNotEchoedInFull) {
  v1::GetEnterpriseRequest get;
  get.set_name("enterprises/" + std::string(10000, 'x'));
  v1::Enterprise e;
  CallError err = ErrorOf(Call(env(), Admin(), &Stub::GetEnterprise, get, &e));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT) << err.message;
  ASSERT_EQ(err.violations.size(), 1u);
  EXPECT_THAT(err.violations[0], ::testing::StartsWith("name: "));
  EXPECT_LT(err.violations[0].size(), 200u);

  v1::CreateEnterpriseRequest create;
  *create.mutable_enterprise() = SampleEnterprise("regions/33.13", "Panjang");
  create.mutable_enterprise()->add_categories("categories/" +
                                              std::string(10000, 'y'));
  err = ErrorOf(Call(env(), Admin(), &Stub::CreateEnterprise, create, &e));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT) << err.message;
  EXPECT_THAT(err.violations,
              ElementsAre(HasSubstr("enterprise.categories[1]: unknown")));
}

TEST_F(RegistryWriteRulesTest, ClusterParentsNeverFormACycle) {
  const v1::Cluster a = CreateCluster(SampleCluster("regions/33.13", "A"));
  v1::Cluster b_in = SampleCluster("regions/33.13", "B");
  b_in.set_parent_cluster(a.name());
  const v1::Cluster b = CreateCluster(b_in);
  v1::UpdateClusterRequest update;
  update.mutable_cluster()->set_name(a.name());
  update.mutable_cluster()->set_parent_cluster(b.name());
  update.mutable_update_mask()->add_paths("parent_cluster");
  v1::Cluster out;
  CallError err =
      ErrorOf(Call(env(), Admin(), &Stub::UpdateCluster, update, &out));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              ElementsAre(HasSubstr("cluster.parent_cluster: lies below")));

  // An import update that names the record itself as its parent.
  const std::string karanganyar = env().Token(
      Role::kIntegrator, {"33.13"}, "", "sida-karanganyar", "systems/kra");
  v1::ImportRecord c1;
  c1.set_external_id("c1");
  c1.set_version(1);
  *c1.mutable_cluster() = SampleCluster("regions/33.13", "Klaster C1");
  std::vector<Result> first = ImportBatch(karanganyar, {c1});
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(first[0].outcome(), Result::CREATED);
  c1.set_version(2);
  c1.mutable_cluster()->set_parent_cluster("external:c1");
  std::vector<Result> second = ImportBatch(karanganyar, {c1});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].outcome(), Result::REJECTED);
  EXPECT_THAT(ErrorOf(second[0]).violations,
              ElementsAre("cluster.parent_cluster: cannot be the cluster "
                          "itself"));
}

TEST_F(RegistryWriteRulesTest, RecordsJoinOnlyClustersOfWritableRegions) {
  const v1::Cluster karanganyar =
      CreateCluster(SampleCluster("regions/33.13", "Klaster Karanganyar"));
  const std::string sukoharjo = env().Token(Role::kFacilitator, {"33.11"});

  v1::CreateEnterpriseRequest e;
  *e.mutable_enterprise() = SampleEnterprise("regions/33.11", "Penyusup");
  e.mutable_enterprise()->add_clusters(karanganyar.name());
  v1::Enterprise stored;
  EXPECT_EQ(
      Call(env(), sukoharjo, &Stub::CreateEnterprise, e, &stored).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  v1::CreateClusterRequest c;
  *c.mutable_cluster() = SampleCluster("regions/33.11", "Anak Penyusup");
  c.mutable_cluster()->set_parent_cluster(karanganyar.name());
  v1::Cluster child;
  EXPECT_EQ(
      Call(env(), sukoharjo, &Stub::CreateCluster, c, &child).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // Nothing was attached: the cluster can still be deleted.
  v1::DeleteClusterRequest del;
  del.set_name(karanganyar.name());
  google::protobuf::Empty empty;
  EXPECT_TRUE(Call(env(), Admin(), &Stub::DeleteCluster, del, &empty).ok());

  // An import by Sukoharjo's system is refused the same way.
  const v1::Cluster other =
      CreateCluster(SampleCluster("regions/33.13", "Klaster Lain"));
  const std::string skh = env().Token(Role::kIntegrator, {"33.11"}, "",
                                      "sida-sukoharjo", "systems/skh");
  v1::ImportRecord r;
  r.set_external_id("e1");
  r.set_version(1);
  *r.mutable_enterprise() = SampleEnterprise("regions/33.11", "Impor Nakal");
  r.mutable_enterprise()->add_clusters(other.name());
  std::vector<Result> results = ImportBatch(skh, {r});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome(), Result::REJECTED);
  EXPECT_EQ(results[0].error().code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryWriteRulesTest, PermissionFirstThenEveryViolationAtOnce) {
  v1::CreateEnterpriseRequest req;
  req.set_request_id("bad id");
  req.set_enterprise_id("Not-Valid");
  *req.mutable_enterprise() = SampleEnterprise("regions/33.13", "Salah Semua");
  req.mutable_enterprise()->set_nib("123");
  v1::Enterprise e;
  CallError err =
      ErrorOf(Call(env(), Admin(), &Stub::CreateEnterprise, req, &e));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              UnorderedElementsAre(HasSubstr("request_id: "),
                                   HasSubstr("enterprise_id: "),
                                   "enterprise.nib: must be 13 digits"));

  const std::string sukoharjo = env().Token(Role::kFacilitator, {"33.11"});
  req.clear_enterprise_id();
  EXPECT_EQ(
      Call(env(), sukoharjo, &Stub::CreateEnterprise, req, &e).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // A bad mask path and a bad value of a valid path, together.
  const v1::Enterprise stored =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Masker"));
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(stored.name());
  update.mutable_enterprise()->set_nib("123");
  update.mutable_update_mask()->add_paths("nib");
  update.mutable_update_mask()->add_paths("no_such_field");
  err = ErrorOf(Call(env(), Admin(), &Stub::UpdateEnterprise, update, &e));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              UnorderedElementsAre(HasSubstr("update_mask.paths[1]: "),
                                   "enterprise.nib: must be 13 digits"));

  // A bad filter and a bad page token, together.
  v1::ListEnterprisesRequest list;
  list.set_scale(static_cast<v1::Scale>(99));
  list.set_page_token("garbage");
  v1::ListEnterprisesResponse page;
  err = ErrorOf(Call(env(), Admin(), &Stub::ListEnterprises, list, &page));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations, UnorderedElementsAre(HasSubstr("scale: "),
                                                   HasSubstr("page_token: ")));

  // An import record with a bad envelope and a bad field, together.
  const std::string karanganyar = env().Token(
      Role::kIntegrator, {"33.13"}, "", "sida-karanganyar", "systems/kra");
  v1::ImportRecord r;
  r.set_external_id("bad-both");
  r.set_version(0);
  *r.mutable_enterprise() = SampleEnterprise("regions/33.13", "Impor Salah");
  r.mutable_enterprise()->set_nib("123");
  std::vector<Result> results = ImportBatch(karanganyar, {r});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome(), Result::REJECTED);
  EXPECT_THAT(ErrorOf(results[0]).violations,
              UnorderedElementsAre("version: must be positive",
                                   "enterprise.nib: must be 13 digits"));
}

TEST_F(RegistryWriteRulesTest, MembersDoNotMoveTheirRecord) {
  const v1::Enterprise e =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Batik Bu Ani"));
  const std::string member = env().Token(Role::kMember, {}, e.name());
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(e.name());
  update.mutable_enterprise()->mutable_location()->set_region("regions/31.71");
  update.mutable_update_mask()->add_paths("location");
  v1::Enterprise out;
  EXPECT_EQ(
      Call(env(), member, &Stub::UpdateEnterprise, update, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // A facilitator of both regions may move it.
  const std::string both = env().Token(Role::kFacilitator, {"33.13", "31.71"});
  EXPECT_TRUE(Call(env(), both, &Stub::UpdateEnterprise, update, &out).ok());
  EXPECT_EQ(out.location().region(), "regions/31.71");
}

TEST_F(RegistryWriteRulesTest, AgreementPartyFilterIsChecked) {
  v1::ListAgreementsRequest req;
  v1::ListAgreementsResponse resp;
  for (const char* party : {"bogus", "regions/99.99", "partners/NOT OK"}) {
    req.set_party(party);
    CallError err =
        ErrorOf(Call(env(), Admin(), &Stub::ListAgreements, req, &resp));
    EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT) << party;
    EXPECT_THAT(err.violations, ElementsAre(HasSubstr("party: "))) << party;
  }
  for (const char* party : {"regions/33.13", "partners/p1"}) {
    req.set_party(party);
    EXPECT_TRUE(Call(env(), Admin(), &Stub::ListAgreements, req, &resp).ok());
  }
}

}  // namespace
}  // namespace jalin::registry::testing
