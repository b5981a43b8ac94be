// The registry's standard methods over gRPC against the real binary:
// reference data, create/get/update/delete with field masks and etags,
// validation, cross-tenant refusals, idempotency, pagination under
// concurrent inserts, listings following their owner, statistics.

#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "tests/services/registry/registry_test_env.h"

namespace jalin::registry::testing {
namespace {

using auth::Role;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

class RegistryApiTest : public RegistrySuiteTest {
 protected:
  v1::Listing CreateListing(const v1::Listing& l) {
    v1::CreateListingRequest req;
    *req.mutable_listing() = l;
    v1::Listing out;
    grpc::Status s = Call(env(), Admin(), &Stub::CreateListing, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  int32_t CountEnterprises(const std::string& region) {
    v1::ListEnterprisesRequest req;
    req.set_region(region);
    v1::ListEnterprisesResponse resp;
    EXPECT_TRUE(Call(env(), Admin(), &Stub::ListEnterprises, req, &resp).ok());
    return resp.total_size();
  }
};

TEST_F(RegistryApiTest, CallsWithoutATokenAreRefused) {
  v1::GetRegionRequest req;
  req.set_name("regions/33.13");
  v1::Region r;
  EXPECT_EQ(Call(env(), "", &Stub::GetRegion, req, &r).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RegistryApiTest, RegionsWithTheirProvinceAndCentre) {
  const std::string viewer = env().Token(Role::kViewer);
  v1::GetRegionRequest get;
  get.set_name("regions/33.13");
  v1::Region r;
  ASSERT_TRUE(Call(env(), viewer, &Stub::GetRegion, get, &r).ok());
  EXPECT_EQ(r.display_name(), "Kabupaten Karanganyar");
  EXPECT_EQ(r.level(), v1::Region::REGENCY);
  EXPECT_EQ(r.province(), "regions/33");
  EXPECT_EQ(r.province_display_name(), "Jawa Tengah");
  EXPECT_NEAR(r.center().latitude(), -7.628, 0.01);
  get.set_name("regions/33.98");
  EXPECT_EQ(Call(env(), viewer, &Stub::GetRegion, get, &r).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Jawa Tengah has 35 kabupaten/kota; pages of 10 return each once.
  v1::ListRegionsRequest list;
  list.set_province("regions/33");
  list.set_page_size(10);
  std::set<std::string> seen;
  int pages = 0;
  do {
    v1::ListRegionsResponse resp;
    ASSERT_TRUE(Call(env(), viewer, &Stub::ListRegions, list, &resp).ok());
    EXPECT_EQ(resp.total_size(), 35);
    for (const auto& region : resp.regions()) {
      EXPECT_TRUE(seen.insert(region.name()).second) << region.name();
      EXPECT_EQ(region.province(), "regions/33");
    }
    list.set_page_token(resp.next_page_token());
    ++pages;
  } while (!list.page_token().empty());
  EXPECT_EQ(seen.size(), 35u);
  EXPECT_EQ(pages, 4);
}

TEST_F(RegistryApiTest, TaxonomyReadSearchAndExtend) {
  const std::string viewer = env().Token(Role::kViewer);
  v1::GetCategoryRequest get;
  get.set_name("categories/batik-tulis");
  v1::Category c;
  ASSERT_TRUE(Call(env(), viewer, &Stub::GetCategory, get, &c).ok());
  EXPECT_EQ(c.parent(), "categories/batik");
  EXPECT_EQ(c.depth(), 2);
  EXPECT_EQ(c.label_en(), "Hand-drawn batik");

  v1::SearchCategoriesRequest search;
  search.set_query("wood ear");
  v1::SearchCategoriesResponse found;
  ASSERT_TRUE(
      Call(env(), viewer, &Stub::SearchCategories, search, &found).ok());
  ASSERT_FALSE(found.categories().empty());
  EXPECT_EQ(found.categories(0).name(), "categories/jamur-kuping");

  v1::ListSupplyLinksRequest links;
  links.set_category("categories/baglog-jamur");
  v1::ListSupplyLinksResponse lr;
  ASSERT_TRUE(Call(env(), viewer, &Stub::ListSupplyLinks, links, &lr).ok());
  std::set<std::string> pairs;
  for (const auto& l : lr.supply_links()) {
    pairs.insert(absl::StrCat(l.input(), ">", l.output()));
  }
  EXPECT_THAT(pairs,
              Contains("categories/serbuk-gergaji>categories/baglog-jamur"));
  EXPECT_THAT(pairs,
              Contains("categories/baglog-jamur>categories/jamur-tiram"));

  // Only admins extend the taxonomy; every violation is named.
  v1::CreateCategoryRequest create;
  create.set_category_id("jamu-anak");
  create.mutable_category()->set_parent("categories/jamu");
  create.mutable_category()->set_label_id("Jamu anak");
  create.mutable_category()->set_label_en("Jamu for children");
  create.mutable_category()->set_kind(v1::GOODS);
  EXPECT_EQ(Call(env(), viewer, &Stub::CreateCategory, create, &c).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::CreateCategoryRequest bad = create;
  bad.set_category_id("Jamu Anak");
  bad.mutable_category()->add_kbli_codes("2102");
  CallError e = ErrorOf(Call(env(), Admin(), &Stub::CreateCategory, bad, &c));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(e.violations,
              ElementsAre("category_id: must be kebab-case: 1 to 63 lower-case "
                          "letters, digits or hyphens",
                          "category.kbli_codes[0]: must be a 5-digit KBLI 2020 "
                          "code"));
  ASSERT_TRUE(Call(env(), Admin(), &Stub::CreateCategory, create, &c).ok());
  EXPECT_EQ(c.name(), "categories/jamu-anak");
  EXPECT_EQ(c.depth(), 1);
  EXPECT_EQ(
      Call(env(), Admin(), &Stub::CreateCategory, create, &c).error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
  // The new category is usable at once.
  get.set_name("categories/jamu-anak");
  EXPECT_TRUE(Call(env(), viewer, &Stub::GetCategory, get, &c).ok());
  v1::CreateSupplyLinkRequest link;
  link.mutable_supply_link()->set_input("categories/madu");
  link.mutable_supply_link()->set_output("categories/jamu-anak");
  link.mutable_supply_link()->set_strength(0.5);
  link.mutable_supply_link()->set_description_id("Madu mempermanis jamu anak");
  link.mutable_supply_link()->set_description_en(
      "Honey sweetens jamu for children");
  v1::SupplyLink created;
  ASSERT_TRUE(
      Call(env(), Admin(), &Stub::CreateSupplyLink, link, &created).ok());
  EXPECT_EQ(Call(env(), Admin(), &Stub::CreateSupplyLink, link, &created)
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  auto events = env().Settle();
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(RegistryEnv::CountEvents(*events, "jalin.registry.category.created",
                                     "categories/jamu-anak"),
            1);
}

TEST_F(RegistryApiTest, EnterpriseLifecycleWithMaskAndEtag) {
  v1::Enterprise e =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Jamu Sehat Bu Sri"));
  ASSERT_FALSE(e.name().empty());
  EXPECT_EQ(e.verification_state(), v1::UNVERIFIED);
  EXPECT_FALSE(e.meta().etag().empty());

  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(e.name());
  update.mutable_enterprise()->set_display_name("Jamu Sehat Bu Sri Rahayu");
  update.mutable_enterprise()->set_employee_count(99);  // not in the mask
  update.mutable_update_mask()->add_paths("display_name");
  v1::Enterprise updated;
  ASSERT_TRUE(
      Call(env(), Admin(), &Stub::UpdateEnterprise, update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Jamu Sehat Bu Sri Rahayu");
  EXPECT_EQ(updated.employee_count(), 0);
  EXPECT_EQ(updated.categories(0), "categories/jamu-gendong");
  EXPECT_NE(updated.meta().etag(), e.meta().etag());
  EXPECT_EQ(updated.meta().create_time().seconds(),
            e.meta().create_time().seconds());

  // A stale etag is refused; nothing changes.
  update.mutable_enterprise()->mutable_meta()->set_etag(e.meta().etag());
  update.mutable_enterprise()->set_display_name("Other");
  CallError stale =
      ErrorOf(Call(env(), Admin(), &Stub::UpdateEnterprise, update, &updated));
  EXPECT_EQ(stale.code, grpc::StatusCode::ABORTED);
  EXPECT_EQ(stale.reason, "ETAG_MISMATCH");
  // Output-only and unknown paths are named.
  v1::UpdateEnterpriseRequest frozen;
  frozen.mutable_enterprise()->set_name(e.name());
  frozen.mutable_update_mask()->add_paths("verification_state");
  frozen.mutable_update_mask()->add_paths("colour");
  CallError masked =
      ErrorOf(Call(env(), Admin(), &Stub::UpdateEnterprise, frozen, &updated));
  EXPECT_EQ(masked.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(masked.violations,
              ElementsAre("update_mask.paths[0]: 'verification_state' cannot "
                          "be changed",
                          "update_mask.paths[1]: 'colour' is not a field"));

  v1::GetEnterpriseRequest get;
  get.set_name(e.name());
  v1::Enterprise now;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::GetEnterprise, get, &now).ok());
  EXPECT_EQ(now.display_name(), "Jamu Sehat Bu Sri Rahayu");

  v1::DeleteEnterpriseRequest del;
  del.set_name(e.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::DeleteEnterprise, del, &empty).ok());
  EXPECT_EQ(Call(env(), Admin(), &Stub::GetEnterprise, get, &now).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      Call(env(), Admin(), &Stub::DeleteEnterprise, del, &empty).error_code(),
      grpc::StatusCode::NOT_FOUND);

  // One event per change, without personal data.
  auto all = env().Settle();
  ASSERT_TRUE(all.ok()) << all.status();
  int seen = 0;
  for (const auto& ev : *all) {
    if (ev.subject() != e.name()) continue;
    ++seen;
    jalin::events::v1::EnterpriseEvent payload;
    ASSERT_TRUE(ev.data().UnpackTo(&payload));
    EXPECT_TRUE(payload.enterprise().contacts().empty()) << ev.type();
    EXPECT_THAT(ev.regions(), ElementsAre("regions/33.13"));
    EXPECT_THAT(ev.parties(), ElementsAre(e.name()));
    EXPECT_EQ(ev.actor(), "users/test-admin");
  }
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(RegistryEnv::CountEvents(*all, "jalin.registry.enterprise.created",
                                     e.name()),
            1);
  EXPECT_EQ(RegistryEnv::CountEvents(*all, "jalin.registry.enterprise.updated",
                                     e.name()),
            1);
  EXPECT_EQ(RegistryEnv::CountEvents(*all, "jalin.registry.enterprise.deleted",
                                     e.name()),
            1);
}

TEST_F(RegistryApiTest, InvalidRecordNamesEveryViolationAndStoresNothing) {
  const int32_t before = CountEnterprises("regions/33.12");
  v1::Enterprise e = SampleEnterprise("regions/33.12", "Tenun Wonogiri");
  e.set_nib("12345");
  e.add_clusters("clusters/no-such-cluster");
  e.mutable_contacts(0)->set_email("tenun@");
  v1::CreateEnterpriseRequest req;
  *req.mutable_enterprise() = e;
  v1::Enterprise out;
  CallError err =
      ErrorOf(Call(env(), Admin(), &Stub::CreateEnterprise, req, &out));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              ElementsAre("enterprise.nib: must be 13 digits",
                          "enterprise.contacts[0].email: must be an email "
                          "address",
                          "enterprise.clusters[0]: no such cluster"));
  EXPECT_EQ(CountEnterprises("regions/33.12"), before);

  // A listing's owner must exist.
  v1::CreateListingRequest lreq;
  *lreq.mutable_listing() =
      SampleListing("enterprises/no-such-owner", "Jahe kering");
  lreq.mutable_listing()->mutable_quantity()->set_amount(-2);
  v1::Listing l;
  err = ErrorOf(Call(env(), Admin(), &Stub::CreateListing, lreq, &l));
  EXPECT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(err.violations,
              ElementsAre("listing.owner: no such cluster, enterprise or "
                          "partner",
                          "listing.quantity.amount: must be positive"));
}

// Every list at its limit and every entry bad: far more violations than
// gRPC's 8 KiB trailer limit could carry. The answer is still
// INVALID_ARGUMENT with a readable BadRequest (not RESOURCE_EXHAUSTED): the
// first violations, in order, and the count of the others in the message.
TEST_F(RegistryApiTest, ManyViolationsStillArriveAsInvalidArgument) {
  auto date = [](int year, int month, int day) {
    google::type::Date d;
    d.set_year(year);
    d.set_month(month);
    d.set_day(day);
    return d;
  };
  v1::Enterprise e = SampleEnterprise("regions/33.12", "Tenun Wonogiri");
  e.clear_categories();
  e.clear_contacts();
  for (int i = 0; i < 50; ++i) {
    e.add_categories(absl::StrCat("categories/tidak-ada-kategori-", i));
    e.add_clusters(absl::StrCat("clusters/tidak-ada-klaster-", i));
    jalin::type::v1::Certification* c = e.add_certifications();
    *c->mutable_issue_date() = date(2024, 2, 30);
    *c->mutable_expire_date() = date(2024, 2, 31);
  }
  for (int i = 0; i < 20; ++i) {
    jalin::type::v1::Contact* c = e.add_contacts();
    c->set_display_name("Bu Sri");
    c->set_phone("12345");
    c->set_email("sri@");
  }
  v1::CreateEnterpriseRequest req;
  *req.mutable_enterprise() = e;
  v1::Enterprise out;
  const grpc::Status status =
      Call(env(), Admin(), &Stub::CreateEnterprise, req, &out);
  CallError err = ErrorOf(status);
  ASSERT_EQ(err.code, grpc::StatusCode::INVALID_ARGUMENT) << err.message;
  ASSERT_GE(err.violations.size(), 10u);
  EXPECT_EQ(err.violations[0],
            "enterprise.categories[0]: unknown category "
            "categories/tidak-ada-kategori-0");
  EXPECT_LT(status.error_details().size(), 4096u);
  EXPECT_THAT(err.message, ::testing::MatchesRegex(
                               ".* \\(and [0-9]+ more, [0-9]+ of them not "
                               "listed\\)"));
}

TEST_F(RegistryApiTest, CrossTenantWritesAreDeniedAndStoreNothing) {
  const std::string sukoharjo_facilitator =
      env().Token(Role::kFacilitator, {"33.11"});
  const std::string sukoharjo_integrator =
      env().Token(Role::kIntegrator, {"33.11"}, "", "sida-sukoharjo");
  const int32_t before = CountEnterprises("regions/33.13");
  v1::CreateEnterpriseRequest req;
  *req.mutable_enterprise() =
      SampleEnterprise("regions/33.13", "Batik Karanganyar");
  v1::Enterprise out;
  for (const std::string& token :
       {sukoharjo_facilitator, sukoharjo_integrator}) {
    CallError e =
        ErrorOf(Call(env(), token, &Stub::CreateEnterprise, req, &out));
    EXPECT_EQ(e.code, grpc::StatusCode::PERMISSION_DENIED);
  }
  // Permission is checked before validation: the refusal says nothing
  // about the fields.
  req.mutable_enterprise()->set_nib("1");
  CallError e = ErrorOf(
      Call(env(), sukoharjo_facilitator, &Stub::CreateEnterprise, req, &out));
  EXPECT_EQ(e.code, grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(e.violations, IsEmpty());
  EXPECT_EQ(CountEnterprises("regions/33.13"), before);

  // The same holds for updates, and for moving a record into a region the
  // caller does not hold.
  v1::Enterprise mine =
      CreateEnterprise(SampleEnterprise("regions/33.11", "Jamu Sukoharjo"),
                       sukoharjo_facilitator);
  v1::Enterprise theirs =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Jamu Karanganyar"));
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(theirs.name());
  update.mutable_enterprise()->set_display_name("Taken over");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_EQ(
      Call(env(), sukoharjo_facilitator, &Stub::UpdateEnterprise, update, &out)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  update.mutable_enterprise()->set_name(mine.name());
  update.mutable_enterprise()->mutable_location()->set_region("regions/33.13");
  update.mutable_update_mask()->add_paths("location");
  EXPECT_EQ(
      Call(env(), sukoharjo_facilitator, &Stub::UpdateEnterprise, update, &out)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::GetEnterpriseRequest get;
  get.set_name(theirs.name());
  ASSERT_TRUE(Call(env(), Admin(), &Stub::GetEnterprise, get, &out).ok());
  EXPECT_EQ(out.display_name(), "Jamu Karanganyar");
}

TEST_F(RegistryApiTest, ContactsOnlyForThoseWhoNeedThem) {
  v1::Enterprise e =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Lurik Pedan"));
  v1::GetEnterpriseRequest get;
  get.set_name(e.name());
  auto contacts = [&](const std::string& token) {
    v1::Enterprise out;
    EXPECT_TRUE(Call(env(), token, &Stub::GetEnterprise, get, &out).ok());
    return out.contacts_size();
  };
  EXPECT_EQ(contacts(env().Token(Role::kService)), 1);
  EXPECT_EQ(contacts(env().Token(Role::kFacilitator, {"33"})), 1);
  EXPECT_EQ(contacts(env().Token(Role::kMember, {}, e.name())), 1);
  EXPECT_EQ(contacts(env().Token(Role::kViewer)), 0);
  EXPECT_EQ(contacts(env().Token(Role::kCurator)), 0);
  EXPECT_EQ(contacts(env().Token(Role::kFacilitator, {"35"})), 0);
  EXPECT_EQ(contacts(env().Token(Role::kMember, {}, "enterprises/other")), 0);
  // Lists redact the same way.
  v1::ListEnterprisesRequest list;
  list.set_region("regions/33.13");
  v1::ListEnterprisesResponse resp;
  ASSERT_TRUE(Call(env(), env().Token(Role::kViewer), &Stub::ListEnterprises,
                   list, &resp)
                  .ok());
  ASSERT_FALSE(resp.enterprises().empty());
  for (const auto& x : resp.enterprises()) EXPECT_TRUE(x.contacts().empty());
}

TEST_F(RegistryApiTest, MembersChangeOnlyTheirOwn) {
  v1::Enterprise e =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Keripik Bu Tini"));
  v1::Enterprise other =
      CreateEnterprise(SampleEnterprise("regions/33.13", "Keripik Pak Budi"));
  const std::string member = env().Token(Role::kMember, {}, e.name());
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(e.name());
  update.mutable_enterprise()->set_employee_count(7);
  update.mutable_update_mask()->add_paths("employee_count");
  v1::Enterprise out;
  EXPECT_TRUE(Call(env(), member, &Stub::UpdateEnterprise, update, &out).ok());
  update.mutable_enterprise()->set_name(other.name());
  EXPECT_EQ(
      Call(env(), member, &Stub::UpdateEnterprise, update, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::CreateListingRequest own;
  *own.mutable_listing() =
      SampleListing(e.name(), "Keripik singkong", "categories/keripik-kerupuk");
  v1::Listing l;
  EXPECT_TRUE(Call(env(), member, &Stub::CreateListing, own, &l).ok());
  own.mutable_listing()->set_owner(other.name());
  EXPECT_EQ(Call(env(), member, &Stub::CreateListing, own, &l).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::DeleteEnterpriseRequest del;
  del.set_name(e.name());
  google::protobuf::Empty empty;
  EXPECT_EQ(
      Call(env(), member, &Stub::DeleteEnterprise, del, &empty).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryApiTest, RequestIdReplayAnswersTheFirstTimeOnly) {
  v1::CreateEnterpriseRequest req;
  *req.mutable_enterprise() =
      SampleEnterprise("regions/33.14", "Gula Semut Sragen");
  req.set_request_id("import-7f3a-0001");
  v1::Enterprise first, second;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::CreateEnterprise, req, &first).ok());
  ASSERT_TRUE(Call(env(), Admin(), &Stub::CreateEnterprise, req, &second).ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(first.meta().etag(), second.meta().etag());
  EXPECT_EQ(CountEnterprises("regions/33.14"), 1);
  // The same id for another request is an error, not a silent replay.
  req.mutable_enterprise()->set_display_name("Gula Aren Sragen");
  CallError e =
      ErrorOf(Call(env(), Admin(), &Stub::CreateEnterprise, req, &second));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(e.violations,
              ElementsAre("request_id: was already used for a different "
                          "request"));
  auto all = env().Settle();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(RegistryEnv::CountEvents(*all, "jalin.registry.enterprise.created",
                                     first.name()),
            1);
}

TEST_F(RegistryApiTest, ValidateOnlyStoresNothing) {
  v1::CreateClusterRequest req;
  *req.mutable_cluster() = SampleCluster("regions/33.15", "Klaster Batik");
  req.set_cluster_id("batik-grobogan");
  req.set_validate_only(true);
  v1::Cluster out;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::CreateCluster, req, &out).ok());
  EXPECT_EQ(out.name(), "clusters/batik-grobogan");
  v1::GetClusterRequest get;
  get.set_name("clusters/batik-grobogan");
  EXPECT_EQ(Call(env(), Admin(), &Stub::GetCluster, get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_validate_only(false);
  ASSERT_TRUE(Call(env(), Admin(), &Stub::CreateCluster, req, &out).ok());
  EXPECT_EQ(Call(env(), Admin(), &Stub::CreateCluster, req, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(RegistryApiTest, PagesStayCorrectWhileRecordsAreAdded) {
  const std::string region = "regions/33.09";
  std::set<std::string> existing;
  for (int i = 0; i < 120; ++i) {
    existing.insert(
        CreateEnterprise(SampleEnterprise(region, absl::StrCat("Susu ", i)))
            .name());
  }
  // Another writer adds records while the pages are read.
  std::thread writer([&] {
    for (int i = 0; i < 60; ++i) {
      v1::CreateEnterpriseRequest req;
      *req.mutable_enterprise() =
          SampleEnterprise(region, absl::StrCat("Baru ", i));
      v1::Enterprise out;
      auto ctx = RegistryEnv::Context(env().AdminToken());
      EXPECT_TRUE(env().stub().CreateEnterprise(ctx.get(), req, &out).ok());
    }
  });
  v1::ListEnterprisesRequest list;
  list.set_region(region);
  list.set_page_size(7);
  std::vector<std::string> seen;
  do {
    v1::ListEnterprisesResponse resp;
    ASSERT_TRUE(Call(env(), Admin(), &Stub::ListEnterprises, list, &resp).ok());
    for (const auto& e : resp.enterprises()) seen.push_back(e.name());
    list.set_page_token(resp.next_page_token());
  } while (!list.page_token().empty());
  writer.join();
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a record was returned twice";
  for (const std::string& name : existing) {
    EXPECT_TRUE(unique.contains(name)) << name << " was skipped";
  }
  // A token belongs to its query.
  list.set_page_size(7);
  list.clear_page_token();
  v1::ListEnterprisesResponse first;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::ListEnterprises, list, &first).ok());
  list.set_page_token(first.next_page_token());
  list.set_region("regions/33.10");
  CallError e =
      ErrorOf(Call(env(), Admin(), &Stub::ListEnterprises, list, &first));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RegistryApiTest, ListingsCarryTheirOwnersStanding) {
  v1::Cluster cluster = CreateCluster(
      SampleCluster("regions/33.11", "Klaster Jamu Nguter", "categories/jamu"));
  v1::Enterprise e = SampleEnterprise("regions/33.11", "Jamu Nguter Makmur");
  e.add_clusters(cluster.name());
  e = CreateEnterprise(e);
  v1::Listing l = CreateListing(SampleListing(e.name(), "Jamu kunyit asam"));
  EXPECT_EQ(l.region(), "regions/33.11");
  EXPECT_EQ(l.type(), v1::GOODS);  // from the category
  EXPECT_EQ(l.status(), v1::Listing::OPEN);
  EXPECT_EQ(l.owner_profile().display_name(), "Jamu Nguter Makmur");
  EXPECT_THAT(l.owner_profile().clusters(), ElementsAre(cluster.name()));
  EXPECT_THAT(l.owner_profile().certifications(), IsEmpty());

  // The owner gains a certificate: its listings follow, with an event.
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(e.name());
  auto* cert = update.mutable_enterprise()->add_certifications();
  cert->set_kind(jalin::type::v1::HALAL);
  cert->set_number("ID33110000123");
  update.mutable_update_mask()->add_paths("certifications");
  v1::Enterprise updated;
  ASSERT_TRUE(
      Call(env(), Admin(), &Stub::UpdateEnterprise, update, &updated).ok());
  v1::GetListingRequest get;
  get.set_name(l.name());
  v1::Listing after;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::GetListing, get, &after).ok());
  EXPECT_THAT(after.owner_profile().certifications(),
              ElementsAre(jalin::type::v1::HALAL));
  EXPECT_NE(after.meta().etag(), l.meta().etag());
  auto all = env().Settle();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(RegistryEnv::CountEvents(*all, "jalin.registry.listing.updated",
                                     l.name()),
            1);

  // Filters: by the owner's cluster, by the category tree, by kind.
  v1::ListListingsRequest list;
  list.set_cluster(cluster.name());
  list.set_category("categories/biofarmaka");
  list.set_kind(v1::Listing::OFFER);
  v1::ListListingsResponse resp;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::ListListings, list, &resp).ok());
  ASSERT_EQ(resp.listings_size(), 1);
  EXPECT_EQ(resp.listings(0).name(), l.name());
  list.set_kind(v1::Listing::NEED);
  ASSERT_TRUE(Call(env(), Admin(), &Stub::ListListings, list, &resp).ok());
  EXPECT_EQ(resp.total_size(), 0);

  // The cluster keeps its member, so it cannot go; the enterprise can, and
  // its listings go with it.
  v1::DeleteClusterRequest del_cluster;
  del_cluster.set_name(cluster.name());
  google::protobuf::Empty empty;
  CallError refused =
      ErrorOf(Call(env(), Admin(), &Stub::DeleteCluster, del_cluster, &empty));
  EXPECT_EQ(refused.code, grpc::StatusCode::FAILED_PRECONDITION);
  v1::DeleteEnterpriseRequest del;
  del.set_name(e.name());
  ASSERT_TRUE(Call(env(), Admin(), &Stub::DeleteEnterprise, del, &empty).ok());
  EXPECT_EQ(Call(env(), Admin(), &Stub::GetListing, get, &after).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(
      Call(env(), Admin(), &Stub::DeleteCluster, del_cluster, &empty).ok());
}

TEST_F(RegistryApiTest, EnterpriseFilters) {
  v1::Cluster cluster = CreateCluster(SampleCluster(
      "regions/33.16", "Klaster Mebel Blora", "categories/mebel"));
  v1::Enterprise a = SampleEnterprise("regions/33.16", "Mebel Jati Blora");
  a.set_nib("8120000000001");
  a.set_scale(v1::KECIL);
  a.set_categories(0, "categories/mebel-kayu");
  a.add_clusters(cluster.name());
  auto* cert = a.add_certifications();
  cert->set_kind(jalin::type::v1::SVLK);
  a = CreateEnterprise(a);
  v1::Enterprise b = CreateEnterprise(
      SampleEnterprise("regions/33.16", "Jamu Blora"));  // MIKRO, jamu
  auto names = [&](v1::ListEnterprisesRequest req) {
    req.set_region("regions/33.16");
    v1::ListEnterprisesResponse resp;
    EXPECT_TRUE(Call(env(), Admin(), &Stub::ListEnterprises, req, &resp).ok());
    std::vector<std::string> out;
    for (const auto& e : resp.enterprises()) out.push_back(e.name());
    return out;
  };
  v1::ListEnterprisesRequest req;
  EXPECT_THAT(names(req), UnorderedElementsAreArray({a.name(), b.name()}));
  req.set_category("categories/mebel");  // the parent of mebel-kayu
  EXPECT_THAT(names(req), ElementsAre(a.name()));
  req.Clear();
  req.set_cluster(cluster.name());
  EXPECT_THAT(names(req), ElementsAre(a.name()));
  req.Clear();
  req.set_scale(v1::MIKRO);
  EXPECT_THAT(names(req), ElementsAre(b.name()));
  req.Clear();
  req.set_certification(jalin::type::v1::SVLK);
  EXPECT_THAT(names(req), ElementsAre(a.name()));
  req.Clear();
  req.set_nib("8120000000001");
  EXPECT_THAT(names(req), ElementsAre(a.name()));
  req.Clear();
  req.set_nib("81");
  v1::ListEnterprisesResponse resp;
  CallError e =
      ErrorOf(Call(env(), Admin(), &Stub::ListEnterprises, req, &resp));
  EXPECT_THAT(e.violations, ElementsAre("nib: must be 13 digits"));
  // A province filter covers its kabupaten.
  v1::ListClustersRequest clusters;
  clusters.set_region("regions/33");
  clusters.set_sector("categories/mebel");
  v1::ListClustersResponse cr;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::ListClusters, clusters, &cr).ok());
  ASSERT_EQ(cr.clusters_size(), 1);
  EXPECT_EQ(cr.clusters(0).name(), cluster.name());
  // Clusters' leaders are contacts too.
  EXPECT_TRUE(cr.clusters(0).has_leader());
  ASSERT_TRUE(Call(env(), env().Token(Role::kViewer), &Stub::ListClusters,
                   clusters, &cr)
                  .ok());
  EXPECT_FALSE(cr.clusters(0).has_leader());
}

TEST_F(RegistryApiTest, AgreementsAndPartners) {
  v1::CreatePartnerRequest preq;
  preq.mutable_partner()->set_display_name("Hotel Lorin Solo");
  preq.mutable_partner()->set_kind(v1::Partner::HORECA);
  preq.mutable_partner()->mutable_location()->set_region("regions/33.72");
  preq.mutable_partner()->add_categories("categories/ikan-air-tawar");
  v1::Partner partner;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::CreatePartner, preq, &partner).ok());

  const std::string facilitator = env().Token(Role::kFacilitator, {"33.13"});
  v1::CreateAgreementRequest areq;
  areq.mutable_agreement()->set_title("MoU pasokan ikan");
  areq.mutable_agreement()->add_parties("regions/33.13");
  areq.mutable_agreement()->add_parties(partner.name());
  v1::Agreement agreement;
  ASSERT_TRUE(
      Call(env(), facilitator, &Stub::CreateAgreement, areq, &agreement).ok());
  EXPECT_EQ(agreement.status(), v1::Agreement::ACTIVE);
  // A facilitator of neither region may not.
  EXPECT_EQ(Call(env(), env().Token(Role::kFacilitator, {"34"}),
                 &Stub::CreateAgreement, areq, &agreement)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Parties must exist.
  areq.mutable_agreement()->set_parties(1, "partners/no-such");
  CallError e = ErrorOf(
      Call(env(), facilitator, &Stub::CreateAgreement, areq, &agreement));
  EXPECT_THAT(e.violations,
              ElementsAre("agreement.parties[1]: no such partner"));

  v1::ListAgreementsRequest list;
  list.set_party(partner.name());
  v1::ListAgreementsResponse resp;
  ASSERT_TRUE(Call(env(), Admin(), &Stub::ListAgreements, list, &resp).ok());
  EXPECT_EQ(resp.total_size(), 1);
  v1::DeletePartnerRequest del;
  del.set_name(partner.name());
  google::protobuf::Empty empty;
  EXPECT_EQ(
      Call(env(), Admin(), &Stub::DeletePartner, del, &empty).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(RegistryApiTest, StatisticsOfAKabupatenInOneCall) {
  // Kabupaten Klaten (33.10): 3 clusters, 7 UMKM of which 4 in clusters,
  // 2 open offers and 1 need; and records elsewhere that must not count.
  std::vector<v1::Cluster> clusters;
  for (int i = 0; i < 3; ++i) {
    clusters.push_back(CreateCluster(
        SampleCluster("regions/33.10", absl::StrCat("Klaster Lurik ", i),
                      "categories/lurik")));
  }
  std::vector<v1::Enterprise> umkm;
  for (int i = 0; i < 7; ++i) {
    v1::Enterprise e =
        SampleEnterprise("regions/33.10", absl::StrCat("UMKM ", i));
    e.set_scale(i < 5 ? v1::MIKRO : v1::KECIL);
    if (i < 4) e.add_clusters(clusters[i % 3].name());
    umkm.push_back(CreateEnterprise(e));
  }
  CreateEnterprise(SampleEnterprise("regions/33.11", "Elsewhere"));
  CreateListing(
      SampleListing(umkm[0].name(), "Kain lurik", "categories/lurik"));
  CreateListing(
      SampleListing(umkm[1].name(), "Kain lurik 2", "categories/lurik"));
  v1::Listing need =
      SampleListing(umkm[2].name(), "Butuh benang", "categories/benang");
  need.set_kind(v1::Listing::NEED);
  CreateListing(need);

  v1::GetStatisticsRequest req;
  req.set_region("regions/33.10");
  req.add_group_by(v1::GetStatisticsRequest::SCALE);
  req.add_group_by(v1::GetStatisticsRequest::CLUSTER);
  v1::Statistics stats;
  ASSERT_TRUE(
      Call(env(), env().Token(Role::kViewer), &Stub::GetStatistics, req, &stats)
          .ok());
  EXPECT_EQ(stats.total().enterprises(), 7);
  EXPECT_EQ(stats.total().clusters(), 3);
  EXPECT_EQ(stats.total().cluster_members(), 120);
  EXPECT_EQ(stats.total().open_offers(), 2);
  EXPECT_EQ(stats.total().open_needs(), 1);
  ASSERT_EQ(stats.breakdowns_size(), 2);
  const auto& scale = stats.breakdowns(0);
  EXPECT_EQ(scale.dimension(), v1::GetStatisticsRequest::SCALE);
  ASSERT_EQ(scale.buckets_size(), 2);
  EXPECT_EQ(scale.buckets(0).key(), "MIKRO");
  EXPECT_EQ(scale.buckets(0).counts().enterprises(), 5);
  EXPECT_EQ(scale.buckets(1).key(), "KECIL");
  EXPECT_EQ(scale.buckets(1).counts().enterprises(), 2);
  const auto& by_cluster = stats.breakdowns(1);
  ASSERT_EQ(by_cluster.buckets_size(), 3);
  int64_t members = 0;
  for (const auto& b : by_cluster.buckets()) {
    members += b.counts().enterprises();
    EXPECT_EQ(b.counts().clusters(), 1);
    EXPECT_THAT(b.display_name(), ::testing::StartsWith("Klaster Lurik"));
  }
  EXPECT_EQ(members, 4);

  // The province includes Klaten.
  req.set_region("regions/33");
  req.clear_group_by();
  req.add_group_by(v1::GetStatisticsRequest::REGION);
  ASSERT_TRUE(Call(env(), Admin(), &Stub::GetStatistics, req, &stats).ok());
  bool klaten = false;
  for (const auto& b : stats.breakdowns(0).buckets()) {
    if (b.key() != "regions/33.10") continue;
    klaten = true;
    EXPECT_EQ(b.display_name(), "Kabupaten Klaten");
    EXPECT_EQ(b.counts().enterprises(), 7);
    EXPECT_EQ(b.counts().clusters(), 3);
  }
  EXPECT_TRUE(klaten);
  EXPECT_GT(stats.total().enterprises(), 7);
  req.set_region("regions/99");
  EXPECT_EQ(
      Call(env(), Admin(), &Stub::GetStatistics, req, &stats).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace jalin::registry::testing
