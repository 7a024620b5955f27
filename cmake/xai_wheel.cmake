# What `pip install .` puts in the wheel (pyproject.toml): every command
# in the scripts folder (on PATH in the venv), also under the user guide's
# names (xformer.py, ...), the bindings' libraries inside their packages
# (python/_libpath.py loads only those), and the udev rule.
if(DEFINED SKBUILD_SCRIPTS_DIR)
  set(XAI_WHEEL_BIN ${SKBUILD_SCRIPTS_DIR})
  set(XAI_WHEEL_LIB ${SKBUILD_PLATLIB_DIR})
  set(XAI_WHEEL_DATA ${SKBUILD_DATA_DIR}/share/xai)
else()
  set(XAI_WHEEL_BIN bin)
  set(XAI_WHEEL_LIB lib/python)
  set(XAI_WHEEL_DATA share/xai)
endif()

set(XAI_COMMANDS xai xformer build_flash_file xai_device_emulator
    xmos_send_model xmos_classify xmos_flash xmos_infer xmos_timings
    xmos_send_picture xmos_recv_picture)
foreach(cmd ${XAI_COMMANDS})
  if(TARGET ${cmd})
    install(TARGETS ${cmd} RUNTIME DESTINATION ${XAI_WHEEL_BIN})
  endif()
endforeach()

# The guide's names: "NAME.py" runs the command TARGET beside it.
set(XAI_GUIDE_NAMES
    "xformer.py=xformer" "build_flash_file.py=build_flash_file"
    "xmos_send_model.py=xmos_send_model" "xmos_load_model.py=xmos_send_model"
    "xmos_classify_mobilenet.py=xmos_classify"
    "xmos_mobilenet_classify.py=xmos_classify" "xmos_flash.py=xmos_flash"
    "xmos_infer.py=xmos_infer" "xmos_timings.py=xmos_timings"
    "xmos_send_picture.py=xmos_send_picture"
    "xmos_recv_picture.py=xmos_recv_picture")
foreach(pair ${XAI_GUIDE_NAMES})
  string(REPLACE "=" ";" parts "${pair}")
  list(GET parts 0 alias)
  list(GET parts 1 target)
  if(TARGET ${target})
    set(wrapper ${CMAKE_BINARY_DIR}/guide_names/${alias})
    file(WRITE ${wrapper}
         "#!/bin/sh\n# ${alias}: the user guide's name for ${target}.\n"
         "exec \"$(dirname \"$0\")/${target}\" \"$@\"\n")
    install(PROGRAMS ${wrapper} DESTINATION ${XAI_WHEEL_BIN})
  endif()
endforeach()

if(TARGET xai_xformer_py)
  install(TARGETS xai_xformer_py LIBRARY DESTINATION ${XAI_WHEEL_LIB}/xmos_ai_xformer)
endif()
foreach(lib xai_host_py xai_interp_py)
  if(TARGET ${lib})
    install(TARGETS ${lib} LIBRARY DESTINATION ${XAI_WHEEL_LIB}/xmos_ai_ie)
  endif()
endforeach()
install(FILES ${CMAKE_SOURCE_DIR}/packaging/linux/99-xai-usb.rules
        DESTINATION ${XAI_WHEEL_DATA})
