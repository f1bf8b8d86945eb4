-- lhs-outcomes.lua — the criteria of latin-hypercube.json from a sampled
-- scenario: the benefit grows with growth, the cost with the unit cost, both
-- in proportion to the strategy's share.
return {
  outcome = function(strategy, scenario)
    local p, share = scenario.params, strategy.params.share
    return {benefit = share * p.growth, cost = share * (p.unit_cost + 2)}
  end,
}
