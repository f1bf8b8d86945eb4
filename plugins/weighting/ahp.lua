--[==[
ahp.lua — weights from pairwise comparisons of the criteria: the analytic
hierarchy process (AHP) of Saaty (1977, 1980), its criteria level.

The decision maker says, for each pair of criteria (i, j), how many times
more important i is than j, a_ij on Saaty's 1-9 scale, with a_ji = 1/a_ij
and a_ii = 1.  The weights are the principal (Perron) eigenvector of the
matrix A, normalised to sum 1, found by power iteration (w <- A w / sum(A w),
from equal weights, until no component moves by 1e-12 or more).  Then

  lambda_max = sum_i (A w)_i                  (w summing to 1)
  CI = (lambda_max - n) / (n - 1)             (0 when n = 1)
  CR = CI / RI(n)

RI(n), the mean CI of random reciprocal matrices of order n, is Saaty's
table for n = 1..15 (Saaty 1980):
  0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56,
  1.57, 1.59.
For n <= 2 every reciprocal matrix is consistent: CR is reported as 0.  For
n > 15 there is no RI: CR is not reported and a warning says why.  Saaty
advises revising the judgements when CR > 0.1; the weights are still
returned, with a warning in the diagnostics.

Parameters (the stage spec, e.g. "pipeline": {"weighting": {"name": "ahp",
"pairwise": [[1, 3], ["1/3", 1]]}}, or on the command line
--weighting 'ahp:pairwise=[[1,3],[0.3333,1]]'):
  pairwise   required; an n x n list of rows, n = the number of criteria, row
             i and column j comparing criterion i with criterion j.  An entry
             is a positive number or a fraction as text ("1/3"), so that
             reciprocals can be exact.
  criteria   optional; the list of criterion ids giving the order of the
             rows and columns (every criterion once).  Default: the model's
             criteria order.
  tolerance  optional, default 0.05; how far a_ij * a_ji and a_ii may be
             from 1 (relative), so that rounded reciprocals such as 0.14 for
             1/7 pass while a wrong entry does not.  The matrix is used as
             given: a rounded reciprocal moves the weights slightly.

Returns the weights by criterion id, and diagnostics {lambda_max,
consistency_index, random_index, consistency_ratio, warning (only when CR >
0.1 or there is no RI)}.  Errors name the offending cell by row and column
(counted from 1) and the criteria it compares.

References: T. L. Saaty (1977), A scaling method for priorities in
hierarchical structures, Journal of Mathematical Psychology 15(3): 234-281.
T. L. Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill, New York
(the random index table).
]==]

local WHO = "ahp"
local RANDOM_INDEX = {0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56,
                      1.57, 1.59}
local EPSILON = 1e-12    -- power iteration stops when no component moves this much
local MAX_ITERATIONS = 100000
local CR_LIMIT = 0.1

local function fail(fmt, ...)
  invalid(WHO .. ": " .. string.format(fmt, ...), 0)
end

local function finite(x)
  return x == x and x ~= math.huge and x ~= -math.huge
end

-- The order of the rows: the criteria param or the model's order.
local function row_ids(model, params)
  local ids, known = {}, {}
  for i, c in ipairs(model.criteria) do
    ids[i] = c.id
    known[c.id] = true
  end
  local order = params.criteria
  if order == nil then return ids end
  if type(order) ~= "table" then
    fail("criteria is a %s; expected the list of criterion ids in the order of the rows",
         type(order))
  end
  local seen, out = {}, {}
  for i, id in ipairs(order) do
    if type(id) ~= "string" then
      fail("criteria[%d] is a %s; expected a criterion id", i, type(id))
    end
    if not known[id] then fail("criteria names '%s', which is not a criterion of the model", id) end
    if seen[id] then fail("criteria names '%s' twice", id) end
    seen[id] = true
    out[i] = id
  end
  if #out ~= #ids then
    local missing = {}
    for _, id in ipairs(ids) do
      if not seen[id] then missing[#missing + 1] = "'" .. id .. "'" end
    end
    fail("criteria leaves out %s; list every criterion of the model once",
         table.concat(missing, ", "))
  end
  return out
end

-- One entry of the matrix as a number: a number, or text "p/q" or "x".
local function entry(v, i, j, ids)
  local x
  if type(v) == "number" then
    x = v
  elseif type(v) == "string" then
    local p, q = v:match("^%s*([^/%s]+)%s*/%s*([^/%s]+)%s*$")
    if p then
      p, q = tonumber(p), tonumber(q)
      if p and q and q ~= 0 then x = p / q end
    else
      x = tonumber(v)
    end
  end
  if type(x) ~= "number" or not finite(x) or x <= 0 then
    fail("pairwise row %d, column %d (criterion '%s' against '%s') is %s; expected a positive "
         .. "number, or a fraction as text such as \"1/3\"", i, j, ids[i], ids[j],
         type(v) == "string" and ("\"" .. v .. "\"") or tostring(v))
  end
  return x
end

-- The checked matrix, A[i][j] numbers.
local function read_matrix(params, ids, tol)
  local n = #ids
  local rows = params.pairwise
  if rows == nil then
    fail("missing parameter 'pairwise' (an n x n matrix of comparisons, n = %d criteria in the "
         .. "order %s)", n, table.concat(ids, ", "))
  end
  if type(rows) ~= "table" or #rows ~= n then
    fail("pairwise must be a list of %d rows (one per criterion: %s); got %s", n,
         table.concat(ids, ", "),
         type(rows) == "table" and (#rows .. " rows") or ("a " .. type(rows)))
  end
  local A = {}
  for i = 1, n do
    local row = rows[i]
    if type(row) ~= "table" or #row ~= n then
      fail("pairwise row %d (criterion '%s') must be a list of %d numbers; got %s", i, ids[i], n,
           type(row) == "table" and (#row .. " entries") or ("a " .. type(row)))
    end
    A[i] = {}
    for j = 1, n do A[i][j] = entry(row[j], i, j, ids) end
  end
  for i = 1, n do
    if math.abs(A[i][i] - 1) > tol then
      fail("pairwise row %d, column %d (criterion '%s' against itself) is %.6g; the diagonal "
           .. "must be 1", i, i, ids[i], A[i][i])
    end
    for j = i + 1, n do
      if math.abs(A[i][j] * A[j][i] - 1) > tol then
        fail("pairwise is not reciprocal at row %d, column %d (criterion '%s' against '%s'): it "
             .. "is %.6g, while row %d, column %d is %.6g, so it should be 1/%.6g = %.6g "
             .. "(within a relative tolerance of %.6g)", j, i, ids[j], ids[i], A[j][i], i, j,
             A[i][j], A[i][j], 1 / A[i][j], tol)
      end
    end
  end
  return A
end

-- The principal eigenvector (summing to 1) and eigenvalue of A, by power
-- iteration.  A is positive, so the iteration converges (Perron).
local function principal(A, n)
  local w = {}
  for i = 1, n do w[i] = 1 / n end
  for _ = 1, MAX_ITERATIONS do
    local y, sum = {}, 0
    for i = 1, n do
      local s, row = 0, A[i]
      for j = 1, n do s = s + row[j] * w[j] end
      y[i] = s
      sum = sum + s
    end
    local moved = 0
    for i = 1, n do
      y[i] = y[i] / sum
      moved = math.max(moved, math.abs(y[i] - w[i]))
    end
    w = y
    if moved < EPSILON then
      local lambda = 0
      for i = 1, n do
        for j = 1, n do lambda = lambda + A[i][j] * w[j] end
      end
      return w, lambda
    end
  end
  fail("the power iteration did not converge in %d steps", MAX_ITERATIONS)
end

return {
  api = 1,
  kind = "weighting",
  name = "ahp",
  summary = "Principal eigenvector of a pairwise comparison matrix, with Saaty's consistency "
            .. "ratio (Saaty 1977, 1980)",
  weights = function(model, params)
    for key in pairs(params) do
      if key ~= "pairwise" and key ~= "criteria" and key ~= "tolerance" then
        fail("unknown parameter '%s' (expected: pairwise, criteria, tolerance)", tostring(key))
      end
    end
    local tol = params.tolerance
    if tol == nil then
      tol = 0.05
    elseif type(tol) ~= "number" or not (tol >= 0 and tol < 1) then
      fail("tolerance is %s; expected a number in [0, 1)", tostring(tol))
    end
    local ids = row_ids(model, params)
    local n = #ids
    local A = read_matrix(params, ids, tol)
    local w, lambda = principal(A, n)

    local ci = n > 1 and (lambda - n) / (n - 1) or 0
    local diag = {lambda_max = lambda, consistency_index = ci}
    local ri = RANDOM_INDEX[n]
    if ri then
      diag.random_index = ri
      diag.consistency_ratio = ri > 0 and ci / ri or 0
      if diag.consistency_ratio > CR_LIMIT then
        diag.warning = string.format("consistency ratio %.3f is above %.1f: the judgements are "
                                     .. "inconsistent; Saaty advises revising them",
                                     diag.consistency_ratio, CR_LIMIT)
      end
    else
      diag.warning = string.format("no random index for %d criteria (Saaty's table ends at 15): "
                                   .. "the consistency ratio is not computed", n)
    end

    local weights = {}
    for i, id in ipairs(ids) do weights[id] = w[i] end
    return weights, diag
  end,
}
