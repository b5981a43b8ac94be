#include "common/validation/validators.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace jalin::validation {

bool IsNib(absl::string_view s) {
  if (s.size() != 13) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string NormalizePhone(absl::string_view s) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
      continue;
    } else {
      return "";
    }
  }
  std::string national;
  if (absl::StartsWith(digits, "62")) {
    national = digits.substr(2);
  } else if (!plus && absl::StartsWith(digits, "0")) {
    national = digits.substr(1);
  } else {
    return "";
  }
  if (national.size() < 8 || national.size() > 13 || national[0] == '0') {
    return "";
  }
  return absl::StrCat("+62", national);
}

bool IsPhone(absl::string_view s) { return !NormalizePhone(s).empty(); }

bool IsEmail(absl::string_view s) {
  if (s.size() > 254 || s.size() < 5) return false;
  size_t at = s.find('@');
  if (at == absl::string_view::npos || at == 0 || s.rfind('@') != at) {
    return false;
  }
  absl::string_view domain = s.substr(at + 1);
  size_t dot = domain.rfind('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 2 > domain.size()) {
    return false;
  }
  for (char c : s) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c < 0x21) {
      return false;
    }
  }
  return domain.find("..") == absl::string_view::npos;
}

bool IsHttpUri(absl::string_view s, bool require_https) {
  absl::string_view rest;
  if (absl::StartsWith(s, "https://")) {
    rest = s.substr(8);
  } else if (!require_https && absl::StartsWith(s, "http://")) {
    rest = s.substr(7);
  } else {
    return false;
  }
  size_t end = rest.find_first_of("/?#");
  absl::string_view host = rest.substr(0, end);
  if (host.empty() || s.size() > 2048) return false;
  for (char c : s) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

size_t Utf8Length(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool CheckText(FieldViolations& v, absl::string_view field,
               absl::string_view value, size_t max_chars, bool required) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    v.Add(std::string(field), "is required");
    return false;
  }
  if (Utf8Length(value) > max_chars) {
    v.Add(std::string(field),
          absl::StrCat("must be at most ", max_chars, " characters"));
    return false;
  }
  return true;
}

}  // namespace jalin::validation
