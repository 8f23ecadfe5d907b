"""Analytics: tracked links and promo codes, clicks, conversions, post metrics, rollups and the figures read from
them. Writers mark (campaign, creator) pairs dirty; the rollup worker recomputes them; endpoints read rollups."""
