// Compact string storage for the match index: millions of short strings
// (listing names, titles, owner names) in one contiguous buffer each,
// addressed by 32-bit offsets, so that a listing costs a few bytes of
// pointers instead of a std::string apiece.

#ifndef SERVICES_MATCHING_INDEX_STRING_POOL_H_
#define SERVICES_MATCHING_INDEX_STRING_POOL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::matching {

inline constexpr uint32_t kNoId = ~0u;

// An append-only buffer of length-prefixed strings. Offsets stay valid until
// Compact(). Garbage (strings no longer referenced) is counted so that the
// owner can decide when to compact. Not thread-safe.
class TextArena {
 public:
  TextArena() = default;

  // Appends `s`; RESOURCE_EXHAUSTED once the buffer would pass 4 GiB.
  absl::StatusOr<uint32_t> Add(absl::string_view s);
  absl::string_view Get(uint32_t offset) const;
  // Asks for the string at `offset` to be brought into the cache (a hint).
  void Prefetch(uint32_t offset) const {
    __builtin_prefetch(data_.data() + offset);
  }
  // Marks the string at `offset` as no longer referenced.
  void Release(uint32_t offset);

  size_t bytes() const { return data_.size(); }
  size_t garbage_bytes() const { return garbage_; }
  size_t MemoryBytes() const { return data_.capacity(); }

  // Copies the strings at `*offsets` (kNoId entries skipped) into a fresh
  // buffer and rewrites the offsets.
  void Compact(std::vector<uint32_t>* offsets);
  // True when more than half of the buffer is garbage (and it is not tiny).
  bool ShouldCompact() const;

 private:
  static size_t EncodedSize(absl::string_view s);

  std::string data_;
  size_t garbage_ = 0;
};

// Interns names: a name gets a dense 32-bit id, reused after Remove. Lookup
// by name is a hash-set probe over ids (the set stores 4 bytes per name; the
// bytes live in the arena). Not thread-safe; neither copyable nor movable
// (the set's hasher points back at the table).
class NameTable {
 public:
  NameTable();
  NameTable(const NameTable&) = delete;
  NameTable& operator=(const NameTable&) = delete;

  // The id of `name`, or kNoId.
  uint32_t Find(absl::string_view name) const;
  // The id of `name`, adding it if new; `.second` is true when added.
  absl::StatusOr<std::pair<uint32_t, bool>> Insert(absl::string_view name);
  // Frees `id` (which must be live) for reuse.
  void Remove(uint32_t id);

  bool live(uint32_t id) const {
    return id < offsets_.size() && offsets_[id] != kNoId;
  }
  absl::string_view Get(uint32_t id) const { return arena_.Get(offsets_[id]); }
  // Cache hints for a Get(id) soon: first the offset, then (once that has
  // arrived) the bytes it points at.
  void PrefetchOffset(uint32_t id) const { __builtin_prefetch(&offsets_[id]); }
  void PrefetchText(uint32_t id) const { arena_.Prefetch(offsets_[id]); }
  // Live names.
  size_t size() const { return ids_.size(); }
  // One past the highest id ever handed out: iterate [0, id_limit()) and
  // skip ids that are not live().
  uint32_t id_limit() const { return static_cast<uint32_t>(offsets_.size()); }

  void Reserve(size_t n);
  size_t MemoryBytes() const;

 private:
  struct Hash {
    using is_transparent = void;
    const NameTable* table;
    size_t operator()(uint32_t id) const;
    size_t operator()(absl::string_view s) const;
  };
  struct Eq {
    using is_transparent = void;
    const NameTable* table;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, absl::string_view b) const;
    bool operator()(absl::string_view a, uint32_t b) const;
  };

  TextArena arena_;
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> free_ids_;
  absl::flat_hash_set<uint32_t, Hash, Eq> ids_;
};

// A stable 64-bit hash of a string (FNV-1a): the same in every process, so
// that keys derived from names survive index rebuilds.
uint64_t StableHash(absl::string_view s);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_INDEX_STRING_POOL_H_
