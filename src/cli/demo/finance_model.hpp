#pragma once
// The shape of the demo finance facts: regions, segments, products and how one day's row for a
// combination is drawn from the random stream (trend, weekly and yearly seasonality, noise).

#include <array>
#include <cstdint>
#include <random>
#include <string_view>

namespace pond::cli {

struct Region {
  std::string_view name;
  double weight;            // share of the business
  double growth;            // yearly growth rate
  double marketing_factor;  // how marketing-hungry the region is
};

struct Segment {
  std::string_view name;
  double customers;  // daily customers at weight 1
  double spend;      // revenue multiplier per customer
  double weekend_factor;
  double marketing_factor;
};

struct Product {
  std::string_view name;
  double price;
  double cogs_ratio;
  double marketing_ratio;
};

inline constexpr std::array<Region, 5> kRegions{{{"NA", 0.34, 0.18, 1.0},
                                                 {"EMEA", 0.27, 0.14, 0.9},
                                                 {"APAC", 0.20, 0.32, 1.4},
                                                 {"LATAM", 0.11, 0.25, 0.7},
                                                 {"ANZ", 0.08, 0.12, 1.1}}};
inline constexpr std::array<Segment, 3> kSegments{
    {{"Enterprise", 40, 6.0, 0.55, 0.6}, {"SMB", 220, 1.4, 0.70, 1.2}, {"Consumer", 2600, 0.12, 1.15, 1.6}}};
inline constexpr std::array<Product, 4> kProducts{{{"Analytics", 95, 0.22, 0.09},
                                                   {"Storage", 60, 0.38, 0.055},
                                                   {"Compute", 140, 0.47, 0.06},
                                                   {"Support", 45, 0.55, 0.045}}};
inline constexpr size_t kCombinations = kRegions.size() * kSegments.size() * kProducts.size();
inline constexpr int32_t kFirstDay = 19723;  // 2024-01-01 as days since 1970-01-01

// One row's measures; money in cents.
struct FinanceFacts {
  int32_t customers = 0;
  int64_t revenue = 0;
  int64_t cogs = 0;
  int64_t opex = 0;
  int64_t refunds = 0;
  int64_t marketing_spend = 0;
};

// Draws the facts for day `day` (0 = 2024-01-01) of one combination from `random`.
FinanceFacts draw_facts(std::mt19937_64& random, int32_t day, const Region& region, const Segment& segment,
                        const Product& product);

}  // namespace pond::cli
