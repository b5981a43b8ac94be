// Recipients of notifications and the resource names that carry them.
//
// A recipient is an organisation ("enterprises/x", "clusters/x",
// "partners/x") or a principal subject ("users/ani",
// "systems/sida-karanganyar"). Inside resource names its "/" is written
// "~", so that "recipients/{recipient}" stays one segment:
//   recipients/enterprises~01j9.../notifications/01j9...

#ifndef SERVICES_NOTIFICATION_RECIPIENT_H_
#define SERVICES_NOTIFICATION_RECIPIENT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace jalin::notification {

// True for "<collection>/<id>": a lower-case collection of letters and a
// non-empty id of printable ASCII without '/', '~' or spaces, at most 200
// characters in all.
bool IsValidRecipient(absl::string_view recipient);

// True for the organisations that are parties of events: enterprises,
// clusters and partners.
bool IsOrganization(absl::string_view recipient);

// The recipient a principal reads as: a member's organisation, otherwise
// the principal's subject.
std::string RecipientOf(const auth::Principal& principal);

// "recipients/enterprises~x" for "enterprises/x".
std::string RecipientParent(absl::string_view recipient);
// "recipients/enterprises~x/notifications/{id}".
std::string NotificationName(absl::string_view recipient, absl::string_view id);

// "enterprises/x" from "recipients/enterprises~x"; INVALID_ARGUMENT naming
// `field` for any other shape.
absl::StatusOr<std::string> ParseRecipientParent(absl::string_view parent,
                                                 absl::string_view field);

struct NotificationRef {
  std::string recipient;
  // A notification id, or "-" (all of the recipient's) when allowed.
  std::string id;
};

// Parses "recipients/{recipient}/notifications/{id}". With `allow_all`, the
// id may be "-". INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<NotificationRef> ParseNotificationName(absl::string_view name,
                                                      absl::string_view field,
                                                      bool allow_all);

// OK when `principal` may read and mark `recipient`'s inbox (it is the
// recipient, or an admin); PERMISSION_DENIED otherwise. Call before looking
// anything up.
absl::Status CheckInboxAccess(const auth::Principal& principal,
                              absl::string_view recipient);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_RECIPIENT_H_
