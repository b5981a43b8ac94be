// The in-memory match index (DESIGN §8): every OPEN listing in a compact
// structure of arrays addressed by a 32-bit slot, with interned strings, and
// candidates found through buckets keyed by (kind, type, category, region).
// A query walks the buckets of the categories related to its own and the
// regions it allows; it never scans every listing.
//
// Also holds what scoring needs besides listings: the taxonomy, clusters,
// owners (display name and clusters, shared by their listings) and ACTIVE
// agreements between regions.
//
// Not thread-safe: LiveIndex guards it with a reader/writer lock. Not
// movable (interned tables point at themselves); hold it by unique_ptr.

#ifndef SERVICES_MATCHING_INDEX_MATCH_INDEX_H_
#define SERVICES_MATCHING_INDEX_MATCH_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "jalin/registry/v1/agreement.pb.h"
#include "jalin/registry/v1/cluster.pb.h"
#include "jalin/registry/v1/listing.pb.h"
#include "services/matching/index/region_grid.h"
#include "services/matching/index/string_pool.h"
#include "services/matching/index/taxonomy.h"
#include "services/matching/index/units.h"

namespace jalin::matching {

// Listing kinds and types use the registry's enum numbers.
inline constexpr uint8_t kOffer = registry::v1::Listing::OFFER;
inline constexpr uint8_t kNeed = registry::v1::Listing::NEED;
inline constexpr uint8_t kMaxType = registry::v1::MARKET_ACCESS;

// Per-listing flags copied from the listing's owner_profile.
inline constexpr uint8_t kFlagVerified = 1;
inline constexpr uint8_t kFlagCurated = 2;

struct ClusterRecord {
  // "clusters/{id}".
  std::string name;
  std::string display_name;
  RegionId region = kNoRegion;
  CategoryId sector = kNoCategory;
  // False while the cluster is only named by an owner profile.
  bool known = false;
};

struct AgreementRecord {
  std::string name;
  // Region parties (regencies or provinces).
  std::vector<RegionId> regions;
  // Other parties ("partners/{id}"), as StableHash of the name.
  std::vector<uint64_t> owners;
  // Sectors covered; empty for all.
  std::vector<CategoryId> categories;
};

// What scoring reads about one listing, besides its bucket's kind, type,
// category and region. Kept inside the bucket, so that a search reads a
// bucket's listings from consecutive memory.
struct Entry {
  uint32_t slot = kNoId;
  uint32_t owner = kNoId;
  double amount = 0;
  // The amount in base units (per month when recurring), for capacity.
  double normalized = 0;
  // 0: no radius.
  float radius_km = 0;
  // Seconds since the epoch; 0 when the listing has no end.
  uint32_t valid_until = 0;
  uint16_t required_certs = 0;
  // Certifications the owner holds, as the listing's owner_profile said.
  uint16_t owner_certs = 0;
  // For needs: where they are supplied from today.
  RegionId source_region = kNoRegion;
  uint8_t unit = 0;
  uint8_t period = 0;
  // continuity | flags << 2 | grade << 4.
  uint8_t attrs = 0;
  // Dimension of `normalized`; kNone without a usable amount.
  Dimension dimension = Dimension::kNone;

  uint8_t continuity() const { return attrs & 0x03; }
  uint8_t flags() const { return (attrs >> 2) & 0x03; }
};

// All the posted listings of one (kind, type, category) in one region.
struct Bucket {
  uint8_t kind = 0;
  uint8_t type = 0;
  CategoryId category = kNoCategory;
  RegionId region = kNoRegion;
  std::vector<Entry> entries;
  // Upper bounds over every listing ever added (never lowered on removal,
  // so they stay bounds): the best continuity, whether any owner was
  // verified or curated, the longest distance from a need's current source.
  uint8_t max_continuity = 0;
  uint8_t any_flags = 0;
  float max_source_km = 0;
};

struct IndexCounts {
  int64_t listings = 0;
  int64_t owners = 0;
  int64_t clusters = 0;
  int64_t agreements = 0;
  int64_t categories = 0;
  int64_t supply_links = 0;
  int64_t buckets = 0;
};

class MatchIndex {
 public:
  explicit MatchIndex(std::shared_ptr<const RegionGrid> grid);
  MatchIndex(const MatchIndex&) = delete;
  MatchIndex& operator=(const MatchIndex&) = delete;

  // --- Changes (from the snapshot and the registry's events) -------------

  // Adds or replaces a listing. A listing that is not OPEN, is past its
  // valid_until at `now`, or lacks what matching needs (kind, type,
  // category, owner, a known region) is removed instead; `*indexed` says
  // which happened. Errors only when the index is full.
  absl::Status UpsertListing(const registry::v1::Listing& listing,
                             absl::Time now, bool* indexed = nullptr);
  void RemoveListing(absl::string_view name);
  void UpsertCluster(const registry::v1::Cluster& cluster);
  void RemoveCluster(absl::string_view name);
  // Keeps ACTIVE agreements with at least two parties; removes others.
  void UpsertAgreement(const registry::v1::Agreement& agreement);
  void RemoveAgreement(absl::string_view name);
  void UpsertCategory(const registry::v1::Category& category);
  void AddSupplyLink(const registry::v1::SupplyLink& link);
  // Recomputes the taxonomy's relation tables if categories, links or new
  // category names came in since the last time. Call after a batch of
  // changes, before queries.
  void FinalizeTaxonomy() { taxonomy_.FinalizeIfDirty(); }
  // Removes listings whose valid_until has passed; returns how many.
  int RemoveExpired(absl::Time now);

  void Reserve(size_t listings);
  // Returns spare capacity after a bulk load.
  void ShrinkToFit();

  // The registry outbox sequence this index reflects.
  uint64_t sequence() const { return sequence_; }
  void set_sequence(uint64_t s) { sequence_ = s; }

  // --- Reading ------------------------------------------------------------

  const RegionGrid& grid() const { return *grid_; }
  std::shared_ptr<const RegionGrid> shared_grid() const { return grid_; }
  const Taxonomy& taxonomy() const { return taxonomy_; }

  // Slot of a listing by name ("listings/{id}"), or kNoId.
  uint32_t FindListing(absl::string_view name) const;
  // Iterate slots in [0, slot_limit()) that are live().
  uint32_t slot_limit() const { return listing_names_.id_limit(); }
  bool live(uint32_t slot) const { return listing_names_.live(slot); }
  // "listings/{id}".
  std::string name(uint32_t slot) const;
  // Appends name(slot) to `out`, without a string of its own.
  void AppendName(uint32_t slot, std::string* out) const;
  // The id part of the name, for comparisons without building a string.
  absl::string_view id(uint32_t slot) const { return listing_names_.Get(slot); }
  absl::string_view title(uint32_t slot) const {
    return titles_.Get(title_[slot]);
  }
  // The listing's bucket and its entry there.
  const Bucket& bucket_of(uint32_t slot) const {
    return buckets_[bucket_of_[slot]];
  }
  const Entry& entry(uint32_t slot) const {
    return buckets_[bucket_of_[slot]].entries[position_[slot]];
  }
  uint8_t kind(uint32_t slot) const { return bucket_of(slot).kind; }
  uint8_t type(uint32_t slot) const { return bucket_of(slot).type; }
  CategoryId category(uint32_t slot) const { return bucket_of(slot).category; }
  RegionId region(uint32_t slot) const { return bucket_of(slot).region; }
  uint32_t owner(uint32_t slot) const { return entry(slot).owner; }
  RegionId source_region(uint32_t slot) const {
    return entry(slot).source_region;
  }
  uint16_t required_certs(uint32_t slot) const {
    return entry(slot).required_certs;
  }
  uint16_t owner_certs(uint32_t slot) const { return entry(slot).owner_certs; }
  uint8_t continuity(uint32_t slot) const { return entry(slot).continuity(); }
  uint8_t flags(uint32_t slot) const { return entry(slot).flags(); }
  // "A", "B", "C" or empty.
  absl::string_view grade(uint32_t slot) const;
  double amount(uint32_t slot) const { return entry(slot).amount; }
  uint8_t unit(uint32_t slot) const { return entry(slot).unit; }
  uint8_t period(uint32_t slot) const { return entry(slot).period; }
  float radius_km(uint32_t slot) const { return entry(slot).radius_km; }
  // Seconds since the epoch; 0 when the listing has no end.
  uint32_t valid_until(uint32_t slot) const { return entry(slot).valid_until; }

  // Owners.
  absl::string_view owner_name(uint32_t owner) const {
    return owner_names_.Get(owner);
  }
  absl::string_view owner_display_name(uint32_t owner) const;
  uint64_t owner_key(uint32_t owner) const { return owner_key_[owner]; }
  // Cluster ids of the owner (a cluster owner is its own cluster).
  absl::Span<const uint32_t> owner_clusters(uint32_t owner) const;
  uint32_t FindOwner(absl::string_view name) const {
    return owner_names_.Find(name);
  }

  // Clusters.
  const std::vector<ClusterRecord>& clusters() const { return clusters_; }
  uint32_t FindCluster(absl::string_view name) const;
  const std::vector<AgreementRecord>& agreements() const { return agreements_; }

  // Buckets.
  uint32_t bucket_count() const {
    return static_cast<uint32_t>(buckets_.size());
  }
  const Bucket& bucket(uint32_t b) const { return buckets_[b]; }
  // Buckets of (kind, type, category) in any region; empty if none.
  absl::Span<const uint32_t> Posting(uint8_t kind, uint8_t type,
                                     CategoryId category) const;
  // The bucket of (kind, type, category, region), or kNoId.
  uint32_t FindBucket(uint8_t kind, uint8_t type, CategoryId category,
                      RegionId region) const;
  // Every bucket with listings in `region`.
  absl::Span<const uint32_t> RegionBuckets(RegionId region) const {
    return region_buckets_[region];
  }

  // Cache hints for reading a listing's fields and texts soon (a report
  // writing its lines), in kPrefetchStages stages that follow the index's
  // pointers one level each: stage s reads only what stage s - 1 fetched,
  // so a reader that knows the listings it will visit issues the stages
  // for each one some steps apart. Hints only: nothing read changes.
  static constexpr int kPrefetchStages = 5;
  void Prefetch(uint32_t slot, int stage) const;

  // The listing as matching returns it: the fields the index holds (no
  // description, price, source or meta).
  registry::v1::Listing ToProto(uint32_t slot) const;

  IndexCounts counts() const;
  // Bytes held by the index's own structures (listing arrays, interned
  // strings, hash tables, buckets, owners, clusters, taxonomy), by
  // capacity. The region distance tables are shared and counted separately.
  size_t MemoryBytes() const;

 private:
  uint32_t InternOwner(const registry::v1::Listing& listing,
                       absl::Status* status);
  void ReleaseOwner(uint32_t owner);
  uint32_t InternCluster(absl::string_view name);
  // Places `e` in the bucket of (kind, type, category, region).
  void AddToBucket(uint8_t kind, uint8_t type, CategoryId category,
                   RegionId region, const Entry& e);
  // Takes the slot's entry out of its bucket.
  void RemoveFromBucket(uint32_t slot);
  void ClearSlot(uint32_t slot);

  std::shared_ptr<const RegionGrid> grid_;
  Taxonomy taxonomy_;
  uint64_t sequence_ = 0;

  // Listings, by slot: name, title, and where the entry is.
  NameTable listing_names_;
  TextArena titles_;
  std::vector<uint32_t> title_;
  std::vector<uint32_t> bucket_of_;
  std::vector<uint32_t> position_;

  // Owners, by owner id.
  NameTable owner_names_;
  TextArena owner_texts_;
  std::vector<uint32_t> owner_display_;
  std::vector<uint64_t> owner_key_;
  std::vector<uint32_t> owner_listings_;
  // Start and length of the owner's cluster ids in cluster_lists_.
  std::vector<uint32_t> owner_clusters_at_;
  std::vector<uint8_t> owner_clusters_len_;
  std::vector<uint32_t> cluster_lists_;
  size_t cluster_lists_garbage_ = 0;

  std::vector<ClusterRecord> clusters_;
  absl::flat_hash_map<std::string, uint32_t> cluster_by_name_;

  std::vector<AgreementRecord> agreements_;

  std::vector<Bucket> buckets_;
  absl::flat_hash_map<uint64_t, uint32_t> bucket_by_key_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> postings_;
  std::vector<std::vector<uint32_t>> region_buckets_;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_INDEX_MATCH_INDEX_H_
