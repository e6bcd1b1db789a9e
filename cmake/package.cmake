# What a system installation adds to `cmake --install` (cmake/install.cmake), and the .deb that carries it all:
# the manual page fundstelle(1) and the bash and zsh completions, made at build time by the program itself
# from its own options (cli/manual.h), and the systemd service fundstelle-serve with its settings file.
#
# The package: configure with -DCMAKE_INSTALL_PREFIX=/usr (so that the settings go to /etc), build, then
#   cpack -G DEB        (in the build folder: fundstelle_VERSION_ARCH.deb)
# scripts/package_test.sh installs it with dpkg -i and uses it, as CI does.
set(FUNDSTELLE_MADE ${PROJECT_BINARY_DIR}/made)
if(NOT CMAKE_CROSSCOMPILING)
  add_custom_command(
    OUTPUT ${FUNDSTELLE_MADE}/fundstelle.1.gz ${FUNDSTELLE_MADE}/fundstelle.bash ${FUNDSTELLE_MADE}/_fundstelle
    COMMAND ${CMAKE_COMMAND} -E make_directory ${FUNDSTELLE_MADE}
    # (gzip -n: no name or time in the header, so the same program gives the same bytes)
    COMMAND sh -c "\"$0\" manpage | gzip -9n > \"$1\"" $<TARGET_FILE:fundstelle_cli> ${FUNDSTELLE_MADE}/fundstelle.1.gz
    COMMAND sh -c "\"$0\" completion bash > \"$1\"" $<TARGET_FILE:fundstelle_cli> ${FUNDSTELLE_MADE}/fundstelle.bash
    COMMAND sh -c "\"$0\" completion zsh > \"$1\"" $<TARGET_FILE:fundstelle_cli> ${FUNDSTELLE_MADE}/_fundstelle
    DEPENDS fundstelle_cli
    COMMENT "Making the manual page and the shell completions from the program's options"
    VERBATIM)
  add_custom_target(fundstelle_manual ALL
    DEPENDS ${FUNDSTELLE_MADE}/fundstelle.1.gz ${FUNDSTELLE_MADE}/fundstelle.bash ${FUNDSTELLE_MADE}/_fundstelle)
  install(FILES ${FUNDSTELLE_MADE}/fundstelle.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${FUNDSTELLE_MADE}/fundstelle.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME fundstelle)
  install(FILES ${FUNDSTELLE_MADE}/_fundstelle DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
endif()

# The settings live in /etc for a system installation (prefix /usr), else under the prefix (etc/), so that an
# installation into a folder of one's own writes nothing outside it.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(FUNDSTELLE_ETC /etc)
else()
  set(FUNDSTELLE_ETC ${CMAKE_INSTALL_FULL_SYSCONFDIR})
endif()
configure_file(${PROJECT_SOURCE_DIR}/packaging/fundstelle-serve.service.in ${FUNDSTELLE_MADE}/fundstelle-serve.service
               @ONLY)
install(FILES ${FUNDSTELLE_MADE}/fundstelle-serve.service DESTINATION lib/systemd/system)
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/fundstelle.default DESTINATION /etc/default RENAME fundstelle)
else()
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/fundstelle.default DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/default
          RENAME fundstelle)
endif()

# The .deb: one package with the program, the library and what building against it needs (headers, CMake
# and pkg-config files), the manual page, completions and service. Its library dependencies are found by
# dpkg-shlibdeps (dpkg-dev) from what the program and library link.
file(WRITE ${FUNDSTELLE_MADE}/conffiles "/etc/default/fundstelle\n")
# (ldconfig once the shared library is in place or gone, as Debian's packages ask it: a trigger)
file(WRITE ${FUNDSTELLE_MADE}/triggers "activate-noawait ldconfig\n")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME fundstelle)
set(CPACK_PACKAGE_VENDOR "Fundstelle")
set(CPACK_PACKAGE_CONTACT "Fundstelle developers <fundstelle@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search for German news, by passage")
set(CPACK_PACKAGE_DESCRIPTION
    "Fundstelle indexes German news articles (text files and JSON Lines feeds)
and answers a query with the best passages: a few sentences of an article,
or one reader comment, ranked and highlighted. It understands German
inflection, umlauts and compounds. The package holds the fundstelle command
(index, search, serve), the fundstelle-serve systemd service, and the C++
library libfundstelle with its headers, CMake and pkg-config files.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
# The Python module (when built) is for one Python version: the package recommends that one (the command,
# the library and the service work without any Python).
if(FUNDSTELLE_PYTHON AND DEFINED Python3_VERSION_MINOR)
  math(EXPR _python_next "${Python3_VERSION_MINOR} + 1")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
      "python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${_python_next})")
  string(APPEND CPACK_PACKAGE_DESCRIPTION "
With Python ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}: the module fundstelle (import fundstelle).")
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${FUNDSTELLE_MADE}/conffiles;${FUNDSTELLE_MADE}/triggers;\
${PROJECT_SOURCE_DIR}/packaging/postinst;\
${PROJECT_SOURCE_DIR}/packaging/prerm;${PROJECT_SOURCE_DIR}/packaging/postrm")
include(CPack)
