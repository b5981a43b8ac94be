#include "services/matching/index/string_pool.h"

#include "absl/hash/hash.h"

namespace jalin::matching {
namespace {

constexpr size_t kMaxArenaBytes = size_t{0xFFFFFFF0};

}  // namespace

size_t TextArena::EncodedSize(absl::string_view s) {
  size_t n = 1;
  for (size_t len = s.size(); len >= 0x80; len >>= 7) ++n;
  return n + s.size();
}

absl::StatusOr<uint32_t> TextArena::Add(absl::string_view s) {
  if (data_.size() + EncodedSize(s) > kMaxArenaBytes) {
    return absl::ResourceExhaustedError("match index text arena is full");
  }
  const uint32_t offset = static_cast<uint32_t>(data_.size());
  size_t len = s.size();
  while (len >= 0x80) {
    data_.push_back(static_cast<char>((len & 0x7F) | 0x80));
    len >>= 7;
  }
  data_.push_back(static_cast<char>(len));
  data_.append(s.data(), s.size());
  return offset;
}

absl::string_view TextArena::Get(uint32_t offset) const {
  size_t len = 0;
  int shift = 0;
  size_t pos = offset;
  while (true) {
    const unsigned char b = static_cast<unsigned char>(data_[pos++]);
    len |= static_cast<size_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
  }
  return absl::string_view(data_.data() + pos, len);
}

void TextArena::Release(uint32_t offset) {
  garbage_ += EncodedSize(Get(offset));
}

bool TextArena::ShouldCompact() const {
  return garbage_ > (1u << 20) && garbage_ * 2 > data_.size();
}

void TextArena::Compact(std::vector<uint32_t>* offsets) {
  TextArena next;
  next.data_.reserve(data_.size() - garbage_);
  for (uint32_t& off : *offsets) {
    if (off == kNoId) continue;
    // Cannot fail: the live strings fit where they were before.
    off = *next.Add(Get(off));
  }
  next.data_.shrink_to_fit();
  data_ = std::move(next.data_);
  garbage_ = 0;
}

NameTable::NameTable()
    : ids_(0, Hash{this}, Eq{this}) {}

size_t NameTable::Hash::operator()(uint32_t id) const {
  return absl::Hash<absl::string_view>{}(table->Get(id));
}

size_t NameTable::Hash::operator()(absl::string_view s) const {
  return absl::Hash<absl::string_view>{}(s);
}

bool NameTable::Eq::operator()(uint32_t a, absl::string_view b) const {
  return table->Get(a) == b;
}

bool NameTable::Eq::operator()(absl::string_view a, uint32_t b) const {
  return a == table->Get(b);
}

uint32_t NameTable::Find(absl::string_view name) const {
  auto it = ids_.find(name);
  return it == ids_.end() ? kNoId : *it;
}

absl::StatusOr<std::pair<uint32_t, bool>> NameTable::Insert(
    absl::string_view name) {
  if (uint32_t id = Find(name); id != kNoId) return std::make_pair(id, false);
  absl::StatusOr<uint32_t> offset = arena_.Add(name);
  if (!offset.ok()) return offset.status();
  uint32_t id;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
    offsets_[id] = *offset;
  } else {
    id = static_cast<uint32_t>(offsets_.size());
    offsets_.push_back(*offset);
  }
  ids_.insert(id);
  return std::make_pair(id, true);
}

void NameTable::Remove(uint32_t id) {
  ids_.erase(id);
  arena_.Release(offsets_[id]);
  offsets_[id] = kNoId;
  free_ids_.push_back(id);
  if (arena_.ShouldCompact()) {
    // The set stores ids, not offsets: rewriting offsets needs no rehash.
    arena_.Compact(&offsets_);
  }
}

void NameTable::Reserve(size_t n) {
  offsets_.reserve(n);
  ids_.reserve(n);
}

size_t NameTable::MemoryBytes() const {
  // Each slot of the set holds one id plus one control byte.
  return arena_.MemoryBytes() + offsets_.capacity() * sizeof(uint32_t) +
         free_ids_.capacity() * sizeof(uint32_t) +
         ids_.capacity() * (sizeof(uint32_t) + 1);
}

uint64_t StableHash(absl::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace jalin::matching
