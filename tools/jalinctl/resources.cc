#include "tools/jalinctl/resources.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "jalin/curation/v1/curation_service.pb.h"
#include "jalin/matching/v1/matching_service.pb.h"
#include "jalin/notification/v1/notification_service.pb.h"
#include "jalin/registry/v1/registry_service.pb.h"

namespace jalin::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

// Columns chosen for the resources people list most; others get a default.
const std::map<std::string, std::vector<std::string>>& ChosenColumns() {
  static const auto* columns =
      new std::map<std::string, std::vector<std::string>>{
          {"jalin.registry.v1.Region",
           {"code", "display_name", "level", "province_display_name"}},
          {"jalin.registry.v1.Category",
           {"name", "label_id", "label_en", "kind", "parent"}},
          {"jalin.registry.v1.SupplyLink",
           {"input", "output", "strength", "description_id"}},
          {"jalin.registry.v1.Cluster",
           {"name", "display_name", "location.region", "sector", "roles",
            "member_count"}},
          {"jalin.registry.v1.Enterprise",
           {"name", "display_name", "scale", "location.region", "categories",
            "certifications.kind"}},
          {"jalin.registry.v1.Partner",
           {"name", "display_name", "kind", "location.region", "categories"}},
          {"jalin.registry.v1.Listing",
           {"name", "kind", "title", "region", "category", "quantity",
            "status"}},
          {"jalin.registry.v1.Agreement",
           {"name", "title", "parties", "status", "expire_date"}},
          {"jalin.matching.v1.Proposal",
           {"name", "state", "supplier", "buyer", "supplier_region",
            "buyer_region", "update_time"}},
          {"jalin.notification.v1.Notification",
           {"create_time", "event_type", "title_id", "read"}},
          {"jalin.notification.v1.Subscription",
           {"name", "recipient", "filter.event_types", "filter.regions"}},
          {"jalin.notification.v1.Webhook",
           {"name", "uri", "disabled", "owner"}},
      };
  return *columns;
}

// "name", then up to five other top-level singular non-message fields.
std::vector<std::string> DefaultColumns(const Descriptor* type) {
  std::vector<std::string> columns;
  if (type->FindFieldByName("name") != nullptr) columns.push_back("name");
  for (int i = 0; i < type->field_count() && columns.size() < 6; ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->name() == "name" || f->is_repeated() ||
        f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    columns.push_back(f->name());
  }
  return columns;
}

// The services, referenced through one of their messages so that the
// linker keeps their descriptors.
std::vector<const ServiceDescriptor*> Services() {
  return {
      registry::v1::GetClusterRequest::descriptor()->file()->FindServiceByName(
          "RegistryService"),
      matching::v1::GetProposalRequest::descriptor()->file()->FindServiceByName(
          "MatchingService"),
      curation::v1::GetCampaignRequest::descriptor()->file()->FindServiceByName(
          "CurationService"),
      notification::v1::GetNotificationRequest::descriptor()
          ->file()
          ->FindServiceByName("NotificationService"),
  };
}

// The one repeated message field of a List answer, or null.
const FieldDescriptor* ListField(const Descriptor* response) {
  const FieldDescriptor* found = nullptr;
  for (int i = 0; i < response->field_count(); ++i) {
    const FieldDescriptor* f = response->field(i);
    if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (found != nullptr) return nullptr;
      found = f;
    }
  }
  return found;
}

std::vector<Resource> Discover() {
  std::vector<Resource> out;
  for (const ServiceDescriptor* service : Services()) {
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* list = service->method(i);
      if (!absl::StartsWith(list->name(), "List") || list->client_streaming() ||
          list->server_streaming()) {
        continue;
      }
      const FieldDescriptor* field = ListField(list->output_type());
      if (field == nullptr) continue;
      Resource r;
      r.collection = field->json_name();
      r.type = field->message_type();
      r.service = service;
      r.list = list;
      r.list_field = field;
      if (const MethodDescriptor* get =
              service->FindMethodByName("Get" + r.type->name());
          get != nullptr && get->output_type() == r.type &&
          !get->server_streaming()) {
        r.get = get;
      }
      auto chosen = ChosenColumns().find(r.type->full_name());
      r.columns = chosen != ChosenColumns().end() ? chosen->second
                                                  : DefaultColumns(r.type);
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::string Fold(absl::string_view s) {
  return absl::AsciiStrToLower(absl::StrReplaceAll(s, {{"-", ""}, {"_", ""}}));
}

}  // namespace

const std::vector<Resource>& Resources() {
  static const auto* resources = new std::vector<Resource>(Discover());
  return *resources;
}

const Resource* FindResource(absl::string_view collection_or_name) {
  std::string collection(collection_or_name);
  if (absl::StrContains(collection_or_name, '/')) {
    std::vector<std::string> parts =
        absl::StrSplit(collection_or_name, '/', absl::SkipEmpty());
    if (parts.size() < 2) return nullptr;
    collection = parts[parts.size() - 2];
  }
  const std::string key = Fold(collection);
  for (const Resource& r : Resources()) {
    const std::string c = Fold(r.collection);
    if (key == c || key + "s" == c) return &r;
  }
  // "category" for "categories".
  for (const Resource& r : Resources()) {
    const std::string c = Fold(r.collection);
    if (absl::EndsWith(c, "ies") && absl::EndsWith(key, "y") &&
        key.substr(0, key.size() - 1) == c.substr(0, c.size() - 3)) {
      return &r;
    }
  }
  return nullptr;
}

const std::string& AddressOf(const Connection& connection,
                             const Resource& resource) {
  const std::string& name = resource.service->name();
  if (name == "MatchingService") return connection.matching_address;
  if (name == "CurationService") return connection.curation_address;
  if (name == "NotificationService") return connection.notification_address;
  return connection.registry_address;
}

}  // namespace jalin::ctl
