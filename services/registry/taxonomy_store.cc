#include "services/registry/taxonomy_store.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/ids.h"
#include "common/status/status_macros.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::registry {

namespace v1 = jalin::registry::v1;
using storage::Param;

absl::StatusOr<bool> CategoryExists(storage::Transaction& tx,
                                    absl::string_view id) {
  ASSIGN_OR_RETURN(int64_t n,
                   storage::QueryInt(tx,
                                     "SELECT COUNT(*) FROM categories "
                                     "WHERE id = ?",
                                     {Param(id)}));
  return n > 0;
}

absl::StatusOr<bool> SupplyLinkExists(storage::Transaction& tx,
                                      absl::string_view input_name,
                                      absl::string_view output_name) {
  const std::string input = CategoryId(input_name);
  const std::string output = CategoryId(output_name);
  ASSIGN_OR_RETURN(int64_t n,
                   storage::QueryInt(tx,
                                     "SELECT COUNT(*) FROM supply_links "
                                     "WHERE input = ? AND output = ?",
                                     {Param(input), Param(output)}));
  return n > 0;
}

absl::Status InsertCategory(WriteScope& scope, v1::Category* category) {
  v1::Category& c = *category;
  const std::string id = CategoryId(c.name());
  const std::string parent = CategoryId(c.parent());
  // The root and depth follow from the parent's.
  std::string root = id;
  c.set_depth(0);
  if (!parent.empty()) {
    RETURN_IF_ERROR(scope.tx().Query(
        "SELECT root, data FROM categories WHERE id = ?", {Param(parent)},
        [&](const storage::Row& row) -> absl::Status {
          root = std::string(row.Text(0));
          v1::Category p;
          if (!p.ParseFromString(std::string(row.Blob(1)))) {
            return absl::DataLossError("unreadable category");
          }
          c.set_depth(p.depth() + 1);
          return absl::OkStatus();
        }));
  }
  const std::string data = c.SerializeAsString();
  RETURN_IF_ERROR(
      scope.tx().Exec("INSERT INTO categories (id, parent, root, kind, data) "
                      "VALUES (?, ?, ?, ?, ?)",
                      {Param(id), parent.empty() ? Param() : Param(parent),
                       Param(root), Param(c.kind()), Param::Blob(data)}));
  jalin::events::v1::CategoryEvent event;
  *event.mutable_category() = c;
  return scope.Emit("category.created", c.name(), event, {}, {});
}

absl::Status InsertSupplyLink(WriteScope& scope, const v1::SupplyLink& l) {
  const std::string id(absl::StripPrefix(l.name(), "supplyLinks/"));
  const std::string input = CategoryId(l.input());
  const std::string output = CategoryId(l.output());
  const std::string data = l.SerializeAsString();
  RETURN_IF_ERROR(scope.tx().Exec(
      "INSERT INTO supply_links (id, input, output, data) VALUES (?, ?, ?, ?)",
      {Param(id), Param(input), Param(output), Param::Blob(data)}));
  jalin::events::v1::SupplyLinkEvent event;
  *event.mutable_supply_link() = l;
  return scope.Emit("supply_link.created", l.name(), event, {}, {});
}

absl::StatusOr<int> SeedTaxonomy(storage::Database& db, const WriteDeps& deps,
                                 const TaxonomyFiles& files, absl::Time now) {
  int added = 0;
  RETURN_IF_ERROR(db.Write([&](storage::Transaction& tx) -> absl::Status {
    added = 0;
    WriteScope scope(tx, deps, std::make_shared<const TaxonomyData>(), now,
                     "system", "");
    for (const v1::Category& c : files.categories) {
      ASSIGN_OR_RETURN(bool exists, CategoryExists(tx, CategoryId(c.name())));
      if (exists) continue;
      v1::Category stored = c;
      RETURN_IF_ERROR(InsertCategory(scope, &stored));
      ++added;
    }
    for (const v1::SupplyLink& l : files.links) {
      ASSIGN_OR_RETURN(bool exists,
                       SupplyLinkExists(tx, l.input(), l.output()));
      if (exists) continue;
      v1::SupplyLink named = l;
      named.set_name(absl::StrCat("supplyLinks/", NewUlid(now)));
      RETURN_IF_ERROR(InsertSupplyLink(scope, named));
      ++added;
    }
    return absl::OkStatus();
  }));
  return added;
}

absl::StatusOr<std::shared_ptr<const TaxonomyData>> LoadTaxonomy(
    storage::Database& db) {
  std::vector<v1::Category> categories;
  std::vector<v1::SupplyLink> links;
  RETURN_IF_ERROR(db.Read([&](storage::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Query("SELECT data FROM categories", {},
                             [&](const storage::Row& row) -> absl::Status {
                               if (!categories.emplace_back().ParseFromString(
                                       std::string(row.Blob(0)))) {
                                 return absl::DataLossError(
                                     "unreadable category");
                               }
                               return absl::OkStatus();
                             }));
    return tx.Query(
        "SELECT data FROM supply_links", {},
        [&](const storage::Row& row) -> absl::Status {
          if (!links.emplace_back().ParseFromString(std::string(row.Blob(0)))) {
            return absl::DataLossError("unreadable supply link");
          }
          return absl::OkStatus();
        });
  }));
  ASSIGN_OR_RETURN(std::vector<v1::Category> ordered,
                   ParentsFirst(std::move(categories)));
  auto data = std::make_shared<TaxonomyData>();
  for (v1::Category& c : ordered)
    RETURN_IF_ERROR(data->AddCategory(std::move(c)));
  for (v1::SupplyLink& l : links) data->AddLink(std::move(l));
  return std::shared_ptr<const TaxonomyData>(std::move(data));
}

}  // namespace jalin::registry
