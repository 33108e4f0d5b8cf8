# Findings, the report model, redaction and the renderers (included from reports/CMakeLists.txt).
target_sources(vnetdiag_reports PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/report_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules_environment.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules_proxy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules_dns.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules_tls.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules_http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/findings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redact.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_terminal.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_environment.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_markdown.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_junit.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_prometheus.cpp
  ${CMAKE_CURRENT_LIST_DIR}/atomic_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report_file.cpp)
