--[==[
latin-hypercube.lua — scenarios sampled by Latin hypercube sampling (McKay,
Beckman & Conover 1979): n samples of a few uncertain parameters, each
parameter's range cut into n equal strata and every stratum sampled exactly
once, so that n scenarios cover each parameter's whole range evenly.

For each parameter (in sorted name order, so that a run repeats exactly):
draw a random permutation pi of 1..n (Fisher-Yates), then for sample j a
point uniformly inside stratum pi(j):

  x_j = lo + (hi - lo) * (pi(j) - 1 + u_j) / n,   u_j uniform in [0, 1)

The random numbers come from math.random, which the engine seeds from the
run's --seed and this plugin's name: the same seed gives the same scenarios,
another seed other ones.  Pairing the parameters through independent
permutations is McKay et al.'s scheme; no correlation control is attempted.

Scenario ids are "lhs-" and the sample number, zero-padded to the width of
n ("lhs-01" .. "lhs-10" for n = 10; "lhs-1" .. "lhs-9" for n = 9).  Each
scenario's params are {name = value, ...}, for the model's outcomes to read
(typically "outcomes": {"lua": "FILE.lua"}).

Parameters (the model file's "scenarios": {"generator": "latin-hypercube",
...}):
  n              required; the number of samples, a whole number from 1 to
                 1,000,000.
  ranges         required; an object parameter name -> [lo, hi], finite
                 numbers with lo <= hi (lo = hi gives that constant).
  probabilities  optional, default true: every scenario gets probability
                 1/n (each is an equally likely draw).  false: none.

Reference: M. D. McKay, R. J. Beckman and W. J. Conover (1979), A comparison
of three methods for selecting values of input variables in the analysis of
output from a computer code, Technometrics 21(2): 239-245.
]==]

local WHO = "latin-hypercube"
local MAX_SAMPLES = 1000000

local function fail(fmt, ...)
  invalid(WHO .. ": " .. string.format(fmt, ...), 0)
end

local function finite(x)
  return type(x) == "number" and x == x and x ~= math.huge and x ~= -math.huge
end

return {
  api = 1,
  kind = "scenarios",
  name = "latin-hypercube",
  summary = "Latin hypercube sample of parameter ranges, one draw per stratum "
            .. "(McKay, Beckman & Conover 1979)",
  scenarios = function(model, params, host)
    for key in pairs(params) do
      if key ~= "n" and key ~= "ranges" and key ~= "probabilities" then
        fail("unknown parameter '%s' (expected: n, ranges, probabilities)", tostring(key))
      end
    end
    local n = params.n
    if n == nil then fail("missing parameter 'n' (the number of samples)") end
    if math.type(n) ~= "integer" or n < 1 or n > MAX_SAMPLES then
      fail("n is %s; expected a whole number from 1 to %d", tostring(n), MAX_SAMPLES)
    end
    local with_p = params.probabilities
    if with_p == nil then with_p = true end
    if type(with_p) ~= "boolean" then
      fail("probabilities is %s; expected true (equal probabilities, the default) or false "
           .. "(none)", tostring(with_p))
    end
    local ranges = params.ranges
    if type(ranges) ~= "table" then
      fail("%s; expected ranges = {\"name\": [lo, hi], ...}",
           ranges == nil and "missing parameter 'ranges'" or "ranges is a " .. type(ranges))
    end
    local names = {}
    for name, r in pairs(ranges) do
      if type(name) ~= "string" then
        fail("ranges is a list; expected an object parameter name -> [lo, hi]")
      end
      if type(r) ~= "table" or #r ~= 2 or not finite(r[1]) or not finite(r[2]) then
        fail("ranges.%s must be [lo, hi], two finite numbers", name)
      end
      if r[1] > r[2] then
        fail("ranges.%s is [%.14g, %.14g]: lo is above hi", name, r[1], r[2])
      end
      names[#names + 1] = name
    end
    if #names == 0 then fail("ranges is empty; give at least one parameter and its range") end
    table.sort(names)

    local samples = {}
    for j = 1, n do samples[j] = {} end
    for _, name in ipairs(names) do
      local lo, hi = ranges[name][1], ranges[name][2]
      local perm = {}
      for j = 1, n do perm[j] = j end
      for j = n, 2, -1 do
        local k = math.random(j)
        perm[j], perm[k] = perm[k], perm[j]
      end
      for j = 1, n do
        local x = lo + (hi - lo) * (perm[j] - 1 + math.random()) / n
        -- Rounding must not push a point out of its range.
        if x > hi then x = hi end
        samples[j][name] = x
      end
    end

    local width = #tostring(n)
    local out = {}
    for j = 1, n do
      out[j] = {id = string.format("lhs-%0" .. width .. "d", j), params = samples[j],
                probability = with_p and 1 / n or nil}
    end
    return out
  end,
}
