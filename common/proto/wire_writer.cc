#include "common/proto/wire_writer.h"

#include <cassert>
#include <cstring>

#include "absl/base/casts.h"

namespace jalin::proto {
namespace {

// Wire types (encoding.md in the protobuf documentation).
constexpr int kVarint = 0;
constexpr int kFixed64 = 1;
constexpr int kLengthDelimited = 2;

// Bytes kept for a Begin's length: enough for 128 B to 16 KiB, the size of
// most lines and report entries, whose content then stays where it was
// written; shorter content moves back a byte, longer moves on.
constexpr size_t kLengthRoom = 2;

size_t VarintSize(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

// Writes `value` at `p`, which has room for VarintSize(value) bytes.
void PutVarint(uint64_t value, char* p) {
  while (value >= 0x80) {
    *p++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *p = static_cast<char>(value);
}

}  // namespace

void WireWriter::LongVarint(uint64_t value) {
  char buf[10];
  PutVarint(value, buf);
  out_->append(buf, VarintSize(value));
}

void WireWriter::String(int field, absl::string_view value) {
  if (value.empty()) return;
  Tag(field, kLengthDelimited);
  Varint(value.size());
  out_->append(value.data(), value.size());
}

void WireWriter::Int(int field, int64_t value) {
  if (value == 0) return;
  Tag(field, kVarint);
  // A negative int32 or enum is sign-extended to ten bytes, as int64 is.
  Varint(static_cast<uint64_t>(value));
}

void WireWriter::Double(int field, double value) {
  const uint64_t bits = absl::bit_cast<uint64_t>(value);
  if (bits == 0) return;
  Tag(field, kFixed64);
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(bits >> (8 * i));
  out_->append(buf, 8);
}

void WireWriter::Begin(int field) {
  Tag(field, kLengthDelimited);
  open_.push_back(out_->size());
  out_->append(kLengthRoom, '\0');
}

void WireWriter::End() {
  assert(!open_.empty() && "End without a Begin");
  const size_t at = open_.back();
  open_.pop_back();
  const size_t content = at + kLengthRoom;
  const size_t length = out_->size() - content;
  const size_t need = VarintSize(length);
  if (need > kLengthRoom) {
    out_->resize(out_->size() + (need - kLengthRoom));
  }
  if (need != kLengthRoom) {
    char* data = out_->data();
    std::memmove(data + at + need, data + content, length);
    if (need < kLengthRoom) out_->resize(at + need + length);
  }
  PutVarint(length, out_->data() + at);
}

void WireWriter::Message(int field, absl::string_view serialized) {
  Tag(field, kLengthDelimited);
  Varint(serialized.size());
  out_->append(serialized.data(), serialized.size());
}

}  // namespace jalin::proto
