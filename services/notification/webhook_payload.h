// The JSON body of a webhook delivery:
//
//   {"webhook": "webhooks/{id}",
//    "event": { the event envelope in the proto3 JSON mapping, its payload
//               under "data" with "@type" },
//    "notification": {"titleId": ..., "titleEn": ..., "bodyId": ...,
//                     "bodyEn": ...}}
//
// Built once when the delivery is queued and sent unchanged on every
// attempt, so that retries carry identical bytes.

#ifndef SERVICES_NOTIFICATION_WEBHOOK_PAYLOAD_H_
#define SERVICES_NOTIFICATION_WEBHOOK_PAYLOAD_H_

#include <string>

#include "absl/strings/string_view.h"
#include "jalin/events/v1/event.pb.h"
#include "services/notification/renderer.h"

namespace jalin::notification {

std::string WebhookBody(absl::string_view webhook_name,
                        const events::v1::Event& event,
                        const RenderedText& text);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_WEBHOOK_PAYLOAD_H_
