# jalin_compile_protos(<target> ROOT <dir> PROTOS <relative paths...>
#                      [GRPC <relative paths of files with services...>])
# Runs protoc (and grpc_cpp_plugin for files with services) explicitly, once,
# into ${CMAKE_BINARY_DIR}/gen, and appends the generated sources to <target>.
# Also writes a descriptor set (<target>.pb) for tools that read descriptors.
set(JALIN_GEN_DIR "${CMAKE_BINARY_DIR}/gen")
file(MAKE_DIRECTORY "${JALIN_GEN_DIR}")

function(jalin_compile_protos target)
  cmake_parse_arguments(ARG "" "ROOT" "PROTOS;GRPC" ${ARGN})
  set(_import_args -I${ARG_ROOT} -I${GOOGLEAPIS_PROTO_ROOT} -I${PROTOBUF_WKT_ROOT})
  foreach(_proto IN LISTS ARG_PROTOS)
    get_filename_component(_dir "${_proto}" DIRECTORY)
    get_filename_component(_name "${_proto}" NAME_WE)
    set(_out_base "${JALIN_GEN_DIR}/${_dir}/${_name}")
    set(_outputs "${_out_base}.pb.cc" "${_out_base}.pb.h")
    set(_plugin_args "")
    if(_proto IN_LIST ARG_GRPC)
      list(APPEND _outputs "${_out_base}.grpc.pb.cc" "${_out_base}.grpc.pb.h")
      set(_plugin_args --grpc_out=${JALIN_GEN_DIR}
                       --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${_outputs}
      COMMAND protobuf::protoc ${_import_args} --cpp_out=${JALIN_GEN_DIR}
              ${_plugin_args} "${ARG_ROOT}/${_proto}"
      DEPENDS "${ARG_ROOT}/${_proto}" protobuf::protoc
      COMMENT "protoc ${_proto}"
      VERBATIM)
    target_sources(${target} PRIVATE ${_outputs})
  endforeach()
endfunction()
