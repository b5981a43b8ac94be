#include "services/notification/event_facts.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "common/auth/principal.h"
#include "services/notification/recipient.h"

namespace jalin::notification {
namespace {

class Collector {
 public:
  explicit Collector(EventFacts* facts) : f_(facts) {}

  // A named resource of any kind: sorted into the lists it belongs to.
  void Name(const std::string& name) {
    if (name.empty()) return;
    if (absl::StartsWith(name, "regions/")) {
      Region(name);
    } else if (absl::StartsWith(name, "clusters/")) {
      f_->clusters.push_back(name);
    } else if (absl::StartsWith(name, "categories/")) {
      f_->categories.push_back(name);
    }
  }
  // An organisation that is told about the event.
  void Party(const std::string& name) {
    if (!IsOrganization(name)) return;
    f_->parties.push_back(name);
    Name(name);
  }
  void Region(const std::string& region) {
    std::string code = auth::RegionCode(region);
    if (!code.empty()) f_->regions.push_back(std::move(code));
  }
  void Category(const std::string& c) { Name(c); }
  void Cluster(const std::string& c) { Name(c); }

 private:
  EventFacts* f_;
};

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void FromListing(const registry::v1::Listing& l, Collector& c) {
  c.Region(l.region());
  c.Category(l.category());
  c.Name(l.owner());
  // The cluster that owns a listing hears about it (its leader reads the
  // cluster's inbox).
  if (absl::StartsWith(l.owner(), "clusters/")) c.Party(l.owner());
  for (const auto& cl : l.owner_profile().clusters()) c.Cluster(cl);
}

}  // namespace

EventFacts ExtractFacts(const events::v1::Event& event,
                        const Payload& payload) {
  EventFacts facts;
  Collector c(&facts);
  for (const auto& r : event.regions()) c.Region(r);
  for (const auto& p : event.parties()) c.Party(p);

  if (const auto* e = std::get_if<events::v1::ListingEvent>(&payload)) {
    FromListing(e->listing(), c);
  } else if (const auto* e = std::get_if<events::v1::ClusterEvent>(&payload)) {
    c.Cluster(e->cluster().name());
    c.Cluster(e->cluster().parent_cluster());
    c.Category(e->cluster().sector());
    c.Region(e->cluster().location().region());
  } else if (const auto* e =
                 std::get_if<events::v1::EnterpriseEvent>(&payload)) {
    for (const auto& cl : e->enterprise().clusters()) c.Cluster(cl);
    for (const auto& cat : e->enterprise().categories()) c.Category(cat);
    c.Region(e->enterprise().location().region());
  } else if (const auto* e = std::get_if<events::v1::PartnerEvent>(&payload)) {
    for (const auto& cat : e->partner().categories()) c.Category(cat);
    c.Region(e->partner().location().region());
  } else if (const auto* e =
                 std::get_if<events::v1::AgreementEvent>(&payload)) {
    for (const auto& p : e->agreement().parties()) c.Name(p);
    for (const auto& cat : e->agreement().categories()) c.Category(cat);
  } else if (const auto* e = std::get_if<events::v1::CategoryEvent>(&payload)) {
    c.Category(e->category().name());
    c.Category(e->category().parent());
  } else if (const auto* e =
                 std::get_if<events::v1::SupplyLinkEvent>(&payload)) {
    c.Category(e->supply_link().input());
    c.Category(e->supply_link().output());
  } else if (const auto* e = std::get_if<events::v1::ProposalEvent>(&payload)) {
    const auto& p = e->proposal();
    // Both owners of a proposal are told.
    c.Party(p.supplier());
    c.Party(p.buyer());
    c.Region(p.supplier_region());
    c.Region(p.buyer_region());
    if (p.has_match()) {
      c.Category(p.match().listing().category());
      for (const auto& cl : p.match().listing().owner_profile().clusters()) {
        c.Cluster(cl);
      }
    }
  } else if (const auto* e =
                 std::get_if<events::v1::SubmissionEvent>(&payload)) {
    const auto& s = e->submission();
    // The applicant of a curation submission is told.
    c.Party(s.enterprise());
    c.Region(s.region());
    c.Category(s.category());
    for (const auto& cl : s.clusters()) c.Cluster(cl);
  } else if (const auto* e = std::get_if<events::v1::CampaignEvent>(&payload)) {
    c.Region(e->campaign().region());
  } else if (const auto* e =
                 std::get_if<events::v1::VerificationEvent>(&payload)) {
    c.Region(e->task().region());
    c.Name(e->task().record());
  }
  SortUnique(facts.parties);
  SortUnique(facts.regions);
  SortUnique(facts.clusters);
  SortUnique(facts.categories);
  return facts;
}

}  // namespace jalin::notification
