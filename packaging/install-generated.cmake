# Runs at install time (install(SCRIPT) from packaging/install.cmake), with CMAKE_INSTALL_PREFIX set to the
# prefix really being installed to and DESTDIR honoured by file(INSTALL).

if(IS_ABSOLUTE "${VNETDIAG_MANDIR}")
  set(_man "${VNETDIAG_MANDIR}")
else()
  set(_man "${CMAKE_INSTALL_PREFIX}/${VNETDIAG_MANDIR}")
endif()
if(IS_ABSOLUTE "${VNETDIAG_DOCDIR}")
  set(_doc "${VNETDIAG_DOCDIR}")
else()
  set(_doc "${CMAKE_INSTALL_PREFIX}/${VNETDIAG_DOCDIR}")
endif()
if(VNETDIAG_SYSTEMD_UNIT_DIR)
  set(_units "${VNETDIAG_SYSTEMD_UNIT_DIR}")
elseif(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  # Debian 12's systemd and lintian still expect units under /lib (/usr/lib from Debian 13 on); both
  # paths are the same directory on merged-/usr systems such as Ubuntu 22.04 and 24.04.
  set(_units "/lib/systemd/system")
else()
  set(_units "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()

file(MAKE_DIRECTORY "${VNETDIAG_STAGING_DIR}")

function(_vnd_gzip input output)
  execute_process(COMMAND gzip -9nc "${input}" OUTPUT_FILE "${output}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${input}: ${rc}")
  endif()
endfunction()

# The man page.
_vnd_gzip("${VNETDIAG_PACKAGING_DIR}/vnetdiag.1" "${VNETDIAG_STAGING_DIR}/vnetdiag.1.gz")
file(INSTALL "${VNETDIAG_STAGING_DIR}/vnetdiag.1.gz" DESTINATION "${_man}/man1"
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# A Debian changelog for this version: Debian policy wants one in every package. A native package
# (no Debian revision in the version) keeps it as changelog.gz.
file(WRITE "${VNETDIAG_STAGING_DIR}/changelog"
     "vnetdiag (${VNETDIAG_VERSION}) unstable; urgency=medium\n\n"
     "  * Built from commit ${VNETDIAG_GIT_COMMIT}.\n\n"
     " -- ${VNETDIAG_PACKAGE_MAINTAINER}  ${VNETDIAG_COMMIT_DATE}\n")
_vnd_gzip("${VNETDIAG_STAGING_DIR}/changelog" "${VNETDIAG_STAGING_DIR}/changelog.gz")
file(INSTALL "${VNETDIAG_STAGING_DIR}/changelog.gz" DESTINATION "${_doc}"
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# The units, with the wrapper's and the binary's paths of this prefix.
set(VNETDIAG_SCHEDULED "${CMAKE_INSTALL_PREFIX}/lib/vnetdiag/vnetdiag-scheduled")
foreach(_unit vnetdiag.service vnetdiag.timer)
  configure_file("${VNETDIAG_PACKAGING_DIR}/systemd/${_unit}" "${VNETDIAG_STAGING_DIR}/${_unit}" @ONLY)
  file(INSTALL "${VNETDIAG_STAGING_DIR}/${_unit}" DESTINATION "${_units}"
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endforeach()
