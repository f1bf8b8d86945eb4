--[==[
grid.lua — scenarios from a full factorial design: every combination of
the levels of a few uncertain parameters, one scenario each.

With levels {x = {1, 2}, y = {"a", "b"}} the scenarios are, in this order:
  x=1,y=a   x=1,y=b   x=2,y=a   x=2,y=b
Parameter names are taken in sorted (byte) order, since a Lua table keeps no
order; the first name varies slowest, the last fastest, and each name's
levels keep the order they are given in.  A scenario's id is
"name=level,name=level,..." in that order, a level written as text as it is,
an integer in decimal, any other number with up to 14 significant digits
(%.14g), a boolean as true/false.  Its params are {name = level, ...}, the
levels with their own types, for the model's outcomes to read (typically
"outcomes": {"lua": "FILE.lua"}, whose outcome(strategy, scenario) reads
scenario.params).

Parameters (the model file's "scenarios": {"generator": "grid", ...}):
  levels         required; an object parameter name -> non-empty list of
                 levels (numbers, strings or booleans, no two alike once
                 written as above).  Names must not contain ',' or '='.
  probabilities  optional, default true: every scenario gets probability
                 1/N (N scenarios; the design says nothing about which is
                 likelier).  false: no probabilities (decision rules that need
                 none, such as maximin or minimax-regret).

A grid of more than 1,000,000 scenarios is refused (use latin-hypercube to
sample a large space).

Reference: a full factorial design, e.g. D. C. Montgomery (2017), Design
and Analysis of Experiments, 9th ed., Wiley, ch. 5.
]==]

local WHO = "grid"
local MAX_SCENARIOS = 1000000

local function fail(fmt, ...)
  invalid(WHO .. ": " .. string.format(fmt, ...), 0)
end

-- A level as it appears in a scenario id.
local function label(v)
  if math.type(v) == "integer" then return string.format("%d", v) end
  if type(v) == "number" then return string.format("%.14g", v) end
  return tostring(v)
end

return {
  api = 1,
  kind = "scenarios",
  name = "grid",
  summary = "Full factorial scenarios: every combination of parameter levels",
  scenarios = function(model, params, host)
    for key in pairs(params) do
      if key ~= "levels" and key ~= "probabilities" then
        fail("unknown parameter '%s' (expected: levels, probabilities)", tostring(key))
      end
    end
    local with_p = params.probabilities
    if with_p == nil then with_p = true end
    if type(with_p) ~= "boolean" then
      fail("probabilities is %s; expected true (equal probabilities, the default) or false "
           .. "(none)", tostring(with_p))
    end
    local levels = params.levels
    if type(levels) ~= "table" then
      fail("%s; expected levels = {\"name\": [level, ...], ...}",
           levels == nil and "missing parameter 'levels'" or "levels is a " .. type(levels))
    end
    local names = {}
    for name in pairs(levels) do
      if type(name) ~= "string" then
        fail("levels is a list; expected an object parameter name -> list of levels")
      end
      if name == "" or name:find("[,=]") then
        fail("levels: parameter name '%s' must be non-empty, without ',' or '='", name)
      end
      names[#names + 1] = name
    end
    if #names == 0 then fail("levels is empty; give at least one parameter and its levels") end
    table.sort(names)

    local total = 1
    for _, name in ipairs(names) do
      local list = levels[name]
      if type(list) ~= "table" or #list == 0 then
        fail("levels.%s must be a non-empty list of levels", name)
      end
      local seen = {}
      for i, v in ipairs(list) do
        local t = type(v)
        if t ~= "number" and t ~= "string" and t ~= "boolean" then
          fail("levels.%s[%d] is a %s; expected a number, a string or a boolean", name, i, t)
        end
        if t == "number" and (v ~= v or v == math.huge or v == -math.huge) then
          fail("levels.%s[%d] is not a finite number", name, i)
        end
        local l = label(v)
        if seen[l] then fail("levels.%s has the level '%s' twice", name, l) end
        seen[l] = true
      end
      total = total * #list
      if total > MAX_SCENARIOS then
        fail("the grid has more than %d scenarios; use fewer levels, or the latin-hypercube "
             .. "generator to sample the space", MAX_SCENARIOS)
      end
    end

    -- An odometer over the level indices, the last name turning fastest.
    local idx = {}
    for d = 1, #names do idx[d] = 1 end
    local out = {}
    for k = 1, total do
      local parts, p = {}, {}
      for d, name in ipairs(names) do
        local v = levels[name][idx[d]]
        parts[d] = name .. "=" .. label(v)
        p[name] = v
      end
      out[k] = {id = table.concat(parts, ","), params = p,
                probability = with_p and 1 / total or nil}
      for d = #names, 1, -1 do
        idx[d] = idx[d] + 1
        if idx[d] <= #levels[names[d]] then break end
        idx[d] = 1
      end
    end
    return out
  end,
}
