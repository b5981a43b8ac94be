#include "services/registry/taxonomy.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace jalin::registry {

namespace v1 = jalin::registry::v1;

std::string CategoryId(absl::string_view id_or_name) {
  absl::ConsumePrefix(&id_or_name, "categories/");
  return std::string(id_or_name);
}

const v1::Category* TaxonomyData::Find(absl::string_view id_or_name) const {
  auto it = categories_.find(CategoryId(id_or_name));
  return it == categories_.end() ? nullptr : &it->second;
}

std::string TaxonomyData::Root(absl::string_view id_or_name) const {
  const v1::Category* c = Find(id_or_name);
  // Depth bounds the walk even if the data were inconsistent.
  for (int guard = 0; c != nullptr && !c->parent().empty() && guard < 64;
       ++guard) {
    const v1::Category* parent = Find(c->parent());
    if (parent == nullptr) break;
    c = parent;
  }
  return c == nullptr ? "" : CategoryId(c->name());
}

std::vector<std::string> TaxonomyData::SelfAndDescendants(
    absl::string_view id_or_name) const {
  std::vector<std::string> out;
  const std::string id = CategoryId(id_or_name);
  if (!categories_.contains(id)) return out;
  out.push_back(id);
  for (size_t i = 0; i < out.size(); ++i) {
    auto it = children_.find(out[i]);
    if (it == children_.end()) continue;
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool TaxonomyData::HasLink(absl::string_view input_name,
                           absl::string_view output_name) const {
  return link_pairs_.contains(
      absl::StrCat(CategoryId(input_name), ">", CategoryId(output_name)));
}

absl::Status TaxonomyData::AddCategory(v1::Category category) {
  const std::string id = CategoryId(category.name());
  if (categories_.contains(id)) {
    return absl::FailedPreconditionError(
        absl::StrCat("category ", id, " exists"));
  }
  int depth = 0;
  if (!category.parent().empty()) {
    const v1::Category* parent = Find(category.parent());
    if (parent == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "category ", id, ": unknown parent ", category.parent()));
    }
    depth = parent->depth() + 1;
    children_[CategoryId(category.parent())].push_back(id);
  }
  category.set_depth(depth);
  categories_.emplace(id, std::move(category));
  return absl::OkStatus();
}

void TaxonomyData::AddLink(v1::SupplyLink link) {
  link_pairs_.insert(
      absl::StrCat(CategoryId(link.input()), ">", CategoryId(link.output())));
  std::string id(absl::StripPrefix(link.name(), "supplyLinks/"));
  links_.emplace(std::move(id), std::move(link));
}

absl::StatusOr<std::vector<v1::Category>> ParentsFirst(
    std::vector<v1::Category> categories) {
  std::vector<v1::Category> out;
  absl::flat_hash_set<std::string> placed;
  while (!categories.empty()) {
    std::vector<v1::Category> waiting;
    for (v1::Category& c : categories) {
      if (c.parent().empty() || placed.contains(CategoryId(c.parent()))) {
        placed.insert(CategoryId(c.name()));
        out.push_back(std::move(c));
      } else {
        waiting.push_back(std::move(c));
      }
    }
    if (waiting.size() == categories.size()) {
      return absl::FailedPreconditionError(
          absl::StrCat(waiting.front().name(), " has an unknown parent ",
                       waiting.front().parent(), " (or sits on a cycle)"));
    }
    categories = std::move(waiting);
  }
  return out;
}

std::shared_ptr<const TaxonomyData> Taxonomy::Get() const {
  absl::MutexLock lock(&mu_);
  return data_;
}

void Taxonomy::Set(std::shared_ptr<const TaxonomyData> data) {
  absl::MutexLock lock(&mu_);
  data_ = std::move(data);
}

absl::Status Taxonomy::AddCategory(const v1::Category& category) {
  absl::MutexLock lock(&mu_);
  auto next = std::make_shared<TaxonomyData>(*data_);
  absl::Status s = next->AddCategory(category);
  if (!s.ok()) return s;
  data_ = std::move(next);
  return absl::OkStatus();
}

void Taxonomy::AddLink(const v1::SupplyLink& link) {
  absl::MutexLock lock(&mu_);
  auto next = std::make_shared<TaxonomyData>(*data_);
  next->AddLink(link);
  data_ = std::move(next);
}

namespace {

// Base letters of U+00C0..U+00FF (Latin-1 Supplement), lower-case; '\0'
// where the character is not a letter with a plain base.
constexpr char kLatin1Base[64 + 1] =
    "aaaaaaaceeeeiiii"    // C0-CF
    "dnooooo\0ouuuuyts"   // D0-DF (D7 is the multiplication sign)
    "aaaaaaaceeeeiiii"    // E0-EF
    "dnooooo\0ouuuuyty";  // F0-FF (F7 is the division sign)

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Every word of the folded text, in order.
std::vector<std::string> Words(absl::string_view folded) {
  std::vector<std::string> out;
  std::string word;
  for (char c : folded) {
    if (IsWordChar(c)) {
      word.push_back(c);
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

}  // namespace

std::string FoldForSearch(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
      continue;
    }
    // Two-byte sequences C3 80..BF encode U+00C0..U+00FF.
    if (c == 0xC3 && i + 1 < text.size()) {
      const unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xBF && kLatin1Base[next - 0x80] != '\0') {
        out.push_back(kLatin1Base[next - 0x80]);
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::vector<const v1::Category*> SearchCategories(const TaxonomyData& taxonomy,
                                                  absl::string_view query,
                                                  size_t limit) {
  const std::string folded_query = FoldForSearch(query);
  const std::vector<std::string> words = Words(folded_query);
  const std::string joined_query = absl::StrJoin(words, " ");
  struct Hit {
    int score;
    // Length of the best-matching label: shorter is closer.
    size_t length;
    const v1::Category* category;
  };
  std::vector<Hit> hits;
  if (words.empty()) return {};
  for (const auto& [id, category] : taxonomy.categories()) {
    int best = 0;
    size_t best_length = 0;
    for (const std::string* label :
         {&category.label_id(), &category.label_en()}) {
      const std::string folded = FoldForSearch(*label);
      bool all = true;
      for (const std::string& w : words) {
        if (!absl::StrContains(folded, w)) {
          all = false;
          break;
        }
      }
      if (!all) continue;
      const std::vector<std::string> label_words = Words(folded);
      int score = 1;
      if (absl::StrJoin(label_words, " ") == joined_query) {
        score = 3;
      } else {
        bool prefixes = true;
        for (const std::string& w : words) {
          bool starts = false;
          for (const std::string& lw : label_words) {
            if (absl::StartsWith(lw, w)) {
              starts = true;
              break;
            }
          }
          prefixes = prefixes && starts;
        }
        if (prefixes) score = 2;
      }
      if (score > best || (score == best && label->size() < best_length)) {
        best = score;
        best_length = label->size();
      }
    }
    if (best > 0) hits.push_back({best, best_length, &category});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.length != b.length) return a.length < b.length;
    if (a.category->depth() != b.category->depth()) {
      return a.category->depth() < b.category->depth();
    }
    return a.category->name() < b.category->name();
  });
  std::vector<const v1::Category*> out;
  for (size_t i = 0; i < hits.size() && i < limit; ++i) {
    out.push_back(hits[i].category);
  }
  return out;
}

}  // namespace jalin::registry
