// Field validation of registry records, one case per rule: each case breaks
// one thing in a valid record and expects exactly the violations (path
// relative to the record, and reason) that the API reports.

#include "services/registry/validation.h"

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/regions/region_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/taxonomy.h"
#include "services/registry/taxonomy_files.h"
#include "services/registry/time_util.h"

namespace jalin::registry {
namespace {

using ::testing::ElementsAreArray;
namespace tv1 = jalin::type::v1;

class ValidationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto regions = regions::RegionTable::Load(
        absl::StrCat(JALIN_SOURCE_DIR, "/data/regions.csv"));
    ASSERT_TRUE(regions.ok()) << regions.status();
    regions_ = new regions::RegionTable(*std::move(regions));
    auto files =
        LoadTaxonomyFiles(absl::StrCat(JALIN_SOURCE_DIR, "/data/taxonomy"));
    ASSERT_TRUE(files.ok()) << files.status();
    taxonomy_ = new TaxonomyData();
    for (const auto& c : files->categories) {
      ASSERT_TRUE(taxonomy_->AddCategory(c).ok());
    }
  }

  CheckContext Ctx() const { return {*regions_, *taxonomy_, now_}; }

  template <typename T>
  std::vector<std::string> Violations(const T& record,
                                      const T* before = nullptr) const {
    FieldViolations v;
    CheckRecord(record, before, Ctx(), v);
    std::vector<std::string> out;
    for (const auto& fv : v.violations()) {
      out.push_back(absl::StrCat(fv.field(), ": ", fv.description()));
    }
    return out;
  }

  static google::type::Date Date(int y, int m, int d) {
    google::type::Date date;
    date.set_year(y);
    date.set_month(m);
    date.set_day(d);
    return date;
  }

  static v1::Enterprise Enterprise() {
    v1::Enterprise e;
    e.set_nib("9120001234567");
    e.set_display_name("Jamu Sehat Bu Sri");
    e.set_scale(v1::MIKRO);
    e.mutable_location()->set_region("regions/33.13");
    e.mutable_location()->set_district_code("33.13.05");
    e.mutable_location()->set_village_code("33.13.05.2001");
    e.add_clusters("clusters/jamu-nglorog");
    e.add_categories("categories/jamu-gendong");
    auto* cert = e.add_certifications();
    cert->set_kind(tv1::PIRT);
    cert->set_number("2063313010123-27");
    *cert->mutable_issue_date() = Date(2024, 1, 10);
    *cert->mutable_expire_date() = Date(2029, 1, 10);
    auto* c = e.add_contacts();
    c->set_display_name("Bu Sri");
    c->set_phone("0812-3456-7890");
    c->set_email("sri@example.id");
    e.set_employee_count(4);
    return e;
  }

  static v1::Cluster Cluster() {
    v1::Cluster c;
    c.set_display_name("Klaster Jamu Nglorog");
    c.mutable_location()->set_region("regions/33.14");
    c.set_sector("categories/jamu");
    c.add_roles(v1::PRODUCER);
    c.set_member_count(60);
    c.mutable_leader()->set_display_name("Pak Joko");
    c.mutable_leader()->set_phone("+6281122334455");
    return c;
  }

  static v1::Partner Partner() {
    v1::Partner p;
    p.set_display_name("Pusat Oleh-oleh Solo");
    p.set_kind(v1::Partner::SOUVENIR_CENTRE);
    p.mutable_location()->set_region("regions/33.72");
    p.add_categories("categories/makanan-olahan");
    return p;
  }

  v1::Listing Listing() const {
    v1::Listing l;
    l.set_kind(v1::Listing::NEED);
    l.set_type(v1::GOODS);
    l.set_owner("enterprises/01jamu");
    l.set_category("categories/jahe");
    l.set_title("Jahe emprit kering");
    l.mutable_quantity()->set_amount(2);
    l.mutable_quantity()->set_unit(tv1::TON);
    l.mutable_quantity()->set_period(tv1::MONTH);
    l.mutable_price()->mutable_min()->set_amount(12000);
    l.mutable_price()->mutable_max()->set_amount(15000);
    l.mutable_price()->set_per_unit(tv1::KILOGRAM);
    l.add_required_certifications(tv1::HALAL);
    l.set_delivery_radius_km(150);
    l.set_current_source_region("regions/35.78");
    *l.mutable_valid_until() = ToTimestamp(now_ + absl::Hours(24 * 30));
    l.set_status(v1::Listing::OPEN);
    return l;
  }

  static v1::Agreement Agreement() {
    v1::Agreement a;
    a.set_title("MoU Karanganyar - Sukoharjo");
    a.add_parties("regions/33.13");
    a.add_parties("regions/33.11");
    *a.mutable_sign_date() = Date(2024, 3, 1);
    *a.mutable_expire_date() = Date(2027, 3, 1);
    a.set_document_uri("https://example.go.id/mou.pdf");
    a.set_status(v1::Agreement::ACTIVE);
    return a;
  }

  static inline regions::RegionTable* regions_ = nullptr;
  static inline TaxonomyData* taxonomy_ = nullptr;
  const absl::Time now_ = absl::FromCivil(
      absl::CivilSecond(2025, 6, 15, 10, 0, 0), absl::UTCTimeZone());
};

template <typename T>
struct Case {
  std::string rule;
  std::function<void(T*)> breaks;
  std::vector<std::string> expected;
};

TEST_F(ValidationTest, ValidRecordsPass) {
  EXPECT_THAT(Violations(Enterprise()), ::testing::IsEmpty());
  EXPECT_THAT(Violations(Cluster()), ::testing::IsEmpty());
  EXPECT_THAT(Violations(Partner()), ::testing::IsEmpty());
  EXPECT_THAT(Violations(Listing()), ::testing::IsEmpty());
  EXPECT_THAT(Violations(Agreement()), ::testing::IsEmpty());
}

TEST_F(ValidationTest, EnterpriseRules) {
  const std::vector<Case<v1::Enterprise>> cases = {
      {"NIB too short",
       [](auto* e) { e->set_nib("91200012345"); },
       {"nib: must be 13 digits"}},
      {"NIB with letters",
       [](auto* e) { e->set_nib("91200012345ab"); },
       {"nib: must be 13 digits"}},
      {"name required",
       [](auto* e) { e->set_display_name("  "); },
       {"display_name: is required"}},
      {"name length",
       [](auto* e) { e->set_display_name(std::string(201, 'a')); },
       {"display_name: must be at most 200 characters"}},
      {"scale required",
       [](auto* e) { e->clear_scale(); },
       {"scale: is required"}},
      {"scale known",
       [](auto* e) { e->set_scale(static_cast<v1::Scale>(9)); },
       {"scale: unknown value 9"}},
      {"region required",
       [](auto* e) { e->clear_location(); },
       {"location.region: is required"}},
      {"region is a name",
       [](auto* e) {
         e->mutable_location()->set_region("33.13");
         e->mutable_location()->clear_district_code();
         e->mutable_location()->clear_village_code();
       },
       {"location.region: must be a region name (regions/33.13)"}},
      {"region exists",
       [](auto* e) {
         e->mutable_location()->set_region("regions/33.98");
         e->mutable_location()->clear_district_code();
         e->mutable_location()->clear_village_code();
       },
       {"location.region: unknown region regions/33.98"}},
      {"region is a kabupaten/kota",
       [](auto* e) {
         e->mutable_location()->set_region("regions/33");
         e->mutable_location()->clear_district_code();
         e->mutable_location()->clear_village_code();
       },
       {"location.region: must be a kabupaten/kota, not a province"}},
      {"district inside region",
       [](auto* e) {
         e->mutable_location()->set_district_code("33.14.05");
         e->mutable_location()->clear_village_code();
       },
       {"location.district_code: must be a kecamatan code inside the region "
        "(33.13.05)"}},
      {"village inside district",
       [](auto* e) {
         e->mutable_location()->set_village_code("33.13.06.2001");
       },
       {"location.village_code: must be a desa code inside district_code "
        "(33.13.05.2001)"}},
      {"latitude range",
       [](auto* e) {
         e->mutable_location()->mutable_point()->set_latitude(95);
       },
       {"location.point.latitude: must be within [-90, 90]"}},
      {"longitude finite",
       [](auto* e) {
         e->mutable_location()->mutable_point()->set_longitude(std::nan(""));
       },
       {"location.point.longitude: must be within [-180, 180]"}},
      {"cluster is a name",
       [](auto* e) { e->set_clusters(0, "klaster/1"); },
       {"clusters[0]: must be a cluster name (clusters/{id})"}},
      {"cluster once",
       [](auto* e) { e->add_clusters("clusters/jamu-nglorog"); },
       {"clusters[1]: is listed twice"}},
      {"category exists",
       [](auto* e) { e->set_categories(0, "categories/rokok"); },
       {"categories[0]: unknown category categories/rokok"}},
      {"category is a name",
       [](auto* e) { e->set_categories(0, "jamu"); },
       {"categories[0]: must be a category name (categories/{id})"}},
      {"certification kind required",
       [](auto* e) { e->mutable_certifications(0)->clear_kind(); },
       {"certifications[0].kind: is required"}},
      {"certification kind known",
       [](auto* e) {
         e->mutable_certifications(0)->set_kind(
             static_cast<tv1::CertificationKind>(99));
       },
       {"certifications[0].kind: unknown value 99"}},
      {"certification date valid",
       [](auto* e) {
         *e->mutable_certifications(0)->mutable_expire_date() =
             Date(2029, 2, 30);
       },
       {"certifications[0].expire_date: is not a valid calendar date"}},
      {"certification not expired",
       [](auto* e) {
         *e->mutable_certifications(0)->mutable_expire_date() =
             Date(2025, 6, 14);
       },
       {"certifications[0].expire_date: is in the past: only a valid "
        "certificate can be recorded"}},
      {"certification issued already",
       [](auto* e) {
         *e->mutable_certifications(0)->mutable_issue_date() =
             Date(2025, 6, 16);
       },
       {"certifications[0].issue_date: is in the future"}},
      {"certification expires after issue",
       [](auto* e) {
         *e->mutable_certifications(0)->mutable_issue_date() = Date(2025, 1, 1);
         *e->mutable_certifications(0)->mutable_expire_date() =
             Date(2024, 12, 31);
       },
       {"certifications[0].expire_date: is before issue_date",
        "certifications[0].expire_date: is in the past: only a valid "
        "certificate can be recorded"}},
      {"phone shape",
       [](auto* e) { e->mutable_contacts(0)->set_phone("12345"); },
       {"contacts[0].phone: must be an Indonesian phone number (+62... or "
        "08...)"}},
      {"email shape",
       [](auto* e) { e->mutable_contacts(0)->set_email("sri@"); },
       {"contacts[0].email: must be an email address"}},
      {"contact name required",
       [](auto* e) { e->mutable_contacts(0)->clear_display_name(); },
       {"contacts[0].display_name: is required"}},
      {"employees not negative",
       [](auto* e) { e->set_employee_count(-1); },
       {"employee_count: must not be negative"}},
  };
  for (const auto& c : cases) {
    v1::Enterprise e = Enterprise();
    c.breaks(&e);
    EXPECT_THAT(Violations(e), ElementsAreArray(c.expected)) << c.rule;
  }
}

TEST_F(ValidationTest, EveryViolationIsNamedAtOnce) {
  v1::Enterprise e = Enterprise();
  e.set_nib("1");
  e.clear_display_name();
  e.mutable_contacts(0)->set_email("nope");
  EXPECT_THAT(Violations(e),
              ElementsAreArray<std::string>(
                  {"nib: must be 13 digits", "display_name: is required",
                   "contacts[0].email: must be an email address"}));
}

TEST_F(ValidationTest, StoredExpiredCertificateMayStay) {
  // A certificate that expired after it was recorded does not block later
  // updates of the record; a newly added expired one is refused.
  v1::Enterprise before = Enterprise();
  *before.mutable_certifications(0)->mutable_expire_date() = Date(2025, 1, 1);
  v1::Enterprise after = before;
  after.set_display_name("Jamu Sehat Bu Sri Rahayu");
  EXPECT_THAT(Violations(after, &before), ::testing::IsEmpty());
  EXPECT_THAT(Violations(after),
              ElementsAreArray<std::string>(
                  {"certifications[0].expire_date: is in the past: only a "
                   "valid certificate can be recorded"}));
}

TEST_F(ValidationTest, ClusterRules) {
  const std::vector<Case<v1::Cluster>> cases = {
      {"sector required",
       [](auto* c) { c->clear_sector(); },
       {"sector: is required"}},
      {"sector exists",
       [](auto* c) { c->set_sector("categories/kretek"); },
       {"sector: unknown category categories/kretek"}},
      {"role required",
       [](auto* c) { c->set_roles(0, v1::VALUE_CHAIN_ROLE_UNSPECIFIED); },
       {"roles[0]: is required"}},
      {"role known",
       [](auto* c) { c->add_roles(static_cast<v1::ValueChainRole>(17)); },
       {"roles[1]: unknown value 17"}},
      {"members not negative",
       [](auto* c) { c->set_member_count(-5); },
       {"member_count: must not be negative"}},
      {"leader phone",
       [](auto* c) { c->mutable_leader()->set_phone("+1 555"); },
       {"leader.phone: must be an Indonesian phone number (+62... or 08...)"}},
      {"parent is a cluster",
       [](auto* c) { c->set_parent_cluster("forum/1"); },
       {"parent_cluster: must be a cluster name (clusters/{id})"}},
      {"description length",
       [](auto* c) { c->set_description(std::string(5001, 'x')); },
       {"description: must be at most 5000 characters"}},
  };
  for (const auto& c : cases) {
    v1::Cluster cluster = Cluster();
    c.breaks(&cluster);
    EXPECT_THAT(Violations(cluster), ElementsAreArray(c.expected)) << c.rule;
  }
}

TEST_F(ValidationTest, PartnerRules) {
  const std::vector<Case<v1::Partner>> cases = {
      {"kind required",
       [](auto* p) { p->clear_kind(); },
       {"kind: is required"}},
      {"category once",
       [](auto* p) { p->add_categories("categories/makanan-olahan"); },
       {"categories[1]: is listed twice"}},
      {"contacts at most 20",
       [](auto* p) {
         for (int i = 0; i < 21; ++i) {
           p->add_contacts()->set_display_name(absl::StrCat("Staf ", i));
         }
       },
       {"contacts: must have at most 20 entries"}},
  };
  for (const auto& c : cases) {
    v1::Partner p = Partner();
    c.breaks(&p);
    EXPECT_THAT(Violations(p), ElementsAreArray(c.expected)) << c.rule;
  }
}

TEST_F(ValidationTest, ListingRules) {
  const std::vector<Case<v1::Listing>> cases = {
      {"kind required",
       [](auto* l) { l->clear_kind(); },
       {"kind: is required"}},
      {"type known",
       [](auto* l) { l->set_type(static_cast<v1::CategoryKind>(7)); },
       {"type: unknown value 7"}},
      {"owner required",
       [](auto* l) { l->clear_owner(); },
       {"owner: is required"}},
      {"owner kind",
       [](auto* l) { l->set_owner("users/ani"); },
       {"owner: must name a cluster, an enterprise or a partner"}},
      {"category required",
       [](auto* l) { l->clear_category(); },
       {"category: is required"}},
      {"title required",
       [](auto* l) { l->clear_title(); },
       {"title: is required"}},
      {"quantity positive",
       [](auto* l) { l->mutable_quantity()->set_amount(0); },
       {"quantity.amount: must be positive"}},
      {"quantity finite",
       [](auto* l) { l->mutable_quantity()->set_amount(INFINITY); },
       {"quantity.amount: must be positive"}},
      {"unit required",
       [](auto* l) { l->mutable_quantity()->clear_unit(); },
       {"quantity.unit: is required"}},
      {"unit known",
       [](auto* l) {
         l->mutable_quantity()->set_unit(static_cast<tv1::Unit>(7));
       },
       {"quantity.unit: unknown value 7"}},
      {"period required",
       [](auto* l) { l->mutable_quantity()->clear_period(); },
       {"quantity.period: is required"}},
      {"price range",
       [](auto* l) { l->mutable_price()->mutable_max()->set_amount(100); },
       {"price.max.amount: must not be below price.min.amount"}},
      {"certification known",
       [](auto* l) {
         l->add_required_certifications(tv1::CERTIFICATION_KIND_UNSPECIFIED);
       },
       {"required_certifications[1]: is required"}},
      {"certification once",
       [](auto* l) { l->add_required_certifications(tv1::HALAL); },
       {"required_certifications[1]: is listed twice"}},
      {"radius range",
       [](auto* l) { l->set_delivery_radius_km(-1); },
       {"delivery_radius_km: must be between 0 and 6000"}},
      {"source region exists",
       [](auto* l) { l->set_current_source_region("regions/35.99"); },
       {"current_source_region: unknown region regions/35.99"}},
      {"valid until future",
       [this](auto* l) {
         *l->mutable_valid_until() = ToTimestamp(now_ - absl::Hours(1));
       },
       {"valid_until: must be in the future"}},
      {"status known",
       [](auto* l) { l->set_status(static_cast<v1::Listing::Status>(9)); },
       {"status: unknown value 9"}},
  };
  for (const auto& c : cases) {
    v1::Listing l = Listing();
    c.breaks(&l);
    EXPECT_THAT(Violations(l), ElementsAreArray(c.expected)) << c.rule;
  }
}

TEST_F(ValidationTest, UnchangedPastValidUntilMayStay) {
  v1::Listing before = Listing();
  *before.mutable_valid_until() = ToTimestamp(now_ - absl::Hours(24));
  v1::Listing after = before;
  after.set_status(v1::Listing::CLOSED);
  EXPECT_THAT(Violations(after, &before), ::testing::IsEmpty());
}

TEST_F(ValidationTest, RepeatedFieldsHaveLimits) {
  // A list above its limit is one violation; its entries are not checked.
  v1::Enterprise e = Enterprise();
  for (int i = 0; i < 50; ++i) *e.add_certifications() = e.certifications(0);
  EXPECT_THAT(Violations(e), ElementsAreArray<std::string>(
                                 {"certifications: must have at most 50 "
                                  "entries"}));
  e = Enterprise();
  for (int i = 0; i < 51; ++i) e.add_clusters("clusters/x");
  EXPECT_THAT(Violations(e), ElementsAreArray<std::string>(
                                 {"clusters: must have at most 50 entries"}));

  v1::Cluster c = Cluster();
  c.add_roles(v1::PRODUCER);
  EXPECT_THAT(Violations(c),
              ElementsAreArray<std::string>({"roles[1]: is listed twice"}));
  c = Cluster();
  for (int i = 0; i < 1000; ++i) c.add_roles(v1::MARKETER);
  EXPECT_THAT(Violations(c), ElementsAreArray<std::string>(
                                 {"roles: must have at most 4 entries"}));

  v1::Listing l = Listing();
  for (int i = 0; i < 100; ++i) l.add_required_certifications(tv1::HALAL);
  EXPECT_THAT(Violations(l), ElementsAreArray<std::string>({absl::StrCat(
                                 "required_certifications: must have at most ",
                                 tv1::CertificationKind_MAX, " entries")}));

  v1::Agreement a = Agreement();
  for (int i = 0; i < 60; ++i) a.add_parties("nope");
  EXPECT_THAT(Violations(a), ElementsAreArray<std::string>(
                                 {"parties: must have at most 50 entries"}));
}

TEST_F(ValidationTest, ValidUntilMustBePrintable) {
  v1::Listing l = Listing();
  l.mutable_valid_until()->set_seconds(int64_t{1} << 50);
  l.mutable_valid_until()->set_nanos(-7);
  EXPECT_THAT(Violations(l),
              ElementsAreArray<std::string>(
                  {"valid_until.seconds: must lie within 0001-01-01 and "
                   "9999-12-31",
                   "valid_until.nanos: must be within [0, 999999999]"}));
  // The last second of 9999 is fine.
  l.mutable_valid_until()->set_seconds(253402300799);
  l.mutable_valid_until()->set_nanos(999999999);
  EXPECT_THAT(Violations(l), ::testing::IsEmpty());
}

TEST_F(ValidationTest, LongUnknownNamesAreAbbreviated) {
  v1::Enterprise e = Enterprise();
  e.mutable_location()->set_region("regions/" + std::string(10000, '9'));
  e.mutable_location()->clear_district_code();
  e.mutable_location()->clear_village_code();
  std::vector<std::string> v = Violations(e);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_LT(v[0].size(), 120u) << v[0];
  EXPECT_TRUE(absl::EndsWith(v[0], "...")) << v[0];
}

TEST_F(ValidationTest, AgreementRules) {
  const std::vector<Case<v1::Agreement>> cases = {
      {"two parties",
       [](auto* a) { a->mutable_parties()->RemoveLast(); },
       {"parties: needs at least two parties"}},
      {"a region party",
       [](auto* a) {
         a->set_parties(0, "partners/hotel-lorin");
         a->set_parties(1, "partners/bumn-pangan");
       },
       {"parties: needs at least one region"}},
      {"party kind",
       [](auto* a) { a->add_parties("users/ani"); },
       {"parties[2]: must name a region or a partner"}},
      {"party once",
       [](auto* a) { a->add_parties("regions/33.13"); },
       {"parties[2]: is listed twice"}},
      {"expiry after signing",
       [](auto* a) { *a->mutable_expire_date() = Date(2023, 1, 1); },
       {"expire_date: is before sign_date"}},
      {"document is a web link",
       [](auto* a) { a->set_document_uri("ftp://example.go.id/mou.pdf"); },
       {"document_uri: must be an http or https URI"}},
      {"status required",
       [](auto* a) { a->clear_status(); },
       {"status: is required"}},
  };
  for (const auto& c : cases) {
    v1::Agreement a = Agreement();
    c.breaks(&a);
    EXPECT_THAT(Violations(a), ElementsAreArray(c.expected)) << c.rule;
  }
}

}  // namespace
}  // namespace jalin::registry
