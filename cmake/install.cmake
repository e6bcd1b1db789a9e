# `cmake --install` puts in place: the fundstelle program, libfundstelle.so with the public headers, a CMake
# package (find_package(Fundstelle) gives Fundstelle::fundstelle) and a pkg-config file (fundstelle.pc).
include(CMakePackageConfigHelpers)

install(TARGETS fundstelle EXPORT FundstelleTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS fundstelle_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/fundstelle DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/fundstelle/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fundstelle)

set(FUNDSTELLE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Fundstelle)
install(EXPORT FundstelleTargets NAMESPACE Fundstelle:: DESTINATION ${FUNDSTELLE_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/FundstelleConfig.cmake.in
  ${PROJECT_BINARY_DIR}/FundstelleConfig.cmake INSTALL_DESTINATION ${FUNDSTELLE_CMAKE_DIR})
# 0.x: a minor version may change the API (see README, Stability); from 1.0 on, the major version.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/FundstelleConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/FundstelleConfig.cmake ${PROJECT_BINARY_DIR}/FundstelleConfigVersion.cmake
        DESTINATION ${FUNDSTELLE_CMAKE_DIR})

# Relocatable: the prefix is found from where the .pc file lies (pkg-config's ${pcfiledir}).
file(RELATIVE_PATH FUNDSTELLE_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${CMAKE_CURRENT_LIST_DIR}/fundstelle.pc.in ${PROJECT_BINARY_DIR}/fundstelle.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/fundstelle.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
