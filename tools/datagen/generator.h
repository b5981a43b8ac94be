// The demo and benchmark dataset: for each kabupaten/kota, clusters in the
// sectors it is known for plus others drawn from the taxonomy, their UMKM
// (mostly mikro, with certificates that fit the sector and contacts),
// partners that buy from them, and offers and needs that follow each
// cluster's place in the value chain: a producer needs the inputs of its
// sector, a supplier offers them, by-products and know-how are offered,
// consumer goods look for market channels.
//
// Deterministic: the records of a region depend only on the seed, the
// scale, the as-of date and the region, not on which other regions are
// generated or on the machine. Streaming: only one region's clusters are held
// in memory, so datasets of millions of records take bounded memory.

#ifndef TOOLS_DATAGEN_GENERATOR_H_
#define TOOLS_DATAGEN_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/regions/region_table.h"
#include "tools/datagen/record_sink.h"
#include "tools/datagen/taxonomy.h"

namespace jalin::datagen {

// The seed of the demo that `deploy/dev.sh up` loads (jalin-datagen's
// default).
inline constexpr int64_t kDemoSeed = 20240817;

struct GeneratorOptions {
  uint64_t seed = kDemoSeed;
  // 1 gives a demo (about 200 UMKM per kabupaten); enterprises grow
  // linearly with the scale, clusters and partners with its square root.
  double scale = 1.0;
  // Kabupaten/kota codes ("33.13"), in the order generated.
  std::vector<std::string> regions;
  // Version stamped on every record: generate again with a higher version
  // to produce updates of the same records.
  int64_t version = 1;
  // The day the data is generated for: certificates are issued before it
  // and still valid months after it. Data meant for a running registry
  // (which refuses expired certificates) uses DefaultAsOf(absl::Now()).
  absl::CivilDay as_of = absl::CivilDay(2026, 1, 1);
};

// The first day (UTC) of the month of `now`: the as-of day of data
// generated at `now`, the same all month long so that files generated again
// within a month are identical.
absl::CivilDay DefaultAsOf(absl::Time now);

struct GeneratorCounts {
  int64_t clusters = 0;
  int64_t partners = 0;
  int64_t enterprises = 0;
  int64_t listings = 0;
};

// The kabupaten/kota codes of `provinces` ("33") and `regions` ("33.11"),
// both comma-separated, in code order without repeats. INVALID_ARGUMENT
// for an unknown code or a province given in `regions`.
absl::StatusOr<std::vector<std::string>> SelectRegions(
    const regions::RegionTable& table, const std::string& provinces,
    const std::string& regions);

// Not thread-safe. The taxonomy and region table are not owned and must
// outlive the generator.
class Generator {
 public:
  Generator(const Taxonomy* taxonomy, const regions::RegionTable* regions,
            GeneratorOptions options);

  // Writes every record of every region to `sink`.
  absl::Status Run(RecordSink* sink, GeneratorCounts* counts);

 private:
  absl::Status GenerateRegion(const regions::RegionInfo& region,
                              RecordSink* sink, GeneratorCounts* counts);

  const Taxonomy* const taxonomy_;
  const regions::RegionTable* const regions_;
  const GeneratorOptions options_;
};

}  // namespace jalin::datagen

#endif  // TOOLS_DATAGEN_GENERATOR_H_
