#include "tools/jalinctl/import/record_columns.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

using registry::v1::Cluster;
using registry::v1::Enterprise;
using registry::v1::ImportRecord;
using registry::v1::Listing;
using registry::v1::Partner;
using type::v1::Contact;
using type::v1::Location;

using Parse =
    std::function<void(absl::string_view, ImportRecord*, FieldViolations*)>;
using Format = std::function<std::string(const ImportRecord&)>;

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

Column Col(std::string name, std::string help, Parse parse, Format format,
           bool required = false) {
  Column c;
  c.name = std::move(name);
  c.help = std::move(help);
  c.required = required;
  c.parse = std::move(parse);
  c.format = std::move(format);
  return c;
}

// A string field; `in` and `out` convert between cell and stored text.
Column Text(std::string name, std::string help,
            std::function<std::string*(ImportRecord*)> field,
            std::function<const std::string&(const ImportRecord&)> get,
            std::function<std::string(absl::string_view)> in = nullptr,
            std::function<std::string(absl::string_view)> out = nullptr,
            bool required = false) {
  return Col(
      std::move(name), std::move(help),
      [field, in](absl::string_view text, ImportRecord* r, FieldViolations*) {
        *field(r) =
            in ? in(text) : std::string(absl::StripAsciiWhitespace(text));
      },
      [get, out](const ImportRecord& r) { return out ? out(get(r)) : get(r); },
      required);
}

Column Enum(std::string name, std::string help,
            const google::protobuf::EnumDescriptor* type,
            std::function<void(ImportRecord*, int)> set,
            std::function<int(const ImportRecord&)> get) {
  const std::string column = name;
  return Col(
      std::move(name), absl::StrCat(help, ": ", EnumChoices(type)),
      [column, type, set](absl::string_view text, ImportRecord* r,
                          FieldViolations* v) {
        std::optional<int> value = ParseEnum(type, text);
        if (!value) {
          v->Add(column, absl::StrCat("unknown value \"", text, "\"; one of ",
                                      EnumChoices(type)));
          return;
        }
        set(r, *value);
      },
      [type, get](const ImportRecord& r) {
        const int value = get(r);
        return value == 0 ? std::string() : FormatEnum(type, value);
      });
}

Column EnumList(std::string name, std::string help,
                const google::protobuf::EnumDescriptor* type,
                std::function<void(ImportRecord*, int)> add,
                std::function<std::vector<int>(const ImportRecord&)> get) {
  const std::string column = name;
  return Col(
      std::move(name),
      absl::StrCat(help, ", separated by ';': ", EnumChoices(type)),
      [column, type, add](absl::string_view text, ImportRecord* r,
                          FieldViolations* v) {
        for (const std::string& part : SplitList(text)) {
          std::optional<int> value = ParseEnum(type, part);
          if (!value) {
            v->Add(column, absl::StrCat("unknown value \"", part, "\"; one of ",
                                        EnumChoices(type)));
            continue;
          }
          add(r, *value);
        }
      },
      [type, get](const ImportRecord& r) {
        std::vector<std::string> names;
        for (int value : get(r)) names.push_back(FormatEnum(type, value));
        return absl::StrJoin(names, ";");
      });
}

Column TextList(
    std::string name, std::string help,
    std::function<void(ImportRecord*, std::string)> add,
    std::function<std::vector<std::string>(const ImportRecord&)> get,
    std::function<std::string(absl::string_view)> in,
    std::function<std::string(absl::string_view)> out) {
  return Col(
      std::move(name), absl::StrCat(help, ", separated by ';'"),
      [add, in](absl::string_view text, ImportRecord* r, FieldViolations*) {
        for (const std::string& part : SplitList(text)) add(r, in(part));
      },
      [get, out](const ImportRecord& r) {
        std::vector<std::string> parts;
        for (const std::string& s : get(r)) parts.push_back(out(s));
        return absl::StrJoin(parts, ";");
      });
}

Column Int(std::string name, std::string help,
           std::function<void(ImportRecord*, int64_t)> set,
           std::function<int64_t(const ImportRecord&)> get, int64_t min,
           int64_t max, bool required = false) {
  const std::string column = name;
  return Col(
      std::move(name), std::move(help),
      [column, set, min, max](absl::string_view text, ImportRecord* r,
                              FieldViolations* v) {
        int64_t value;
        if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &value)) {
          v->Add(column, absl::StrCat("\"", text, "\" is not a whole number"));
          return;
        }
        if (value < min || value > max) {
          v->Add(column, absl::StrCat("must be between ", min, " and ", max));
          return;
        }
        set(r, value);
      },
      [get](const ImportRecord& r) {
        const int64_t value = get(r);
        return value == 0 ? std::string() : absl::StrCat(value);
      },
      required);
}

// A double; `has` says whether the field is set (0 can be a real value).
Column Number(std::string name, std::string help,
              std::function<void(ImportRecord*, double)> set,
              std::function<std::optional<double>(const ImportRecord&)> get,
              double min, double max) {
  const std::string column = name;
  return Col(
      std::move(name), std::move(help),
      [column, set, min, max](absl::string_view text, ImportRecord* r,
                              FieldViolations* v) {
        double value;
        if (!absl::SimpleAtod(absl::StripAsciiWhitespace(text), &value)) {
          v->Add(column, absl::StrCat("\"", text, "\" is not a number"));
          return;
        }
        if (!(value >= min && value <= max)) {
          v->Add(column, absl::StrCat("must be between ", FormatNumber(min),
                                      " and ", FormatNumber(max)));
          return;
        }
        set(r, value);
      },
      [get](const ImportRecord& r) {
        std::optional<double> value = get(r);
        return value ? FormatNumber(*value) : std::string();
      });
}

std::vector<Column> IdentityColumns() {
  return {
      Text(
          "external_id",
          "the record's id in your system; re-importing the same id updates "
          "the record",
          [](ImportRecord* r) { return r->mutable_external_id(); },
          [](const ImportRecord& r) -> const std::string& {
            return r.external_id();
          },
          nullptr, nullptr, /*required=*/true),
      Int(
          "version",
          "a number that grows with every change in your system; a row "
          "whose version is not above the stored one changes nothing",
          [](ImportRecord* r, int64_t v) { r->set_version(v); },
          [](const ImportRecord& r) { return r.version(); }, 1, INT64_MAX,
          /*required=*/true),
  };
}

// Columns of a Location, reached through `loc`.
std::vector<Column> LocationColumns(
    std::function<Location*(ImportRecord*)> loc,
    std::function<const Location&(const ImportRecord&)> get) {
  return {
      Text(
          "region", "kabupaten/kota code: 33.13",
          [loc](ImportRecord* r) { return loc(r)->mutable_region(); },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).region();
          },
          RegionName, ShortRegion, /*required=*/true),
      Text(
          "district_code", "kecamatan code: 33.13.05",
          [loc](ImportRecord* r) { return loc(r)->mutable_district_code(); },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).district_code();
          }),
      Text(
          "village_code", "desa/kelurahan code: 33.13.05.2001",
          [loc](ImportRecord* r) { return loc(r)->mutable_village_code(); },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).village_code();
          }),
      Text(
          "address", "address line",
          [loc](ImportRecord* r) { return loc(r)->mutable_address(); },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).address();
          }),
      Number(
          "latitude", "decimal degrees, with longitude",
          [loc](ImportRecord* r, double v) {
            loc(r)->mutable_point()->set_latitude(v);
          },
          [get](const ImportRecord& r) -> std::optional<double> {
            if (!get(r).has_point()) return std::nullopt;
            return get(r).point().latitude();
          },
          -90, 90),
      Number(
          "longitude", "decimal degrees, with latitude",
          [loc](ImportRecord* r, double v) {
            loc(r)->mutable_point()->set_longitude(v);
          },
          [get](const ImportRecord& r) -> std::optional<double> {
            if (!get(r).has_point()) return std::nullopt;
            return get(r).point().longitude();
          },
          -180, 180),
  };
}

// Columns of one Contact, reached through `contact` (which creates it).
std::vector<Column> ContactColumns(
    absl::string_view prefix, std::function<Contact*(ImportRecord*)> contact,
    std::function<const Contact&(const ImportRecord&)> get) {
  return {
      Text(
          absl::StrCat(prefix, "_name"), "the contact person's name",
          [contact](ImportRecord* r) {
            return contact(r)->mutable_display_name();
          },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).display_name();
          }),
      Text(
          absl::StrCat(prefix, "_role"), "their role: Ketua klaster, Pemilik",
          [contact](ImportRecord* r) { return contact(r)->mutable_role(); },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).role();
          }),
      Text(
          absl::StrCat(prefix, "_phone"), "phone: 0812... or +62812...",
          [contact](ImportRecord* r) { return contact(r)->mutable_phone(); },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).phone();
          }),
      Text(
          absl::StrCat(prefix, "_email"), "e-mail address",
          [contact](ImportRecord* r) { return contact(r)->mutable_email(); },
          [get](const ImportRecord& r) -> const std::string& {
            return get(r).email();
          }),
  };
}

// The first of a repeated contacts field, created on demand.
template <typename Msg>
Contact* FirstContact(Msg* m) {
  if (m->contacts_size() == 0) m->add_contacts();
  return m->mutable_contacts(0);
}
template <typename Msg>
const Contact& FirstContactOf(const Msg& m) {
  return m.contacts_size() == 0 ? Contact::default_instance() : m.contacts(0);
}

// "KIND:number:expire-date" items.
Column Certifications(
    std::function<google::protobuf::RepeatedPtrField<type::v1::Certification>*(
        ImportRecord*)>
        field,
    std::function<const google::protobuf::RepeatedPtrField<
        type::v1::Certification>&(const ImportRecord&)>
        get) {
  const auto* kinds = type::v1::CertificationKind_descriptor();
  return Col(
      "certifications",
      absl::StrCat("certificates held, separated by ';', each "
                   "KIND:number:expiry-date:issue-date (all but the kind "
                   "optional): HALAL:ID33110000123:2027-05-01. Kinds: ",
                   EnumChoices(kinds)),
      [field, kinds](absl::string_view text, ImportRecord* r,
                     FieldViolations* v) {
        for (const std::string& item : SplitList(text)) {
          std::vector<std::string> parts = absl::StrSplit(item, ':');
          std::optional<int> kind = ParseEnum(kinds, parts[0]);
          if (!kind) {
            v->Add("certifications",
                   absl::StrCat("unknown certificate kind \"", parts[0],
                                "\"; one of ", EnumChoices(kinds)));
            continue;
          }
          if (parts.size() > 4) {
            v->Add("certifications",
                   absl::StrCat("\"", item,
                                "\" has more than "
                                "KIND:number:expiry-date:issue-date"));
            continue;
          }
          type::v1::Certification c;
          c.set_kind(static_cast<type::v1::CertificationKind>(*kind));
          if (parts.size() > 1) {
            c.set_number(std::string(absl::StripAsciiWhitespace(parts[1])));
          }
          bool dates_ok = true;
          for (size_t d = 2; d < parts.size(); ++d) {
            if (parts[d].empty()) continue;
            google::type::Date* date =
                d == 2 ? c.mutable_expire_date() : c.mutable_issue_date();
            if (!ParseDate(parts[d], date)) {
              v->Add("certifications",
                     absl::StrCat("\"", parts[d],
                                  "\" is not a date (YYYY-MM-DD)"));
              dates_ok = false;
            }
          }
          if (!dates_ok) continue;
          *field(r)->Add() = std::move(c);
        }
      },
      [get, kinds](const ImportRecord& r) {
        std::vector<std::string> items;
        for (const auto& c : get(r)) {
          std::string item = FormatEnum(kinds, c.kind());
          if (!c.number().empty() || c.has_expire_date() ||
              c.has_issue_date()) {
            absl::StrAppend(&item, ":", c.number());
          }
          if (c.has_expire_date() || c.has_issue_date()) {
            absl::StrAppend(
                &item, ":",
                c.has_expire_date() ? FormatDate(c.expire_date()) : "");
          }
          if (c.has_issue_date()) {
            absl::StrAppend(&item, ":", FormatDate(c.issue_date()));
          }
          items.push_back(std::move(item));
        }
        return absl::StrJoin(items, ";");
      });
}

std::vector<Column> ClusterColumns() {
  auto m = [](ImportRecord* r) { return r->mutable_cluster(); };
  auto g = [](const ImportRecord& r) -> const Cluster& { return r.cluster(); };
  std::vector<Column> c = IdentityColumns();
  c.push_back(Text(
      "display_name", "Klaster Jamu Nguter",
      [m](ImportRecord* r) { return m(r)->mutable_display_name(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).display_name();
      },
      nullptr, nullptr, /*required=*/true));
  for (Column& col : LocationColumns(
           [m](ImportRecord* r) { return m(r)->mutable_location(); },
           [g](const ImportRecord& r) -> const Location& {
             return g(r).location();
           })) {
    c.push_back(std::move(col));
  }
  c.push_back(Text(
      "sector", "sector category id: jamu",
      [m](ImportRecord* r) { return m(r)->mutable_sector(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).sector();
      },
      CategoryName, ShortCategory, /*required=*/true));
  c.push_back(EnumList(
      "roles", "places in the value chain",
      registry::v1::ValueChainRole_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->add_roles(static_cast<registry::v1::ValueChainRole>(v));
      },
      [g](const ImportRecord& r) {
        return std::vector<int>(g(r).roles().begin(), g(r).roles().end());
      }));
  c.push_back(Int(
      "member_count", "number of UMKM in the cluster",
      [m](ImportRecord* r, int64_t v) {
        m(r)->set_member_count(static_cast<int32_t>(v));
      },
      [g](const ImportRecord& r) { return g(r).member_count(); }, 0,
      INT32_MAX));
  for (Column& col : ContactColumns(
           "leader", [m](ImportRecord* r) { return m(r)->mutable_leader(); },
           [g](const ImportRecord& r) -> const Contact& {
             return g(r).leader();
           })) {
    c.push_back(std::move(col));
  }
  c.push_back(Text(
      "parent_cluster", "umbrella cluster: its external id",
      [m](ImportRecord* r) { return m(r)->mutable_parent_cluster(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).parent_cluster();
      },
      RecordRef, ShortRef));
  c.push_back(Text(
      "description", "free text",
      [m](ImportRecord* r) { return m(r)->mutable_description(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).description();
      }));
  return c;
}

std::vector<Column> EnterpriseColumns() {
  auto m = [](ImportRecord* r) { return r->mutable_enterprise(); };
  auto g = [](const ImportRecord& r) -> const Enterprise& {
    return r.enterprise();
  };
  std::vector<Column> c = IdentityColumns();
  c.push_back(Text(
      "display_name", "business name",
      [m](ImportRecord* r) { return m(r)->mutable_display_name(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).display_name();
      },
      nullptr, nullptr, /*required=*/true));
  c.push_back(Text(
      "nib", "Nomor Induk Berusaha, 13 digits",
      [m](ImportRecord* r) { return m(r)->mutable_nib(); },
      [g](const ImportRecord& r) -> const std::string& { return g(r).nib(); }));
  c.push_back(Enum(
      "scale", "business scale", registry::v1::Scale_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->set_scale(static_cast<registry::v1::Scale>(v));
      },
      [g](const ImportRecord& r) { return static_cast<int>(g(r).scale()); }));
  for (Column& col : LocationColumns(
           [m](ImportRecord* r) { return m(r)->mutable_location(); },
           [g](const ImportRecord& r) -> const Location& {
             return g(r).location();
           })) {
    c.push_back(std::move(col));
  }
  c.push_back(TextList(
      "clusters", "clusters it belongs to (external ids)",
      [m](ImportRecord* r, std::string s) { m(r)->add_clusters(std::move(s)); },
      [g](const ImportRecord& r) {
        return std::vector<std::string>(g(r).clusters().begin(),
                                        g(r).clusters().end());
      },
      RecordRef, ShortRef));
  c.push_back(TextList(
      "categories", "what it makes or does (category ids)",
      [m](ImportRecord* r, std::string s) {
        m(r)->add_categories(std::move(s));
      },
      [g](const ImportRecord& r) {
        return std::vector<std::string>(g(r).categories().begin(),
                                        g(r).categories().end());
      },
      CategoryName, ShortCategory));
  c.push_back(Certifications(
      [m](ImportRecord* r) { return m(r)->mutable_certifications(); },
      [g](const ImportRecord& r) -> const auto& {
        return g(r).certifications();
      }));
  c.push_back(Int(
      "employee_count", "number of workers",
      [m](ImportRecord* r, int64_t v) {
        m(r)->set_employee_count(static_cast<int32_t>(v));
      },
      [g](const ImportRecord& r) { return g(r).employee_count(); }, 0,
      INT32_MAX));
  for (Column& col : ContactColumns(
           "contact", [m](ImportRecord* r) { return FirstContact(m(r)); },
           [g](const ImportRecord& r) -> const Contact& {
             return FirstContactOf(g(r));
           })) {
    c.push_back(std::move(col));
  }
  return c;
}

std::vector<Column> PartnerColumns() {
  auto m = [](ImportRecord* r) { return r->mutable_partner(); };
  auto g = [](const ImportRecord& r) -> const Partner& { return r.partner(); };
  std::vector<Column> c = IdentityColumns();
  c.push_back(Text(
      "display_name", "the partner's name",
      [m](ImportRecord* r) { return m(r)->mutable_display_name(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).display_name();
      },
      nullptr, nullptr, /*required=*/true));
  c.push_back(Enum(
      "kind", "kind of partner", registry::v1::Partner::Kind_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->set_kind(static_cast<registry::v1::Partner::Kind>(v));
      },
      [g](const ImportRecord& r) { return static_cast<int>(g(r).kind()); }));
  for (Column& col : LocationColumns(
           [m](ImportRecord* r) { return m(r)->mutable_location(); },
           [g](const ImportRecord& r) -> const Location& {
             return g(r).location();
           })) {
    c.push_back(std::move(col));
  }
  c.push_back(TextList(
      "categories", "what it buys or invests in (category ids)",
      [m](ImportRecord* r, std::string s) {
        m(r)->add_categories(std::move(s));
      },
      [g](const ImportRecord& r) {
        return std::vector<std::string>(g(r).categories().begin(),
                                        g(r).categories().end());
      },
      CategoryName, ShortCategory));
  for (Column& col : ContactColumns(
           "contact", [m](ImportRecord* r) { return FirstContact(m(r)); },
           [g](const ImportRecord& r) -> const Contact& {
             return FirstContactOf(g(r));
           })) {
    c.push_back(std::move(col));
  }
  c.push_back(Text(
      "description", "free text",
      [m](ImportRecord* r) { return m(r)->mutable_description(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).description();
      }));
  return c;
}

std::vector<Column> ListingColumns() {
  auto m = [](ImportRecord* r) { return r->mutable_listing(); };
  auto g = [](const ImportRecord& r) -> const Listing& { return r.listing(); };
  std::vector<Column> c = IdentityColumns();
  c.push_back(Enum(
      "kind", "offer or need", Listing::Kind_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->set_kind(static_cast<Listing::Kind>(v));
      },
      [g](const ImportRecord& r) { return static_cast<int>(g(r).kind()); }));
  c.back().required = true;
  c.push_back(Enum(
      "type", "what is offered or needed",
      registry::v1::CategoryKind_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->set_type(static_cast<registry::v1::CategoryKind>(v));
      },
      [g](const ImportRecord& r) { return static_cast<int>(g(r).type()); }));
  c.push_back(Text(
      "owner", "the cluster, enterprise or partner posting it (external id)",
      [m](ImportRecord* r) { return m(r)->mutable_owner(); },
      [g](const ImportRecord& r) -> const std::string& { return g(r).owner(); },
      RecordRef, ShortRef, /*required=*/true));
  c.push_back(Text(
      "category", "category id: simplisia-jahe",
      [m](ImportRecord* r) { return m(r)->mutable_category(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).category();
      },
      CategoryName, ShortCategory, /*required=*/true));
  c.push_back(Text(
      "title", "one line",
      [m](ImportRecord* r) { return m(r)->mutable_title(); },
      [g](const ImportRecord& r) -> const std::string& { return g(r).title(); },
      nullptr, nullptr, /*required=*/true));
  c.push_back(Text(
      "description", "free text",
      [m](ImportRecord* r) { return m(r)->mutable_description(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).description();
      }));
  c.push_back(Number(
      "quantity", "amount per period, with unit and period",
      [m](ImportRecord* r, double v) {
        m(r)->mutable_quantity()->set_amount(v);
      },
      [g](const ImportRecord& r) -> std::optional<double> {
        if (!g(r).has_quantity() || g(r).quantity().amount() == 0) {
          return std::nullopt;
        }
        return g(r).quantity().amount();
      },
      0, 1e15));
  c.push_back(Enum(
      "unit", "unit of the quantity", type::v1::Unit_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->mutable_quantity()->set_unit(static_cast<type::v1::Unit>(v));
      },
      [g](const ImportRecord& r) {
        return static_cast<int>(g(r).quantity().unit());
      }));
  c.push_back(Enum(
      "period", "period of the quantity", type::v1::Period_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->mutable_quantity()->set_period(static_cast<type::v1::Period>(v));
      },
      [g](const ImportRecord& r) {
        return static_cast<int>(g(r).quantity().period());
      }));
  c.push_back(Enum(
      "continuity", "how steady the supply or demand is",
      Listing::Continuity_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->set_continuity(static_cast<Listing::Continuity>(v));
      },
      [g](const ImportRecord& r) {
        return static_cast<int>(g(r).continuity());
      }));
  c.push_back(Int(
      "price_min", "lowest price in rupiah per price_unit",
      [m](ImportRecord* r, int64_t v) {
        m(r)->mutable_price()->mutable_min()->set_amount(v);
      },
      [g](const ImportRecord& r) { return g(r).price().min().amount(); }, 0,
      INT64_MAX));
  c.push_back(Int(
      "price_max", "highest price in rupiah per price_unit",
      [m](ImportRecord* r, int64_t v) {
        m(r)->mutable_price()->mutable_max()->set_amount(v);
      },
      [g](const ImportRecord& r) { return g(r).price().max().amount(); }, 0,
      INT64_MAX));
  c.push_back(Enum(
      "price_unit", "unit the price is quoted per", type::v1::Unit_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->mutable_price()->set_per_unit(static_cast<type::v1::Unit>(v));
      },
      [g](const ImportRecord& r) {
        return static_cast<int>(g(r).price().per_unit());
      }));
  c.push_back(EnumList(
      "required_certifications",
      "certificates the counterpart must hold (needs) or that come with it "
      "(offers)",
      type::v1::CertificationKind_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->add_required_certifications(
            static_cast<type::v1::CertificationKind>(v));
      },
      [g](const ImportRecord& r) {
        return std::vector<int>(g(r).required_certifications().begin(),
                                g(r).required_certifications().end());
      }));
  c.push_back(Number(
      "delivery_radius_km",
      "only counterparts this close (km); empty: anywhere",
      [m](ImportRecord* r, double v) { m(r)->set_delivery_radius_km(v); },
      [g](const ImportRecord& r) -> std::optional<double> {
        if (g(r).delivery_radius_km() == 0) return std::nullopt;
        return g(r).delivery_radius_km();
      },
      0, 10000));
  c.push_back(Text(
      "current_source_region",
      "for needs: where it is supplied from today (region code)",
      [m](ImportRecord* r) { return m(r)->mutable_current_source_region(); },
      [g](const ImportRecord& r) -> const std::string& {
        return g(r).current_source_region();
      },
      RegionName, ShortRegion));
  c.push_back(Col(
      "valid_until", "last day it holds (YYYY-MM-DD) or an RFC 3339 time",
      [m](absl::string_view text, ImportRecord* r, FieldViolations* v) {
        if (!ParseTimestamp(text, m(r)->mutable_valid_until())) {
          v->Add("valid_until",
                 absl::StrCat("\"", text,
                              "\" is not a date (YYYY-MM-DD) or an RFC 3339 "
                              "time"));
        }
      },
      [g](const ImportRecord& r) {
        return g(r).has_valid_until() ? FormatTimestamp(g(r).valid_until())
                                      : std::string();
      }));
  c.push_back(Enum(
      "status", "listing status (new listings are OPEN)",
      Listing::Status_descriptor(),
      [m](ImportRecord* r, int v) {
        m(r)->set_status(static_cast<Listing::Status>(v));
      },
      [g](const ImportRecord& r) { return static_cast<int>(g(r).status()); }));
  return c;
}

void SetKind(RecordType type, ImportRecord* r) {
  switch (type) {
    case RecordType::kCluster:
      r->mutable_cluster();
      break;
    case RecordType::kEnterprise:
      r->mutable_enterprise();
      break;
    case RecordType::kPartner:
      r->mutable_partner();
      break;
    case RecordType::kListing:
      r->mutable_listing();
      break;
  }
}

}  // namespace

absl::string_view RecordTypeName(RecordType type) {
  switch (type) {
    case RecordType::kCluster:
      return "clusters";
    case RecordType::kEnterprise:
      return "enterprises";
    case RecordType::kPartner:
      return "partners";
    case RecordType::kListing:
      return "listings";
  }
  return "";
}

std::optional<RecordType> ParseRecordType(absl::string_view text) {
  const std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (RecordType type : {RecordType::kCluster, RecordType::kEnterprise,
                          RecordType::kPartner, RecordType::kListing}) {
    absl::string_view plural = RecordTypeName(type);
    if (t == plural || t == plural.substr(0, plural.size() - 1)) return type;
  }
  return std::nullopt;
}

std::optional<RecordType> RecordTypeFromPath(absl::string_view path) {
  absl::string_view file = path;
  if (size_t slash = file.rfind('/'); slash != absl::string_view::npos) {
    file.remove_prefix(slash + 1);
  }
  const std::string lower = absl::AsciiStrToLower(file);
  std::optional<RecordType> found;
  for (RecordType type : {RecordType::kCluster, RecordType::kEnterprise,
                          RecordType::kPartner, RecordType::kListing}) {
    if (absl::StrContains(lower, RecordTypeName(type))) {
      if (found) return std::nullopt;
      found = type;
    }
  }
  return found;
}

int ImportOrder(RecordType type) {
  switch (type) {
    case RecordType::kCluster:
      return 0;
    case RecordType::kPartner:
      return 1;
    case RecordType::kEnterprise:
      return 2;
    case RecordType::kListing:
      return 3;
  }
  return 4;
}

const std::vector<Column>& ColumnsOf(RecordType type) {
  static const auto* clusters = new std::vector<Column>(ClusterColumns());
  static const auto* enterprises = new std::vector<Column>(EnterpriseColumns());
  static const auto* partners = new std::vector<Column>(PartnerColumns());
  static const auto* listings = new std::vector<Column>(ListingColumns());
  switch (type) {
    case RecordType::kCluster:
      return *clusters;
    case RecordType::kEnterprise:
      return *enterprises;
    case RecordType::kPartner:
      return *partners;
    case RecordType::kListing:
      return *listings;
  }
  return *listings;
}

std::vector<std::string> HeaderOf(RecordType type) {
  std::vector<std::string> names;
  for (const Column& c : ColumnsOf(type)) names.push_back(c.name);
  return names;
}

absl::StatusOr<ImportRecord> ToImportRecord(RecordType type,
                                            const Cells& cells) {
  ImportRecord record;
  SetKind(type, &record);
  FieldViolations v;
  for (const Column& c : ColumnsOf(type)) {
    auto it = cells.find(c.name);
    const bool empty =
        it == cells.end() || absl::StripAsciiWhitespace(it->second).empty();
    if (empty) {
      if (c.required && (c.name == "external_id" || c.name == "version")) {
        v.Add(c.name, "is required");
      }
      continue;
    }
    c.parse(it->second, &record, &v);
  }
  if (!v.empty()) {
    return v.ToStatus(absl::StrCat(
        "cannot read this ",
        RecordTypeName(type).substr(0, RecordTypeName(type).size() - 1),
        " row"));
  }
  return record;
}

std::vector<std::string> ToRow(RecordType type, const ImportRecord& record) {
  std::vector<std::string> row;
  for (const Column& c : ColumnsOf(type)) row.push_back(c.format(record));
  return row;
}

std::vector<std::string> UnknownColumns(RecordType type,
                                        const std::vector<std::string>& names) {
  std::vector<std::string> unknown;
  const std::vector<Column>& columns = ColumnsOf(type);
  for (const std::string& n : names) {
    if (n.empty() || n[0] == '_') continue;
    if (std::none_of(columns.begin(), columns.end(),
                     [&](const Column& c) { return c.name == n; })) {
      unknown.push_back(n);
    }
  }
  return unknown;
}

std::string DescribeColumns() {
  std::string out;
  for (RecordType type : {RecordType::kCluster, RecordType::kPartner,
                          RecordType::kEnterprise, RecordType::kListing}) {
    absl::StrAppend(&out, RecordTypeName(type), ":\n");
    for (const Column& c : ColumnsOf(type)) {
      absl::StrAppend(&out, "  ", c.name, c.required ? " (required)" : "",
                      "\n      ", c.help, "\n");
    }
  }
  return out;
}

}  // namespace jalin::ctl
