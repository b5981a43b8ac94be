// The five kinds of registry records (clusters, enterprises, partners,
// listings, agreements) as compile-time traits, so that the code shared by
// all of them (store, API flow, events) is written once.

#ifndef SERVICES_REGISTRY_RECORD_KINDS_H_
#define SERVICES_REGISTRY_RECORD_KINDS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "jalin/registry/v1/agreement.pb.h"
#include "jalin/registry/v1/cluster.pb.h"
#include "jalin/registry/v1/enterprise.pb.h"
#include "jalin/registry/v1/listing.pb.h"
#include "jalin/registry/v1/partner.pb.h"

namespace jalin::registry {

namespace v1 = jalin::registry::v1;

// kCollection: the collection in resource names, also the store table.
// kResource: the request field and the resource in event types.
// kTypeName: the type in method names ("CreateCluster").
template <typename T>
struct Kind;

template <>
struct Kind<v1::Cluster> {
  static constexpr absl::string_view kCollection = "clusters";
  static constexpr absl::string_view kResource = "cluster";
  static constexpr absl::string_view kTypeName = "Cluster";
};

template <>
struct Kind<v1::Enterprise> {
  static constexpr absl::string_view kCollection = "enterprises";
  static constexpr absl::string_view kResource = "enterprise";
  static constexpr absl::string_view kTypeName = "Enterprise";
};

template <>
struct Kind<v1::Partner> {
  static constexpr absl::string_view kCollection = "partners";
  static constexpr absl::string_view kResource = "partner";
  static constexpr absl::string_view kTypeName = "Partner";
};

template <>
struct Kind<v1::Listing> {
  static constexpr absl::string_view kCollection = "listings";
  static constexpr absl::string_view kResource = "listing";
  static constexpr absl::string_view kTypeName = "Listing";
};

template <>
struct Kind<v1::Agreement> {
  static constexpr absl::string_view kCollection = "agreements";
  static constexpr absl::string_view kResource = "agreement";
  static constexpr absl::string_view kTypeName = "Agreement";
};

// The region a record belongs to ("regions/33.13"); empty for agreements,
// which belong to their region parties.
inline const std::string& RegionOf(const v1::Cluster& r) {
  return r.location().region();
}
inline const std::string& RegionOf(const v1::Enterprise& r) {
  return r.location().region();
}
inline const std::string& RegionOf(const v1::Partner& r) {
  return r.location().region();
}
inline const std::string& RegionOf(const v1::Listing& r) { return r.region(); }
std::string RegionOf(const v1::Agreement& r);

// The organisation a member must act for to write the record: the record
// itself, or a listing's owner.
inline const std::string& OrganizationOf(const v1::Cluster& r) {
  return r.name();
}
inline const std::string& OrganizationOf(const v1::Enterprise& r) {
  return r.name();
}
inline const std::string& OrganizationOf(const v1::Partner& r) {
  return r.name();
}
inline const std::string& OrganizationOf(const v1::Listing& r) {
  return r.owner();
}
inline const std::string& OrganizationOf(const v1::Agreement& r) {
  return r.name();
}

// Fields a client never sets: identifying and output-only fields, ignored
// on create and refused in update masks.
const std::vector<std::string>& OutputOnlyFields(const v1::Cluster&);
const std::vector<std::string>& OutputOnlyFields(const v1::Enterprise&);
const std::vector<std::string>& OutputOnlyFields(const v1::Partner&);
const std::vector<std::string>& OutputOnlyFields(const v1::Listing&);
const std::vector<std::string>& OutputOnlyFields(const v1::Agreement&);

// Resets the output-only fields of a record received from a client to
// what a new record has (no name, no source, UNVERIFIED, no metadata).
void ClearOutputOnly(v1::Cluster* r);
void ClearOutputOnly(v1::Enterprise* r);
void ClearOutputOnly(v1::Partner* r);
void ClearOutputOnly(v1::Listing* r);
void ClearOutputOnly(v1::Agreement* r);

// Removes personal data (UU 27/2022): contacts and a cluster's leader.
void StripContacts(v1::Cluster* r);
void StripContacts(v1::Enterprise* r);
void StripContacts(v1::Partner* r);
inline void StripContacts(v1::Listing*) {}
inline void StripContacts(v1::Agreement*) {}

// "33.13" from "regions/33.13"; "33" from either.
std::string RegionCodeOf(absl::string_view region_name);
std::string ProvinceCodeOf(absl::string_view region_name);

// The id in "<collection>/<id>", or empty when the name has another
// collection.
std::string IdOf(absl::string_view name, absl::string_view collection);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_RECORD_KINDS_H_
