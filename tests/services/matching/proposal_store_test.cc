// The proposal store's lists and funnel on a real SQLite file: every
// combination of scope and filter returns exactly the proposals a plain
// reading of the rules picks, and a regional or a party's query reads that
// region's or party's proposals, not the table (counted in SQLite's
// virtual machine steps, which depend on the plan and the data, not on the
// machine's speed).

#include "services/matching/proposals/proposal_store.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/statement_costs.h"
#include "common/testing/synthetic_regions.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace jalin::matching {
namespace {

using ::jalin::testing::StatementCosts;
using matching::v1::Proposal;

constexpr Proposal::State kStates[] = {
    Proposal::PROPOSED, Proposal::PARTIALLY_ACCEPTED,
    Proposal::AGREED,   Proposal::DECLINED,
    Proposal::EXPIRED,  Proposal::COMPLETED};

const absl::Time kEpoch = absl::FromUnixSeconds(1'790'000'000);

// One stored proposal as the test knows it.
struct Row {
  std::string id;
  std::string supplier;
  std::string buyer;
  std::string supplier_region;  // "33.13"
  std::string buyer_region;
  Proposal::State state = Proposal::PROPOSED;
  absl::Time created;
};

StoredProposal ToStored(const Row& r, int i) {
  StoredProposal sp;
  Proposal& p = sp.proposal;
  p.set_name(absl::StrCat("proposals/", r.id));
  // Distinct listings, so that no two open proposals share a pair.
  p.set_offer_listing(absl::StrCat("listings/offer-", i));
  p.set_need_listing(absl::StrCat("listings/need-", i));
  p.set_supplier(r.supplier);
  p.set_buyer(r.buyer);
  p.set_supplier_region(absl::StrCat("regions/", r.supplier_region));
  p.set_buyer_region(absl::StrCat("regions/", r.buyer_region));
  p.set_state(r.state);
  p.mutable_create_time()->set_seconds(absl::ToUnixSeconds(r.created));
  p.mutable_expire_time()->set_seconds(
      absl::ToUnixSeconds(r.created + absl::Hours(24 * 14)));
  sp.offer_group = "food";
  sp.need_group = "food";
  return sp;
}

// The scope's and the filter's rules, read plainly.
bool InRegion(const Row& r, const std::string& region) {
  const bool province = region.find('.') == std::string::npos;
  auto side = [&](const std::string& code) {
    return province ? auth::ProvinceCode(code) == region : code == region;
  };
  return side(r.supplier_region) || side(r.buyer_region);
}

bool Sees(const ProposalScope& scope, const Row& r) {
  if (scope.global) return true;
  if (!scope.party.empty()) {
    return r.supplier == scope.party || r.buyer == scope.party;
  }
  return std::any_of(
      scope.regions.begin(), scope.regions.end(),
      [&](const std::string& region) { return InRegion(r, region); });
}

bool Passes(const ProposalFilter& f, const Row& r) {
  if (!f.region.empty() && !InRegion(r, f.region)) return false;
  if (!f.party.empty() && r.supplier != f.party && r.buyer != f.party) {
    return false;
  }
  if (f.state != Proposal::STATE_UNSPECIFIED && r.state != f.state) {
    return false;
  }
  return r.created >= f.start && r.created < f.end;
}

ProposalFilter Filter(std::string region, std::string party,
                      Proposal::State state = Proposal::STATE_UNSPECIFIED) {
  ProposalFilter f;
  f.region = std::move(region);
  f.party = std::move(party);
  f.state = state;
  return f;
}

std::string Describe(const ProposalScope& scope, const ProposalFilter& f) {
  return absl::StrCat("scope{global=", scope.global, " party=", scope.party,
                      " regions=", absl::StrJoin(scope.regions, ","),
                      "} filter{region=", f.region, " party=", f.party,
                      " state=", f.state, " start=", absl::FormatTime(f.start),
                      " end=", absl::FormatTime(f.end), "}");
}

class ProposalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Counting starts before the store opens its connections.
    costs_ = std::make_unique<StatementCosts>();
    auto db = storage::SqliteDatabase::Open({.path = dir_.File("matching.db")});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(ProposalStore::Migrate(*db_).ok());
  }

  void Store(const std::vector<Row>& rows) {
    ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                     for (size_t i = 0; i < rows.size(); ++i) {
                       absl::Status s = ProposalStore::Insert(
                           tx, ToStored(rows[i], static_cast<int>(i)));
                       if (!s.ok()) return s;
                     }
                     return absl::OkStatus();
                   })
                    .ok());
  }

  // Every page of the list, with the total each page reported.
  std::vector<std::string> ListAll(const ProposalScope& scope,
                                   const ProposalFilter& f, int page,
                                   int64_t* total) {
    std::vector<std::string> ids;
    std::string after;
    while (true) {
      std::vector<Proposal> got;
      absl::Status s = db_->Read([&](storage::Transaction& tx) -> absl::Status {
        auto list = ProposalStore::List(tx, scope, f, after, page, total);
        if (!list.ok()) return list.status();
        got = std::move(*list);
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
      for (const Proposal& p : got) {
        ids.push_back(p.name().substr(p.name().find('/') + 1));
      }
      if (!s.ok() || static_cast<int>(got.size()) < page) return ids;
      after = ids.back();
    }
  }

  int64_t Proposed(const ProposalScope& scope, const ProposalFilter& f) {
    int64_t n = -1;
    absl::Status s = db_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto funnel = ProposalStore::Funnel(tx, scope, f);
      if (!funnel.ok()) return funnel.status();
      n = funnel->proposed();
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return n;
  }

  // The first page of 50, as a dashboard asks for it.
  StatementCosts::Cost CostOfFirstPage(const ProposalScope& scope,
                                       const ProposalFilter& f) {
    costs_->Reset();
    int64_t total = 0;
    absl::Status s = db_->Read([&](storage::Transaction& tx) {
      return ProposalStore::List(tx, scope, f, "", 50, &total).status();
    });
    EXPECT_TRUE(s.ok()) << s;
    return costs_->Of("FROM matching_proposals");
  }

  StatementCosts::Cost CostOfFunnel(const ProposalScope& scope,
                                    const ProposalFilter& f) {
    costs_->Reset();
    Proposed(scope, f);
    return costs_->Of("FROM matching_proposals");
  }

  ::jalin::testing::TempDir dir_;
  std::unique_ptr<StatementCosts> costs_;
  std::unique_ptr<storage::SqliteDatabase> db_;
};

TEST_F(ProposalStoreTest, EveryScopeAndFilterListsWhatTheRulesPick) {
  const std::vector<std::string> regions = {"33.01", "33.02", "33.13", "34.01",
                                            "34.71", "51.02", "51.71", "62.01"};
  std::mt19937 rng(20261207);
  auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
  auto party = [&] { return absl::StrCat("enterprises/e", rng() % 40); };
  std::vector<Row> rows;
  for (int i = 0; i < 1500; ++i) {
    Row r;
    r.id = absl::StrFormat("p%06d", i);
    r.supplier = party();
    r.buyer = rng() % 5 == 0 ? absl::StrCat("clusters/c", rng() % 10) : party();
    r.supplier_region = pick(regions);
    r.buyer_region = pick(regions);
    r.state = kStates[rng() % 6];
    r.created = kEpoch + absl::Minutes(rng() % (60 * 24 * 60));
    rows.push_back(r);
  }
  Store(rows);

  const std::vector<std::string> places = {"33",    "34",    "51",    "62",
                                           "33.13", "33.01", "34.71", "51.71",
                                           "35",    "35.78"};
  int nonempty = 0;
  for (int q = 0; q < 300; ++q) {
    ProposalScope scope;
    switch (rng() % 3) {
      case 0:
        scope.global = true;
        break;
      case 1:
        scope.party = party();
        break;
      default:
        for (int n = 1 + rng() % 3; n > 0; --n) {
          scope.regions.push_back(pick(places));
        }
    }
    ProposalFilter f;
    if (rng() % 2 == 0) f.region = pick(places);
    if (rng() % 4 == 0) f.party = party();
    if (rng() % 2 == 0) f.state = kStates[rng() % 6];
    if (rng() % 3 == 0) {
      f.start = kEpoch + absl::Hours(rng() % (24 * 40));
      f.end = f.start + absl::Hours(1 + rng() % (24 * 30));
    }
    std::vector<std::string> want;
    for (const Row& r : rows) {
      if (Sees(scope, r) && Passes(f, r)) want.push_back(r.id);
    }
    std::sort(want.rbegin(), want.rend());  // newest (highest id) first
    if (!want.empty()) ++nonempty;

    int64_t total = -1;
    const std::vector<std::string> got = ListAll(scope, f, 7, &total);
    ASSERT_EQ(got, want) << Describe(scope, f);
    ASSERT_EQ(total, static_cast<int64_t>(want.size())) << Describe(scope, f);
    ASSERT_EQ(Proposed(scope, f), static_cast<int64_t>(want.size()))
        << Describe(scope, f);
  }
  // The queries were not all trivially empty.
  EXPECT_GT(nonempty, 150);
}

// 20,000 proposals between 532 regencies of 38 provinces, 4,000 parties:
// a regency has about 75 of them, a party about 10, a province about
// 1,000. A regional query stays under 5,000 steps (it takes about 2,000)
// and a party's under 1,000 (about 300); reading the table takes over
// 180,000, every proposal in one state (the state index) over 20,000, a
// province's proposals for a regency's over 15,000, and a region's for a
// party's over 1,000.
TEST_F(ProposalStoreTest, RegionalAndPartyQueriesReadOnlyTheirProposals) {
  const std::vector<std::string> regencies =
      ::jalin::testing::SyntheticRegencies();
  std::mt19937 rng(7);
  std::vector<Row> rows;
  for (int i = 0; i < 20000; ++i) {
    Row r;
    r.id = absl::StrFormat("p%06d", i);
    r.supplier = absl::StrCat("enterprises/e", rng() % 4000);
    r.buyer = absl::StrCat("enterprises/e", rng() % 4000);
    r.supplier_region = regencies[rng() % regencies.size()];
    r.buyer_region = regencies[rng() % regencies.size()];
    r.state = kStates[rng() % 6];
    r.created = kEpoch + absl::Minutes(i);
    rows.push_back(r);
  }
  Store(rows);
  const std::string regency = rows[0].supplier_region;
  const std::string province = auth::ProvinceCode(regency);
  const std::string party = rows[0].supplier;

  struct Case {
    std::string what;
    ProposalScope scope;
    ProposalFilter filter;
    // Most virtual machine steps allowed.
    int64_t max_steps;
    bool funnel = false;
  };
  ProposalScope global;
  global.global = true;
  ProposalScope facilitator;
  facilitator.regions = {regency};
  ProposalScope provincial;
  provincial.regions = {province};
  ProposalScope member;
  member.party = party;
  ProposalFilter one_week;
  one_week.start = kEpoch + absl::Hours(24 * 7);
  one_week.end = one_week.start + absl::Hours(24 * 7);
  constexpr int64_t kRegional = 5000;
  constexpr int64_t kParty = 1000;
  const std::vector<Case> cases = {
      {"a regency facilitator's list", facilitator, {}, kRegional},
      {"... in one state", facilitator, Filter("", "", Proposal::AGREED),
       kRegional},
      {"... its funnel over a week", facilitator, one_week, kRegional, true},
      {"a regency within a province facilitator's scope", provincial,
       Filter(regency, "", Proposal::PROPOSED), kRegional},
      {"an admin's list of a regency", global, Filter(regency, ""), kRegional},
      {"an admin's funnel of a regency in a state", global,
       Filter(regency, "", Proposal::DECLINED), kRegional, true},
      {"a member's list in one state", member,
       Filter("", "", Proposal::PROPOSED), kParty},
      {"a member's proposals in a regency", member, Filter(regency, ""),
       kParty},
      {"an admin's list of a party in a province", global,
       Filter(province, party), kParty},
      {"a regency facilitator's list of a party", facilitator,
       Filter("", party), kParty},
      {"a member's funnel over a week", member, one_week, kParty, true},
  };
  for (const Case& c : cases) {
    const StatementCosts::Cost cost = c.funnel
                                          ? CostOfFunnel(c.scope, c.filter)
                                          : CostOfFirstPage(c.scope, c.filter);
    EXPECT_EQ(cost.fullscan_steps, 0) << c.what << "\n" << costs_->Report();
    EXPECT_LT(cost.vm_steps, c.max_steps) << c.what << "\n" << costs_->Report();
  }

  // A province's page reads the province's proposals (about 25,000 steps
  // here); it never scans the table.
  const StatementCosts::Cost province_page = CostOfFirstPage(provincial, {});
  EXPECT_EQ(province_page.fullscan_steps, 0) << costs_->Report();
}

}  // namespace
}  // namespace jalin::matching
