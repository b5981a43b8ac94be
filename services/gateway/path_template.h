// A google.api.http path template ("/v1/{name=campaigns/*/submissions/*}",
// "/v1/{name=proposals/*}:accept") parsed once and matched against request
// paths, yielding the values of its variables.
//
// Grammar (google/api/http.proto):
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   Verb     = ":" LITERAL ;
//
// Immutable after Parse; thread-safe.

#ifndef SERVICES_GATEWAY_PATH_TEMPLATE_H_
#define SERVICES_GATEWAY_PATH_TEMPLATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::gateway {

// A request path split for matching: raw (still percent-encoded) segments
// and the custom verb candidate after the last ':' of the last segment.
struct SplitPath {
  std::vector<std::string> segments;
  // Text after the last ':' of the last segment, and that segment without
  // it; both empty when the last segment has no ':'.
  std::string verb;
  std::string last_without_verb;
};

// Splits "/v1/regions/33.13" (no query). INVALID_ARGUMENT unless it starts
// with '/'.
absl::StatusOr<SplitPath> SplitRequestPath(absl::string_view path);

class PathTemplate {
 public:
  struct Segment {
    enum class Kind { kLiteral, kStar, kDoubleStar };
    Kind kind;
    std::string literal;
  };
  struct Variable {
    // "name", "cluster.name".
    std::string field_path;
    // Segments [begin, end) of the template belong to the variable.
    int begin = 0;
    int end = 0;
  };
  // The raw (percent-encoded) value of each variable, in template order.
  struct Binding {
    std::string field_path;
    std::string raw_value;
    // True when the variable spans one segment: '/' cannot occur in it.
    bool single_segment = true;
  };

  // INVALID_ARGUMENT naming what is wrong with `pattern`.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view pattern);

  // The bindings when `path` matches, nullopt otherwise.
  std::optional<std::vector<Binding>> Match(const SplitPath& path) const;

  const std::string& pattern() const { return pattern_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Variable>& variables() const { return variables_; }
  const std::string& verb() const { return verb_; }
  // Literal segments (plus one for a verb): more is more specific.
  int Specificity() const;

 private:
  // Matches `path`, reading its last segment as `last` (the segment
  // without its verb).
  bool MatchSegments(const std::vector<std::string>& path,
                     const std::string& last) const;

  std::string pattern_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_PATH_TEMPLATE_H_
