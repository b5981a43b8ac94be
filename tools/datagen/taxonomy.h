// The category taxonomy the generator draws from: data/taxonomy/
// categories.csv (id,parent,kind,label_id,label_en,kbli) and
// supply_links.csv (input,output,strength,description_id,description_en),
// the same files the registry loads.

#ifndef TOOLS_DATAGEN_TAXONOMY_H_
#define TOOLS_DATAGEN_TAXONOMY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::datagen {

struct TaxonomyCategory {
  std::string id;
  // Empty for a root.
  std::string parent;
  // GOODS, SERVICE, KNOW_HOW or MARKET_ACCESS.
  std::string kind;
  std::string label_id;
  std::string label_en;
  // The root this category descends from (itself for a root).
  std::string root;
  std::vector<std::string> children;
};

struct TaxonomyLink {
  std::string input;
  std::string output;
  double strength = 0;
};

// Immutable after Load; thread-safe to read.
class Taxonomy {
 public:
  // Reads `<dir>/categories.csv` and `<dir>/supply_links.csv`. Fails naming
  // file and line on a malformed row, an unknown parent or a link to an
  // unknown category.
  static absl::StatusOr<Taxonomy> Load(const std::string& dir);

  // Null when unknown.
  const TaxonomyCategory* Find(absl::string_view id) const;
  // In file order.
  const std::vector<TaxonomyCategory>& categories() const {
    return categories_;
  }
  // Links whose output is `id` or one of its ancestors ("jahe" is an input
  // of "jamu", hence of "jamu-serbuk"), strongest first.
  std::vector<TaxonomyLink> InputsOf(absl::string_view id) const;
  // True when `id` is `ancestor` or below it.
  bool IsUnder(absl::string_view id, absl::string_view ancestor) const;
  // True when some link has `id` (or a descendant of it) as output.
  bool HasInputs(absl::string_view id) const;
  // True when some link has `id` as input.
  bool IsInput(absl::string_view id) const;
  const std::vector<TaxonomyLink>& links() const { return links_; }

 private:
  std::vector<TaxonomyCategory> categories_;
  absl::flat_hash_map<std::string, size_t> by_id_;
  std::vector<TaxonomyLink> links_;
};

}  // namespace jalin::datagen

#endif  // TOOLS_DATAGEN_TAXONOMY_H_
