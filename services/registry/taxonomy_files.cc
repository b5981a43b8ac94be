#include "services/registry/taxonomy_files.h"

#include <fstream>
#include <functional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_name.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {

namespace v1 = jalin::registry::v1;

namespace {

constexpr absl::string_view kCategoriesHeader =
    "id,parent,kind,label_id,label_en,kbli";
constexpr absl::string_view kLinksHeader =
    "input,output,strength,description_id,description_en";

// Calls `row` with the fields of every data line of `path`; stops at the
// first error, which `row` returns as a message.
absl::Status ReadCsv(
    const std::string& path, absl::string_view header, size_t columns,
    const std::function<std::string(const std::vector<std::string>&)>& row) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": ", why));
    };
    if (line_no == 1) {
      if (line != header) return bad(absl::StrCat("header must be ", header));
      continue;
    }
    if (line.empty()) continue;
    if (line.find('"') != std::string::npos) return bad("quotes are not used");
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (fields.size() != columns) {
      return bad(
          absl::StrCat("expected ", columns, " columns, got ", fields.size()));
    }
    for (std::string& f : fields)
      f = std::string(absl::StripAsciiWhitespace(f));
    if (std::string why = row(fields); !why.empty()) return bad(why);
  }
  return absl::OkStatus();
}

bool ParseKind(absl::string_view text, v1::CategoryKind* kind) {
  return v1::CategoryKind_Parse(std::string(text), kind) &&
         *kind != v1::CATEGORY_KIND_UNSPECIFIED;
}

bool IsKbli(absl::string_view code) {
  if (code.size() != 5) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string TaxonomyDir(const std::string& data_dir) {
  return absl::StrCat(data_dir.empty() ? "data" : data_dir, "/taxonomy");
}

absl::StatusOr<TaxonomyFiles> LoadTaxonomyFiles(const std::string& dir) {
  const std::string categories_path = dir + "/categories.csv";
  std::vector<v1::Category> rows;
  absl::flat_hash_set<std::string> ids;
  absl::Status s =
      ReadCsv(categories_path, kCategoriesHeader, 6,
              [&](const std::vector<std::string>& f) -> std::string {
                if (!api::IsValidId(f[0])) return "id must be kebab-case";
                if (!ids.insert(f[0]).second) return "duplicate id " + f[0];
                v1::Category c;
                c.set_name("categories/" + f[0]);
                if (!f[1].empty()) c.set_parent("categories/" + f[1]);
                v1::CategoryKind kind;
                if (!ParseKind(f[2], &kind)) return "unknown kind " + f[2];
                c.set_kind(kind);
                if (f[3].empty() || f[4].empty())
                  return "labels must not be empty";
                c.set_label_id(f[3]);
                c.set_label_en(f[4]);
                for (absl::string_view code :
                     absl::StrSplit(f[5], ' ', absl::SkipEmpty())) {
                  if (!IsKbli(code)) return absl::StrCat("KBLI code ", code);
                  c.add_kbli_codes(std::string(code));
                }
                rows.push_back(std::move(c));
                return "";
              });
  if (!s.ok()) return s;

  TaxonomyFiles files;
  absl::StatusOr<std::vector<v1::Category>> ordered =
      ParentsFirst(std::move(rows));
  if (!ordered.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(categories_path, ": ", ordered.status().message()));
  }
  files.categories = *std::move(ordered);

  absl::flat_hash_set<std::string> pairs;
  s = ReadCsv(dir + "/supply_links.csv", kLinksHeader, 5,
              [&](const std::vector<std::string>& f) -> std::string {
                if (!ids.contains(f[0])) return "unknown input " + f[0];
                if (!ids.contains(f[1])) return "unknown output " + f[1];
                if (f[0] == f[1]) return "input and output are the same";
                if (!pairs.insert(f[0] + ">" + f[1]).second) {
                  return "duplicate link";
                }
                double strength = 0;
                if (!absl::SimpleAtod(f[2], &strength) || !(strength > 0) ||
                    strength > 1) {
                  return "strength must be in (0, 1]";
                }
                if (f[3].empty() || f[4].empty()) {
                  return "descriptions must not be empty";
                }
                v1::SupplyLink l;
                l.set_input("categories/" + f[0]);
                l.set_output("categories/" + f[1]);
                l.set_strength(strength);
                l.set_description_id(f[3]);
                l.set_description_en(f[4]);
                files.links.push_back(std::move(l));
                return "";
              });
  if (!s.ok()) return s;
  return files;
}

}  // namespace jalin::registry
