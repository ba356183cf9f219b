# render-layering: render/ sees a View and nothing of core beyond it.
#
# Compiles one-line probes with exactly the include directories a source of
# render's presentation layer (ilinks_present) and of its drawing layer
# (ilinks_render) is compiled with. Including a record, FHIR, record-builder,
# classification, audit or policy header must fail ("No such file"); the View
# model and render's own headers must compile. Run by ctest (tests/CMakeLists.txt):
#   cmake -DCXX=... -DPRESENT=dir|dir... -DDRAW=dir|dir... -DOUT=dir -P check_layering.cmake
string(REPLACE "|" ";" _present "${PRESENT}")
string(REPLACE "|" ";" _draw "${DRAW}")
file(MAKE_DIRECTORY "${OUT}")
set(_failures 0)

function(probe layer header expect)
  set(_dirs "${_${layer}}")
  set(_flags "")
  foreach(_d IN LISTS _dirs)
    if(_d)
      list(APPEND _flags "-I${_d}")
    endif()
  endforeach()
  string(MAKE_C_IDENTIFIER "${layer}_${header}" _name)
  set(_src "${OUT}/${_name}.cpp")
  file(WRITE "${_src}" "#include \"${header}\"\n")
  execute_process(COMMAND "${CXX}" -std=c++17 -fsyntax-only ${_flags} "${_src}"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(expect STREQUAL "refused")
    if(_rc EQUAL 0 OR NOT _out MATCHES "No such file")
      message(SEND_ERROR "render ${layer} layer can include ${header}: it must not see it")
      math(EXPR _f "${_failures} + 1")
      set(_failures ${_f} PARENT_SCOPE)
    else()
      message(STATUS "ok: ${layer} cannot include ${header}")
    endif()
  else()
    if(NOT _rc EQUAL 0)
      message(SEND_ERROR "render ${layer} layer cannot include ${header}:\n${_out}")
      math(EXPR _f "${_failures} + 1")
      set(_failures ${_f} PARENT_SCOPE)
    else()
      message(STATUS "ok: ${layer} includes ${header}")
    endif()
  endif()
endfunction()

foreach(_layer present draw)
  foreach(_header ilinks/record.h ilinks/fhir.h ilinks/record_builder.h ilinks/policy.h ilinks/session.h
                  ilinks/classification.h ilinks/audit.h)
    probe(${_layer} ${_header} refused)
  endforeach()
  foreach(_header ilinks/view.h ilinks/item.h ilinks/date.h ilinks/view_export.h ilinks/record_layout.h
                  ilinks/notices.h ilinks/mirror_screen.h)
    probe(${_layer} ${_header} compiles)
  endforeach()
endforeach()
probe(draw ilinks/record_widget.h compiles)
probe(draw ilinks/backends.h compiles)

if(_failures GREATER 0)
  message(FATAL_ERROR "${_failures} layering check(s) failed")
endif()
