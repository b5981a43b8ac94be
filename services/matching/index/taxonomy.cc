#include "services/matching/index/taxonomy.h"

#include <algorithm>
#include <cmath>

namespace jalin::matching {
namespace {

// Parent chains longer than this are treated as cycles in bad data.
constexpr int kMaxDepth = 32;

// Relation preference when two relations are equally close: the simpler
// explanation wins.
int Rank(Relation r) { return static_cast<int>(r); }

bool Better(const Related& a, const Related& b) {
  if (a.closeness != b.closeness) return a.closeness > b.closeness;
  if (a.relation != b.relation) return Rank(a.relation) < Rank(b.relation);
  if (a.levels != b.levels) return a.levels < b.levels;
  return a.link < b.link;
}

uint64_t PairKey(CategoryId offer, CategoryId need) {
  return (static_cast<uint64_t>(offer) << 32) | need;
}

}  // namespace

const std::vector<Related> Taxonomy::kNone;

double TreeCloseness(int levels) {
  if (levels == 0) return 1.0;
  return std::max(0.5, 0.95 - 0.15 * levels);
}

double LinkCloseness(double strength, int levels) {
  return 0.7 * strength * std::pow(0.9, levels);
}

CategoryId Taxonomy::Intern(absl::string_view name) {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  const CategoryId id = static_cast<CategoryId>(nodes_.size());
  CategoryNode node;
  node.name = std::string(name);
  nodes_.push_back(std::move(node));
  dirty_ = true;
  by_name_.emplace(std::string(name), id);
  return id;
}

CategoryId Taxonomy::Find(absl::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? kNoCategory : it->second;
}

void Taxonomy::Upsert(const registry::v1::Category& category) {
  const CategoryId id = Intern(category.name());
  const CategoryId parent =
      category.parent().empty() || category.parent() == category.name()
          ? kNoCategory
          : Intern(category.parent());
  CategoryNode& node = nodes_[id];
  node.parent = parent;
  node.label_id = category.label_id();
  node.label_en = category.label_en();
  node.known = true;
  dirty_ = true;
}

void Taxonomy::AddLink(const registry::v1::SupplyLink& link) {
  SupplyLinkInfo info;
  info.name = link.name();
  info.input = Intern(link.input());
  info.output = Intern(link.output());
  info.strength = std::clamp(link.strength(), 0.0, 1.0);
  info.description_id = link.description_id();
  info.description_en = link.description_en();
  dirty_ = true;
  auto it = link_by_name_.find(link.name());
  if (it != link_by_name_.end()) {
    links_[it->second] = std::move(info);
    return;
  }
  link_by_name_.emplace(link.name(), static_cast<uint32_t>(links_.size()));
  links_.push_back(std::move(info));
}

bool Taxonomy::InSubtree(CategoryId c, CategoryId root) const {
  for (int i = 0; c != kNoCategory && i <= kMaxDepth; ++i) {
    if (c == root) return true;
    c = nodes_[c].parent;
  }
  return false;
}

void Taxonomy::Subtree(CategoryId root,
                       std::vector<std::pair<CategoryId, int>>* out) const {
  std::vector<std::pair<CategoryId, int>> stack = {{root, 0}};
  while (!stack.empty()) {
    auto [c, d] = stack.back();
    stack.pop_back();
    out->emplace_back(c, d);
    if (d >= kMaxDepth) continue;
    for (CategoryId child : nodes_[c].children) stack.emplace_back(child, d + 1);
  }
}

void Taxonomy::Finalize() {
  dirty_ = false;
  const size_t n = nodes_.size();
  for (CategoryNode& node : nodes_) node.children.clear();
  // Depths; a parent chain that loops is cut at the node that closes it.
  for (CategoryId c = 0; c < n; ++c) {
    int depth = 0;
    CategoryId p = nodes_[c].parent;
    while (p != kNoCategory && depth <= kMaxDepth) {
      if (p == c) {
        nodes_[c].parent = kNoCategory;
        depth = 0;
        break;
      }
      ++depth;
      p = nodes_[p].parent;
    }
    nodes_[c].depth = std::min(depth, kMaxDepth);
  }
  for (CategoryId c = 0; c < n; ++c) {
    if (nodes_[c].parent != kNoCategory) {
      nodes_[nodes_[c].parent].children.push_back(c);
    }
  }

  offers_for_.assign(n, {});
  needs_for_.assign(n, {});
  pairs_.clear();
  absl::flat_hash_map<CategoryId, Related> best;
  std::vector<std::pair<CategoryId, int>> below;
  auto offer = [&best](const Related& r) {
    auto [it, added] = best.emplace(r.category, r);
    if (!added && Better(r, it->second)) it->second = r;
  };
  for (CategoryId need = 0; need < n; ++need) {
    best.clear();
    offer({need, Relation::kSame, 0, kNoLink, 1.0});
    int levels = 1;
    for (CategoryId p = nodes_[need].parent; p != kNoCategory && levels <= kMaxDepth;
         p = nodes_[p].parent, ++levels) {
      offer({p, Relation::kBroader, static_cast<uint8_t>(levels), kNoLink,
             TreeCloseness(levels)});
    }
    below.clear();
    Subtree(need, &below);
    for (auto [c, d] : below) {
      if (d == 0) continue;
      offer({c, Relation::kNarrower, static_cast<uint8_t>(d), kNoLink,
             TreeCloseness(d)});
    }
    for (uint32_t l = 0; l < links_.size(); ++l) {
      const SupplyLinkInfo& link = links_[l];
      if (link.strength <= 0 || !InSubtree(need, link.output)) continue;
      const int need_levels = nodes_[need].depth - nodes_[link.output].depth;
      below.clear();
      Subtree(link.input, &below);
      for (auto [c, d] : below) {
        const int lv = std::max(0, need_levels) + d;
        offer({c, Relation::kSupplyLink, static_cast<uint8_t>(std::min(lv, 255)),
               l, LinkCloseness(link.strength, lv)});
      }
    }
    std::vector<Related>& list = offers_for_[need];
    list.reserve(best.size());
    for (const auto& [c, r] : best) list.push_back(r);
    std::sort(list.begin(), list.end(), [](const Related& a, const Related& b) {
      if (a.closeness != b.closeness) return a.closeness > b.closeness;
      return a.category < b.category;
    });
    for (uint32_t i = 0; i < list.size(); ++i) {
      pairs_[PairKey(list[i].category, need)] = i;
      Related inverse = list[i];
      inverse.category = need;
      needs_for_[list[i].category].push_back(inverse);
    }
  }
  for (std::vector<Related>& list : needs_for_) {
    std::sort(list.begin(), list.end(), [](const Related& a, const Related& b) {
      if (a.closeness != b.closeness) return a.closeness > b.closeness;
      return a.category < b.category;
    });
  }
}

const Related* Taxonomy::Relate(CategoryId offer, CategoryId need) const {
  auto it = pairs_.find(PairKey(offer, need));
  if (it == pairs_.end()) return nullptr;
  return &offers_for_[need][it->second];
}

absl::string_view Taxonomy::Label(CategoryId c, bool indonesian) const {
  const CategoryNode& node = nodes_[c];
  const std::string& label = indonesian ? node.label_id : node.label_en;
  if (!label.empty()) return label;
  const std::string& other = indonesian ? node.label_en : node.label_id;
  if (!other.empty()) return other;
  absl::string_view name = node.name;
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

size_t Taxonomy::MemoryBytes() const {
  size_t bytes = nodes_.capacity() * sizeof(CategoryNode) +
                 links_.capacity() * sizeof(SupplyLinkInfo) +
                 pairs_.capacity() * (sizeof(uint64_t) + sizeof(uint32_t) + 1);
  for (const CategoryNode& node : nodes_) {
    bytes += node.name.capacity() + node.label_id.capacity() +
             node.label_en.capacity() +
             node.children.capacity() * sizeof(CategoryId);
  }
  for (const auto& l : offers_for_) bytes += l.capacity() * sizeof(Related);
  for (const auto& l : needs_for_) bytes += l.capacity() * sizeof(Related);
  bytes += (offers_for_.capacity() + needs_for_.capacity()) *
           sizeof(std::vector<Related>);
  return bytes;
}

}  // namespace jalin::matching
