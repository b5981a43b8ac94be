// Builders for matching's tests: regions from the repository's data file,
// and registry records (categories, supply links, clusters, listings) in a
// line each.

#ifndef TESTS_SERVICES_MATCHING_TEST_DATA_H_
#define TESTS_SERVICES_MATCHING_TEST_DATA_H_

#include <initializer_list>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/regions/region_table.h"
#include "jalin/registry/v1/agreement.pb.h"
#include "jalin/registry/v1/category.pb.h"
#include "jalin/registry/v1/cluster.pb.h"
#include "jalin/registry/v1/listing.pb.h"
#include "services/matching/index/region_grid.h"

namespace jalin::matching::test {

// Polls `done` every 25 ms until it holds or `timeout` passes; returns
// whether it held (for integration tests waiting on another process).
template <typename F>
bool Eventually(F done, absl::Duration timeout = absl::Seconds(20)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(25));
  }
  return done();
}

// The 34 provinces and 514 regencies shipped in data/regions.csv.
const regions::RegionTable& Regions();
std::shared_ptr<const RegionGrid> Grid(double distance_scale_km = 300);

registry::v1::Category Category(const std::string& id,
                                const std::string& parent_id = "",
                                const std::string& label_id = "",
                                const std::string& label_en = "");
registry::v1::SupplyLink Link(const std::string& id,
                              const std::string& input_id,
                              const std::string& output_id, double strength);
registry::v1::Cluster Cluster(const std::string& id, const std::string& name,
                              const std::string& region_code,
                              const std::string& sector_id);

struct ListingSpec {
  std::string id = "";
  registry::v1::Listing::Kind kind = registry::v1::Listing::OFFER;
  registry::v1::CategoryKind type = registry::v1::GOODS;
  // "clusters/x", "enterprises/y".
  std::string owner = "";
  std::string owner_name = "";
  // "33.13".
  std::string region = "";
  // "jahe".
  std::string category = "";
  std::string title = "";
  double amount = 0;
  type::v1::Unit unit = type::v1::UNIT_UNSPECIFIED;
  type::v1::Period period = type::v1::PERIOD_UNSPECIFIED;
  registry::v1::Listing::Continuity continuity =
      registry::v1::Listing::CONTINUOUS;
  std::initializer_list<type::v1::CertificationKind> required = {};
  std::initializer_list<type::v1::CertificationKind> held = {};
  std::initializer_list<std::string> clusters = {};
  bool verified = true;
  bool curated = false;
  double radius_km = 0;
  std::string source_region = "";
  registry::v1::Listing::Status status = registry::v1::Listing::OPEN;
  absl::Time valid_until = absl::InfiniteFuture();
};
registry::v1::Listing Listing(const ListingSpec& s);

}  // namespace jalin::matching::test

#endif  // TESTS_SERVICES_MATCHING_TEST_DATA_H_
