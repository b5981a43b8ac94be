# Finds the Debian bookworm packages listed in deploy/packages.txt.

find_package(Threads REQUIRED)
# Debian ships no protobuf CONFIG package: module mode.
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(LIBJWT REQUIRED IMPORTED_TARGET libjwt)

# jalin_malloc: the allocator the service programs that hold large heaps
# (registry, matching, curation, notification; and jalin-bench, which runs
# their code in process) link, jemalloc outside sanitizer builds (ASan
# brings its own). glibc's malloc slows down on a heap that a large index
# has fragmented: in the matching benchmark half of FindMatches' time went
# to malloc's slow path, and jemalloc halves its p50 and cuts the index
# rebuild by a third, for about a quarter more resident memory. The gateway
# keeps glibc's: it holds no large heap, and its benchmark was no faster.
add_library(jalin_malloc INTERFACE)
if(NOT JALIN_SANITIZE)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  target_link_libraries(jalin_malloc INTERFACE PkgConfig::JEMALLOC)
  # Compiled into each program that links jalin_malloc: jemalloc's options.
  target_sources(jalin_malloc
                 INTERFACE ${CMAKE_SOURCE_DIR}/common/malloc/malloc_conf.cc)
endif()

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

# The googleapis annotation protos (google/api, google/rpc, google/type) come
# from golang-github-gogo-googleapis-dev. Locate its include root rather than
# hard-coding it: ask dpkg where the package put annotations.proto.
if(NOT GOOGLEAPIS_PROTO_ROOT)
  execute_process(
    COMMAND dpkg -L golang-github-gogo-googleapis-dev
    OUTPUT_VARIABLE _googleapis_files ERROR_QUIET)
  string(REGEX MATCH "[^\n]*/google/api/annotations\\.proto" _annotations
               "${_googleapis_files}")
  if(_annotations)
    string(REGEX REPLACE "/google/api/annotations\\.proto$" "" _root
                         "${_annotations}")
    set(GOOGLEAPIS_PROTO_ROOT "${_root}" CACHE PATH "googleapis proto root")
  endif()
endif()
if(NOT EXISTS "${GOOGLEAPIS_PROTO_ROOT}/google/api/annotations.proto")
  message(FATAL_ERROR "googleapis protos not found: install "
          "golang-github-gogo-googleapis-dev or set GOOGLEAPIS_PROTO_ROOT")
endif()
message(STATUS "googleapis protos: ${GOOGLEAPIS_PROTO_ROOT}")

# The well-known types (google/protobuf/*.proto) live next to protobuf's headers.
set(PROTOBUF_WKT_ROOT "${Protobuf_INCLUDE_DIR}")
