// The taxonomy that ships with jalin: data/taxonomy/categories.csv and
// data/taxonomy/supply_links.csv (see services/registry/README.md for the
// format). Fields are separated by commas and never contain commas or
// quotes, so that any CSV reader can load them.

#ifndef SERVICES_REGISTRY_TAXONOMY_FILES_H_
#define SERVICES_REGISTRY_TAXONOMY_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jalin/registry/v1/category.pb.h"

namespace jalin::registry {

struct TaxonomyFiles {
  // Parents before their children.
  std::vector<jalin::registry::v1::Category> categories;
  // Without names: ids are given when they are stored.
  std::vector<jalin::registry::v1::SupplyLink> links;
};

// Reads and checks both files in `dir`. INVALID_ARGUMENT naming the file
// and line of the first problem: wrong header or column count, an id that
// is not kebab-case, a duplicate, an unknown parent or kind, an empty
// label, a KBLI code that is not 5 digits, a link between unknown
// categories, a strength outside (0, 1], a duplicate link. NOT_FOUND when
// a file is missing.
absl::StatusOr<TaxonomyFiles> LoadTaxonomyFiles(const std::string& dir);

// "<data_dir>/taxonomy".
std::string TaxonomyDir(const std::string& data_dir);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_TAXONOMY_FILES_H_
