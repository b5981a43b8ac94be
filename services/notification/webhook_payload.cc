#include "services/notification/webhook_payload.h"

#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace jalin::notification {
namespace {

// The event as JSON. A payload whose type this build does not know cannot
// be printed; the envelope then goes without it, naming the type.
nlohmann::json EventJson(const events::v1::Event& event) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  if (google::protobuf::util::MessageToJsonString(event, &text, options).ok()) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_discarded()) return j;
  }
  events::v1::Event envelope = event;
  envelope.clear_data();
  text.clear();
  // An envelope without payload always prints; should it not, the body
  // still goes out with the type alone.
  (void)google::protobuf::util::MessageToJsonString(envelope, &text, options);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) j = nlohmann::json::object();
  j["dataType"] = event.data().type_url();
  return j;
}

}  // namespace

std::string WebhookBody(absl::string_view webhook_name,
                        const events::v1::Event& event,
                        const RenderedText& text) {
  nlohmann::json body = {
      {"webhook", std::string(webhook_name)},
      {"event", EventJson(event)},
      {"notification",
       {{"titleId", text.title_id},
        {"titleEn", text.title_en},
        {"bodyId", text.body_id},
        {"bodyEn", text.body_en}}},
  };
  // Invalid UTF-8 from a producer is replaced rather than failing the
  // delivery.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace jalin::notification
