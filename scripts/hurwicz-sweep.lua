-- hurwicz-sweep.lua — where does the Hurwicz rule change its mind?
--
--   parley scripts/hurwicz-sweep.lua [MODEL] [STEPS]
--
-- The Hurwicz rule scores a strategy alpha * (its best utility over the
-- scenarios) + (1 - alpha) * (its worst), alpha being the coefficient of
-- optimism.  This script sweeps alpha from 0 (Wald's maximin: only the
-- worst case counts) to 1 (maximax: only the best case counts) in STEPS
-- steps (default 100), running the model at each, and then narrows every
-- step where the top strategy changes down to 1e-9 by bisection.  It
-- prints the intervals of alpha with their top strategy and the change
-- points.
local parley = require "parley"

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local path = arg and arg[1] or (here .. "/alaska-talks.json")
local steps = tonumber(arg and arg[2] or "100")
assert(steps and steps >= 1 and steps == math.floor(steps), "STEPS must be a whole number >= 1")
local model = parley.load(path)

local function top(alpha)
  local r = model:run{rule = {name = "hurwicz", alpha = alpha}}
  return r.ranking[1].strategy
end

-- The sweep.
local grid = {}
for i = 0, steps do
  local alpha = i / steps
  grid[#grid + 1] = {alpha = alpha, top = top(alpha)}
end

-- Each change between two grid points, narrowed by bisection.
local changes = {}
for i = 2, #grid do
  local a, b = grid[i - 1], grid[i]
  if a.top ~= b.top then
    local lo, hi = a.alpha, b.alpha
    while hi - lo > 1e-9 do
      local mid = (lo + hi) / 2
      if top(mid) == a.top then lo = mid else hi = mid end
    end
    changes[#changes + 1] = {alpha = (lo + hi) / 2, from = a.top, to = b.top}
  end
end

print(("Hurwicz sweep over %s (%d steps)"):format(model.name, steps))
print()
local from = 0
for _, c in ipairs(changes) do
  print(("alpha %.6f .. %.6f  top: %s"):format(from, c.alpha, c.from))
  from = c.alpha
end
print(("alpha %.6f .. %.6f  top: %s"):format(from, 1, grid[#grid].top))
print()
if #changes == 0 then
  print(("The top strategy is %s for every alpha."):format(grid[1].top))
else
  for _, c in ipairs(changes) do
    print(("change at alpha = %.9f: %s -> %s"):format(c.alpha, c.from, c.to))
  end
end
