#include "tools/jalinctl/proto_text.h"

#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace jalin::ctl {
namespace {

// Words people use in Indonesian spreadsheets, and common abbreviations,
// keyed by enum type and normalised word.
const std::map<std::pair<std::string, std::string>, std::string>& Synonyms() {
  static const auto* synonyms =
      new std::map<std::pair<std::string, std::string>, std::string>{
          {{"jalin.type.v1.Unit", "G"}, "GRAM"},
          {{"jalin.type.v1.Unit", "GR"}, "GRAM"},
          {{"jalin.type.v1.Unit", "KG"}, "KILOGRAM"},
          {{"jalin.type.v1.Unit", "KW"}, "QUINTAL"},
          {{"jalin.type.v1.Unit", "KUINTAL"}, "QUINTAL"},
          {{"jalin.type.v1.Unit", "T"}, "TON"},
          {{"jalin.type.v1.Unit", "ML"}, "MILLILITER"},
          {{"jalin.type.v1.Unit", "L"}, "LITER"},
          {{"jalin.type.v1.Unit", "LITRE"}, "LITER"},
          {{"jalin.type.v1.Unit", "M3"}, "CUBIC_METER"},
          {{"jalin.type.v1.Unit", "PCS"}, "PIECE"},
          {{"jalin.type.v1.Unit", "BUAH"}, "PIECE"},
          {{"jalin.type.v1.Unit", "UNIT"}, "PIECE"},
          {{"jalin.type.v1.Unit", "LUSIN"}, "DOZEN"},
          {{"jalin.type.v1.Unit", "RIBU"}, "THOUSAND_PIECES"},
          {{"jalin.type.v1.Unit", "M"}, "METER"},
          {{"jalin.type.v1.Unit", "M2"}, "SQUARE_METER"},
          {{"jalin.type.v1.Unit", "HA"}, "HECTARE"},
          {{"jalin.type.v1.Unit", "JAM"}, "HOUR"},
          {{"jalin.type.v1.Unit", "SESI"}, "SESSION"},
          {{"jalin.type.v1.Unit", "HOK"}, "PERSON_DAY"},
          {{"jalin.type.v1.Period", "SEKALI"}, "ONCE"},
          {{"jalin.type.v1.Period", "HARI"}, "DAY"},
          {{"jalin.type.v1.Period", "MINGGU"}, "WEEK"},
          {{"jalin.type.v1.Period", "BULAN"}, "MONTH"},
          {{"jalin.type.v1.Period", "TAHUN"}, "YEAR"},
          {{"jalin.registry.v1.Listing.Kind", "PENAWARAN"}, "OFFER"},
          {{"jalin.registry.v1.Listing.Kind", "TAWARAN"}, "OFFER"},
          {{"jalin.registry.v1.Listing.Kind", "KEBUTUHAN"}, "NEED"},
          {{"jalin.registry.v1.Listing.Kind", "PERMINTAAN"}, "NEED"},
          {{"jalin.registry.v1.Listing.Continuity", "SEKALI"}, "ONE_OFF"},
          {{"jalin.registry.v1.Listing.Continuity", "MUSIMAN"}, "SEASONAL"},
          {{"jalin.registry.v1.Listing.Continuity", "RUTIN"}, "CONTINUOUS"},
          {{"jalin.registry.v1.Listing.Continuity", "KONTINU"}, "CONTINUOUS"},
          {{"jalin.registry.v1.Listing.Status", "BUKA"}, "OPEN"},
          {{"jalin.registry.v1.Listing.Status", "TUTUP"}, "CLOSED"},
          {{"jalin.registry.v1.Partner.Kind", "OFFTAKER"}, "OFF_TAKER"},
          {{"jalin.registry.v1.Partner.Kind", "RITEL"}, "RETAIL"},
          {{"jalin.registry.v1.Partner.Kind", "HOTEL"}, "HORECA"},
          {{"jalin.registry.v1.Partner.Kind", "RESTORAN"}, "HORECA"},
          {{"jalin.registry.v1.Partner.Kind", "OLEH_OLEH"}, "SOUVENIR_CENTRE"},
          {{"jalin.registry.v1.Partner.Kind", "PUSAT_OLEH_OLEH"},
           "SOUVENIR_CENTRE"},
          {{"jalin.registry.v1.Partner.Kind", "SOUVENIR_CENTER"},
           "SOUVENIR_CENTRE"},
          {{"jalin.registry.v1.Partner.Kind", "BUMN"}, "STATE_OWNED"},
          {{"jalin.registry.v1.Partner.Kind", "BUMD"}, "STATE_OWNED"},
          {{"jalin.registry.v1.Partner.Kind", "EKSPORTIR"}, "EXPORTER"},
          {{"jalin.registry.v1.CategoryKind", "BARANG"}, "GOODS"},
          {{"jalin.registry.v1.CategoryKind", "JASA"}, "SERVICE"},
          {{"jalin.registry.v1.CategoryKind", "PENGETAHUAN"}, "KNOW_HOW"},
          {{"jalin.registry.v1.CategoryKind", "AKSES_PASAR"}, "MARKET_ACCESS"},
          {{"jalin.registry.v1.ValueChainRole", "PEMASOK"},
           "RAW_MATERIAL_SUPPLIER"},
          {{"jalin.registry.v1.ValueChainRole", "PRODUSEN"}, "PRODUCER"},
          {{"jalin.registry.v1.ValueChainRole", "PEMASAR"}, "MARKETER"},
          {{"jalin.registry.v1.ValueChainRole", "PENYEDIA_JASA"},
           "SERVICE_PROVIDER"},
      };
  return *synonyms;
}

std::string Normalise(absl::string_view text) {
  std::string s = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  for (char& c : s) {
    if (c == '-' || c == ' ' || c == '.') c = '_';
  }
  return s;
}

std::string WithoutPrefix(absl::string_view text, absl::string_view prefix) {
  if (absl::StartsWith(text, prefix)) text.remove_prefix(prefix.size());
  return std::string(text);
}

const absl::TimeZone& Wib() {
  static const absl::TimeZone* tz =
      new absl::TimeZone(absl::FixedTimeZone(7 * 3600));
  return *tz;
}

}  // namespace

std::optional<int> ParseEnum(const google::protobuf::EnumDescriptor* type,
                             absl::string_view text) {
  const std::string word = Normalise(text);
  if (word.empty()) return std::nullopt;
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByName(word);
  if (v == nullptr) {
    auto it = Synonyms().find({type->full_name(), word});
    if (it != Synonyms().end()) v = type->FindValueByName(it->second);
  }
  if (v == nullptr || v->number() == 0) return std::nullopt;
  return v->number();
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0) names.push_back(type->value(i)->name());
  }
  return absl::StrJoin(names, ", ");
}

std::string FormatEnum(const google::protobuf::EnumDescriptor* type,
                       int value) {
  const google::protobuf::EnumValueDescriptor* v =
      type->FindValueByNumber(value);
  return v == nullptr ? absl::StrCat(value) : v->name();
}

bool ParseDate(absl::string_view text, google::type::Date* date) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(absl::StripAsciiWhitespace(text), &day)) {
    return false;
  }
  date->set_year(static_cast<int>(day.year()));
  date->set_month(day.month());
  date->set_day(day.day());
  return true;
}

std::string FormatDate(const google::type::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

bool ParseTimestamp(absl::string_view text, google::protobuf::Timestamp* ts) {
  text = absl::StripAsciiWhitespace(text);
  absl::Time t;
  absl::CivilDay day;
  if (absl::ParseCivilTime(text, &day)) {
    t = absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 23, 59, 59),
        Wib());
  } else {
    std::string err;
    if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return false;
  }
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(
      static_cast<int32_t>((t - absl::FromUnixSeconds(absl::ToUnixSeconds(t))) /
                           absl::Nanoseconds(1)));
  return true;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  const absl::Time t =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  const absl::CivilSecond local = absl::ToCivilSecond(t, Wib());
  if (ts.nanos() == 0 && local.hour() == 23 && local.minute() == 59 &&
      local.second() == 59) {
    return absl::FormatCivilTime(absl::CivilDay(local));
  }
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string FormatNumber(double value) {
  if (std::isfinite(value) && value == std::floor(value) &&
      std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  for (int precision = 6; precision < 17; ++precision) {
    std::string s = absl::StrFormat("%.*g", precision, value);
    double back;
    if (absl::SimpleAtod(s, &back) && back == value) return s;
  }
  return absl::StrFormat("%.17g", value);
}

bool ParseQuantity(absl::string_view text, type::v1::Quantity* quantity) {
  std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  std::string period;
  if (size_t slash = t.find('/'); slash != std::string::npos) {
    period = t.substr(slash + 1);
    t.resize(slash);
  } else if (size_t per = t.find(" per "); per != std::string::npos) {
    period = t.substr(per + 5);
    t.resize(per);
  }
  absl::string_view rest = absl::StripAsciiWhitespace(t);
  size_t digits = 0;
  while (digits < rest.size() &&
         (absl::ascii_isdigit(rest[digits]) || rest[digits] == '.')) {
    ++digits;
  }
  double amount;
  if (digits == 0 || !absl::SimpleAtod(rest.substr(0, digits), &amount) ||
      amount <= 0) {
    return false;
  }
  std::optional<int> unit =
      ParseEnum(type::v1::Unit_descriptor(), rest.substr(digits));
  if (!unit) return false;
  quantity->set_amount(amount);
  quantity->set_unit(static_cast<type::v1::Unit>(*unit));
  quantity->clear_period();
  if (!absl::StripAsciiWhitespace(period).empty()) {
    std::optional<int> p = ParseEnum(type::v1::Period_descriptor(), period);
    if (!p) return false;
    quantity->set_period(static_cast<type::v1::Period>(*p));
  }
  return true;
}

std::string RegionName(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty() || absl::StartsWith(text, "regions/")) {
    return std::string(text);
  }
  return absl::StrCat("regions/", text);
}

std::string CategoryName(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty() || absl::StartsWith(text, "categories/")) {
    return std::string(text);
  }
  return absl::StrCat("categories/", text);
}

std::string RecordRef(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty() || absl::StrContains(text, '/') ||
      absl::StartsWith(text, "external:")) {
    return std::string(text);
  }
  return absl::StrCat("external:", text);
}

std::string ShortRegion(absl::string_view name) {
  return WithoutPrefix(name, "regions/");
}

std::string ShortCategory(absl::string_view name) {
  return WithoutPrefix(name, "categories/");
}

std::string ShortRef(absl::string_view ref) {
  return WithoutPrefix(ref, "external:");
}

}  // namespace jalin::ctl
