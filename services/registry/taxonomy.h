// The category tree and its supply-chain links, held in memory for
// validation ("does this category exist"), descendant filters and search.
// The store is the source of truth; the registry loads the taxonomy from it
// at start-up and adds to it after each committed CreateCategory or
// CreateSupplyLink.

#ifndef SERVICES_REGISTRY_TAXONOMY_H_
#define SERVICES_REGISTRY_TAXONOMY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "jalin/registry/v1/category.pb.h"

namespace jalin::registry {

// One immutable version of the taxonomy. Thread-compatible: built by one
// thread, then shared read-only.
class TaxonomyData {
 public:
  // By id ("jamu") or resource name ("categories/jamu"); null if unknown.
  const jalin::registry::v1::Category* Find(absl::string_view id_or_name) const;
  // The id of the root above `id` (itself for a root); empty if unknown.
  std::string Root(absl::string_view id_or_name) const;
  // `id` and every category below it, as ids; empty if unknown.
  std::vector<std::string> SelfAndDescendants(
      absl::string_view id_or_name) const;
  bool HasLink(absl::string_view input_name,
               absl::string_view output_name) const;

  // Categories by id, and links by id: both sorted, for keyset pages.
  const std::map<std::string, jalin::registry::v1::Category>& categories()
      const {
    return categories_;
  }
  const std::map<std::string, jalin::registry::v1::SupplyLink>& links() const {
    return links_;
  }

  // Adds a category whose parent (if any) is present; sets its depth.
  // FAILED_PRECONDITION for an unknown parent or a duplicate id.
  absl::Status AddCategory(jalin::registry::v1::Category category);
  void AddLink(jalin::registry::v1::SupplyLink link);

 private:
  std::map<std::string, jalin::registry::v1::Category> categories_;
  absl::flat_hash_map<std::string, std::vector<std::string>> children_;
  std::map<std::string, jalin::registry::v1::SupplyLink> links_;
  absl::flat_hash_set<std::string> link_pairs_;
};

// The current version, swapped copy-on-write. Thread-safe.
class Taxonomy {
 public:
  Taxonomy() : data_(std::make_shared<const TaxonomyData>()) {}

  std::shared_ptr<const TaxonomyData> Get() const;
  void Set(std::shared_ptr<const TaxonomyData> data);
  // Copy, add, swap. Errors as TaxonomyData::AddCategory.
  absl::Status AddCategory(const jalin::registry::v1::Category& category);
  void AddLink(const jalin::registry::v1::SupplyLink& link);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const TaxonomyData> data_ ABSL_GUARDED_BY(mu_);
};

// The categories reordered so that every parent comes before its
// children. FAILED_PRECONDITION naming a category whose parent is missing
// (or that sits on a cycle).
absl::StatusOr<std::vector<jalin::registry::v1::Category>> ParentsFirst(
    std::vector<jalin::registry::v1::Category> categories);

// "jamu" from "categories/jamu" or "jamu".
std::string CategoryId(absl::string_view id_or_name);

// Lower-case, with the accents of Latin letters removed, for matching
// labels: "Kafé" -> "kafe".
std::string FoldForSearch(absl::string_view text);

// Categories whose labels (either language) contain every word of
// `query`, best first: a label equal to the query, then labels where every
// word starts a word, then the rest; ties by the length of the matching
// label (shorter first), depth, then id. At most `limit`.
std::vector<const jalin::registry::v1::Category*> SearchCategories(
    const TaxonomyData& taxonomy, absl::string_view query, size_t limit);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_TAXONOMY_H_
