#include "services/gateway/path_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace jalin::gateway {
namespace {

bool IsLiteralChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

bool IsIdentChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Recursive-descent parser over the template text without its verb.
class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::Status Run(std::vector<PathTemplate::Segment>* segments,
                   std::vector<PathTemplate::Variable>* variables) {
    segments_ = segments;
    variables_ = variables;
    if (!Consume('/')) return Error("must start with '/'");
    if (absl::Status s = ParseSegments(/*in_variable=*/false); !s.ok()) {
      return s;
    }
    if (pos_ != text_.size()) return Error("unexpected character");
    for (size_t i = 0; i + 1 < segments_->size(); ++i) {
      if ((*segments_)[i].kind == PathTemplate::Segment::Kind::kDoubleStar) {
        return Error("'**' must be the last segment");
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::Status ParseSegments(bool in_variable) {
    while (true) {
      if (absl::Status s = ParseSegment(in_variable); !s.ok()) return s;
      if (!Consume('/')) return absl::OkStatus();
    }
  }

  absl::Status ParseSegment(bool in_variable) {
    using Kind = PathTemplate::Segment::Kind;
    if (Peek('{')) {
      if (in_variable) return Error("nested variable");
      ++pos_;
      PathTemplate::Variable var;
      while (pos_ < text_.size() &&
             (IsIdentChar(text_[pos_]) || text_[pos_] == '.')) {
        var.field_path.push_back(text_[pos_++]);
      }
      if (var.field_path.empty() || var.field_path.front() == '.' ||
          var.field_path.back() == '.' ||
          var.field_path.find("..") != std::string::npos) {
        return Error("bad variable field path");
      }
      var.begin = static_cast<int>(segments_->size());
      if (Consume('=')) {
        if (absl::Status s = ParseSegments(/*in_variable=*/true); !s.ok()) {
          return s;
        }
      } else {
        segments_->push_back({Kind::kStar, ""});
      }
      if (!Consume('}')) return Error("expected '}'");
      var.end = static_cast<int>(segments_->size());
      variables_->push_back(std::move(var));
      return absl::OkStatus();
    }
    if (Consume('*')) {
      segments_->push_back(
          {Consume('*') ? Kind::kDoubleStar : Kind::kStar, ""});
      return absl::OkStatus();
    }
    std::string literal;
    while (pos_ < text_.size() && IsLiteralChar(text_[pos_])) {
      literal.push_back(text_[pos_++]);
    }
    if (literal.empty()) return Error("empty segment");
    segments_->push_back({Kind::kLiteral, std::move(literal)});
    return absl::OkStatus();
  }

  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool Consume(char c) {
    if (!Peek(c)) return false;
    ++pos_;
    return true;
  }
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "path template \"", text_, "\": ", what, " at offset ", pos_));
  }

  absl::string_view text_;
  size_t pos_ = 0;
  std::vector<PathTemplate::Segment>* segments_ = nullptr;
  std::vector<PathTemplate::Variable>* variables_ = nullptr;
};

}  // namespace

absl::StatusOr<SplitPath> SplitRequestPath(absl::string_view path) {
  if (path.empty() || path.front() != '/') {
    return absl::InvalidArgumentError("request path must start with '/'");
  }
  SplitPath out;
  out.segments = absl::StrSplit(path.substr(1), '/');
  const std::string& last = out.segments.back();
  if (size_t colon = last.rfind(':'); colon != std::string::npos) {
    out.verb = last.substr(colon + 1);
    out.last_without_verb = last.substr(0, colon);
  }
  return out;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view pattern) {
  PathTemplate t;
  t.pattern_ = std::string(pattern);
  // The verb is the text after a ':' outside braces, after the last '/'.
  absl::string_view body = pattern;
  int depth = 0;
  size_t verb_colon = absl::string_view::npos;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == '/' && depth == 0) verb_colon = absl::string_view::npos;
    if (c == ':' && depth == 0) verb_colon = i;
  }
  if (verb_colon != absl::string_view::npos) {
    t.verb_ = std::string(pattern.substr(verb_colon + 1));
    body = pattern.substr(0, verb_colon);
    if (t.verb_.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("path template \"", pattern, "\": empty verb"));
    }
    for (char c : t.verb_) {
      if (!IsLiteralChar(c)) {
        return absl::InvalidArgumentError(
            absl::StrCat("path template \"", pattern, "\": bad verb"));
      }
    }
  }
  Parser parser(body);
  if (absl::Status s = parser.Run(&t.segments_, &t.variables_); !s.ok()) {
    return s;
  }
  return t;
}

int PathTemplate::Specificity() const {
  int n = verb_.empty() ? 0 : 1;
  for (const Segment& s : segments_) {
    if (s.kind == Segment::Kind::kLiteral) ++n;
  }
  return n;
}

bool PathTemplate::MatchSegments(const std::vector<std::string>& path,
                                 const std::string& last) const {
  const bool open_ended =
      !segments_.empty() && segments_.back().kind == Segment::Kind::kDoubleStar;
  if (open_ended ? path.size() < segments_.size() - 1
                 : path.size() != segments_.size()) {
    return false;
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& s = segments_[i];
    if (s.kind == Segment::Kind::kDoubleStar) return true;
    const std::string& p = i + 1 == path.size() ? last : path[i];
    if (p.empty()) return false;
    if (s.kind == Segment::Kind::kLiteral && p != s.literal) return false;
  }
  return true;
}

std::optional<std::vector<PathTemplate::Binding>> PathTemplate::Match(
    const SplitPath& path) const {
  const std::vector<std::string>& segments = path.segments;
  if (!verb_.empty() && path.verb != verb_) return std::nullopt;
  const std::string& last =
      verb_.empty() ? segments.back() : path.last_without_verb;
  if (!MatchSegments(segments, last)) return std::nullopt;
  std::vector<Binding> out;
  out.reserve(variables_.size());
  for (const Variable& v : variables_) {
    const bool to_end = v.end == static_cast<int>(segments_.size()) &&
                        v.end > v.begin &&
                        segments_[v.end - 1].kind == Segment::Kind::kDoubleStar;
    const size_t end = to_end ? segments.size() : static_cast<size_t>(v.end);
    Binding b;
    b.field_path = v.field_path;
    b.single_segment = !to_end && v.end - v.begin == 1;
    for (size_t i = v.begin; i < end; ++i) {
      if (i > static_cast<size_t>(v.begin)) b.raw_value.push_back('/');
      b.raw_value += i + 1 == segments.size() ? last : segments[i];
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace jalin::gateway
