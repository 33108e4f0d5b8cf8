# The Debian package, built by CPack from what packaging/install.cmake and agent/CMakeLists.txt install.
# Included from the top-level CMakeLists.txt. One command: scripts/package (static preset, then cpack and
# the tarball: packaging/release.sh).
#
#   cmake --preset static && cmake --build --preset static --target vnetdiag
#   cpack --config build/static/CPackConfig.cmake -B build/static/package
#
# Runtime dependencies are computed by dpkg-shlibdeps from the binary (dpkg-dev must be installed, and
# file(1), which CPack uses to find the ELF files): none for the static binary, the shared libraries for a
# developer build; only ca-certificates, which the binary needs but does not link, is named by hand.

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "vnetdiag")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "vnetdiag")
set(CPACK_PACKAGE_CONTACT "${VNETDIAG_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "in-VNet connectivity diagnostics for Azure Machine Learning workspaces")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/package")
# Only the files themselves: /usr, /usr/share, /lib and so on belong to base-files.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # vnetdiag_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${VNETDIAG_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus-node-exporter")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description below it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "vnetdiag finds where the network path between an Azure Machine Learning
workspace and its dependencies breaks. Run inside the VNet, on a jump box or a
compute instance, it resolves every host the workspace needs on every resolver
the machine can use, connects to every address, follows the proxy, checks the
TLS certificate and sends one HTTP request, and names the cause and the fix.
.
The package also ships a systemd service and timer (not enabled) that run the
check on a schedule and write a JSON report and a Prometheus textfile.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_LIST_DIR}/debian/postinst;${CMAKE_CURRENT_LIST_DIR}/debian/prerm;${CMAKE_CURRENT_LIST_DIR}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
