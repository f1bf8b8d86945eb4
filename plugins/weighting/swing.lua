--[==[
swing.lua — swing weights (von Winterfeldt & Edwards 1986).

The decision maker imagines every criterion at its worst level and asks
which single swing, from worst to best, would be worth most; that swing gets
100 points.  Every other criterion's swing is then rated against it (a swing
worth half as much gets 50).  The weights are the points normalised:

  w_i = points_i / sum_k points_k

For points {a = 100, b = 60, c = 40}: 0.5, 0.3, 0.2.

Parameters (the stage spec, e.g. "pipeline": {"weighting": {"name": "swing",
"points": {"cost": 100, "safety": 60, "style": 40}}}, or on the command line
--weighting 'swing:points={"cost":100,"safety":60,"style":40}'):
  points   required; an object criterion id -> points, a finite number >= 0,
           for every criterion of the model.  By convention the most
           important swing has 100; any positive scale gives the same weights.
           At least one criterion must have points above 0.

Returns the weights by criterion id.  Errors name the criterion whose points
are missing, negative or not a number, and any id that is not a criterion.

Reference: D. von Winterfeldt and W. Edwards (1986), Decision Analysis and
Behavioral Research, Cambridge University Press.
]==]

local WHO = "swing"

return {
  api = 1,
  kind = "weighting",
  name = "swing",
  summary = "Swing weights: points per criterion, the most important swing 100 "
            .. "(von Winterfeldt & Edwards 1986)",
  weights = function(model, params)
    for key in pairs(params) do
      if key ~= "points" then
        invalid(WHO .. ": unknown parameter '" .. tostring(key) .. "' (expected: points)", 0)
      end
    end
    local points = params.points
    if points == nil then
      invalid(WHO .. ": missing parameter 'points' (criterion id -> points, the most important "
            .. "swing 100), e.g. {\"name\": \"swing\", \"points\": {\"cost\": 100, "
            .. "\"safety\": 40}}", 0)
    end
    if type(points) ~= "table" then
      invalid(WHO .. ": points is a " .. type(points) .. "; expected an object criterion id -> "
            .. "points", 0)
    end
    local known = {}
    for _, c in ipairs(model.criteria) do known[c.id] = true end
    for id in pairs(points) do
      if type(id) ~= "string" then
        invalid(WHO .. ": points is a list; expected an object criterion id -> points", 0)
      end
      if not known[id] then
        invalid(WHO .. ": points names '" .. id .. "', which is not a criterion of the model", 0)
      end
    end
    local w, sum = {}, 0
    for _, c in ipairs(model.criteria) do
      local p = points[c.id]
      if p == nil then
        invalid(WHO .. ": points has nothing for criterion '" .. c.id .. "'; give every "
              .. "criterion its points (0 for a swing that does not matter)", 0)
      end
      if type(p) ~= "number" or p ~= p or p == math.huge or p == -math.huge then
        invalid(WHO .. ": points of criterion '" .. c.id .. "' is " .. tostring(p)
              .. "; expected a finite number >= 0", 0)
      end
      if p < 0 then
        invalid(WHO .. ": points of criterion '" .. c.id .. "' is " .. tostring(p)
              .. "; points must be >= 0", 0)
      end
      w[c.id] = p
      sum = sum + p
    end
    if sum <= 0 then
      invalid(WHO .. ": every criterion has 0 points; give the most important swing 100", 0)
    end
    for id, p in pairs(w) do w[id] = p / sum end
    return w
  end,
}
