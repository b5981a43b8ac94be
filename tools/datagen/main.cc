// jalin-datagen: writes a realistic, deterministic demo or benchmark dataset
// as the import files `jalinctl import` reads.

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/config/config.h"
#include "common/regions/region_table.h"
#include "tools/datagen/generator.h"
#include "tools/datagen/record_sink.h"
#include "tools/datagen/taxonomy.h"

namespace jalin::datagen {
namespace {

int Main(int argc, char** argv) {
  std::string provinces = "33";
  std::string regions;
  std::string out = "var/demo";
  std::string data_dir = "data";
  std::string format = "csv";
  int64_t seed = kDemoSeed;
  double scale = 1.0;
  int64_t version = 1;
  std::string as_of;
  Config config(
      "jalin-datagen",
      "writes clusters.csv, partners.csv, enterprises.csv and listings.csv "
      "(or .jsonl) for 'jalinctl import': clusters per sector in each "
      "kabupaten/kota, their UMKM, partners, and offers and needs along "
      "each cluster's value chain. The same seed and scale always give the "
      "same files; a region's records do not depend on the other regions "
      "chosen; certificates are dated around --as_of. Scale 1 is a demo (about "
      "200 UMKM per kabupaten); UMKM grow "
      "linearly with --scale, streamed to disk in bounded memory.");
  config.AddString("provinces", &provinces,
                   "comma-separated province codes: every kabupaten/kota of "
                   "each (33 = Jawa Tengah)");
  config.AddString("regions", &regions,
                   "comma-separated kabupaten/kota codes to add: 33.11,33.13");
  config.AddString("out", &out, "directory for the files");
  config.AddString("data_dir", &data_dir,
                   "jalin's data directory (regions.csv, taxonomy/)");
  config.AddString("format", &format, "csv or jsonl");
  config.AddInt("seed", &seed, "random seed (the default gives the demo)");
  config.AddDouble("scale", &scale, "dataset size; 1 = demo", 0.01, 100000);
  config.AddInt("version", &version,
                "version of every record (raise it to produce updates)", 1);
  config.AddString("as_of", &as_of,
                   "the day certificates are valid on (YYYY-MM-DD); "
                   "default: the first day of this month (UTC)");
  config.ParseOrExit(argc, argv);

  if (format != "csv" && format != "jsonl") {
    std::cerr << "jalin-datagen: --format: csv or jsonl\n";
    return 2;
  }
  auto table =
      regions::RegionTable::Load(regions::DefaultRegionsPath(data_dir));
  if (!table.ok()) {
    std::cerr << "jalin-datagen: " << table.status().message() << "\n";
    return 2;
  }
  auto taxonomy = Taxonomy::Load(data_dir + "/taxonomy");
  if (!taxonomy.ok()) {
    std::cerr << "jalin-datagen: " << taxonomy.status().message() << "\n";
    return 2;
  }
  GeneratorOptions options;
  options.seed = static_cast<uint64_t>(seed);
  options.scale = scale;
  options.version = version;
  if (as_of.empty()) {
    options.as_of = DefaultAsOf(absl::Now());
  } else if (!absl::ParseCivilTime(as_of, &options.as_of)) {
    std::cerr << "jalin-datagen: --as_of: not a date (YYYY-MM-DD)\n";
    return 2;
  }
  auto selected = SelectRegions(*table, provinces, regions);
  if (!selected.ok()) {
    std::cerr << "jalin-datagen: " << selected.status().message() << "\n";
    return 2;
  }
  options.regions = *selected;
  auto sink = FileSink::Open(
      out, format == "jsonl" ? ctl::FileFormat::kJsonl : ctl::FileFormat::kCsv);
  if (!sink.ok()) {
    std::cerr << "jalin-datagen: " << sink.status().message() << "\n";
    return 1;
  }
  const absl::Time start = absl::Now();
  Generator generator(&*taxonomy, &*table, options);
  GeneratorCounts counts;
  absl::Status s = generator.Run(sink->get(), &counts);
  if (s.ok()) s = (*sink)->Close();
  if (!s.ok()) {
    std::cerr << "jalin-datagen: " << s.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << counts.clusters << " clusters, " << counts.partners
            << " partners, " << counts.enterprises << " enterprises and "
            << counts.listings << " listings for " << options.regions.size()
            << " kabupaten/kota to " << out << " in "
            << absl::FormatDuration(
                   absl::Trunc(absl::Now() - start, absl::Milliseconds(1)))
            << "\n";
  return 0;
}

}  // namespace
}  // namespace jalin::datagen

int main(int argc, char** argv) { return jalin::datagen::Main(argc, argv); }
