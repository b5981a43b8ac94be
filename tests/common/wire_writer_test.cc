// WireWriter against the generated serializer: the same message written
// both ways must give the same bytes, for defaults left out, negative
// numbers, and nested lengths of every size class around the room a Begin
// keeps (one, two and three length bytes).

#include "common/proto/wire_writer.h"

#include <cmath>
#include <initializer_list>
#include <string>

#include "gtest/gtest.h"
#include "jalin/matching/v1/channeling.pb.h"

namespace jalin::proto {
namespace {

using matching::v1::ChannelingReport;
using matching::v1::ClusterPair;
using matching::v1::LocalizedText;
using matching::v1::Opportunity;

// Writes `o` field by field, as a report writer does.
void WriteOpportunity(const Opportunity& o, WireWriter& w) {
  w.Int(Opportunity::kKindFieldNumber, o.kind());
  w.Int(Opportunity::kDirectionFieldNumber, o.direction());
  w.String(Opportunity::kOfferListingFieldNumber, o.offer_listing());
  w.String(Opportunity::kNeedListingFieldNumber, o.need_listing());
  w.String(Opportunity::kSupplyLinkFieldNumber, o.supply_link());
  w.Double(Opportunity::kScoreFieldNumber, o.score());
  if (o.has_text()) {
    w.Begin(Opportunity::kTextFieldNumber);
    // One line through Begin/End (which, unlike String, writes an empty
    // one too), the other through String.
    if (!o.text().id().empty()) {
      w.Begin(LocalizedText::kIdFieldNumber);
      w.out()->append(o.text().id());
      w.End();
    }
    w.String(LocalizedText::kEnFieldNumber, o.text().en());
    w.End();
  }
  w.Double(Opportunity::kDistanceKmFieldNumber, o.distance_km());
}

std::string Written(const Opportunity& o) {
  std::string out;
  WireWriter w(&out);
  WriteOpportunity(o, w);
  return out;
}

TEST(WireWriterTest, DefaultsAreLeftOutAsTheSerializerDoes) {
  Opportunity o;
  EXPECT_EQ(Written(o), o.SerializeAsString());
  EXPECT_EQ(Written(o), "");
  o.set_score(-0.0);  // not the default: its sign bit is set
  o.set_kind(Opportunity::LISTING_MATCH);
  EXPECT_EQ(Written(o), o.SerializeAsString());
  EXPECT_NE(Written(o), "");
}

TEST(WireWriterTest, ScalarsMatchTheSerializer) {
  Opportunity o;
  o.set_kind(Opportunity::COMPLEMENTARITY);
  o.set_direction(Opportunity::B_TO_A);
  o.set_offer_listing("listings/a");
  o.set_supply_link(std::string(300, 'x'));
  o.set_score(0.8125);
  o.set_distance_km(1e300);
  EXPECT_EQ(Written(o), o.SerializeAsString());
  // An enum value below zero (as an unknown value could arrive) is written
  // as ten bytes, as int32 and int64 are.
  o.set_kind(static_cast<Opportunity::Kind>(-3));
  EXPECT_EQ(Written(o), o.SerializeAsString());
  o.set_score(std::nan(""));
  EXPECT_EQ(Written(o), o.SerializeAsString());
}

TEST(WireWriterTest, NestedLengthsOfEverySizeMatchTheSerializer) {
  // Around 128 (one length byte to two) and 16,384 (two to three), and
  // past 2 MiB (four), for the line and for the text holding it.
  for (const size_t n : std::initializer_list<size_t>{
           0, 1, 120, 125, 126, 127, 128, 129, 16'370, 16'380, 16'383, 16'384,
           16'385, (size_t{1} << 21) + 5}) {
    Opportunity o;
    o.set_kind(Opportunity::LISTING_MATCH);
    o.mutable_text()->set_id(std::string(n, 'i'));
    o.mutable_text()->set_en("en");
    o.set_distance_km(12.5);
    EXPECT_EQ(Written(o), o.SerializeAsString()) << n;
    Opportunity parsed;
    ASSERT_TRUE(parsed.ParseFromString(Written(o))) << n;
    EXPECT_EQ(parsed.text().id().size(), n);
  }
}

TEST(WireWriterTest, AnEmptyMessageIsStillPresent) {
  Opportunity o;
  o.mutable_text();
  EXPECT_EQ(Written(o), o.SerializeAsString());
  Opportunity parsed;
  ASSERT_TRUE(parsed.ParseFromString(Written(o)));
  EXPECT_TRUE(parsed.has_text());
}

TEST(WireWriterTest, MessagesNestThreeDeepAndSerializedOnesJoinIn) {
  ChannelingReport r;
  r.set_region_a("regions/33.13");
  r.mutable_generate_time()->set_seconds(1'800'000'000);
  r.mutable_generate_time()->set_nanos(-1);
  for (int p = 0; p < 3; ++p) {
    ClusterPair* pair = r.add_pairs();
    pair->set_supplier("clusters/" + std::to_string(p));
    pair->set_strength(0.5 + p);
    for (int i = 0; i < 40 * p; ++i) {
      Opportunity* o = pair->add_opportunities();
      o->set_kind(Opportunity::LISTING_MATCH);
      o->mutable_text()->set_id(std::string(i * 7, 'a'));
      o->set_distance_km(i);
    }
  }
  r.set_opportunity_count(120);

  std::string out;
  WireWriter w(&out);
  w.String(ChannelingReport::kRegionAFieldNumber, r.region_a());
  w.Message(ChannelingReport::kGenerateTimeFieldNumber,
            r.generate_time().SerializeAsString());
  for (const ClusterPair& pair : r.pairs()) {
    w.Begin(ChannelingReport::kPairsFieldNumber);
    w.String(ClusterPair::kSupplierFieldNumber, pair.supplier());
    w.Double(ClusterPair::kStrengthFieldNumber, pair.strength());
    for (const Opportunity& o : pair.opportunities()) {
      w.Begin(ClusterPair::kOpportunitiesFieldNumber);
      WriteOpportunity(o, w);
      w.End();
    }
    w.End();
  }
  w.Int(ChannelingReport::kOpportunityCountFieldNumber, r.opportunity_count());
  EXPECT_EQ(out, r.SerializeAsString());
}

}  // namespace
}  // namespace jalin::proto
