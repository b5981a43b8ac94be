#include "services/registry/reference_api.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/ids.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/validation/validators.h"
#include "services/registry/list_query.h"
#include "services/registry/taxonomy_store.h"
#include "services/registry/validation.h"

namespace jalin::registry {
namespace {

constexpr size_t kMaxLabelChars = 100;
constexpr size_t kMaxLinkDescriptionChars = 500;

// One page of `items` (sorted by key) after the token's key, keeping those
// that `keep` accepts; fills the next token and returns the total.
template <typename Item, typename Key, typename Keep, typename Add>
absl::StatusOr<int32_t> PageInMemory(const std::vector<Item>& items, Key key_of,
                                     Keep keep,
                                     const google::protobuf::Message& request,
                                     int page_size,
                                     absl::string_view page_token, Add add,
                                     std::string* next_page_token) {
  const std::string fingerprint = QueryFingerprint(request);
  ASSIGN_OR_RETURN(std::string after,
                   api::DecodePageToken(page_token, fingerprint));
  int32_t total = 0;
  int added = 0;
  std::string last;
  next_page_token->clear();
  for (const Item& item : items) {
    if (!keep(item)) continue;
    ++total;
    const std::string key = key_of(item);
    if (!after.empty() && key <= after) continue;
    if (added == page_size) {
      *next_page_token = api::EncodePageToken(fingerprint, last);
      continue;
    }
    add(item);
    last = key;
    ++added;
  }
  return total;
}

v1::Region::Level LevelOf(regions::Level level) {
  switch (level) {
    case regions::Level::kProvince:
      return v1::Region::PROVINCE;
    case regions::Level::kRegency:
      return v1::Region::REGENCY;
    case regions::Level::kCity:
      return v1::Region::CITY;
  }
  return v1::Region::LEVEL_UNSPECIFIED;
}

bool IsKbli(absl::string_view code) {
  if (code.size() != 5) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

v1::Region RegionMessage(const regions::RegionInfo& info,
                         const regions::RegionTable& table) {
  v1::Region r;
  r.set_name(absl::StrCat("regions/", info.code));
  r.set_code(info.code);
  r.set_level(LevelOf(info.level));
  r.set_display_name(info.name);
  r.set_province(absl::StrCat("regions/", info.province_code));
  if (const regions::RegionInfo* p = table.Find(info.province_code)) {
    r.set_province_display_name(p->name);
  }
  r.mutable_center()->set_latitude(info.latitude);
  r.mutable_center()->set_longitude(info.longitude);
  return r;
}

absl::Status ReferenceApi::GetRegion(const v1::GetRegionRequest& req,
                                     v1::Region* out) const {
  if (!absl::StartsWith(req.name(), "regions/")) {
    return InvalidFieldError("name", "must be a region name (regions/33.13)");
  }
  const regions::RegionInfo* info = deps_->write.regions->Find(req.name());
  if (info == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(api::Abbreviate(req.name()), " not found"));
  }
  *out = RegionMessage(*info, *deps_->write.regions);
  return absl::OkStatus();
}

absl::Status ReferenceApi::ListRegions(const v1::ListRegionsRequest& req,
                                       v1::ListRegionsResponse* out) const {
  const regions::RegionTable& table = *deps_->write.regions;
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  std::string province;
  if (!req.province().empty()) {
    const regions::RegionInfo* p = table.Find(req.province());
    if (!absl::StartsWith(req.province(), "regions/") || p == nullptr ||
        p->level != regions::Level::kProvince) {
      v.Add("province", "must be a province (regions/33)");
    } else {
      province = p->code;
    }
  }
  if (!v1::Region::Level_IsValid(req.level())) {
    v.Add("level", "unknown value");
  }
  RETURN_IF_ERROR(v.ToStatus("invalid filter"));
  std::vector<const regions::RegionInfo*> sorted;
  for (const regions::RegionInfo& r : table.all()) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->code < b->code; });
  ASSIGN_OR_RETURN(
      int32_t total,
      PageInMemory(
          sorted, [](const regions::RegionInfo* r) { return r->code; },
          [&](const regions::RegionInfo* r) {
            return (province.empty() ||
                    (r->province_code == province &&
                     r->level != regions::Level::kProvince)) &&
                   (req.level() == v1::Region::LEVEL_UNSPECIFIED ||
                    LevelOf(r->level) == req.level());
          },
          req, size, req.page_token(),
          [&](const regions::RegionInfo* r) {
            *out->add_regions() = RegionMessage(*r, table);
          },
          out->mutable_next_page_token()));
  out->set_total_size(total);
  return absl::OkStatus();
}

absl::Status ReferenceApi::GetCategory(const v1::GetCategoryRequest& req,
                                       v1::Category* out) const {
  RETURN_IF_ERROR(api::ParseName(req.name(), "categories", "name").status());
  const auto taxonomy = deps_->taxonomy->Get();
  const v1::Category* c = taxonomy->Find(req.name());
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrCat(req.name(), " not found"));
  }
  *out = *c;
  return absl::OkStatus();
}

absl::Status ReferenceApi::ListCategories(
    const v1::ListCategoriesRequest& req,
    v1::ListCategoriesResponse* out) const {
  const auto taxonomy = deps_->taxonomy->Get();
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  if (!req.parent().empty())
    CheckCategoryName(v, "parent", req.parent(), *taxonomy);
  if (!v1::CategoryKind_IsValid(req.kind())) v.Add("kind", "unknown value");
  RETURN_IF_ERROR(v.ToStatus("invalid filter"));
  std::vector<const v1::Category*> all;
  for (const auto& [id, c] : taxonomy->categories()) all.push_back(&c);
  ASSIGN_OR_RETURN(
      int32_t total,
      PageInMemory(
          all, [](const v1::Category* c) { return c->name(); },
          [&](const v1::Category* c) {
            return (req.parent().empty() || c->parent() == req.parent()) &&
                   (req.kind() == v1::CATEGORY_KIND_UNSPECIFIED ||
                    c->kind() == req.kind());
          },
          req, size, req.page_token(),
          [&](const v1::Category* c) { *out->add_categories() = *c; },
          out->mutable_next_page_token()));
  out->set_total_size(total);
  return absl::OkStatus();
}

absl::Status ReferenceApi::SearchCategories(
    const v1::SearchCategoriesRequest& req,
    v1::SearchCategoriesResponse* out) const {
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v, "page_size", 20, 100);
  validation::CheckText(v, "query", req.query(), kMaxLabelChars, true);
  RETURN_IF_ERROR(v.ToStatus());
  const auto taxonomy = deps_->taxonomy->Get();
  for (const v1::Category* c :
       registry::SearchCategories(*taxonomy, req.query(), size)) {
    *out->add_categories() = *c;
  }
  return absl::OkStatus();
}

absl::Status ReferenceApi::CreateCategory(const auth::Principal& p,
                                          const v1::CreateCategoryRequest& req,
                                          v1::Category* out) const {
  const auto taxonomy = deps_->taxonomy->Get();
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  const std::string& id = req.category_id();
  if (id.empty()) {
    v.Add("category_id", "is required");
  } else if (!api::IsValidId(id)) {
    v.Add("category_id",
          "must be kebab-case: 1 to 63 lower-case letters, digits or hyphens");
  }
  const v1::Category& c = req.category();
  const std::string name = absl::StrCat("categories/", id);
  if (!c.name().empty() && c.name() != name) {
    v.Add("category.name", "must be empty or equal categories/{category_id}");
  }
  if (!c.parent().empty()) {
    CheckCategoryName(v, "category.parent", c.parent(), *taxonomy);
  }
  validation::CheckText(v, "category.label_id", c.label_id(), kMaxLabelChars,
                        true);
  validation::CheckText(v, "category.label_en", c.label_en(), kMaxLabelChars,
                        true);
  if (c.kind() == v1::CATEGORY_KIND_UNSPECIFIED) {
    v.Add("category.kind", "is required");
  } else if (!v1::CategoryKind_IsValid(c.kind())) {
    v.Add("category.kind", "unknown value");
  }
  if (CheckCount(v, "category.kbli_codes", c.kbli_codes_size(),
                 kMaxKbliCodes)) {
    absl::flat_hash_set<absl::string_view> seen;
    for (int i = 0; i < c.kbli_codes_size(); ++i) {
      const std::string field = absl::StrCat("category.kbli_codes[", i, "]");
      if (!IsKbli(c.kbli_codes(i))) {
        v.Add(field, "must be a 5-digit KBLI 2020 code");
      } else if (!seen.insert(c.kbli_codes(i)).second) {
        v.Add(field, "is listed twice");
      }
    }
  }
  RETURN_IF_ERROR(v.ToStatus("invalid category"));
  const absl::Time now = deps_->clock->Now();
  Taxonomy* holder = deps_->taxonomy;
  return deps_->request_log->RunOnce(
      *deps_->db, p.subject, "CreateCategory", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(bool exists, CategoryExists(tx, id));
        if (exists) {
          return absl::AlreadyExistsError(
              absl::StrCat(name, " already exists"));
        }
        v1::Category stored = c;
        stored.set_name(name);
        WriteScope scope(tx, deps_->write, taxonomy, now, p.subject,
                         req.request_id());
        RETURN_IF_ERROR(InsertCategory(scope, &stored));
        tx.OnCommit(
            [holder, stored] { holder->AddCategory(stored).IgnoreError(); });
        *out = stored;
        return absl::OkStatus();
      });
}

absl::Status ReferenceApi::ListSupplyLinks(
    const v1::ListSupplyLinksRequest& req,
    v1::ListSupplyLinksResponse* out) const {
  const auto taxonomy = deps_->taxonomy->Get();
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  if (!req.category().empty()) {
    CheckCategoryName(v, "category", req.category(), *taxonomy);
  }
  RETURN_IF_ERROR(v.ToStatus("invalid filter"));
  std::vector<const v1::SupplyLink*> all;
  for (const auto& [id, l] : taxonomy->links()) all.push_back(&l);
  return PageInMemory(
             all, [](const v1::SupplyLink* l) { return l->name(); },
             [&](const v1::SupplyLink* l) {
               return req.category().empty() || l->input() == req.category() ||
                      l->output() == req.category();
             },
             req, size, req.page_token(),
             [&](const v1::SupplyLink* l) { *out->add_supply_links() = *l; },
             out->mutable_next_page_token())
      .status();
}

absl::Status ReferenceApi::CreateSupplyLink(
    const auth::Principal& p, const v1::CreateSupplyLinkRequest& req,
    v1::SupplyLink* out) const {
  const auto taxonomy = deps_->taxonomy->Get();
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  const v1::SupplyLink& l = req.supply_link();
  CheckCategoryName(v, "supply_link.input", l.input(), *taxonomy);
  CheckCategoryName(v, "supply_link.output", l.output(), *taxonomy);
  if (!l.input().empty() && l.input() == l.output()) {
    v.Add("supply_link.output", "must differ from supply_link.input");
  }
  if (!std::isfinite(l.strength()) || l.strength() <= 0 || l.strength() > 1) {
    v.Add("supply_link.strength", "must be in (0, 1]");
  }
  validation::CheckText(v, "supply_link.description_id", l.description_id(),
                        kMaxLinkDescriptionChars, true);
  validation::CheckText(v, "supply_link.description_en", l.description_en(),
                        kMaxLinkDescriptionChars, true);
  RETURN_IF_ERROR(v.ToStatus("invalid supply link"));
  const absl::Time now = deps_->clock->Now();
  Taxonomy* holder = deps_->taxonomy;
  return deps_->request_log->RunOnce(
      *deps_->db, p.subject, "CreateSupplyLink", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(bool exists,
                         SupplyLinkExists(tx, l.input(), l.output()));
        if (exists) {
          return absl::AlreadyExistsError(
              absl::StrCat("a supply link from ", l.input(), " to ", l.output(),
                           " already exists"));
        }
        v1::SupplyLink stored = l;
        stored.set_name(absl::StrCat("supplyLinks/", NewUlid(now)));
        WriteScope scope(tx, deps_->write, taxonomy, now, p.subject,
                         req.request_id());
        RETURN_IF_ERROR(InsertSupplyLink(scope, stored));
        tx.OnCommit([holder, stored] { holder->AddLink(stored); });
        *out = stored;
        return absl::OkStatus();
      });
}

}  // namespace jalin::registry
