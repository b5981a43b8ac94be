#ifndef COMMON_TESTING_FREE_PORT_H_
#define COMMON_TESTING_FREE_PORT_H_

namespace jalin::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bound and released).
// Thread-safe; never returns the same port twice in one process.
int FreePort();

}  // namespace jalin::testing

#endif  // COMMON_TESTING_FREE_PORT_H_
