#include "cli/demo/finance_model.hpp"

#include <cmath>
#include <numbers>

namespace pond::cli {
namespace {

// A double in [0, 1) from the top 53 bits: the same on every platform, unlike the
// standard distributions.
double unit(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

// 1 ± spread, uniformly.
double jitter(std::mt19937_64& random, double spread) { return 1.0 + spread * (2.0 * unit(random) - 1.0); }

int64_t cents(double amount) { return amount <= 0 ? 0 : std::llround(amount * 100.0); }

}  // namespace

FinanceFacts draw_facts(std::mt19937_64& random, int32_t day, const Region& region, const Segment& segment,
                        const Product& product) {
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  const int weekday = (kFirstDay + day + 4) % 7;  // 0 = Sunday; 1970-01-01 was a Thursday
  const double weekly = (weekday == 0 || weekday == 6) ? segment.weekend_factor : (weekday == 1 ? 1.05 : 1.0);
  const double day_of_year = std::fmod(static_cast<double>(day), 365.25);
  const double yearly = 1.0 + 0.10 * std::cos(kTwoPi * (day_of_year - 330.0) / 365.25);
  const double trend = 1.0 + region.growth * static_cast<double>(day) / 365.0;
  const double campaign = 1.0 + 0.3 * std::sin(kTwoPi * static_cast<double>(day) / 91.0);
  // Input costs swing with the seasons and fall slowly as the business scales.
  const double cost_drift =
      1.0 + 0.06 * std::sin(kTwoPi * day_of_year / 365.25) - 0.03 * static_cast<double>(day) / 365.0;

  FinanceFacts facts;
  const double customers = segment.customers * region.weight * 5.0 * trend * yearly * weekly * jitter(random, 0.08);
  facts.customers = static_cast<int32_t>(std::max(1.0, std::round(customers)));
  const double revenue = facts.customers * product.price * segment.spend * jitter(random, 0.05);
  facts.revenue = cents(revenue);
  facts.cogs = cents(revenue * product.cogs_ratio * cost_drift * jitter(random, 0.04));
  facts.opex = cents(revenue * 0.21 * jitter(random, 0.10) + 250.0 * region.weight);
  const double refund_rate = 0.004 + 0.012 * unit(random);
  facts.refunds = cents(revenue * refund_rate * (unit(random) < 0.01 ? 5.0 : 1.0));
  facts.marketing_spend = cents(revenue * product.marketing_ratio * region.marketing_factor * segment.marketing_factor *
                                campaign * jitter(random, 0.15));
  return facts;
}

}  // namespace pond::cli
