#include "tools/datagen/taxonomy.h"

#include <algorithm>
#include <fstream>
#include <functional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/csv/csv.h"

namespace jalin::datagen {
namespace {

// Calls `row` for every record after the header; stops at its first error.
absl::Status ReadCsv(
    const std::string& path, const std::vector<std::string>& columns,
    const std::function<absl::Status(const csv::Header&,
                                     const std::vector<std::string>&)>& row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  csv::Reader reader(&in);
  std::vector<std::string> fields;
  absl::StatusOr<bool> got = reader.Next(&fields);
  if (!got.ok()) return got.status();
  if (!*got) return absl::InvalidArgumentError(absl::StrCat(path, ": empty"));
  csv::Header header(fields);
  for (const std::string& c : columns) {
    if (header.Find(c) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no column \"", c, "\""));
    }
  }
  while (true) {
    got = reader.Next(&fields);
    if (!got.ok())
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", got.status().message()));
    if (!*got) return absl::OkStatus();
    absl::Status s = row(header, fields);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", reader.line(), ": ", s.message()));
    }
  }
}

}  // namespace

absl::StatusOr<Taxonomy> Taxonomy::Load(const std::string& dir) {
  Taxonomy t;
  absl::Status s = ReadCsv(
      dir + "/categories.csv", {"id", "parent", "kind", "label_id", "label_en"},
      [&](const csv::Header& h, const std::vector<std::string>& f) {
        TaxonomyCategory c;
        c.id = std::string(h.Get(f, "id"));
        c.parent = std::string(h.Get(f, "parent"));
        c.kind = std::string(h.Get(f, "kind"));
        c.label_id = std::string(h.Get(f, "label_id"));
        c.label_en = std::string(h.Get(f, "label_en"));
        if (c.id.empty()) return absl::InvalidArgumentError("empty id");
        if (t.by_id_.contains(c.id)) {
          return absl::InvalidArgumentError(
              absl::StrCat("category ", c.id, " appears twice"));
        }
        t.by_id_[c.id] = t.categories_.size();
        t.categories_.push_back(std::move(c));
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  for (size_t i = 0; i < t.categories_.size(); ++i) {
    TaxonomyCategory& c = t.categories_[i];
    if (c.parent.empty()) continue;
    auto it = t.by_id_.find(c.parent);
    if (it == t.by_id_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          dir, "/categories.csv: ", c.id, " has unknown parent ", c.parent));
    }
    t.categories_[it->second].children.push_back(c.id);
  }
  for (TaxonomyCategory& c : t.categories_) {
    const TaxonomyCategory* root = &c;
    for (int depth = 0; !root->parent.empty() && depth < 32; ++depth) {
      root = &t.categories_[t.by_id_[root->parent]];
    }
    c.root = root->id;
  }
  s = ReadCsv(
      dir + "/supply_links.csv", {"input", "output", "strength"},
      [&](const csv::Header& h, const std::vector<std::string>& f) {
        TaxonomyLink l;
        l.input = std::string(h.Get(f, "input"));
        l.output = std::string(h.Get(f, "output"));
        if (!absl::SimpleAtod(h.Get(f, "strength"), &l.strength)) {
          return absl::InvalidArgumentError("strength is not a number");
        }
        if (!t.by_id_.contains(l.input) || !t.by_id_.contains(l.output)) {
          return absl::InvalidArgumentError(
              absl::StrCat("link ", l.input, " -> ", l.output,
                           " names an unknown category"));
        }
        t.links_.push_back(std::move(l));
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  return t;
}

const TaxonomyCategory* Taxonomy::Find(absl::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &categories_[it->second];
}

bool Taxonomy::IsUnder(absl::string_view id, absl::string_view ancestor) const {
  const TaxonomyCategory* c = Find(id);
  for (int depth = 0; c != nullptr && depth < 32; ++depth) {
    if (c->id == ancestor) return true;
    c = c->parent.empty() ? nullptr : Find(c->parent);
  }
  return false;
}

std::vector<TaxonomyLink> Taxonomy::InputsOf(absl::string_view id) const {
  std::vector<TaxonomyLink> out;
  for (const TaxonomyLink& l : links_) {
    if (IsUnder(id, l.output)) out.push_back(l);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TaxonomyLink& a, const TaxonomyLink& b) {
                     return a.strength > b.strength;
                   });
  return out;
}

bool Taxonomy::HasInputs(absl::string_view id) const {
  for (const TaxonomyLink& l : links_) {
    if (IsUnder(l.output, id) || IsUnder(id, l.output)) return true;
  }
  return false;
}

bool Taxonomy::IsInput(absl::string_view id) const {
  for (const TaxonomyLink& l : links_) {
    if (l.input == id) return true;
  }
  return false;
}

}  // namespace jalin::datagen
