#include "tests/services/gateway/fake_backend.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace jalin::gateway::testing {
namespace {

std::string ToString(const grpc::ByteBuffer& bb) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!bb.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

}  // namespace

// One call: reads every request message, asks the backend for an answer,
// writes it. Deletes itself in OnDone.
class FakeBackend::Reactor final : public grpc::ServerGenericBidiReactor {
 public:
  Reactor(FakeBackend* owner, grpc::GenericCallbackServerContext* ctx)
      : owner_(owner) {
    received_.method = ctx->method();
    received_.deadline = absl::FromChrono(ctx->deadline());
    for (const auto& [k, v] : ctx->client_metadata()) {
      received_.metadata.emplace(std::string(k.data(), k.size()),
                                 std::string(v.data(), v.size()));
    }
    StartRead(&in_);
  }

  void OnReadDone(bool ok) override {
    if (ok) {
      received_.messages.push_back(ToString(in_));
      StartRead(&in_);
      return;
    }
    owner_->Record(received_);
    {
      absl::MutexLock lock(&mu_);
      if (finishing_) return;  // Cancelled while reading.
    }
    Answer a = owner_->Decide(received_);
    bool hold;
    {
      absl::MutexLock lock(&mu_);
      if (finishing_) return;
      final_ = a.status;
      for (std::string& m : a.messages) queue_.push_back(std::move(m));
      finishing_ = !a.hold;
      hold = a.hold;
    }
    if (hold) {
      StartSendInitialMetadata();
      owner_->Opened(this);
    }
    Pump();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        queue_.clear();
        finishing_ = true;
        final_ = grpc::Status(grpc::StatusCode::CANCELLED, "write failed");
      }
    }
    Pump();
  }

  // The client went away: every call must still finish.
  void OnCancel() override {
    owner_->Closed(this);
    CloseWith(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
  }

  void OnDone() override {
    owner_->Closed(this);
    delete this;
  }

  // Thread-safe.
  void Enqueue(std::string message) {
    {
      absl::MutexLock lock(&mu_);
      if (finishing_) return;
      queue_.push_back(std::move(message));
    }
    Pump();
  }

  void CloseWith(const grpc::Status& status) {
    {
      absl::MutexLock lock(&mu_);
      if (finishing_) return;
      finishing_ = true;
      final_ = status;
    }
    Pump();
  }

 private:
  // Starts the next write or the finish, outside the lock.
  void Pump() {
    enum { kNothing, kWrite, kFinish } action = kNothing;
    grpc::Status status;
    {
      absl::MutexLock lock(&mu_);
      if (writing_ || finished_) return;
      if (!queue_.empty()) {
        grpc::Slice slice(queue_.front());
        out_ = grpc::ByteBuffer(&slice, 1);
        queue_.pop_front();
        writing_ = true;
        action = kWrite;
      } else if (finishing_) {
        finished_ = true;
        status = final_;
        action = kFinish;
      }
    }
    if (action == kWrite) StartWrite(&out_);
    if (action == kFinish) Finish(status);
  }

  FakeBackend* const owner_;
  Received received_;
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
  absl::Mutex mu_;
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);
  grpc::Status final_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

class FakeBackend::Service final : public grpc::CallbackGenericService {
 public:
  explicit Service(FakeBackend* owner) : owner_(owner) {}
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(owner_, ctx);
  }

 private:
  FakeBackend* const owner_;
};

FakeBackend::FakeBackend() : service_(std::make_unique<Service>(this)) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterCallbackGenericService(service_.get());
  server_ = builder.BuildAndStart();
}

FakeBackend::~FakeBackend() {
  CloseAll(grpc::Status(grpc::StatusCode::UNAVAILABLE, "backend stopping"));
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_->Wait();
}

std::string FakeBackend::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void FakeBackend::SetAnswer(std::function<Answer(const Received&)> answer) {
  absl::MutexLock lock(&mu_);
  answer_ = std::move(answer);
}

Answer FakeBackend::Decide(const Received& r) {
  std::function<Answer(const Received&)> answer;
  {
    absl::MutexLock lock(&mu_);
    answer = answer_;
  }
  if (answer) return answer(r);
  Answer a;
  a.messages.push_back("");
  return a;
}

void FakeBackend::Record(const Received& r) {
  absl::MutexLock lock(&mu_);
  received_.push_back(r);
}

std::vector<Received> FakeBackend::received() const {
  absl::MutexLock lock(&mu_);
  return received_;
}

size_t FakeBackend::received_count() const {
  absl::MutexLock lock(&mu_);
  return received_.size();
}

void FakeBackend::Clear() {
  absl::MutexLock lock(&mu_);
  received_.clear();
}

bool FakeBackend::WaitForCalls(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return received_.size() >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

size_t FakeBackend::open_streams() const {
  absl::MutexLock lock(&mu_);
  return open_.size();
}

bool FakeBackend::WaitForOpenStreams(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return open_.size() == n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void FakeBackend::Opened(Reactor* r) {
  absl::MutexLock lock(&mu_);
  open_.push_back(r);
}

void FakeBackend::Closed(Reactor* r) {
  absl::MutexLock lock(&mu_);
  open_.erase(std::remove(open_.begin(), open_.end(), r), open_.end());
}

void FakeBackend::Push(const std::string& message) {
  absl::MutexLock lock(&mu_);
  for (Reactor* r : open_) r->Enqueue(message);
}

void FakeBackend::CloseAll(const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  for (Reactor* r : open_) r->CloseWith(status);
}

}  // namespace jalin::gateway::testing
