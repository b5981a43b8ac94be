#include "services/notification/recipient.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_name.h"
#include "common/auth/policy.h"
#include "common/status/errors.h"

namespace jalin::notification {
namespace {

constexpr size_t kMaxRecipientLength = 200;
constexpr absl::string_view kRecipients = "recipients/";
constexpr absl::string_view kNotifications = "notifications";

bool IsValidCollection(absl::string_view c) {
  if (c.empty()) return false;
  for (char ch : c) {
    if (ch < 'a' || ch > 'z') return false;
  }
  return true;
}

bool IsValidRecipientId(absl::string_view id) {
  if (id.empty()) return false;
  for (char ch : id) {
    if (ch <= ' ' || ch > '~' || ch == '/' || ch == '~') return false;
  }
  return true;
}

// "enterprises~x" -> "enterprises/x"; empty if malformed.
std::string FromSegment(absl::string_view segment) {
  const size_t tilde = segment.find('~');
  if (tilde == absl::string_view::npos) return "";
  std::string recipient =
      absl::StrCat(segment.substr(0, tilde), "/", segment.substr(tilde + 1));
  return IsValidRecipient(recipient) ? recipient : "";
}

std::string ToSegment(absl::string_view recipient) {
  return absl::StrReplaceAll(recipient, {{"/", "~"}});
}

}  // namespace

bool IsValidRecipient(absl::string_view recipient) {
  if (recipient.size() > kMaxRecipientLength) return false;
  const size_t slash = recipient.find('/');
  if (slash == absl::string_view::npos) return false;
  return IsValidCollection(recipient.substr(0, slash)) &&
         IsValidRecipientId(recipient.substr(slash + 1));
}

bool IsOrganization(absl::string_view recipient) {
  const absl::string_view c = api::CollectionOf(recipient);
  return (c == "enterprises" || c == "clusters" || c == "partners") &&
         IsValidRecipient(recipient);
}

std::string RecipientOf(const auth::Principal& principal) {
  if (principal.role == auth::Role::kMember &&
      !principal.organization.empty()) {
    return principal.organization;
  }
  return principal.subject;
}

std::string RecipientParent(absl::string_view recipient) {
  return absl::StrCat(kRecipients, ToSegment(recipient));
}

std::string NotificationName(absl::string_view recipient,
                             absl::string_view id) {
  return absl::StrCat(RecipientParent(recipient), "/", kNotifications, "/", id);
}

absl::StatusOr<std::string> ParseRecipientParent(absl::string_view parent,
                                                 absl::string_view field) {
  if (parent.empty()) {
    return InvalidFieldError(std::string(field), "is required");
  }
  std::string recipient;
  if (absl::StartsWith(parent, kRecipients)) {
    recipient = FromSegment(parent.substr(kRecipients.size()));
  }
  if (recipient.empty()) {
    return InvalidFieldError(std::string(field),
                             "must be \"recipients/{collection}~{id}\", e.g. "
                             "\"recipients/enterprises~01j...\"");
  }
  return recipient;
}

absl::StatusOr<NotificationRef> ParseNotificationName(absl::string_view name,
                                                      absl::string_view field,
                                                      bool allow_all) {
  if (name.empty()) {
    return InvalidFieldError(std::string(field), "is required");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  NotificationRef ref;
  if (parts.size() == 4 && parts[0] == "recipients" &&
      parts[2] == kNotifications) {
    ref.recipient = FromSegment(parts[1]);
    ref.id = std::string(parts[3]);
  }
  const bool id_ok = api::IsValidId(ref.id) || (allow_all && ref.id == "-");
  if (ref.recipient.empty() || !id_ok) {
    return InvalidFieldError(
        std::string(field),
        absl::StrCat("must be \"recipients/{collection}~{id}/notifications/",
                     allow_all ? "{id or -}" : "{id}", "\""));
  }
  return ref;
}

absl::Status CheckInboxAccess(const auth::Principal& principal,
                              absl::string_view recipient) {
  if (principal.role == auth::Role::kAdmin) return absl::OkStatus();
  if (RecipientOf(principal) == recipient) return absl::OkStatus();
  return auth::PermissionDenied(
      "only the recipient or an admin may use this inbox");
}

}  // namespace jalin::notification
