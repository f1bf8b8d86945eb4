-- alaska-talks.lua — the worked example under several decision rules.
--
--   parley scripts/alaska-talks.lua [MODEL]
--
-- Runs the talks model (scripts/alaska-talks.json unless MODEL is given)
-- once per decision rule across scenarios and prints, for each rule, the
-- recommended strategy and the full ranking, then how the recommendation
-- moves away from the expected-value one.  The rules differ in what they
-- fear: expected value weighs the scenarios by their probabilities,
-- maximin looks only at each strategy's worst scenario, maximax at its
-- best, Hurwicz mixes the two, Laplace treats the scenarios as equally
-- likely and minimax regret minimises the largest shortfall against the
-- best strategy of each scenario.
local parley = require "parley"

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local model = parley.load(arg and arg[1] or (here .. "/alaska-talks.json"))

local rules = {
  {label = "expected value", spec = "expected"},
  {label = "maximin (Wald)", spec = "maximin"},
  {label = "maximax", spec = "maximax"},
  {label = "Hurwicz, alpha 0.3", spec = {name = "hurwicz", alpha = 0.3}},
  {label = "Hurwicz, alpha 0.7", spec = {name = "hurwicz", alpha = 0.7}},
  {label = "Laplace", spec = "laplace"},
  {label = "minimax regret (Savage)", spec = "minimax-regret"},
}

print(("%s\n"):format(model.name))
local baseline
for _, rule in ipairs(rules) do
  local r = model:run{rule = rule.spec}
  -- Strategies that share the first rank are all recommended.
  local tops = {}
  for _, place in ipairs(r.ranking) do
    if place.rank == 1 then tops[#tops + 1] = place.strategy end
  end
  local top = {strategy = table.concat(tops, " = "), score = r.ranking[1].score}
  baseline = baseline or top.strategy
  print(("%-26s %-26s score %.4f (%s is better)"):format(rule.label, top.strategy, top.score,
    r.order == "descending" and "higher" or "lower"))
  local order = {}
  for _, place in ipairs(r.ranking) do order[#order + 1] = place.rank .. ". " .. place.strategy end
  print("    " .. table.concat(order, "  "))
  rule.top = top.strategy
end

print()
local changed = false
for _, rule in ipairs(rules) do
  if rule.top ~= baseline then
    changed = true
    print(("Under %s the recommendation changes: %s instead of %s."):format(rule.label, rule.top,
      baseline))
  end
end
if not changed then
  print(("Every rule recommends %s: the recommendation does not depend on the rule."):format(
    baseline))
end
