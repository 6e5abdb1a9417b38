# DuckDB comes pinned and checksum-verified from scripts/fetch-duckdb.sh, which caches it
# outside the build tree. POND_DUCKDB_DIR overrides where to look.
if(NOT POND_DUCKDB_DIR)
  execute_process(
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/fetch-duckdb.sh
    OUTPUT_VARIABLE POND_DUCKDB_DIR
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "Could not fetch DuckDB; run scripts/setup.sh")
  endif()
endif()
set(POND_DUCKDB_DIR "${POND_DUCKDB_DIR}" CACHE PATH "Folder with include/duckdb.h and lib/libduckdb.so")

add_library(duckdb_c SHARED IMPORTED GLOBAL)
set_target_properties(duckdb_c PROPERTIES
  IMPORTED_LOCATION "${POND_DUCKDB_DIR}/lib/libduckdb.so"
  INTERFACE_INCLUDE_DIRECTORIES "${POND_DUCKDB_DIR}/include")
