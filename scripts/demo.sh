#!/usr/bin/env bash
# A short tour of Pond on deterministic demo data: `scripts/demo.sh build/pond` (what
# `make demo` runs). Every step is a separate `pond` process: the sources registered at the
# start are remembered by the workspace file, not by a running program.
# Everything is written under .pond/demo (git-ignored), relative to the current folder.
set -euo pipefail

pond_arg="${1:-build/pond}"
[[ -x "$pond_arg" ]] || { echo "demo: no pond binary at '$pond_arg' (build it first: make build)" >&2; exit 1; }
pond="$(cd "$(dirname "$pond_arg")" && pwd)/$(basename "$pond_arg")"
demo=.pond/demo
ws="$demo/workspace.duckdb"

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() {
  printf '$ pond'; printf ' %q' "$@"; printf '\n'
  "$pond" "$@"
}

step "1. Deterministic demo data (seed 42)"
run demo-data --seed 42 --out "$demo"

step "2. A fresh workspace with three sources: a DuckDB file, Parquet files, CSV files"
rm -f "$ws" "$ws.wal"
run -w "$ws" attach "$demo/finance.duckdb" --as fin --read-only
run -w "$ws" query "USE '$demo/parquet/*.parquet' AS facts_pq"
run -w "$ws" query "USE '$demo/csv/*.csv' AS facts_csv"

step "3. What the workspace knows (SHOW SOURCES in SQL, or the sources command)"
run -w "$ws" query "SHOW SOURCES"
run -w "$ws" sources

step "4. Revenue by region, from the DuckDB source"
run -w "$ws" query "SELECT region, sum(customers) AS customers, sum(revenue) AS revenue
  FROM fin.finance_daily GROUP BY region ORDER BY revenue DESC"

step "5. Monthly gross margin, from the view fin.gross_profit"
run -w "$ws" query "SELECT strftime(date, '%Y-%m') AS month, sum(revenue) AS revenue,
    sum(gross_profit) AS gross_profit, round(100 * sum(gross_profit) / sum(revenue), 2) AS margin_pct
  FROM fin.gross_profit GROUP BY month ORDER BY month" --max-rows 10

step "6. One query across all three sources: the yearly totals agree"
run -w "$ws" query "WITH
  db AS (SELECT year(date) AS year, count(*) AS n, sum(revenue) AS revenue FROM fin.finance_daily GROUP BY 1),
  pq AS (SELECT year(date) AS year, sum(revenue) AS revenue FROM facts_pq GROUP BY 1),
  csv AS (SELECT year(date) AS year, round(sum(revenue), 2) AS revenue FROM facts_csv GROUP BY 1)
SELECT year, db.n AS rows, db.revenue AS duckdb, pq.revenue AS parquet, csv.revenue AS csv,
       db.revenue = pq.revenue AND db.revenue = csv.revenue AS agree
FROM db JOIN pq USING (year) JOIN csv USING (year) ORDER BY year"

step "7. Top product/region pairs by marketing ROI (Parquet source)"
run -w "$ws" query "SELECT product, region,
    sum(revenue - cogs - refunds) AS contribution, sum(marketing_spend) AS marketing,
    round(sum(revenue - cogs - refunds) / sum(marketing_spend), 2) AS roi
  FROM facts_pq GROUP BY ALL ORDER BY roi DESC LIMIT 5"

step "8. Export a summary to Parquet and read it back"
run -w "$ws" export "SELECT region, strftime(date, '%Y-%m') AS month, sum(revenue) AS revenue
  FROM fin.finance_daily GROUP BY ALL ORDER BY ALL" --to "$demo/monthly_revenue.parquet"
run query "SELECT count(*) AS rows, sum(revenue) AS revenue FROM '$demo/monthly_revenue.parquet'" --format markdown

step "9. The plan of a filtered aggregate over the Parquet files"
run -w "$ws" explain "SELECT region, sum(revenue) FROM facts_pq WHERE date >= DATE '2025-01-01' GROUP BY region"

printf '\nDone. Try it yourself: %s -w %s shell\n' "$pond_arg" "$ws"
