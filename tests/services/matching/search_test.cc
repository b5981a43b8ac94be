// The indexed top-k against the brute-force scan on random data (same ids,
// order and scores), and properties every result must have: no hard filter
// is violated (checked here independently, from the raw records), the
// components add up to the score exactly, and a pair scores the same from
// either side.

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/matching/index/match_index.h"
#include "services/matching/scoring/explain.h"
#include "services/matching/scoring/matcher.h"
#include "services/matching/scoring/pair.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using registry::v1::Listing;

// The raw world the index is built from, kept to check results against.
struct World {
  std::map<std::string, std::string> parent;  // category -> parent
  std::vector<registry::v1::SupplyLink> links;
  std::map<std::string, Listing> listings;  // every listing, open or not
  std::vector<std::string> regions;
};

constexpr const char* kRegions[] = {"33.13", "33.14", "33.11", "33.12", "33.72",
                                    "33.71", "35.78", "35.07", "32.73", "34.71",
                                    "51.71", "91.05", "73.71", "11.71"};

World MakeWorld(std::mt19937& rng, MatchIndex& index, absl::Time now,
                int n_listings) {
  World w;
  for (const char* r : kRegions) w.regions.push_back(r);
  // Five roots with four children each, some grandchildren.
  std::vector<std::string> cats;
  for (int r = 0; r < 5; ++r) {
    const std::string root = absl::StrCat("root", r);
    index.UpsertCategory(test::Category(root));
    w.parent["categories/" + root] = "";
    cats.push_back(root);
    for (int c = 0; c < 4; ++c) {
      const std::string child = absl::StrCat(root, "-c", c);
      index.UpsertCategory(test::Category(child, root));
      w.parent["categories/" + child] = "categories/" + root;
      cats.push_back(child);
      if (c == 0) {
        const std::string grand = child + "-g";
        index.UpsertCategory(test::Category(grand, child));
        w.parent["categories/" + grand] = "categories/" + child;
        cats.push_back(grand);
      }
    }
  }
  std::uniform_int_distribution<size_t> any_cat(0, cats.size() - 1);
  std::uniform_real_distribution<double> unit01(0, 1);
  for (int l = 0; l < 8; ++l) {
    auto link = test::Link(absl::StrCat("l", l), cats[any_cat(rng)],
                           cats[any_cat(rng)], 0.3 + 0.7 * unit01(rng));
    index.AddSupplyLink(link);
    w.links.push_back(link);
  }
  // Agreements: one between two regencies, one with a province, one
  // restricted to a sector.
  auto agreement = [&](const std::string& name,
                       std::vector<std::string> parties,
                       std::vector<std::string> categories) {
    registry::v1::Agreement a;
    a.set_name("agreements/" + name);
    for (auto& p : parties) a.add_parties(p);
    for (auto& c : categories) a.add_categories("categories/" + c);
    a.set_status(registry::v1::Agreement::ACTIVE);
    index.UpsertAgreement(a);
  };
  agreement("a1", {"regions/33.13", "regions/33.14"}, {});
  agreement("a2", {"regions/35", "regions/33.72"}, {});
  agreement("a3", {"regions/33.11", "regions/91.05"}, {"root2"});
  agreement("a4", {"regions/33.12", "partners/p7"}, {});

  const std::vector<type::v1::Unit> units = {type::v1::KILOGRAM, type::v1::TON,
                                             type::v1::LITER, type::v1::PIECE,
                                             type::v1::UNIT_UNSPECIFIED};
  const std::vector<type::v1::Period> periods = {
      type::v1::ONCE, type::v1::WEEK, type::v1::MONTH, type::v1::YEAR};
  for (int i = 0; i < n_listings; ++i) {
    const int owner_no = static_cast<int>(rng() % (n_listings / 4 + 1));
    const std::string owner =
        owner_no % 9 == 7   ? absl::StrCat("partners/p", owner_no % 10)
        : owner_no % 3 == 0 ? absl::StrCat("clusters/k", owner_no)
                            : absl::StrCat("enterprises/e", owner_no);
    Listing l;
    l.set_name(absl::StrCat("listings/x", i));
    l.set_kind(rng() % 2 ? Listing::OFFER : Listing::NEED);
    l.set_type(static_cast<registry::v1::CategoryKind>(1 + rng() % 4));
    l.set_owner(owner);
    // An owner lives in one region.
    l.set_region("regions/" + w.regions[owner_no % w.regions.size()]);
    l.set_category("categories/" + cats[any_cat(rng)]);
    l.set_title(absl::StrCat("t", i));
    if (rng() % 5 != 0) {
      l.mutable_quantity()->set_amount(1 + rng() % 1000);
      l.mutable_quantity()->set_unit(units[rng() % units.size()]);
      l.mutable_quantity()->set_period(periods[rng() % periods.size()]);
    }
    l.set_continuity(static_cast<Listing::Continuity>(rng() % 4));
    if (rng() % 4 == 0) {
      l.add_required_certifications(
          static_cast<type::v1::CertificationKind>(1 + rng() % 4));
    }
    if (rng() % 6 == 0) l.set_delivery_radius_km(50 + rng() % 800);
    if (l.kind() == Listing::NEED && rng() % 3 == 0) {
      l.set_current_source_region("regions/" +
                                  w.regions[rng() % w.regions.size()]);
    }
    if (rng() % 10 == 0) {
      // Some already past their end, some ending later.
      l.mutable_valid_until()->set_seconds(absl::ToUnixSeconds(now) +
                                           (rng() % 2 ? -100 : 100000));
    }
    l.set_status(rng() % 12 == 0 ? Listing::CLOSED : Listing::OPEN);
    auto* p = l.mutable_owner_profile();
    p->set_display_name(owner);
    if (owner_no % 2 == 0)
      p->add_clusters(absl::StrCat("clusters/k", owner_no % 6 * 3));
    // Certifications held depend on the owner only.
    for (int c = 1; c <= 4; ++c) {
      if ((owner_no >> c) & 1) {
        p->add_certifications(static_cast<type::v1::CertificationKind>(c));
      }
    }
    p->set_verified(owner_no % 4 != 1);
    p->set_curated(owner_no % 5 == 0);
    EXPECT_TRUE(index.UpsertListing(l, now).ok());
    w.listings[l.name()] = l;
  }
  index.FinalizeTaxonomy();
  return w;
}

bool Ancestor(const World& w, std::string a, const std::string& of) {
  // True when `a` is a proper ancestor of `of`.
  std::string c = w.parent.at(of);
  while (!c.empty()) {
    if (c == a) return true;
    c = w.parent.at(c);
  }
  return false;
}

bool InSubtree(const World& w, const std::string& c, const std::string& root) {
  return c == root || Ancestor(w, root, c);
}

// Written from the definitions, not from the scorer's code.
bool CategoriesRelated(const World& w, const std::string& offer,
                       const std::string& need) {
  if (offer == need || Ancestor(w, offer, need) || Ancestor(w, need, offer)) {
    return true;
  }
  for (const auto& l : w.links) {
    if (InSubtree(w, offer, l.input()) && InSubtree(w, need, l.output())) {
      return true;
    }
  }
  return false;
}

bool TypesMeet(int a, int b) {
  auto group = [](int t) { return t == 2 || t == 3 ? 2 : t; };
  return group(a) == group(b);
}

std::set<int> Certs(const google::protobuf::RepeatedField<int>& r) {
  return std::set<int>(r.begin(), r.end());
}

// Every hard filter of DESIGN §8, from the raw records.
void ExpectNoHardFilterViolated(const World& w, const Listing& query,
                                const Listing& found, double radius_km,
                                const std::vector<std::string>& allowed,
                                absl::Time now) {
  SCOPED_TRACE(absl::StrCat(query.name(), " -> ", found.name()));
  const Listing& raw = w.listings.at(found.name());
  EXPECT_EQ(raw.status(), Listing::OPEN);
  if (raw.has_valid_until()) {
    EXPECT_GT(raw.valid_until().seconds(), absl::ToUnixSeconds(now));
  }
  EXPECT_NE(raw.kind(), query.kind());
  EXPECT_TRUE(TypesMeet(raw.type(), query.type()));
  const Listing& offer = raw.kind() == Listing::OFFER ? raw : query;
  const Listing& need = raw.kind() == Listing::OFFER ? query : raw;
  EXPECT_TRUE(CategoriesRelated(w, offer.category(), need.category()));
  if (!query.owner().empty()) {
    EXPECT_NE(raw.owner(), query.owner());
  }
  const std::set<int> held = Certs(offer.owner_profile().certifications());
  for (int c : need.required_certifications()) {
    EXPECT_TRUE(held.count(c)) << "certification " << c;
  }
  const double km = test::Regions().DistanceKm(query.region(), raw.region());
  const double q_radius =
      radius_km > 0 ? radius_km : query.delivery_radius_km();
  if (q_radius > 0) {
    EXPECT_LE(km, q_radius + 1e-6);
  }
  if (raw.delivery_radius_km() > 0) {
    EXPECT_LE(km, raw.delivery_radius_km() + 1e-3);
  }
  if (!allowed.empty()) {
    bool in = false;
    for (const std::string& a : allowed) {
      if (raw.region() == a || absl::StartsWith(raw.region(), a + ".")) {
        in = true;
      }
    }
    EXPECT_TRUE(in) << raw.region();
  }
}

void ExpectComponentsSumToScore(const matching::v1::Match& m,
                                const Weights& weights) {
  ASSERT_EQ(m.components_size(), kComponentCount);
  double sum = 0;
  for (int i = 0; i < m.components_size(); ++i) {
    const auto& c = m.components(i);
    EXPECT_EQ(c.name(), ComponentName(static_cast<Component>(i)));
    EXPECT_GE(c.value(), 0.0);
    EXPECT_LE(c.value(), 1.0);
    EXPECT_EQ(c.weight(), weights[i]);
    EXPECT_EQ(c.contribution(), c.value() * c.weight());
    EXPECT_FALSE(c.explanation().id().empty());
    EXPECT_FALSE(c.explanation().en().empty());
    sum += c.contribution();
  }
  EXPECT_EQ(sum, m.score());
  EXPECT_FALSE(m.reason().id().empty());
  EXPECT_FALSE(m.reason().en().empty());
}

class SearchTest : public ::testing::TestWithParam<uint32_t> {
 protected:
  SearchTest() : index_(test::Grid()) {}

  void SetUp() override {
    rng_.seed(GetParam());
    world_ = MakeWorld(rng_, index_, now_, 3000);
    // Some history for the feedback and reliability components.
    signals_.AddFeedback({"categories/root1", "categories/root1", "33", "33"},
                         3, 1);
    signals_.AddFeedback({"categories/root0", "categories/root2", "35", "33"},
                         0, 4);
    for (int o = 0; o < 40; o += 3) {
      signals_.AddDeal(StableHash(absl::StrCat("enterprises/e", o)), o % 5);
    }
  }

  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  std::mt19937 rng_;
  MatchIndex index_;
  World world_;
  Signals signals_;
  Weights weights_;
};

TEST_P(SearchTest, IndexedTopKEqualsBruteForceAndRespectsEveryFilter) {
  Signals::ReadLock lock(signals_);
  int compared = 0, nonempty = 0;
  int64_t indexed_candidates = 0, brute_candidates = 0, ordered_candidates = 0;
  // Bucket orders shared by every query below.
  EntryOrderCache orders;
  std::vector<std::string> names;
  for (const auto& [name, l] : world_.listings) names.push_back(name);
  for (int q = 0; q < 250; ++q) {
    Listing query;
    Side side;
    if (q % 5 == 4) {
      // An ad-hoc probe without an owner.
      query = world_.listings.at(names[rng_() % names.size()]);
      query.clear_owner();
      query.set_name("");
      side.kind = static_cast<uint8_t>(query.kind());
      side.type = static_cast<uint8_t>(query.type());
      side.category = index_.taxonomy().Find(query.category());
      side.region = index_.grid().Find(query.region());
      side.required_certs = 0;
      for (int c : query.required_certifications())
        side.required_certs |= 1u << c;
      side.radius_km = static_cast<float>(query.delivery_radius_km());
      side.source_region = index_.grid().Find(query.current_source_region());
      side.continuity = static_cast<uint8_t>(query.continuity());
      for (int c : query.owner_profile().certifications()) {
        side.owner_certs |= 1u << c;
      }
      side.flags = query.owner_profile().verified() ? kFlagVerified : 0;
      side.amount =
          Normalize(query.quantity().amount(), query.quantity().unit(),
                    query.quantity().period());
    } else {
      // A stored listing (only open ones are in the index).
      const std::string& name = names[rng_() % names.size()];
      const uint32_t slot = index_.FindListing(name);
      if (slot == kNoId) continue;
      query = world_.listings.at(name);
      side = SideOf(index_, slot);
    }
    QueryOptions options;
    options.now_seconds = absl::ToUnixSeconds(now_);
    std::vector<std::string> allowed;
    if (q % 7 == 3) options.radius_km = 100 + rng_() % 600;
    if (q % 4 == 1) {
      for (const char* a : {"regions/33", "regions/91.05", "regions/35.78"}) {
        if (rng_() % 2) {
          allowed.push_back(a);
          options.regions.push_back(index_.grid().Find(a));
        }
      }
    }
    const int k = 1 + static_cast<int>(rng_() % 25);
    QueryContext ctx(index_, lock, weights_, side, options);
    const SearchResult fast = FindTopK(ctx, k);
    const SearchResult slow = BruteForceTopK(ctx, k);
    ++compared;
    indexed_candidates += fast.stats.candidates;
    brute_candidates += slow.stats.candidates;
    ASSERT_EQ(fast.matches.size(), slow.matches.size()) << "query " << q;
    if (!fast.matches.empty()) ++nonempty;
    for (size_t i = 0; i < fast.matches.size(); ++i) {
      EXPECT_EQ(index_.name(fast.matches[i].slot),
                index_.name(slow.matches[i].slot))
          << "query " << q << " rank " << i;
      EXPECT_EQ(fast.matches[i].eval.score, slow.matches[i].eval.score);
    }
    for (size_t i = 1; i < fast.matches.size(); ++i) {
      EXPECT_TRUE(RanksBefore(index_, fast.matches[i - 1], fast.matches[i]));
    }
    // With each bucket's entries ordered by their bound (as a report
    // searches), the search stops early within buckets: the same result.
    CandidateBuckets ordered = ListBuckets(ctx);
    OrderEntries(index_, &ordered);
    // The same orders again through the cache the queries share (ordered
    // by an earlier query, or now).
    CandidateBuckets cached = ListBuckets(ctx);
    OrderEntries(index_, &cached, &orders);
    EXPECT_EQ(cached.order, ordered.order) << "query " << q;
    EXPECT_EQ(cached.order_at, ordered.order_at) << "query " << q;
    const SearchResult pruned = SearchBuckets(ctx, ordered, k);
    ordered_candidates += pruned.stats.candidates;
    ASSERT_EQ(pruned.matches.size(), slow.matches.size()) << "query " << q;
    for (size_t i = 0; i < pruned.matches.size(); ++i) {
      EXPECT_EQ(pruned.matches[i].slot, slow.matches[i].slot)
          << "query " << q << " rank " << i;
      EXPECT_EQ(pruned.matches[i].eval.score, slow.matches[i].eval.score);
    }
    for (const Candidate& c : fast.matches) {
      const matching::v1::Match m = ExplainMatch(ctx, c);
      ExpectComponentsSumToScore(m, weights_);
      EXPECT_EQ(m.score(), c.eval.score);
      ExpectNoHardFilterViolated(world_, query, m.listing(), options.radius_km,
                                 allowed, now_);
    }
  }
  EXPECT_GT(compared, 150);
  EXPECT_GT(nonempty, compared / 2);
  // The index looks at a small part of what the scan looks at, and less
  // again with ordered entries.
  EXPECT_LT(indexed_candidates * 3, brute_candidates);
  EXPECT_LT(ordered_candidates, indexed_candidates);
}

TEST_P(SearchTest, APairScoresTheSameFromEitherSide) {
  Signals::ReadLock lock(signals_);
  QueryOptions options;
  options.now_seconds = absl::ToUnixSeconds(now_);
  int checked = 0;
  for (const auto& [name, l] : world_.listings) {
    const uint32_t slot = index_.FindListing(name);
    if (slot == kNoId || checked > 300) continue;
    QueryContext q(index_, lock, weights_, SideOf(index_, slot), options);
    for (const Candidate& c : FindTopK(q, 5).matches) {
      // The counterpart's own search, unrestricted, finds the same score
      // for this pair (when it ranks it at all), and so does ScorePair.
      const uint32_t offer = q.query_is_need() ? c.slot : slot;
      const uint32_t need = q.query_is_need() ? slot : c.slot;
      auto m =
          ScorePair(index_, lock, weights_, offer, need, options.now_seconds);
      ASSERT_TRUE(m.ok()) << m.status();
      EXPECT_EQ(m->score(), c.eval.score);
      QueryContext back(index_, lock, weights_, SideOf(index_, c.slot),
                        options);
      for (const Candidate& b : BruteForceTopK(back, 1000).matches) {
        if (b.slot == slot) {
          EXPECT_EQ(b.eval.score, c.eval.score);
        }
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST_P(SearchTest, AgreementViewAgreesWithTheExactTest) {
  int covered = 0;
  for (uint32_t a = 0; a < index_.slot_limit(); a += 7) {
    if (!index_.live(a)) continue;
    const Side x = SideOf(index_, a);
    const AgreementView view(index_, x);
    for (uint32_t b = 0; b < index_.slot_limit(); b += 13) {
      if (!index_.live(b)) continue;
      const Side y = SideOf(index_, b);
      bool exact = false;
      for (const AgreementRecord& r : index_.agreements()) {
        exact = exact || AgreementCovers(index_, r, x, y);
      }
      EXPECT_EQ(view.Covers(index_, x, y), exact);
      if (exact) {
        EXPECT_TRUE(view.Possible(y.region));
        ++covered;
      }
    }
  }
  EXPECT_GT(covered, 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SearchTest, ::testing::Values(1u, 7u, 2024u));

TEST(SearchTieTest, EqualScoresRankByName) {
  MatchIndex index(test::Grid());
  index.UpsertCategory(test::Category("jahe"));
  const absl::Time now = absl::Now();
  for (const char* id : {"c", "a", "b"}) {
    ASSERT_TRUE(index
                    .UpsertListing(
                        test::Listing({.id = id,
                                       .owner = std::string("clusters/") + id,
                                       .region = "33.13",
                                       .category = "jahe"}),
                        now)
                    .ok());
  }
  ASSERT_TRUE(index
                  .UpsertListing(test::Listing({.id = "need",
                                                .kind = Listing::NEED,
                                                .owner = "clusters/n",
                                                .region = "33.13",
                                                .category = "jahe"}),
                                 now)
                  .ok());
  index.FinalizeTaxonomy();
  Signals signals;
  Signals::ReadLock lock(signals);
  Weights weights;
  QueryOptions options;
  options.now_seconds = absl::ToUnixSeconds(now);
  QueryContext q(index, lock, weights,
                 SideOf(index, index.FindListing("listings/need")), options);
  SearchResult r = FindTopK(q, 2);
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].eval.score, r.matches[1].eval.score);
  EXPECT_EQ(index.name(r.matches[0].slot), "listings/a");
  EXPECT_EQ(index.name(r.matches[1].slot), "listings/b");
}

}  // namespace
}  // namespace jalin::matching
