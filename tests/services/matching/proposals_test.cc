// The proposal lifecycle on a real SQLite store: the state machine, who may
// do what, expiry on a fake clock, idempotent request ids, the events
// written with each transition, lists, the funnel, and the feedback that
// answers leave for later scores.

#include "services/matching/proposals/proposals.h"

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/principal.h"
#include "common/events/outbox.h"
#include "common/status/status_macros.h"
#include "common/storage/request_log.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "common/testing/violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/matching_events.pb.h"
#include "services/matching/proposals/proposal_rules.h"
#include "services/matching/proposals/proposal_store.h"
#include "services/matching/scoring/matcher.h"
#include "services/matching/service/housekeeping.h"
#include "services/matching/sync/index_sync.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using auth::Principal;
using auth::Role;
using ::jalin::testing::ViolatedFields;
using matching::v1::Proposal;
using registry::v1::Listing;
using ::testing::ElementsAre;

Principal Facilitator(std::vector<std::string> regions) {
  Principal p;
  p.subject = "users/fasil-" + absl::StrJoin(regions, "-");
  p.role = Role::kFacilitator;
  p.regions = std::move(regions);
  return p;
}

Principal Member(const std::string& org) {
  Principal p;
  p.subject = "users/member-of-" + org;
  p.role = Role::kMember;
  p.organization = org;
  return p;
}

Principal Viewer(std::vector<std::string> regions) {
  Principal p;
  p.subject = "users/viewer";
  p.role = Role::kViewer;
  p.regions = std::move(regions);
  return p;
}

Principal Admin() {
  Principal p;
  p.subject = "users/admin";
  p.role = Role::kAdmin;
  return p;
}

// Nothing to export: the tests put listings into the live index directly.
class NoSnapshot final : public SnapshotSource {
 public:
  absl::Status Export(SnapshotSink&) override {
    return absl::UnavailableError("no registry in this test");
  }
};
class NoFeed final : public RegistryFeed {
 public:
  absl::Status Start(const registry::v1::SnapshotPosition&,
                     RegistryEventHandler) override {
    return absl::OkStatus();
  }
  void Stop() override {}
  bool healthy() const override { return true; }
};

struct Event {
  std::string type;
  events::v1::ProposalEvent payload;
  std::vector<std::string> parties;
  std::vector<std::string> regions;
  std::string actor;
};

class ProposalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::SqliteDatabase::Open({.path = dir_.File("matching.db")});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(events::Outbox::Migrate(*db_).ok());
    ASSERT_TRUE(storage::RequestLog::Migrate(*db_).ok());
    ASSERT_TRUE(ProposalStore::Migrate(*db_).ok());

    auto index = std::make_unique<MatchIndex>(test::Grid());
    index->UpsertCategory(test::Category("jahe"));
    index->UpsertCategory(test::Category("kunyit"));
    for (const test::ListingSpec& s : std::vector<test::ListingSpec>{
             {.id = "offer",
              .owner = "clusters/bio-kra",
              .region = "33.13",
              .category = "jahe",
              .amount = 2,
              .unit = type::v1::TON,
              .period = type::v1::MONTH},
             {.id = "offer2",
              .owner = "clusters/bio-kra",
              .region = "33.13",
              .category = "kunyit"},
             {.id = "need",
              .kind = Listing::NEED,
              .owner = "enterprises/ud-sehat",
              .region = "33.14",
              .category = "jahe",
              .amount = 1,
              .unit = type::v1::TON,
              .period = type::v1::MONTH,
              .source_region = "35.78"},
             {.id = "need-kunyit",
              .kind = Listing::NEED,
              .owner = "enterprises/ud-sehat",
              .region = "33.14",
              .category = "kunyit"},
             {.id = "far-need",
              .kind = Listing::NEED,
              .owner = "partners/hotel-bali",
              .region = "51.71",
              .category = "jahe"},
             {.id = "other-offer",
              .owner = "clusters/bio-kra",
              .region = "33.13",
              .category = "kunyit"}}) {
      ASSERT_TRUE(index->UpsertListing(test::Listing(s), clock_.Now()).ok());
    }
    index->FinalizeTaxonomy();
    live_.Swap(std::move(index), {});
    proposals_ = std::make_unique<Proposals>(
        db_.get(), &outbox_, &requests_, &live_, &signals_, &weights_, &clock_,
        ProposalOptions{.ttl = absl::Hours(24)});
  }

  matching::v1::CreateProposalRequest CreateRequest(
      const std::string& offer = "listings/offer",
      const std::string& need = "listings/need",
      const std::string& request_id = "") {
    matching::v1::CreateProposalRequest r;
    r.mutable_proposal()->set_offer_listing(offer);
    r.mutable_proposal()->set_need_listing(need);
    r.mutable_proposal()->set_note("Mohon ditindaklanjuti");
    r.set_request_id(request_id);
    return r;
  }

  matching::v1::AnswerProposalRequest AnswerRequest(
      const Proposal& p, const std::string& party = "") {
    matching::v1::AnswerProposalRequest r;
    r.set_name(p.name());
    r.set_party(party);
    return r;
  }

  Proposal MustCreate() {
    auto p = proposals_->Create(Facilitator({"33.13"}), CreateRequest());
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : Proposal();
  }

  // A proposal both sides accepted.
  Proposal MustAgree(const std::string& offer = "listings/offer",
                     const std::string& need = "listings/need") {
    auto p = proposals_->Create(Admin(), CreateRequest(offer, need));
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) return Proposal();
    for (const std::string& party : {p->supplier(), p->buyer()}) {
      auto answered = proposals_->Answer(Admin(), AnswerRequest(*p, party),
                                         /*accept=*/true);
      EXPECT_TRUE(answered.ok()) << answered.status();
      if (answered.ok()) *p = *answered;
    }
    EXPECT_EQ(p->state(), Proposal::AGREED);
    return *p;
  }

  std::vector<Event> Events() {
    std::vector<Event> out;
    EXPECT_TRUE(db_->Read([&](storage::Transaction& tx) {
                     return tx.Query(
                         "SELECT payload FROM jalin_outbox ORDER BY seq", {},
                         [&](const storage::Row& row) {
                           events::v1::Event e;
                           EXPECT_TRUE(e.ParseFromString(
                               std::string(row.Blob(0))));
                           Event ev;
                           ev.type = e.type();
                           EXPECT_TRUE(e.data().UnpackTo(&ev.payload));
                           ev.parties.assign(e.parties().begin(),
                                             e.parties().end());
                           ev.regions.assign(e.regions().begin(),
                                             e.regions().end());
                           ev.actor = e.actor();
                           out.push_back(std::move(ev));
                           return absl::OkStatus();
                         });
                   })
                    .ok());
    return out;
  }

  std::vector<std::string> EventTypes() {
    std::vector<std::string> types;
    for (const Event& e : Events()) types.push_back(e.type);
    return types;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  events::Outbox outbox_;
  storage::RequestLog requests_;
  LiveIndex live_;
  Signals signals_;
  Weights weights_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  std::unique_ptr<Proposals> proposals_;
};

TEST_F(ProposalsTest, AFacilitatorTurnsAMatchIntoAProposalWithItsEvent) {
  const Proposal p = MustCreate();
  EXPECT_THAT(p.name(), ::testing::StartsWith("proposals/"));
  EXPECT_EQ(p.state(), Proposal::PROPOSED);
  EXPECT_EQ(p.supplier(), "clusters/bio-kra");
  EXPECT_EQ(p.buyer(), "enterprises/ud-sehat");
  EXPECT_EQ(p.supplier_region(), "regions/33.13");
  EXPECT_EQ(p.buyer_region(), "regions/33.14");
  EXPECT_EQ(p.supplier_answer().decision(), matching::v1::Answer::PENDING);
  EXPECT_EQ(p.buyer_answer().decision(), matching::v1::Answer::PENDING);
  EXPECT_EQ(p.proposer(), "users/fasil-33.13");
  EXPECT_EQ(p.expire_time().seconds(),
            absl::ToUnixSeconds(clock_.Now() + absl::Hours(24)));
  EXPECT_EQ(p.match().listing().name(), "listings/offer");
  EXPECT_GT(p.match().score(), 0);
  EXPECT_GT(p.match().distance_saved_km(), 0);  // Surabaya is farther
  EXPECT_FALSE(p.etag().empty());

  const std::vector<Event> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "jalin.matching.proposal.created");
  EXPECT_THAT(events[0].parties,
              ElementsAre("clusters/bio-kra", "enterprises/ud-sehat"));
  EXPECT_THAT(events[0].regions,
              ElementsAre("regions/33.13", "regions/33.14"));
  EXPECT_EQ(events[0].payload.proposal().name(), p.name());
  EXPECT_EQ(events[0].actor, "users/fasil-33.13");

  auto got = proposals_->Get(Member("enterprises/ud-sehat"),
                             [&] {
                               matching::v1::GetProposalRequest r;
                               r.set_name(p.name());
                               return r;
                             }());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), p.SerializeAsString());
}

TEST_F(ProposalsTest, CreateChecksScopeMatchAndDuplicates) {
  // A facilitator of neither region.
  EXPECT_EQ(proposals_->Create(Facilitator({"35"}), CreateRequest())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  // Listings that do not match (kunyit offer for a jahe need).
  EXPECT_EQ(proposals_
                ->Create(Facilitator({"33"}),
                         CreateRequest("listings/offer2", "listings/need"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // Two needs.
  EXPECT_EQ(proposals_
                ->Create(Admin(),
                         CreateRequest("listings/need", "listings/far-need"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // A listing that is not open: NOT_FOUND for someone who may propose,
  // PERMISSION_DENIED for someone who learns nothing.
  EXPECT_EQ(proposals_
                ->Create(Facilitator({"33.13"}),
                         CreateRequest("listings/offer", "listings/gone"))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(proposals_
                ->Create(Facilitator({"35"}),
                         CreateRequest("listings/nope", "listings/gone"))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  MustCreate();
  EXPECT_EQ(proposals_->Create(Facilitator({"33.14"}), CreateRequest())
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(EventTypes().size(), 1u);
}

TEST_F(ProposalsTest, BadInputNamesEveryViolationAndStoresNothing) {
  matching::v1::CreateProposalRequest r;
  r.mutable_proposal()->set_need_listing("needs/x");
  r.mutable_proposal()->set_note(std::string(2001, 'n'));
  r.set_request_id("has space");
  absl::Status s = proposals_->Create(Admin(), r).status();
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s),
              ElementsAre("proposal.offer_listing", "proposal.need_listing",
                          "proposal.note", "request_id"));
  EXPECT_TRUE(EventTypes().empty());
}

TEST_F(ProposalsTest, RequestIdReplaysTheFirstAnswer) {
  auto a = proposals_->Create(Facilitator({"33.13"}),
                              CreateRequest("listings/offer", "listings/need",
                                            "req-1"));
  auto b = proposals_->Create(Facilitator({"33.13"}),
                              CreateRequest("listings/offer", "listings/need",
                                            "req-1"));
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  EXPECT_EQ(a->name(), b->name());
  EXPECT_EQ(EventTypes().size(), 1u);
  // The same id for another request is refused.
  EXPECT_EQ(proposals_
                ->Create(Facilitator({"33.13"}),
                         CreateRequest("listings/offer2", "listings/need-kunyit",
                                       "req-1"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ProposalsTest, BothSidesAcceptingMakesItAgreedThenCompleted) {
  const Proposal p = MustCreate();
  auto first = proposals_->Answer(Member("clusters/bio-kra"), AnswerRequest(p),
                                  /*accept=*/true);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state(), Proposal::PARTIALLY_ACCEPTED);
  EXPECT_EQ(first->supplier_answer().decision(), matching::v1::Answer::ACCEPTED);
  EXPECT_EQ(first->supplier_answer().answered_by(),
            "users/member-of-clusters/bio-kra");
  EXPECT_NE(first->etag(), p.etag());

  // The same side cannot answer twice.
  EXPECT_EQ(proposals_->Answer(Member("clusters/bio-kra"), AnswerRequest(p),
                               false)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // A stale etag is refused.
  auto stale = AnswerRequest(p);
  stale.set_etag(p.etag());
  EXPECT_EQ(proposals_->Answer(Member("enterprises/ud-sehat"), stale, true)
                .status()
                .code(),
            absl::StatusCode::kAborted);

  auto second = proposals_->Answer(Member("enterprises/ud-sehat"),
                                   AnswerRequest(p), true);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->state(), Proposal::AGREED);
  // Agreed proposals are no longer open to answers.
  EXPECT_EQ(proposals_->Answer(Admin(), AnswerRequest(p, "clusters/bio-kra"),
                               false)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);

  matching::v1::RecordOutcomeRequest o;
  o.set_name(p.name());
  o.mutable_outcome()->mutable_volume()->set_amount(1.5);
  o.mutable_outcome()->mutable_volume()->set_unit(type::v1::TON);
  o.mutable_outcome()->mutable_volume()->set_period(type::v1::MONTH);
  o.mutable_outcome()->mutable_value()->set_amount(45'000'000);
  o.mutable_outcome()->mutable_deal_date()->set_year(2027);
  o.mutable_outcome()->mutable_deal_date()->set_month(1);
  o.mutable_outcome()->mutable_deal_date()->set_day(15);
  auto done = proposals_->RecordOutcome(Facilitator({"33.14"}), o);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state(), Proposal::COMPLETED);
  EXPECT_EQ(done->outcome().value().amount(), 45'000'000);
  EXPECT_EQ(proposals_->RecordOutcome(Facilitator({"33.14"}), o)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_THAT(EventTypes(),
              ElementsAre("jalin.matching.proposal.created",
                          "jalin.matching.proposal.accepted",
                          "jalin.matching.proposal.agreed",
                          "jalin.matching.proposal.completed"));
  EXPECT_EQ(Events()[1].payload.answering_party(), "clusters/bio-kra");
  EXPECT_EQ(Events()[2].payload.answering_party(), "enterprises/ud-sehat");
}

TEST_F(ProposalsTest, ADeclineEndsItAndOutcomeNeedsAgreement) {
  const Proposal p = MustCreate();
  matching::v1::RecordOutcomeRequest o;
  o.set_name(p.name());
  o.mutable_outcome()->set_note("belum");
  o.mutable_outcome()->mutable_value()->set_amount(1'000'000);
  EXPECT_EQ(proposals_->RecordOutcome(Admin(), o).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto declined = proposals_->Answer(Facilitator({"33.14"}), AnswerRequest(p),
                                     /*accept=*/false);
  ASSERT_TRUE(declined.ok()) << declined.status();
  EXPECT_EQ(declined->state(), Proposal::DECLINED);
  EXPECT_EQ(declined->buyer_answer().decision(),
            matching::v1::Answer::DECLINED);
  EXPECT_EQ(proposals_->Answer(Member("clusters/bio-kra"), AnswerRequest(p),
                               true)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // A declined pair may be proposed again.
  EXPECT_TRUE(proposals_->Create(Admin(), CreateRequest()).ok());
}

TEST_F(ProposalsTest, OnlyPartiesOrTheirFacilitatorsAnswer) {
  const Proposal p = MustCreate();
  // A member of another organisation, a facilitator elsewhere, a viewer.
  for (const Principal& who :
       {Member("clusters/other"), Facilitator({"35"}),
        Viewer({"33"})}) {
    EXPECT_EQ(proposals_->Answer(who, AnswerRequest(p), true).status().code(),
              absl::StatusCode::kPermissionDenied)
        << who.subject;
  }
  // Someone who may answer for both sides must say which.
  EXPECT_EQ(proposals_->Answer(Facilitator({"33"}), AnswerRequest(p), true)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(proposals_->Answer(Admin(), AnswerRequest(p), true).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A facilitator of the buyer's region may not answer for the supplier.
  EXPECT_EQ(proposals_
                ->Answer(Facilitator({"33.14"}),
                         AnswerRequest(p, "clusters/bio-kra"), true)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  // A party that is neither side.
  EXPECT_EQ(proposals_
                ->Answer(Admin(), AnswerRequest(p, "clusters/other"), true)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto ok = proposals_->Answer(Facilitator({"33"}),
                               AnswerRequest(p, "enterprises/ud-sehat"), true);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->buyer_answer().decision(), matching::v1::Answer::ACCEPTED);
  // Nothing was written by the refused calls.
  EXPECT_THAT(EventTypes(), ElementsAre("jalin.matching.proposal.created",
                                        "jalin.matching.proposal.accepted"));
}

TEST_F(ProposalsTest, ReadingIsScopedAndDenialRevealsNothing) {
  const Proposal p = MustCreate();
  matching::v1::GetProposalRequest get;
  get.set_name(p.name());
  EXPECT_TRUE(proposals_->Get(Facilitator({"33"}), get).ok());
  EXPECT_TRUE(proposals_->Get(Member("clusters/bio-kra"), get).ok());
  EXPECT_EQ(proposals_->Get(Facilitator({"35"}), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(proposals_->Get(Member("clusters/other"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  get.set_name("proposals/01hzzzzzzzzzzzzzzzzzzzzzzz");
  EXPECT_EQ(proposals_->Get(Facilitator({"35"}), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(proposals_->Get(Admin(), get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ProposalsTest, UnansweredProposalsExpireOnTheSweep) {
  const Proposal p = MustCreate();
  const Proposal half =
      *proposals_->Create(Admin(), CreateRequest("listings/offer2",
                                                 "listings/need-kunyit"));
  ASSERT_TRUE(proposals_
                  ->Answer(Member("enterprises/ud-sehat"), AnswerRequest(half),
                           true)
                  .ok());
  NoSnapshot source;
  NoFeed feed;
  IndexSync sync(test::Grid(), &source, &feed, &live_, &clock_, {});
  Sweeper sweeper(proposals_.get(), &sync, absl::Seconds(1));

  clock_.Advance(absl::Hours(23));
  sweeper.SweepOnce();
  matching::v1::GetProposalRequest get;
  get.set_name(p.name());
  EXPECT_EQ(proposals_->Get(Admin(), get)->state(), Proposal::PROPOSED);

  clock_.Advance(absl::Hours(1));
  // Past its expire_time, before the sweep: answers are refused already.
  EXPECT_EQ(proposals_->Answer(Member("clusters/bio-kra"), AnswerRequest(p),
                               true)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  sweeper.SweepOnce();
  EXPECT_EQ(proposals_->Get(Admin(), get)->state(), Proposal::EXPIRED);
  get.set_name(half.name());
  EXPECT_EQ(proposals_->Get(Admin(), get)->state(), Proposal::EXPIRED);
  EXPECT_EQ(*proposals_->ExpireDue(), 0);
  int expired = 0;
  for (const Event& e : Events()) {
    if (e.type == "jalin.matching.proposal.expired") {
      ++expired;
      EXPECT_EQ(e.actor, "system");
    }
  }
  EXPECT_EQ(expired, 2);
}

TEST_F(ProposalsTest, ListsAreScopedFilteredAndPaged) {
  MustCreate();
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(proposals_
                  ->Create(Admin(), CreateRequest("listings/offer2",
                                                  "listings/need-kunyit"))
                  .ok());
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(proposals_
                  ->Create(Admin(), CreateRequest("listings/offer",
                                                  "listings/far-need"))
                  .ok());
  matching::v1::ListProposalsRequest r;
  auto all = proposals_->List(Admin(), r);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->total_size(), 3);
  // Newest first.
  EXPECT_EQ(all->proposals(0).need_listing(), "listings/far-need");

  // A Bali facilitator sees only the Bali proposal.
  auto bali = proposals_->List(Facilitator({"51"}), r);
  ASSERT_TRUE(bali.ok());
  ASSERT_EQ(bali->proposals_size(), 1);
  EXPECT_EQ(bali->proposals(0).buyer(), "partners/hotel-bali");
  // The hotel's member sees its own.
  auto hotel = proposals_->List(Member("partners/hotel-bali"), r);
  ASSERT_TRUE(hotel.ok());
  EXPECT_EQ(hotel->total_size(), 1);
  // A region outside one's scope is refused.
  r.set_region("regions/33");
  EXPECT_EQ(proposals_->List(Facilitator({"51"}), r).status().code(),
            absl::StatusCode::kPermissionDenied);

  // Pages of one.
  r.Clear();
  r.set_page_size(1);
  std::vector<std::string> seen;
  std::string token;
  do {
    r.set_page_token(token);
    auto page = proposals_->List(Admin(), r);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->proposals()) seen.push_back(p.name());
    token = page->next_page_token();
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 3u);
  // A token does not carry over to another query.
  r.set_page_size(1);
  r.set_page_token("");
  auto first = proposals_->List(Admin(), r);
  r.set_page_token(first->next_page_token());
  r.set_state(Proposal::AGREED);
  EXPECT_EQ(proposals_->List(Admin(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ProposalsTest, FunnelCountsByRegionAndPeriod) {
  const Proposal agreed = MustCreate();
  ASSERT_TRUE(proposals_
                  ->Answer(Member("clusters/bio-kra"), AnswerRequest(agreed),
                           true)
                  .ok());
  ASSERT_TRUE(proposals_
                  ->Answer(Member("enterprises/ud-sehat"),
                           AnswerRequest(agreed), true)
                  .ok());
  matching::v1::RecordOutcomeRequest o;
  o.set_name(agreed.name());
  o.mutable_outcome()->mutable_value()->set_amount(10'000'000);
  ASSERT_TRUE(proposals_->RecordOutcome(Admin(), o).ok());
  const Proposal declined = *proposals_->Create(
      Admin(), CreateRequest("listings/offer2", "listings/need-kunyit"));
  ASSERT_TRUE(proposals_
                  ->Answer(Member("enterprises/ud-sehat"),
                           AnswerRequest(declined), false)
                  .ok());
  clock_.Advance(absl::Hours(2));
  ASSERT_TRUE(proposals_
                  ->Create(Admin(), CreateRequest("listings/offer",
                                                  "listings/far-need"))
                  .ok());

  matching::v1::GetProposalFunnelRequest r;
  auto all = proposals_->Funnel(Admin(), r);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->proposed(), 3);
  EXPECT_EQ(all->accepted(), 1);
  EXPECT_EQ(all->agreed(), 1);
  EXPECT_EQ(all->completed(), 1);
  EXPECT_EQ(all->declined(), 1);
  EXPECT_EQ(all->expired(), 0);
  EXPECT_EQ(all->value_agreed().amount(), 10'000'000);
  EXPECT_DOUBLE_EQ(all->km_saved(), agreed.match().distance_saved_km());

  r.set_region("regions/51");
  EXPECT_EQ(proposals_->Funnel(Admin(), r)->proposed(), 1);
  r.set_region("regions/33.14");
  EXPECT_EQ(proposals_->Funnel(Facilitator({"33.14"}), r)->proposed(), 2);
  // The first hour only.
  r.clear_region();
  r.mutable_start_time()->set_seconds(absl::ToUnixSeconds(clock_.Now()) - 7200);
  r.mutable_end_time()->set_seconds(absl::ToUnixSeconds(clock_.Now()) - 3600);
  EXPECT_EQ(proposals_->Funnel(Admin(), r)->proposed(), 2);
  r.mutable_end_time()->set_seconds(r.start_time().seconds());
  EXPECT_EQ(proposals_->Funnel(Admin(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ProposalsTest, ListNamesABadTokenWithTheOtherViolations) {
  matching::v1::ListProposalsRequest r;
  r.set_page_size(-1);
  r.set_page_token("not a token");
  r.set_state(static_cast<Proposal::State>(99));
  absl::Status s = proposals_->List(Admin(), r).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s),
              ElementsAre("page_size", "state", "page_token"));
}

// Periods are compared and filtered as times, whatever the year the
// timestamp allows (nanoseconds since 1970 stop in 2262).
TEST_F(ProposalsTest, FunnelPeriodsMayEndAfterTheYear2262) {
  MustCreate();
  constexpr int64_t kYear3000 = 32'503'680'000;  // 3000-01-01T00:00:00Z
  matching::v1::GetProposalFunnelRequest r;
  r.mutable_end_time()->set_seconds(kYear3000);
  auto until_3000 = proposals_->Funnel(Admin(), r);
  ASSERT_TRUE(until_3000.ok()) << until_3000.status();
  EXPECT_EQ(until_3000->proposed(), 1);
  r.mutable_start_time()->set_seconds(0);
  auto since_1970 = proposals_->Funnel(Admin(), r);
  ASSERT_TRUE(since_1970.ok()) << since_1970.status();
  EXPECT_EQ(since_1970->proposed(), 1);
  // From 3000 on: nothing yet.
  r.mutable_start_time()->set_seconds(kYear3000);
  r.mutable_end_time()->set_seconds(kYear3000 + 86'400);
  auto after_3000 = proposals_->Funnel(Admin(), r);
  ASSERT_TRUE(after_3000.ok()) << after_3000.status();
  EXPECT_EQ(after_3000->proposed(), 0);
  // The order of far bounds is still checked.
  r.mutable_end_time()->set_seconds(kYear3000 - 1);
  EXPECT_THAT(ViolatedFields(proposals_->Funnel(Admin(), r).status()),
              ElementsAre("end_time"));
}

TEST_F(ProposalsTest, OutcomeNeedsARealRecentDateAndSomethingTraded) {
  const Proposal p = MustAgree();
  matching::v1::RecordOutcomeRequest o;
  o.set_name(p.name());
  // Nothing recorded.
  o.mutable_outcome();
  absl::Status s = proposals_->RecordOutcome(Admin(), o).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("outcome"));
  o.mutable_outcome()->set_note("sudah");
  o.mutable_outcome()->mutable_value()->set_amount(0);
  EXPECT_THAT(ViolatedFields(proposals_->RecordOutcome(Admin(), o).status()),
              ElementsAre("outcome"));
  // A day no calendar has, and one more than a year ahead (the clock is at
  // 2027-01-15).
  o.mutable_outcome()->mutable_value()->set_amount(1'000'000);
  google::type::Date* d = o.mutable_outcome()->mutable_deal_date();
  d->set_year(9999);
  d->set_month(2);
  d->set_day(31);
  EXPECT_THAT(ViolatedFields(proposals_->RecordOutcome(Admin(), o).status()),
              ElementsAre("outcome.deal_date"));
  d->set_year(2027);
  d->set_day(29);
  EXPECT_THAT(ViolatedFields(proposals_->RecordOutcome(Admin(), o).status()),
              ElementsAre("outcome.deal_date"));
  d->set_year(2028);
  d->set_month(1);
  d->set_day(16);
  EXPECT_THAT(ViolatedFields(proposals_->RecordOutcome(Admin(), o).status()),
              ElementsAre("outcome.deal_date"));
  EXPECT_EQ(EventTypes().back(), "jalin.matching.proposal.agreed");
  // A leap day in the past, and a volume alone, are fine.
  d->set_year(2024);
  d->set_month(2);
  d->set_day(29);
  o.mutable_outcome()->clear_value();
  o.mutable_outcome()->mutable_volume()->set_amount(2);
  o.mutable_outcome()->mutable_volume()->set_unit(type::v1::TON);
  auto done = proposals_->RecordOutcome(Admin(), o);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state(), Proposal::COMPLETED);
}

TEST_F(ProposalsTest, OutcomeValueIsBoundedAndTheFunnelSumCannotOverflow) {
  constexpr int64_t kMax = 1'000'000'000'000'000;  // Rp 10^15
  const Proposal first = MustAgree();
  matching::v1::RecordOutcomeRequest o;
  o.set_name(first.name());
  o.mutable_outcome()->mutable_value()->set_amount(
      std::numeric_limits<int64_t>::max());
  absl::Status s = proposals_->RecordOutcome(Admin(), o).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("outcome.value.amount"));
  o.mutable_outcome()->mutable_value()->set_amount(kMax + 1);
  EXPECT_THAT(ViolatedFields(proposals_->RecordOutcome(Admin(), o).status()),
              ElementsAre("outcome.value.amount"));
  o.mutable_outcome()->mutable_value()->set_amount(kMax);
  ASSERT_TRUE(proposals_->RecordOutcome(Admin(), o).ok());
  const Proposal second = MustAgree("listings/offer2", "listings/need-kunyit");
  o.set_name(second.name());
  o.mutable_outcome()->mutable_value()->set_amount(kMax - 1);
  ASSERT_TRUE(proposals_->RecordOutcome(Admin(), o).ok());
  matching::v1::GetProposalFunnelRequest r;
  auto funnel = proposals_->Funnel(Admin(), r);
  ASSERT_TRUE(funnel.ok()) << funnel.status();
  EXPECT_EQ(funnel->value_agreed().amount(), 2 * kMax - 1);

  // Values stored before the bound existed may add up past int64: the sum
  // stops at its largest value instead of failing the funnel.
  ASSERT_TRUE(db_->Write([](storage::Transaction& tx) {
                   return tx.Exec(
                       "UPDATE matching_proposals SET value_agreed = ?",
                       {storage::Param(std::numeric_limits<int64_t>::max())});
                 })
                  .ok());
  funnel = proposals_->Funnel(Admin(), r);
  ASSERT_TRUE(funnel.ok()) << funnel.status();
  EXPECT_EQ(funnel->value_agreed().amount(),
            std::numeric_limits<int64_t>::max());
}

TEST_F(ProposalsTest, AnswersAndDealsFeedLaterScores) {
  auto score = [&](const std::string& need) {
    double s = 0;
    EXPECT_TRUE(live_
                    .Read([&](const MatchIndex& index) {
                      Signals::ReadLock lock(signals_);
                      QueryOptions o;
                      o.now_seconds = absl::ToUnixSeconds(clock_.Now());
                      QueryContext q(index, lock, weights_,
                                     SideOf(index, index.FindListing(need)), o);
                      for (const Candidate& c : FindTopK(q, 10).matches) {
                        if (index.name(c.slot) == "listings/offer") {
                          s = c.eval.score;
                        }
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return s;
  };
  const double before = score("listings/need");
  const Proposal p = MustCreate();
  ASSERT_TRUE(proposals_
                  ->Answer(Member("enterprises/ud-sehat"), AnswerRequest(p),
                           false)
                  .ok());
  const double after_decline = score("listings/need");
  EXPECT_LT(after_decline, before);

  // A fresh process rebuilds the same signals from the store.
  Signals reloaded;
  ASSERT_TRUE(db_->Read([&](storage::Transaction& tx) {
                   return ProposalStore::LoadSignals(tx, &reloaded);
                 })
                  .ok());
  Signals::ReadLock lock(reloaded);
  auto* counts = lock.ForGroups("categories/jahe", "categories/jahe");
  ASSERT_NE(counts, nullptr);
  auto it = counts->find(Signals::ProvincePair("33", "33"));
  ASSERT_NE(it, counts->end());
  EXPECT_EQ(it->second.declined, 1);
  EXPECT_EQ(it->second.agreed, 0);

  // Completed deals raise the supplier's reliability.
  auto again = proposals_->Create(Admin(), CreateRequest());
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(proposals_
                  ->Answer(Admin(), AnswerRequest(*again, "clusters/bio-kra"),
                           true)
                  .ok());
  ASSERT_TRUE(proposals_
                  ->Answer(Admin(),
                           AnswerRequest(*again, "enterprises/ud-sehat"), true)
                  .ok());
  matching::v1::RecordOutcomeRequest o;
  o.set_name(again->name());
  o.mutable_outcome()->set_note("lancar");
  o.mutable_outcome()->mutable_value()->set_amount(5'000'000);
  ASSERT_TRUE(proposals_->RecordOutcome(Admin(), o).ok());
  Signals::ReadLock now(signals_);
  EXPECT_EQ(now.Deals(StableHash("clusters/bio-kra")), 1);
  EXPECT_EQ(now.Deals(StableHash("enterprises/ud-sehat")), 1);
}

TEST(ProposalRulesTest, TransitionsAndTheirVerbs) {
  Proposal p;
  p.set_name("proposals/x");
  p.set_supplier("clusters/s");
  p.set_buyer("clusters/b");
  p.set_state(Proposal::PROPOSED);
  p.mutable_supplier_answer()->set_decision(matching::v1::Answer::PENDING);
  p.mutable_buyer_answer()->set_decision(matching::v1::Answer::PENDING);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  p.mutable_expire_time()->set_seconds(2000);
  EXPECT_EQ(*AnswerProposal(p, ProposalSide::kBuyer, true, "u", "", t0),
            "accepted");
  EXPECT_EQ(p.state(), Proposal::PARTIALLY_ACCEPTED);
  EXPECT_EQ(ExpireProposal(p, t0).status().code(),
            absl::StatusCode::kFailedPrecondition);  // not due yet
  EXPECT_EQ(*AnswerProposal(p, ProposalSide::kSupplier, true, "u", "", t0),
            "agreed");
  EXPECT_EQ(ExpireProposal(p, absl::FromUnixSeconds(3000)).status().code(),
            absl::StatusCode::kFailedPrecondition);  // agreed never expires
  EXPECT_EQ(*CompleteProposal(p, {}, t0), "completed");
  EXPECT_EQ(p.state(), Proposal::COMPLETED);

  Proposal q;
  q.set_state(Proposal::PROPOSED);
  q.mutable_expire_time()->set_seconds(2000);
  EXPECT_EQ(*ExpireProposal(q, absl::FromUnixSeconds(2000)), "expired");
  EXPECT_EQ(AnswerProposal(q, ProposalSide::kBuyer, false, "u", "", t0)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace jalin::matching
