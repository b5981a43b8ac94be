// The events of record changes: a record lent to its event (the import's
// path, no copy) gives the same event as a copied one, without contacts,
// and comes back exactly as it was.

#include "services/registry/record_events.h"

#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::registry {
namespace {

namespace ev1 = jalin::events::v1;

const EventOrigin kOrigin{absl::FromUnixSeconds(1'750'000'000), "systems/sida",
                          "req-1"};

// `e` without what differs between two builds of the same event.
ev1::Event Comparable(ev1::Event e) {
  e.clear_id();
  return e;
}

v1::Enterprise Enterprise() {
  v1::Enterprise e;
  e.set_name("enterprises/01J0000000000000000000000A");
  e.set_display_name("UMKM Jamu Sehat");
  e.mutable_location()->set_region("regions/33.11");
  e.add_clusters("clusters/01J0000000000000000000000B");
  auto* c = e.add_contacts();
  c->set_display_name("Pemilik");
  c->set_phone("081234567890");
  e.add_contacts()->set_display_name("Pengelola");
  return e;
}

TEST(LentRecordEventTest, EnterpriseEventEqualsCopiedAndRecordComesBack) {
  v1::Enterprise record = Enterprise();
  const v1::Enterprise original = record;
  const ev1::Event copied = RecordEvent("created", record, kOrigin);
  const ev1::Event lent = LentRecordEvent("created", &record, kOrigin);
  EXPECT_EQ(Comparable(lent).SerializeAsString(),
            Comparable(copied).SerializeAsString());
  EXPECT_EQ(lent.type(), "jalin.registry.enterprise.created");
  ev1::EnterpriseEvent payload;
  ASSERT_TRUE(lent.data().UnpackTo(&payload));
  EXPECT_EQ(payload.enterprise().display_name(), "UMKM Jamu Sehat");
  EXPECT_EQ(payload.enterprise().contacts_size(), 0);
  EXPECT_EQ(record.SerializeAsString(), original.SerializeAsString());
}

// The import lends records that live on their batch's arena.
TEST(LentRecordEventTest, RecordsOnAnArenaComeBackOnIt) {
  google::protobuf::Arena arena;
  auto* enterprise =
      google::protobuf::Arena::CreateMessage<v1::Enterprise>(&arena);
  *enterprise = Enterprise();
  const ev1::Event lent = LentRecordEvent("created", enterprise, kOrigin);
  EXPECT_EQ(Comparable(lent).SerializeAsString(),
            Comparable(RecordEvent("created", Enterprise(), kOrigin))
                .SerializeAsString());
  EXPECT_EQ(enterprise->SerializeAsString(), Enterprise().SerializeAsString());
  EXPECT_EQ(enterprise->GetArena(), &arena);
  EXPECT_EQ(enterprise->contacts(0).GetArena(), &arena);

  auto* cluster = google::protobuf::Arena::CreateMessage<v1::Cluster>(&arena);
  cluster->set_name("clusters/01J0000000000000000000000B");
  cluster->mutable_location()->set_region("regions/33.13");
  cluster->mutable_leader()->set_display_name("Ketua Klaster");
  const std::string before = cluster->SerializeAsString();
  ev1::ClusterEvent payload;
  ASSERT_TRUE(
      LentRecordEvent("created", cluster, kOrigin).data().UnpackTo(&payload));
  EXPECT_FALSE(payload.cluster().has_leader());
  EXPECT_EQ(cluster->SerializeAsString(), before);
}

TEST(LentRecordEventTest, ClusterLeaderStaysOutOfTheEventAndComesBack) {
  v1::Cluster record;
  record.set_name("clusters/01J0000000000000000000000B");
  record.mutable_location()->set_region("regions/33.13");
  record.mutable_leader()->set_display_name("Ketua Klaster");
  const v1::Cluster original = record;
  const ev1::Event lent = LentRecordEvent("updated", &record, kOrigin);
  EXPECT_EQ(Comparable(lent).SerializeAsString(),
            Comparable(RecordEvent("updated", original, kOrigin))
                .SerializeAsString());
  ev1::ClusterEvent payload;
  ASSERT_TRUE(lent.data().UnpackTo(&payload));
  EXPECT_FALSE(payload.cluster().has_leader());
  EXPECT_EQ(record.SerializeAsString(), original.SerializeAsString());

  // Without a leader, none appears.
  record.clear_leader();
  LentRecordEvent("updated", &record, kOrigin);
  EXPECT_FALSE(record.has_leader());
}

TEST(LentRecordEventTest, PartnerContactsStayOutOfTheEventAndComeBack) {
  v1::Partner record;
  record.set_name("partners/01J0000000000000000000000C");
  record.mutable_location()->set_region("regions/33.72");
  record.add_contacts()->set_email("kontak@contoh.id");
  const v1::Partner original = record;
  const ev1::Event lent = LentRecordEvent("created", &record, kOrigin);
  EXPECT_EQ(Comparable(lent).SerializeAsString(),
            Comparable(RecordEvent("created", original, kOrigin))
                .SerializeAsString());
  ev1::PartnerEvent payload;
  ASSERT_TRUE(lent.data().UnpackTo(&payload));
  EXPECT_EQ(payload.partner().contacts_size(), 0);
  EXPECT_EQ(record.SerializeAsString(), original.SerializeAsString());
}

}  // namespace
}  // namespace jalin::registry
