# What `cmake --install` (and so the Debian package) puts beside the binary, which agent/CMakeLists.txt
# installs to ${CMAKE_INSTALL_BINDIR}. Included from the top-level CMakeLists.txt.
#
#   bin/vnetdiag                                      (agent/CMakeLists.txt)
#   share/man/man1/vnetdiag.1.gz                      man page, compressed at install time
#   share/bash-completion/completions/vnetdiag        bash completion
#   share/vnetdiag/report.schema.json                 JSON Schema of the report (when reports/ ships it)
#   share/vnetdiag/prometheus/vnetdiag.rules.yml      sample alert rules, one per finding code
#   share/doc/vnetdiag/examples/config.example.json   example /etc/vnetdiag/config.json
#   share/doc/vnetdiag/{copyright,changelog.gz}       what Debian policy asks of every package
#   lib/vnetdiag/vnetdiag-scheduled                   the scheduled run: report, textfile, rotation
#   <unit dir>/vnetdiag.service, vnetdiag.timer       systemd units (timer not enabled)
#
# The units name the scheduled wrapper by its absolute path, so they are written at install time, when
# the real prefix is known (cpack installs with CPACK_PACKAGING_INSTALL_PREFIX=/usr, whatever
# CMAKE_INSTALL_PREFIX the build tree was configured with).

set(_vnd_pkg ${CMAKE_CURRENT_LIST_DIR})

set(VNETDIAG_PACKAGE_MAINTAINER "vnetdiag maintainers <vnetdiag-maintainers@example.com>" CACHE STRING
    "Maintainer of the Debian package (name <address>)")
# The changelog's date: the commit's, so that two builds of one commit make the same package.
execute_process(COMMAND git log -1 --format=%cD
                WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                OUTPUT_VARIABLE VNETDIAG_COMMIT_DATE OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT VNETDIAG_COMMIT_DATE)
  set(VNETDIAG_COMMIT_DATE "Thu, 01 Jan 2026 00:00:00 +0000")
endif()

set(VNETDIAG_SYSTEMD_UNIT_DIR "" CACHE STRING
    "Where the systemd units go (absolute). Empty: /lib/systemd/system for prefix /usr (Debian 12, Ubuntu), else <prefix>/lib/systemd/system")

install(FILES ${_vnd_pkg}/completion/vnetdiag.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME vnetdiag)
install(FILES ${_vnd_pkg}/config.example.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${_vnd_pkg}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${_vnd_pkg}/prometheus/vnetdiag.rules.yml DESTINATION ${CMAKE_INSTALL_DATADIR}/vnetdiag/prometheus)
install(PROGRAMS ${_vnd_pkg}/systemd/vnetdiag-scheduled DESTINATION lib/vnetdiag)
if(EXISTS ${PROJECT_SOURCE_DIR}/reports/schema/report.schema.json)
  install(FILES ${PROJECT_SOURCE_DIR}/reports/schema/report.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/vnetdiag)
endif()

# Generated at install time: the compressed man page and changelog (gzip -n: no name or time stamp, so the
# package is reproducible) and the units with their paths filled in.
install(CODE "
  set(VNETDIAG_PACKAGING_DIR \"${_vnd_pkg}\")
  set(VNETDIAG_STAGING_DIR \"${CMAKE_CURRENT_BINARY_DIR}/packaging-staging\")
  set(VNETDIAG_VERSION \"${PROJECT_VERSION}\")
  set(VNETDIAG_GIT_COMMIT \"${VNETDIAG_GIT_COMMIT}\")
  set(VNETDIAG_COMMIT_DATE \"${VNETDIAG_COMMIT_DATE}\")
  set(VNETDIAG_PACKAGE_MAINTAINER \"${VNETDIAG_PACKAGE_MAINTAINER}\")
  set(VNETDIAG_SYSTEMD_UNIT_DIR \"${VNETDIAG_SYSTEMD_UNIT_DIR}\")
  set(VNETDIAG_MANDIR \"${CMAKE_INSTALL_MANDIR}\")
  set(VNETDIAG_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  set(VNETDIAG_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
")
install(SCRIPT ${_vnd_pkg}/install-generated.cmake)
