#include "pg_test_support.hpp"
