// Which roles may call which NotificationService method. Inbox methods are
// open to every authenticated caller because the inbox check
// (CheckInboxAccess) then lets only the recipient itself or an admin in.

#ifndef SERVICES_NOTIFICATION_POLICY_H_
#define SERVICES_NOTIFICATION_POLICY_H_

#include "common/auth/authenticator.h"
#include "common/auth/policy.h"

namespace jalin::notification {

// `authenticator` must outlive the policy.
auth::MethodPolicy MakeNotificationPolicy(
    const auth::Authenticator* authenticator);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_POLICY_H_
