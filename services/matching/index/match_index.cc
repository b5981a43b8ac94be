#include "services/matching/index/match_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace jalin::matching {
namespace {

using registry::v1::Listing;

constexpr absl::string_view kListingPrefix = "listings/";
constexpr size_t kMaxClustersPerOwner = 255;

uint64_t BucketKey(uint8_t kind, uint8_t type, CategoryId category,
                   RegionId region) {
  return (static_cast<uint64_t>(kind) << 60) |
         (static_cast<uint64_t>(type) << 52) |
         (static_cast<uint64_t>(category) << 16) | region;
}

uint64_t PostingKey(uint8_t kind, uint8_t type, CategoryId category) {
  return BucketKey(kind, type, category, 0);
}

uint16_t CertMask(const google::protobuf::RepeatedField<int>& certifications) {
  uint16_t mask = 0;
  for (int c : certifications) {
    if (c > 0 && c < 16) mask |= static_cast<uint16_t>(1u << c);
  }
  return mask;
}

uint8_t GradeCode(absl::string_view grade) {
  if (grade == "A") return 1;
  if (grade == "B") return 2;
  if (grade == "C") return 3;
  return 0;
}

uint32_t Seconds(const google::protobuf::Timestamp& t) {
  if (t.seconds() <= 0) return 0;
  if (t.seconds() >= std::numeric_limits<uint32_t>::max()) {
    return std::numeric_limits<uint32_t>::max();
  }
  return static_cast<uint32_t>(t.seconds());
}

template <typename T>
size_t VecBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

MatchIndex::MatchIndex(std::shared_ptr<const RegionGrid> grid)
    : grid_(std::move(grid)), region_buckets_(grid_->size()) {
  taxonomy_.Finalize();
}

void MatchIndex::Reserve(size_t listings) {
  listing_names_.Reserve(listings);
  title_.reserve(listings);
  bucket_of_.reserve(listings);
  position_.reserve(listings);
}

void MatchIndex::ShrinkToFit() {
  for (Bucket& b : buckets_) b.entries.shrink_to_fit();
  title_.shrink_to_fit();
  bucket_of_.shrink_to_fit();
  position_.shrink_to_fit();
}

uint32_t MatchIndex::FindListing(absl::string_view name) const {
  if (!absl::StartsWith(name, kListingPrefix)) return kNoId;
  return listing_names_.Find(name.substr(kListingPrefix.size()));
}

std::string MatchIndex::name(uint32_t slot) const {
  return absl::StrCat(kListingPrefix, listing_names_.Get(slot));
}

void MatchIndex::AppendName(uint32_t slot, std::string* out) const {
  const absl::string_view id = listing_names_.Get(slot);
  out->append(kListingPrefix.data(), kListingPrefix.size());
  out->append(id.data(), id.size());
}

absl::string_view MatchIndex::grade(uint32_t slot) const {
  switch (entry(slot).attrs >> 4) {
    case 1:
      return "A";
    case 2:
      return "B";
    case 3:
      return "C";
    default:
      return "";
  }
}

void MatchIndex::Prefetch(uint32_t slot, int stage) const {
  switch (stage) {
    case 0:  // the slot's own arrays
      __builtin_prefetch(&bucket_of_[slot]);
      __builtin_prefetch(&position_[slot]);
      __builtin_prefetch(&title_[slot]);
      listing_names_.PrefetchOffset(slot);
      return;
    case 1:  // its bucket, title and name
      __builtin_prefetch(&buckets_[bucket_of_[slot]]);
      titles_.Prefetch(title_[slot]);
      listing_names_.PrefetchText(slot);
      return;
    case 2:  // its entry
      __builtin_prefetch(&entry(slot));
      return;
    case 3: {  // its owner's arrays
      const uint32_t owner = entry(slot).owner;
      owner_names_.PrefetchOffset(owner);
      __builtin_prefetch(&owner_display_[owner]);
      __builtin_prefetch(&owner_clusters_at_[owner]);
      __builtin_prefetch(&owner_clusters_len_[owner]);
      return;
    }
    case 4: {  // its owner's names and clusters
      const uint32_t owner = entry(slot).owner;
      owner_names_.PrefetchText(owner);
      const uint32_t display = owner_display_[owner];
      if (display != kNoId) owner_texts_.Prefetch(display);
      if (owner_clusters_len_[owner] > 0) {
        __builtin_prefetch(cluster_lists_.data() + owner_clusters_at_[owner]);
      }
      return;
    }
    default:
      return;
  }
}

absl::string_view MatchIndex::owner_display_name(uint32_t owner) const {
  const uint32_t off = owner_display_[owner];
  return off == kNoId ? absl::string_view() : owner_texts_.Get(off);
}

absl::Span<const uint32_t> MatchIndex::owner_clusters(uint32_t owner) const {
  return absl::MakeConstSpan(cluster_lists_.data() + owner_clusters_at_[owner],
                             owner_clusters_len_[owner]);
}

uint32_t MatchIndex::FindCluster(absl::string_view name) const {
  auto it = cluster_by_name_.find(name);
  return it == cluster_by_name_.end() ? kNoId : it->second;
}

uint32_t MatchIndex::InternCluster(absl::string_view name) {
  auto it = cluster_by_name_.find(name);
  if (it != cluster_by_name_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(clusters_.size());
  ClusterRecord c;
  c.name = std::string(name);
  clusters_.push_back(std::move(c));
  cluster_by_name_.emplace(std::string(name), id);
  return id;
}

uint32_t MatchIndex::InternOwner(const Listing& listing, absl::Status* status) {
  absl::StatusOr<std::pair<uint32_t, bool>> inserted =
      owner_names_.Insert(listing.owner());
  if (!inserted.ok()) {
    *status = inserted.status();
    return kNoId;
  }
  const uint32_t owner = inserted->first;
  if (inserted->second) {
    if (owner >= owner_key_.size()) {
      owner_display_.resize(owner + 1, kNoId);
      owner_key_.resize(owner + 1, 0);
      owner_listings_.resize(owner + 1, 0);
      owner_clusters_at_.resize(owner + 1, 0);
      owner_clusters_len_.resize(owner + 1, 0);
    }
    owner_display_[owner] = kNoId;
    owner_key_[owner] = StableHash(listing.owner());
    owner_listings_[owner] = 0;
    owner_clusters_at_[owner] = 0;
    owner_clusters_len_[owner] = 0;
  }
  // The latest profile wins: the registry re-emits every listing of an
  // owner whose standing changed.
  const registry::v1::OwnerProfile& profile = listing.owner_profile();
  if (profile.display_name() != owner_display_name(owner)) {
    if (owner_display_[owner] != kNoId) {
      owner_texts_.Release(owner_display_[owner]);
      owner_display_[owner] = kNoId;
    }
    if (!profile.display_name().empty()) {
      absl::StatusOr<uint32_t> off = owner_texts_.Add(profile.display_name());
      if (!off.ok()) {
        *status = off.status();
      } else {
        owner_display_[owner] = *off;
      }
    }
    if (owner_texts_.ShouldCompact()) owner_texts_.Compact(&owner_display_);
  }
  std::vector<uint32_t> clusters;
  if (absl::StartsWith(listing.owner(), "clusters/")) {
    clusters.push_back(InternCluster(listing.owner()));
  }
  for (const std::string& c : profile.clusters()) {
    if (clusters.size() >= kMaxClustersPerOwner) break;
    const uint32_t id = InternCluster(c);
    if (std::find(clusters.begin(), clusters.end(), id) == clusters.end()) {
      clusters.push_back(id);
    }
  }
  absl::Span<const uint32_t> current = owner_clusters(owner);
  if (!std::equal(current.begin(), current.end(), clusters.begin(),
                  clusters.end())) {
    cluster_lists_garbage_ += current.size();
    owner_clusters_at_[owner] = static_cast<uint32_t>(cluster_lists_.size());
    owner_clusters_len_[owner] = static_cast<uint8_t>(clusters.size());
    cluster_lists_.insert(cluster_lists_.end(), clusters.begin(),
                          clusters.end());
    if (cluster_lists_garbage_ > 4096 &&
        cluster_lists_garbage_ * 2 > cluster_lists_.size()) {
      std::vector<uint32_t> fresh;
      fresh.reserve(cluster_lists_.size() - cluster_lists_garbage_);
      for (uint32_t o = 0; o < owner_names_.id_limit(); ++o) {
        if (!owner_names_.live(o)) continue;
        const uint32_t at = static_cast<uint32_t>(fresh.size());
        fresh.insert(fresh.end(),
                     cluster_lists_.begin() + owner_clusters_at_[o],
                     cluster_lists_.begin() + owner_clusters_at_[o] +
                         owner_clusters_len_[o]);
        owner_clusters_at_[o] = at;
      }
      cluster_lists_ = std::move(fresh);
      cluster_lists_garbage_ = 0;
    }
  }
  return owner;
}

void MatchIndex::ReleaseOwner(uint32_t owner) {
  if (--owner_listings_[owner] > 0) return;
  if (owner_display_[owner] != kNoId) {
    owner_texts_.Release(owner_display_[owner]);
    owner_display_[owner] = kNoId;
  }
  cluster_lists_garbage_ += owner_clusters_len_[owner];
  owner_clusters_len_[owner] = 0;
  owner_names_.Remove(owner);
}

absl::Status MatchIndex::UpsertListing(const Listing& listing, absl::Time now,
                                       bool* indexed) {
  if (indexed != nullptr) *indexed = false;
  const RegionId region = grid_->Find(listing.region());
  const uint32_t valid_until = Seconds(listing.valid_until());
  const bool usable =
      listing.status() == Listing::OPEN &&
      (listing.kind() == Listing::OFFER || listing.kind() == Listing::NEED) &&
      listing.type() > 0 && listing.type() <= kMaxType &&
      !listing.category().empty() && !listing.owner().empty() &&
      region != kNoRegion && !grid_->is_province(region) &&
      absl::StartsWith(listing.name(), kListingPrefix) &&
      listing.name().size() > kListingPrefix.size() &&
      (valid_until == 0 || valid_until > absl::ToUnixSeconds(now));
  if (!usable) {
    RemoveListing(listing.name());
    return absl::OkStatus();
  }

  absl::StatusOr<std::pair<uint32_t, bool>> inserted =
      listing_names_.Insert(listing.name().substr(kListingPrefix.size()));
  if (!inserted.ok()) return inserted.status();
  const uint32_t slot = inserted->first;
  if (slot >= title_.size()) {
    title_.resize(slot + 1, kNoId);
    bucket_of_.resize(slot + 1, kNoId);
    position_.resize(slot + 1, kNoId);
  }
  if (!inserted->second) {
    // Replacing: leave the old bucket and owner first.
    const uint32_t old_owner = entry(slot).owner;
    RemoveFromBucket(slot);
    ReleaseOwner(old_owner);
    titles_.Release(title_[slot]);
  }

  absl::Status status;
  const uint32_t owner = InternOwner(listing, &status);
  if (!status.ok() || owner == kNoId) {
    ClearSlot(slot);
    listing_names_.Remove(slot);
    return status.ok() ? absl::InternalError("owner not interned") : status;
  }
  ++owner_listings_[owner];
  absl::StatusOr<uint32_t> title = titles_.Add(listing.title());
  if (!title.ok()) {
    ReleaseOwner(owner);
    ClearSlot(slot);
    listing_names_.Remove(slot);
    return title.status();
  }
  title_[slot] = *title;

  Entry e;
  e.slot = slot;
  e.owner = owner;
  const RegionId source = grid_->Find(listing.current_source_region());
  e.source_region = listing.kind() == Listing::NEED && source != kNoRegion
                        ? source
                        : kNoRegion;
  e.required_certs = CertMask(listing.required_certifications());
  e.owner_certs = CertMask(listing.owner_profile().certifications());
  const uint8_t continuity = static_cast<uint8_t>(
      std::clamp(static_cast<int>(listing.continuity()), 0, 3));
  const uint8_t flags =
      (listing.owner_profile().verified() ? kFlagVerified : 0) |
      (listing.owner_profile().curated() ? kFlagCurated : 0);
  e.attrs = static_cast<uint8_t>(
      continuity | (flags << 2) |
      (GradeCode(listing.owner_profile().curation_grade()) << 4));
  const int unit = listing.quantity().unit();
  const int period = listing.quantity().period();
  e.unit = static_cast<uint8_t>(unit >= 0 && unit < 256 ? unit : 0);
  e.period = static_cast<uint8_t>(period >= 0 && period < 256 ? period : 0);
  e.amount = std::isfinite(listing.quantity().amount())
                 ? listing.quantity().amount()
                 : 0;
  e.radius_km = listing.delivery_radius_km() > 0 &&
                        std::isfinite(listing.delivery_radius_km())
                    ? static_cast<float>(listing.delivery_radius_km())
                    : 0.0f;
  e.valid_until = valid_until;
  if (auto n = Normalize(e.amount, static_cast<type::v1::Unit>(e.unit),
                         static_cast<type::v1::Period>(e.period))) {
    e.normalized = n->amount;
    e.dimension = n->dimension;
  }
  AddToBucket(static_cast<uint8_t>(listing.kind()),
              static_cast<uint8_t>(listing.type()),
              taxonomy_.Intern(listing.category()), region, e);
  if (titles_.ShouldCompact()) titles_.Compact(&title_);
  if (indexed != nullptr) *indexed = true;
  return absl::OkStatus();
}

void MatchIndex::ClearSlot(uint32_t slot) {
  title_[slot] = kNoId;
  bucket_of_[slot] = kNoId;
  position_[slot] = kNoId;
}

void MatchIndex::RemoveListing(absl::string_view name) {
  const uint32_t slot = FindListing(name);
  if (slot == kNoId) return;
  const uint32_t owner = entry(slot).owner;
  RemoveFromBucket(slot);
  ReleaseOwner(owner);
  titles_.Release(title_[slot]);
  ClearSlot(slot);
  listing_names_.Remove(slot);
  if (titles_.ShouldCompact()) titles_.Compact(&title_);
}

int MatchIndex::RemoveExpired(absl::Time now) {
  const int64_t cutoff = absl::ToUnixSeconds(now);
  std::vector<std::string> expired;
  for (uint32_t slot = 0; slot < slot_limit(); ++slot) {
    if (live(slot) && entry(slot).valid_until != 0 &&
        entry(slot).valid_until <= cutoff) {
      expired.push_back(name(slot));
    }
  }
  for (const std::string& n : expired) RemoveListing(n);
  return static_cast<int>(expired.size());
}

void MatchIndex::AddToBucket(uint8_t kind, uint8_t type, CategoryId category,
                             RegionId region, const Entry& e) {
  const uint64_t key = BucketKey(kind, type, category, region);
  auto [it, added] =
      bucket_by_key_.emplace(key, static_cast<uint32_t>(buckets_.size()));
  if (added) {
    Bucket b;
    b.kind = kind;
    b.type = type;
    b.category = category;
    b.region = region;
    buckets_.push_back(std::move(b));
    postings_[PostingKey(kind, type, category)].push_back(it->second);
    region_buckets_[region].push_back(it->second);
  }
  Bucket& b = buckets_[it->second];
  bucket_of_[e.slot] = it->second;
  position_[e.slot] = static_cast<uint32_t>(b.entries.size());
  b.entries.push_back(e);
  b.max_continuity = std::max(b.max_continuity, e.continuity());
  b.any_flags |= e.flags();
  if (e.source_region != kNoRegion) {
    b.max_source_km = std::max(
        b.max_source_km,
        static_cast<float>(grid_->DistanceKm(e.source_region, b.region)));
  }
}

void MatchIndex::RemoveFromBucket(uint32_t slot) {
  std::vector<Entry>& entries = buckets_[bucket_of_[slot]].entries;
  const uint32_t pos = position_[slot];
  if (pos + 1 != entries.size()) {
    entries[pos] = entries.back();
    position_[entries[pos].slot] = pos;
  }
  entries.pop_back();
  bucket_of_[slot] = kNoId;
  position_[slot] = kNoId;
}

absl::Span<const uint32_t> MatchIndex::Posting(uint8_t kind, uint8_t type,
                                               CategoryId category) const {
  auto it = postings_.find(PostingKey(kind, type, category));
  if (it == postings_.end()) return {};
  return it->second;
}

uint32_t MatchIndex::FindBucket(uint8_t kind, uint8_t type, CategoryId category,
                                RegionId region) const {
  auto it = bucket_by_key_.find(BucketKey(kind, type, category, region));
  return it == bucket_by_key_.end() ? kNoId : it->second;
}

void MatchIndex::UpsertCluster(const registry::v1::Cluster& cluster) {
  ClusterRecord& c = clusters_[InternCluster(cluster.name())];
  c.display_name = cluster.display_name();
  c.region = grid_->Find(cluster.location().region());
  c.sector = cluster.sector().empty() ? kNoCategory
                                      : taxonomy_.Intern(cluster.sector());
  c.known = true;
}

void MatchIndex::RemoveCluster(absl::string_view name) {
  // Owners may still name the cluster: keep its id, forget its record.
  auto it = cluster_by_name_.find(name);
  if (it == cluster_by_name_.end()) return;
  ClusterRecord& c = clusters_[it->second];
  c.display_name.clear();
  c.region = kNoRegion;
  c.sector = kNoCategory;
  c.known = false;
}

void MatchIndex::UpsertAgreement(const registry::v1::Agreement& agreement) {
  RemoveAgreement(agreement.name());
  if (agreement.status() != registry::v1::Agreement::ACTIVE) return;
  AgreementRecord a;
  a.name = agreement.name();
  for (const std::string& party : agreement.parties()) {
    if (absl::StartsWith(party, "regions/")) {
      const RegionId r = grid_->Find(party);
      if (r != kNoRegion) a.regions.push_back(r);
    } else if (!party.empty()) {
      a.owners.push_back(StableHash(party));
    }
  }
  if (a.regions.size() + a.owners.size() < 2 || a.regions.empty()) return;
  for (const std::string& c : agreement.categories()) {
    a.categories.push_back(taxonomy_.Intern(c));
  }
  agreements_.push_back(std::move(a));
}

void MatchIndex::RemoveAgreement(absl::string_view name) {
  agreements_.erase(
      std::remove_if(agreements_.begin(), agreements_.end(),
                     [&](const AgreementRecord& a) { return a.name == name; }),
      agreements_.end());
}

void MatchIndex::UpsertCategory(const registry::v1::Category& category) {
  taxonomy_.Upsert(category);
}

void MatchIndex::AddSupplyLink(const registry::v1::SupplyLink& link) {
  taxonomy_.AddLink(link);
}

registry::v1::Listing MatchIndex::ToProto(uint32_t slot) const {
  const Bucket& b = bucket_of(slot);
  const Entry& e = entry(slot);
  Listing l;
  l.set_name(name(slot));
  l.set_kind(static_cast<Listing::Kind>(b.kind));
  l.set_type(static_cast<registry::v1::CategoryKind>(b.type));
  const absl::string_view owner = owner_name(e.owner);
  l.mutable_owner()->assign(owner.data(), owner.size());
  l.set_region(grid_->name(b.region));
  l.set_category(taxonomy_.node(b.category).name);
  if (const absl::string_view t = title(slot); !t.empty()) {
    l.mutable_title()->assign(t.data(), t.size());
  }
  if (e.amount > 0) {
    l.mutable_quantity()->set_amount(e.amount);
    l.mutable_quantity()->set_unit(static_cast<type::v1::Unit>(e.unit));
    l.mutable_quantity()->set_period(static_cast<type::v1::Period>(e.period));
  }
  l.set_continuity(static_cast<Listing::Continuity>(e.continuity()));
  for (int c = 1; c < 16; ++c) {
    if (e.required_certs & (1u << c)) {
      l.add_required_certifications(
          static_cast<type::v1::CertificationKind>(c));
    }
  }
  if (e.radius_km > 0) l.set_delivery_radius_km(e.radius_km);
  if (e.source_region != kNoRegion) {
    l.set_current_source_region(grid_->name(e.source_region));
  }
  if (e.valid_until != 0) l.mutable_valid_until()->set_seconds(e.valid_until);
  l.set_status(Listing::OPEN);
  registry::v1::OwnerProfile* p = l.mutable_owner_profile();
  if (const absl::string_view d = owner_display_name(e.owner); !d.empty()) {
    p->mutable_display_name()->assign(d.data(), d.size());
  }
  for (uint32_t c : owner_clusters(e.owner)) {
    p->add_clusters(clusters_[c].name);
  }
  for (int c = 1; c < 16; ++c) {
    if (e.owner_certs & (1u << c)) {
      p->add_certifications(static_cast<type::v1::CertificationKind>(c));
    }
  }
  p->set_verified(e.flags() & kFlagVerified);
  p->set_curated(e.flags() & kFlagCurated);
  if (const absl::string_view g = grade(slot); !g.empty()) {
    p->mutable_curation_grade()->assign(g.data(), g.size());
  }
  return l;
}

IndexCounts MatchIndex::counts() const {
  IndexCounts c;
  c.listings = static_cast<int64_t>(listing_names_.size());
  c.owners = static_cast<int64_t>(owner_names_.size());
  for (const ClusterRecord& r : clusters_) c.clusters += r.known ? 1 : 0;
  c.agreements = static_cast<int64_t>(agreements_.size());
  c.categories = static_cast<int64_t>(taxonomy_.size());
  c.supply_links = static_cast<int64_t>(taxonomy_.links().size());
  c.buckets = static_cast<int64_t>(buckets_.size());
  return c;
}

size_t MatchIndex::MemoryBytes() const {
  size_t bytes = sizeof(*this);
  bytes += listing_names_.MemoryBytes() + titles_.MemoryBytes();
  bytes += VecBytes(title_) + VecBytes(bucket_of_) + VecBytes(position_);
  bytes += owner_names_.MemoryBytes() + owner_texts_.MemoryBytes() +
           VecBytes(owner_display_) + VecBytes(owner_key_) +
           VecBytes(owner_listings_) + VecBytes(owner_clusters_at_) +
           VecBytes(owner_clusters_len_) + VecBytes(cluster_lists_);
  bytes += clusters_.capacity() * sizeof(ClusterRecord);
  for (const ClusterRecord& c : clusters_) {
    bytes += c.name.capacity() + c.display_name.capacity();
  }
  bytes += cluster_by_name_.capacity() *
           (sizeof(std::pair<std::string, uint32_t>) + 1);
  for (const auto& [name, id] : cluster_by_name_) bytes += name.capacity();
  for (const AgreementRecord& a : agreements_) {
    bytes += sizeof(AgreementRecord) + a.name.capacity() + VecBytes(a.regions) +
             VecBytes(a.owners) + VecBytes(a.categories);
  }
  bytes += buckets_.capacity() * sizeof(Bucket);
  for (const Bucket& b : buckets_) bytes += VecBytes(b.entries);
  bytes +=
      bucket_by_key_.capacity() * (sizeof(uint64_t) + sizeof(uint32_t) + 1);
  bytes += postings_.capacity() *
           (sizeof(uint64_t) + sizeof(std::vector<uint32_t>) + 1);
  for (const auto& [key, list] : postings_) bytes += VecBytes(list);
  bytes += region_buckets_.capacity() * sizeof(std::vector<uint32_t>);
  for (const auto& list : region_buckets_) bytes += VecBytes(list);
  bytes += taxonomy_.MemoryBytes();
  return bytes;
}

}  // namespace jalin::matching
