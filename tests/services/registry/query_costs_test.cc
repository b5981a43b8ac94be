// ListEnterprises and ListListings on a real SQLite store: a list that
// also names a NIB, a cluster or an owner reads those few records, not
// every record of the region, province or category it names besides; a
// region's first page reads the page and its total reads the region's
// index, never the table. Costs are counted in SQLite's virtual machine
// steps, which depend on the plan and the data, not on the machine's speed.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/regions/region_table.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/statement_costs.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/registry/list_api.h"
#include "services/registry/record_api.h"
#include "services/registry/record_store.h"
#include "services/registry/schema.h"
#include "services/registry/taxonomy.h"
#include "services/registry/taxonomy_files.h"

namespace jalin::registry {
namespace {

using ::jalin::testing::StatementCosts;

// The regency the lists name holds a quarter of the enterprises and of the
// listings; the rest of its province holds another 3,000 enterprises, the
// other 480 regencies about 25 each.
constexpr char kRegency[] = "33.13";
constexpr char kProvince[] = "33";
constexpr int kEnterprises = 20000;
constexpr int kInRegency = 5000;
constexpr int kInRestOfProvince = 3000;
// Clusters of kRegency, each with kClusterMembers of its enterprises; the
// first has a few members elsewhere in the province too.
constexpr int kRegencyClusters = 20;
constexpr int kClusterMembers = 75;
// Held by two enterprises of kRegency and one elsewhere in kProvince (a
// business registered twice, by two source systems); every other NIB is
// held by one.
constexpr char kNib[] = "8120000000001";
constexpr int kListings = 20000;
constexpr int kListingsInRegency = 5000;
// The enterprise (index into the seeded ones, in kRegency) whose listings
// the lists name.
constexpr int kOwner = 7;

// Categories of the shipped taxonomy the records spread over; "jahe" is a
// leaf, so a filter on it is a single value.
constexpr const char* kCategories[] = {
    "jamu-gendong", "jamu-serbuk", "jahe",        "kunyit",
    "beras",        "gabah",       "jamur-tiram", "jamur-kuping",
    "jamur-merang", "jahe",        "temulawak",   "jamur-tiram"};
constexpr int kCategoryCount = std::size(kCategories);

std::string RegionName(absl::string_view code) {
  return absl::StrCat("regions/", code);
}

std::string RegencyCluster(int k) {
  return absl::StrFormat("c-%s-%02d", kRegency, k);
}

bool InRegion(absl::string_view record_region, absl::string_view region) {
  return region.find('.') == absl::string_view::npos
             ? auth::ProvinceCode(record_region) == region
             : record_region == region;
}

// One seeded record as the test knows it.
struct SeededEnterprise {
  std::string id;
  std::string region;  // "33.13"
  std::string nib;
  std::string cluster;  // id, or empty
};
struct SeededListing {
  std::string owner;  // "enterprises/{id}"
  std::string region;
  std::string category;  // id
};

class QueryCostsTest : public ::testing::Test {
 protected:
  // The work of one List call: its page and its total count.
  struct CallCost {
    StatementCosts::Cost page;
    StatementCosts::Cost count;
    int64_t vm_steps() const { return page.vm_steps + count.vm_steps; }
    int64_t fullscan_steps() const {
      return page.fullscan_steps + count.fullscan_steps;
    }
  };

  void SetUp() override {
    // Counting starts before the store opens its connections.
    costs_ = std::make_unique<StatementCosts>();
    auto db = storage::SqliteDatabase::Open({.path = dir_.File("registry.db")});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(MigrateRegistry(*db_).ok());

    auto regions = regions::RegionTable::Load(
        absl::StrCat(JALIN_SOURCE_DIR, "/data/regions.csv"));
    ASSERT_TRUE(regions.ok()) << regions.status();
    regions_ = *std::move(regions);
    for (const regions::RegionInfo& r : regions_.all()) {
      if (r.level == regions::Level::kProvince || r.code == kRegency) continue;
      (r.province_code == kProvince ? province_regencies_ : other_regencies_)
          .push_back(r.code);
    }
    ASSERT_FALSE(province_regencies_.empty());
    ASSERT_FALSE(other_regencies_.empty());

    auto files =
        LoadTaxonomyFiles(absl::StrCat(JALIN_SOURCE_DIR, "/data/taxonomy"));
    ASSERT_TRUE(files.ok()) << files.status();
    auto taxonomy = std::make_shared<TaxonomyData>();
    for (const v1::Category& c : files->categories) {
      ASSERT_TRUE(taxonomy->AddCategory(c).ok()) << c.name();
    }
    taxonomy_.Set(std::move(taxonomy));

    deps_.db = db_.get();
    deps_.taxonomy = &taxonomy_;
    deps_.clock = &clock_;
    deps_.write.regions = &regions_;
    admin_.subject = "users/admin";
    admin_.role = auth::Role::kAdmin;
  }

  // One cluster per regency (kRegencyClusters in kRegency) and
  // kEnterprises enterprises, whose ids are in an order unrelated to their
  // regions.
  void SeedEnterprises() {
    std::mt19937 rng(20261207);
    std::vector<int> order(kEnterprises);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);

    std::vector<v1::Cluster> clusters;
    auto add_cluster = [&](const std::string& id, const std::string& region) {
      v1::Cluster& c = clusters.emplace_back();
      c.set_name(absl::StrCat("clusters/", id));
      c.set_display_name(absl::StrCat("Klaster ", id));
      c.mutable_location()->set_region(RegionName(region));
      c.set_sector("categories/jamu");
      c.add_roles(v1::PRODUCER);
    };
    for (int k = 0; k < kRegencyClusters; ++k) {
      add_cluster(RegencyCluster(k), kRegency);
    }
    for (const auto* list : {&province_regencies_, &other_regencies_}) {
      for (const std::string& code : *list) {
        add_cluster(absl::StrCat("c-", code), code);
      }
    }

    std::vector<v1::Enterprise> records;
    for (int i = 0; i < kEnterprises; ++i) {
      SeededEnterprise& e = enterprises_.emplace_back();
      e.id = absl::StrFormat("e%05d", order[i]);
      if (i < kInRegency) {
        e.region = kRegency;
        if (i % 2 == 0 && i / 2 < kRegencyClusters * kClusterMembers) {
          e.cluster = RegencyCluster((i / 2) % kRegencyClusters);
        }
      } else if (i < kInRegency + kInRestOfProvince) {
        e.region = province_regencies_[rng() % province_regencies_.size()];
        if (i % 100 == 0) e.cluster = RegencyCluster(0);
      } else {
        e.region = other_regencies_[rng() % other_regencies_.size()];
        if (rng() % 2 == 0) e.cluster = absl::StrCat("c-", e.region);
      }
      e.nib = i == 0 || i == 1 || i == kInRegency
                  ? kNib
                  : absl::StrFormat("912%010d", i);
      v1::Enterprise& r = records.emplace_back();
      r.set_name(absl::StrCat("enterprises/", e.id));
      r.set_nib(e.nib);
      r.set_display_name(absl::StrCat("UMKM ", e.id));
      r.set_scale(v1::MIKRO);
      r.mutable_location()->set_region(RegionName(e.region));
      r.add_categories(
          absl::StrCat("categories/", kCategories[i % kCategoryCount]));
      if (!e.cluster.empty()) {
        r.add_clusters(absl::StrCat("clusters/", e.cluster));
      }
    }
    Save(clusters);
    Save(records);
  }

  // kListings listings of the seeded enterprises (kListingsInRegency of
  // those of kRegency) and four more of kOwner, whose ids are in an order
  // unrelated to their owners.
  void SeedListings() {
    std::mt19937 rng(7);
    std::vector<int> order(kListings);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<v1::Listing> records;
    auto add = [&](const SeededEnterprise& owner, const char* category) {
      SeededListing& seeded = listings_.emplace_back();
      seeded.owner = absl::StrCat("enterprises/", owner.id);
      seeded.region = owner.region;
      seeded.category = category;
      const size_t i = records.size();
      v1::Listing& l = records.emplace_back();
      l.set_name(absl::StrFormat(
          "listings/l%05d", i < order.size() ? order[i] : static_cast<int>(i)));
      l.set_kind(i % 3 == 0 ? v1::Listing::NEED : v1::Listing::OFFER);
      l.set_owner(seeded.owner);
      l.set_region(RegionName(owner.region));
      l.set_category(absl::StrCat("categories/", category));
      l.set_title(absl::StrCat("Produk ", i));
      if (!owner.cluster.empty()) {
        l.mutable_owner_profile()->add_clusters(
            absl::StrCat("clusters/", owner.cluster));
      }
    };
    for (int i = 0; i < kListings; ++i) {
      add(i < kListingsInRegency
              ? enterprises_[rng() % kInRegency]
              : enterprises_[kInRegency + rng() % (kEnterprises - kInRegency)],
          kCategories[rng() % kCategoryCount]);
    }
    for (const char* category : {"jamu-gendong", "jahe", "kunyit", "beras"}) {
      add(enterprises_[kOwner], category);
    }
    Save(records);
  }

  template <typename T>
  void Save(const std::vector<T>& records) {
    const auto taxonomy = taxonomy_.Get();
    absl::Status s = db_->Write([&](storage::Transaction& tx) -> absl::Status {
      for (const T& r : records) {
        RETURN_IF_ERROR(SaveRecord(tx, *taxonomy, r, /*created=*/true));
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  // The first page of 50, as a dashboard asks for it.
  CallCost CostOf(v1::ListEnterprisesRequest req,
                  v1::ListEnterprisesResponse* resp) {
    req.set_page_size(50);
    costs_->Reset();
    absl::Status s = ListApi(&deps_).Enterprises(admin_, req, resp);
    EXPECT_TRUE(s.ok()) << s;
    return {costs_->Of("SELECT t.id, t.data FROM enterprises t"),
            costs_->Of("SELECT COUNT(*) FROM enterprises t")};
  }
  CallCost CostOf(v1::ListListingsRequest req, v1::ListListingsResponse* resp) {
    req.set_page_size(50);
    costs_->Reset();
    absl::Status s = ListApi(&deps_).Listings(admin_, req, resp);
    EXPECT_TRUE(s.ok()) << s;
    return {costs_->Of("SELECT t.id, t.data FROM listings t"),
            costs_->Of("SELECT COUNT(*) FROM listings t")};
  }

  template <typename Pred>
  int CountEnterprises(Pred pred) const {
    return static_cast<int>(
        std::count_if(enterprises_.begin(), enterprises_.end(), pred));
  }
  template <typename Pred>
  int CountListings(Pred pred) const {
    return static_cast<int>(
        std::count_if(listings_.begin(), listings_.end(), pred));
  }

  ::jalin::testing::TempDir dir_;
  std::unique_ptr<StatementCosts> costs_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  regions::RegionTable regions_;
  // Regencies of kProvince but kRegency, and of the other provinces.
  std::vector<std::string> province_regencies_;
  std::vector<std::string> other_regencies_;
  Taxonomy taxonomy_;
  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  ApiDeps deps_;
  auth::Principal admin_;
  std::vector<SeededEnterprise> enterprises_;
  std::vector<SeededListing> listings_;
};

// The NIB's two records in the regency take about 90 steps, its three in
// the province about 100 (the NIB index, then the region checked on each).
// With the region (province) index chosen for the id order, the page reads
// the regency's 5,000 enterprises to find them (about 25,000 steps), or
// the province's 8,000 (about 40,000).
TEST_F(QueryCostsTest, EnterprisesOfANibReadOnlyItsRecords) {
  SeedEnterprises();
  constexpr int64_t kMaxSteps = 500;
  for (const char* region : {kRegency, kProvince}) {
    v1::ListEnterprisesRequest req;
    req.set_region(RegionName(region));
    req.set_nib(kNib);
    v1::ListEnterprisesResponse resp;
    const CallCost cost = CostOf(req, &resp);
    const int want = CountEnterprises([&](const SeededEnterprise& e) {
      return e.nib == kNib && InRegion(e.region, region);
    });
    EXPECT_EQ(resp.total_size(), want) << region;
    EXPECT_EQ(resp.enterprises_size(), want) << region;
    EXPECT_EQ(cost.fullscan_steps(), 0) << region << "\n" << costs_->Report();
    EXPECT_LT(cost.vm_steps(), kMaxSteps) << region << "\n" << costs_->Report();
  }
}

// A cluster's 75 members in the regency (105 with the province's) take
// about 3,000 steps: the membership index lists them, each is looked up by
// id and its region checked, for the page and again for the total. With
// the region (province) index chosen for the id order, the page reads the
// region until it has 50 members: about 38,000 steps in the regency,
// 46,000 in the province.
TEST_F(QueryCostsTest, EnterprisesOfAClusterReadOnlyItsMembers) {
  SeedEnterprises();
  constexpr int64_t kMaxSteps = 10000;
  for (const char* region : {kRegency, kProvince}) {
    v1::ListEnterprisesRequest req;
    req.set_region(RegionName(region));
    req.set_cluster(absl::StrCat("clusters/", RegencyCluster(0)));
    v1::ListEnterprisesResponse resp;
    const CallCost cost = CostOf(req, &resp);
    const int want = CountEnterprises([&](const SeededEnterprise& e) {
      return e.cluster == RegencyCluster(0) && InRegion(e.region, region);
    });
    EXPECT_EQ(resp.total_size(), want) << region;
    EXPECT_EQ(resp.enterprises_size(), std::min(want, 50)) << region;
    EXPECT_EQ(cost.fullscan_steps(), 0) << region << "\n" << costs_->Report();
    EXPECT_LT(cost.vm_steps(), kMaxSteps) << region << "\n" << costs_->Report();
  }
}

// An owner's listings (6 in the regency) take about 170 steps by the owner
// index, with a category too about 120 to 150. With the region index
// chosen for the id order, the page reads the regency's 5,000 listings
// (about 25,000 steps); with the category index, every "jahe" listing
// (about 17,000).
TEST_F(QueryCostsTest, ListingsOfAnOwnerReadOnlyItsListings) {
  SeedEnterprises();
  SeedListings();
  const std::string owner =
      absl::StrCat("enterprises/", enterprises_[kOwner].id);
  struct Case {
    std::string what;
    std::string region;
    std::string category;
  };
  const std::vector<Case> cases = {
      {"in the regency", kRegency, ""},
      {"in a category", "", "jahe"},
      {"in the regency and a category", kRegency, "jahe"},
  };
  constexpr int64_t kMaxSteps = 600;
  for (const Case& c : cases) {
    v1::ListListingsRequest req;
    if (!c.region.empty()) req.set_region(RegionName(c.region));
    req.set_owner(owner);
    if (!c.category.empty()) {
      req.set_category(absl::StrCat("categories/", c.category));
    }
    v1::ListListingsResponse resp;
    const CallCost cost = CostOf(req, &resp);
    const int want = CountListings([&](const SeededListing& l) {
      return l.owner == owner &&
             (c.region.empty() || InRegion(l.region, c.region)) &&
             (c.category.empty() || l.category == c.category);
    });
    EXPECT_GT(want, 0) << c.what;
    EXPECT_EQ(resp.total_size(), want) << c.what;
    EXPECT_EQ(resp.listings_size(), want) << c.what;
    EXPECT_EQ(cost.fullscan_steps(), 0) << c.what << "\n" << costs_->Report();
    EXPECT_LT(cost.vm_steps(), kMaxSteps) << c.what << "\n" << costs_->Report();
  }
}

// A region's first page reads the region index: a regency with about 30
// enterprises and 25 listings takes about 200 to 250 steps. Without the
// index the page walks the table in id order until it has 50 of the
// regency's records, here the whole table (about 80,000 steps, none of
// them counted as a full scan). The total reads the region's whole index,
// 3 steps a record: about 15,000 for the 5,000 of kRegency; without the
// index it reads the table, about 65,000 steps and a full-scan step for
// every record. (A total with no indexed filter at all, only a scale or a
// kind, still reads the whole table: 80,000 steps here.)
TEST_F(QueryCostsTest, RegionPageAndTotalReadTheRegionIndex) {
  SeedEnterprises();
  SeedListings();
  const std::string quiet = enterprises_[kInRegency + kInRestOfProvince].region;
  constexpr int64_t kMaxPageSteps = 1000;
  constexpr int64_t kMaxTotalSteps = 30000;
  auto check_page = [&](const std::string& what, const CallCost& cost) {
    EXPECT_EQ(cost.page.fullscan_steps, 0) << what << "\n" << costs_->Report();
    EXPECT_LT(cost.page.vm_steps, kMaxPageSteps) << what << "\n"
                                                 << costs_->Report();
  };
  auto check_total = [&](const std::string& what, const CallCost& cost) {
    EXPECT_EQ(cost.count.fullscan_steps, 0) << what << "\n" << costs_->Report();
    EXPECT_LT(cost.count.vm_steps, kMaxTotalSteps) << what << "\n"
                                                   << costs_->Report();
  };

  for (const std::string& region : {quiet, std::string(kRegency)}) {
    v1::ListEnterprisesRequest req;
    req.set_region(RegionName(region));
    v1::ListEnterprisesResponse resp;
    const CallCost cost = CostOf(req, &resp);
    const int want = CountEnterprises(
        [&](const SeededEnterprise& e) { return e.region == region; });
    EXPECT_EQ(resp.total_size(), want) << region;
    EXPECT_EQ(resp.enterprises_size(), std::min(want, 50)) << region;
    if (region == quiet) {
      check_page(absl::StrCat("enterprises of ", region), cost);
    } else {
      check_total(absl::StrCat("enterprises of ", region), cost);
    }
  }
  for (const std::string& region : {quiet, std::string(kRegency)}) {
    v1::ListListingsRequest req;
    req.set_region(RegionName(region));
    v1::ListListingsResponse resp;
    const CallCost cost = CostOf(req, &resp);
    const int want = CountListings(
        [&](const SeededListing& l) { return l.region == region; });
    EXPECT_EQ(resp.total_size(), want) << region;
    EXPECT_EQ(resp.listings_size(), std::min(want, 50)) << region;
    if (region == quiet) {
      check_page(absl::StrCat("listings of ", region), cost);
    } else {
      check_total(absl::StrCat("listings of ", region), cost);
    }
  }
}

}  // namespace
}  // namespace jalin::registry
