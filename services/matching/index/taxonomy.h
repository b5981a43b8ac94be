// The category taxonomy as matching sees it: categories with parent links
// and supply-chain links ("A is an input of B"), and, precomputed for every
// category, which categories a counterpart may have and how close they are.
//
// An offer in category O and a need in category N are related when
//   - O == N (closeness 1);
//   - O is an ancestor or a descendant of N, d levels apart
//     (closeness 0.8, 0.65, then 0.5 from three levels on);
//   - a supply link input -> output has O in the input's subtree and N in
//     the output's subtree: the supplier provides what the buyer's product
//     is made of (closeness 0.7 x strength x 0.9 per level below the link's
//     ends).
// The strongest relation counts. The relation is directed: a jamu maker's
// need for ginger is met by a ginger offer, never the other way round.

#ifndef SERVICES_MATCHING_INDEX_TAXONOMY_H_
#define SERVICES_MATCHING_INDEX_TAXONOMY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "jalin/registry/v1/category.pb.h"

namespace jalin::matching {

using CategoryId = uint32_t;
inline constexpr CategoryId kNoCategory = ~0u;
inline constexpr uint32_t kNoLink = ~0u;

enum class Relation : uint8_t {
  kSame,
  // The offer's category is an ancestor of the need's (a broader offer).
  kBroader,
  // The offer's category is a descendant of the need's (a narrower offer).
  kNarrower,
  // Through a supply-chain link.
  kSupplyLink,
};

// A category related to a given one, with how close it is.
struct Related {
  CategoryId category = kNoCategory;
  Relation relation = Relation::kSame;
  // Levels between the two categories (tree relations) or below the link's
  // ends (supply links).
  uint8_t levels = 0;
  // Index of the supply link, for kSupplyLink.
  uint32_t link = kNoLink;
  double closeness = 0;
};

struct CategoryNode {
  // "categories/jahe".
  std::string name;
  std::string label_id;
  std::string label_en;
  CategoryId parent = kNoCategory;
  // False for a category only referenced so far (by a listing or a link).
  bool known = false;
  int depth = 0;
  std::vector<CategoryId> children;
};

struct SupplyLinkInfo {
  // "supplyLinks/{id}".
  std::string name;
  CategoryId input = kNoCategory;
  CategoryId output = kNoCategory;
  double strength = 0;
  std::string description_id;
  std::string description_en;
};

// Not thread-safe; owned by one MatchIndex. Call Finalize() after changes
// and before the relation tables are read.
class Taxonomy {
 public:
  Taxonomy() = default;

  // The id of `name`, adding a placeholder node when unknown.
  CategoryId Intern(absl::string_view name);
  CategoryId Find(absl::string_view name) const;
  void Upsert(const registry::v1::Category& category);
  void AddLink(const registry::v1::SupplyLink& link);

  // Recomputes depths, children and the relation tables.
  void Finalize();
  void FinalizeIfDirty() {
    if (dirty_) Finalize();
  }
  bool dirty() const { return dirty_; }

  // Offer categories that meet a need in `need`, closest first.
  const std::vector<Related>& OffersFor(CategoryId need) const {
    return need < offers_for_.size() ? offers_for_[need] : kNone;
  }
  // Need categories that an offer in `offer` meets, closest first.
  const std::vector<Related>& NeedsFor(CategoryId offer) const {
    return offer < needs_for_.size() ? needs_for_[offer] : kNone;
  }
  // How an offer in `offer` relates to a need in `need`; null when they do
  // not.
  const Related* Relate(CategoryId offer, CategoryId need) const;

  // The category that stands for `c` when grouping similar categories: its
  // parent, or itself for a root.
  CategoryId Group(CategoryId c) const {
    return nodes_[c].parent == kNoCategory ? c : nodes_[c].parent;
  }
  // True when `c` is `root` or below it.
  bool InSubtree(CategoryId c, CategoryId root) const;

  const CategoryNode& node(CategoryId c) const { return nodes_[c]; }
  const std::vector<SupplyLinkInfo>& links() const { return links_; }
  size_t size() const { return nodes_.size(); }
  // The label in Bahasa Indonesia or English, falling back to the id.
  absl::string_view Label(CategoryId c, bool indonesian) const;

  size_t MemoryBytes() const;

 private:
  // Appends `root` and its descendants with their depth below `root`.
  void Subtree(CategoryId root,
               std::vector<std::pair<CategoryId, int>>* out) const;

  static const std::vector<Related> kNone;

  bool dirty_ = true;
  std::vector<CategoryNode> nodes_;
  absl::flat_hash_map<std::string, CategoryId> by_name_;
  std::vector<SupplyLinkInfo> links_;
  absl::flat_hash_map<std::string, uint32_t> link_by_name_;
  std::vector<std::vector<Related>> offers_for_;
  std::vector<std::vector<Related>> needs_for_;
  // (offer << 32 | need) -> index into offers_for_[need].
  absl::flat_hash_map<uint64_t, uint32_t> pairs_;
};

// The closeness of a tree relation `levels` apart (0 = same category).
double TreeCloseness(int levels);
// The closeness of a supply link of `strength`, `levels` below its ends.
double LinkCloseness(double strength, int levels);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_INDEX_TAXONOMY_H_
