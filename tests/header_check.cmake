# hpsweep_header_checks(<module> <library>): every public header stays self-contained.
#
# Writes one translation unit per include/hpsweep/<module>/*.hpp, include_<name>.cpp, that includes
# that header alone, and compiles them as the OBJECT library hpsweep_<module>_header_checks linked
# against <library> (so its include directories, definitions and dependencies apply) with
# hpsweep_options: a header that relies on something included before it fails the build. The
# headers are globbed at configure time; CONFIGURE_DEPENDS reruns CMake when one is added or
# removed. The checks build with `all`, and also before <module>_test when that target exists.
# Called once per module from tests/CMakeLists.txt; do not call it again in a module's folder.
function(hpsweep_header_checks module library)
  file(GLOB headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/hpsweep/${module}/*.hpp)
  list(SORT headers)
  if(NOT headers)
    return()
  endif()
  set(checks "")
  foreach(header ${headers})
    get_filename_component(file ${header} NAME)
    get_filename_component(name ${header} NAME_WLE)
    set(check ${CMAKE_CURRENT_BINARY_DIR}/header_checks/${module}/include_${name}.cpp)
    # file(CONFIGURE) rewrites the file only when its text changes, so reconfiguring rebuilds nothing.
    file(CONFIGURE OUTPUT ${check} CONTENT "#include \"hpsweep/${module}/${file}\"\n")
    list(APPEND checks ${check})
  endforeach()
  set(target hpsweep_${module}_header_checks)
  add_library(${target} OBJECT ${checks})
  target_link_libraries(${target} PRIVATE ${library} hpsweep_options)
  if(TARGET ${module}_test)
    add_dependencies(${module}_test ${target})
  endif()
endfunction()
