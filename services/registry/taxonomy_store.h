// Categories and supply links in the store, and the seeding of the taxonomy
// that ships with jalin.

#ifndef SERVICES_REGISTRY_TAXONOMY_STORE_H_
#define SERVICES_REGISTRY_TAXONOMY_STORE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/registry/v1/category.pb.h"
#include "services/registry/taxonomy.h"
#include "services/registry/taxonomy_files.h"
#include "services/registry/write_scope.h"

namespace jalin::registry {

// Inserts a category (its parent must be stored; its depth follows from
// the parent's) / a supply link (its pair must be new: ALREADY_EXISTS
// otherwise), and emits category.created / supply_link.created.
absl::Status InsertCategory(WriteScope& scope,
                            jalin::registry::v1::Category* category);
absl::Status InsertSupplyLink(WriteScope& scope,
                              const jalin::registry::v1::SupplyLink& link);

// True when a category with this id is stored.
absl::StatusOr<bool> CategoryExists(storage::Transaction& tx,
                                    absl::string_view id);
absl::StatusOr<bool> SupplyLinkExists(storage::Transaction& tx,
                                      absl::string_view input_name,
                                      absl::string_view output_name);

// Stores every shipped category and link not stored yet (a category the
// store already has, shipped or created through the API, is kept as it
// is), in one transaction, announcing each. Returns how many were added.
absl::StatusOr<int> SeedTaxonomy(storage::Database& db, const WriteDeps& deps,
                                 const TaxonomyFiles& files, absl::Time now);

// The stored taxonomy.
absl::StatusOr<std::shared_ptr<const TaxonomyData>> LoadTaxonomy(
    storage::Database& db);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_TAXONOMY_STORE_H_
