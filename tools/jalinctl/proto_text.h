// Text forms of proto values for people typing them on a command line or in
// a spreadsheet: enum names in any case (with a few Indonesian synonyms),
// dates, timestamps, numbers, and the short forms of resource names
// ("33.13" for "regions/33.13", "jamu" for "categories/jamu").

#ifndef TOOLS_JALINCTL_PROTO_TEXT_H_
#define TOOLS_JALINCTL_PROTO_TEXT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "jalin/type/v1/quantity.pb.h"

namespace jalin::ctl {

// The number of the enum value named by `text`: its name in any case, with
// '-' or ' ' for '_' ("raw-material supplier"), or a synonym ("kg",
// "bulan", "penawaran", "oleh-oleh"). Never the zero (UNSPECIFIED) value.
std::optional<int> ParseEnum(const google::protobuf::EnumDescriptor* type,
                             absl::string_view text);
// "A, B, C": the values ParseEnum accepts by name, for error messages.
std::string EnumChoices(const google::protobuf::EnumDescriptor* type);
// The value's name, or its number when unknown.
std::string FormatEnum(const google::protobuf::EnumDescriptor* type, int value);

// "2026-05-01".
bool ParseDate(absl::string_view text, google::type::Date* date);
std::string FormatDate(const google::type::Date& date);

// RFC 3339 ("2026-05-01T10:00:00Z", "2026-05-01T10:00:00+07:00") or a date,
// meaning the end of that day in Western Indonesia Time (23:59:59 +07:00).
bool ParseTimestamp(absl::string_view text, google::protobuf::Timestamp* ts);
// A date when the timestamp is the end of a day in +07:00, otherwise RFC
// 3339 in UTC.
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

// Shortest text that reads back as the same double: "2", "2.5",
// "-7.62806".
std::string FormatNumber(double value);

// "2 TON/MONTH", "2.5 kg per minggu", "300 pcs": amount, unit and
// optional period. The quantity of an outcome or a listing.
bool ParseQuantity(absl::string_view text, type::v1::Quantity* quantity);

// "regions/33.13" from "33.13" or "regions/33.13"; empty stays empty.
std::string RegionName(absl::string_view text);
// "categories/jamu" from "jamu" or "categories/jamu".
std::string CategoryName(absl::string_view text);
// A reference to another record: a resource name ("clusters/abc") or
// "external:x" stays as it is; a bare id means an external id of the same
// system ("x" -> "external:x").
std::string RecordRef(absl::string_view text);
// The inverse short forms: "33.13", "jamu", and "x" for "external:x".
std::string ShortRegion(absl::string_view name);
std::string ShortCategory(absl::string_view name);
std::string ShortRef(absl::string_view ref);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_PROTO_TEXT_H_
