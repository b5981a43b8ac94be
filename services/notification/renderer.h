// Turns an event into the text of a notification, in Bahasa Indonesia and
// English. Known payloads get specific text (a listing's title, a
// proposal's parties, a curation decision's score and reason); any other
// event gets a generic sentence built from its type and subject.

#ifndef SERVICES_NOTIFICATION_RENDERER_H_
#define SERVICES_NOTIFICATION_RENDERER_H_

#include <string>

#include "common/regions/region_table.h"
#include "jalin/events/v1/event.pb.h"
#include "services/notification/payload.h"

namespace jalin::notification {

struct RenderedText {
  std::string title_id;
  std::string title_en;
  std::string body_id;
  std::string body_en;
};

// Immutable; thread-safe. `regions` (nullable) names regions in the text;
// without it codes are shown. It must outlive the renderer.
class Renderer {
 public:
  explicit Renderer(const regions::RegionTable* regions) : regions_(regions) {}

  RenderedText Render(const events::v1::Event& event,
                      const Payload& payload) const;

  // "Kabupaten Karanganyar" for "regions/33.13" (or the code when unknown).
  std::string RegionName(const std::string& region) const;

 private:
  const regions::RegionTable* const regions_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_RENDERER_H_
