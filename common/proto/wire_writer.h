// Writes protocol buffer wire format straight into a string, for a large
// response assembled from parts without building its messages first (a
// channeling report carries some 15 MiB of lines).
//
// Fields are written in the order they are called. Called in field-number
// order, with proto3's rule of leaving out a scalar field at its default,
// the bytes equal what the generated serializer writes for the same
// message, so a reader cannot tell the two apart. Field numbers should come
// from the generated code (Message::kNameFieldNumber) so that they follow
// the .proto.
//
// Not thread-safe: one writer per string, used by one thread.

#ifndef COMMON_PROTO_WIRE_WRITER_H_
#define COMMON_PROTO_WIRE_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"

namespace jalin::proto {

class WireWriter {
 public:
  // Appends to `*out`, which must outlive the writer.
  explicit WireWriter(std::string* out) : out_(out) {}
  WireWriter(const WireWriter&) = delete;
  WireWriter& operator=(const WireWriter&) = delete;

  // proto3 scalar fields; nothing is written for the default ("", 0, +0.0).
  void String(int field, absl::string_view value);
  // int32, int64 and enum fields.
  void Int(int field, int64_t value);
  void Double(int field, double value);

  // A length-delimited field (a nested message, or a string or bytes field)
  // whose content the caller appends between Begin and End: nested fields
  // through this writer, raw bytes through out(). Always written, even
  // empty, as a set message field is. Begins nest; each End closes the
  // latest open one (an End without one is a bug).
  void Begin(int field);
  void End();

  // A message serialized elsewhere, as a set message field.
  void Message(int field, absl::string_view serialized);

  std::string* out() { return out_; }

 private:
  void Tag(int field, int wire_type) {
    Varint(static_cast<uint64_t>(field) << 3 |
           static_cast<uint64_t>(wire_type));
  }
  // Most varints here (tags, short lengths) are one byte.
  void Varint(uint64_t value) {
    if (value < 0x80) {
      out_->push_back(static_cast<char>(value));
    } else {
      LongVarint(value);
    }
  }
  void LongVarint(uint64_t value);

  std::string* out_;
  // Where the length of each open Begin goes: kLengthRoom bytes are kept
  // there and the content moved when its length needs another size.
  absl::InlinedVector<size_t, 4> open_;
};

}  // namespace jalin::proto

#endif  // COMMON_PROTO_WIRE_WRITER_H_
