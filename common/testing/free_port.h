// Ports for test servers on 127.0.0.1.
//
// A port is picked at random below the kernel's ephemeral range
// (/proc/sys/net/ipv4/ip_local_port_range), from 10,000 up: the ephemeral
// range is where every outgoing connection takes its local port, so a port
// picked there (as binding port 0 does) can be taken by any connection of
// any test before the server that was promised it binds it. That happened:
// a service of a suite found its port in use and never started. Below the
// range only an explicit bind can take a port.
//
// Test processes running at the same time (ctest -j) pick from the same
// range, so each port is also claimed for the whole life of the process
// that picked it: an abstract unix socket named after the port, which the
// kernel releases when the process exits (no file is left behind).
//
// When the ephemeral range leaves fewer than 1,000 ports above 10,000, the
// kernel picks (port 0), with the old risk.

#ifndef COMMON_TESTING_FREE_PORT_H_
#define COMMON_TESTING_FREE_PORT_H_

namespace jalin::testing {

// A TCP port on 127.0.0.1 that was free a moment ago and is claimed by this
// process. Thread-safe; never returns the same port twice in one process,
// nor one that another live process claimed.
int FreePort();

// Claims `port` for this process until it exits; false when another process
// (or this one) already holds it. Used by FreePort; exposed for tests.
bool ClaimPort(int port);

}  // namespace jalin::testing

#endif  // COMMON_TESTING_FREE_PORT_H_
