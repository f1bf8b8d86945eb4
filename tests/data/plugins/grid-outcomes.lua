-- grid-outcomes.lua — profit of a strategy in a scenario of grid.json:
-- units sold (demand, capped by the strategy's capacity) times the margin
-- (1 at a low price, 2 at a high one), less the strategy's fixed cost.
return {
  outcome = function(strategy, scenario)
    local p, s = scenario.params, strategy.params
    local margin = p.price == "high" and 2 or 1
    return {profit = math.min(p.demand, s.capacity) * margin - s.cost}
  end,
}
