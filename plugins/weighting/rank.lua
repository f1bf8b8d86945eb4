--[==[
rank.lua — weights from a ranking of the criteria, three ways.  When a
decision maker can say which criterion matters more but not by how much,
these turn the ranking alone into weights (i = rank, 1 = most important,
n criteria):

  rank-order-centroid  w_i = (1/n) * sum_{k=i..n} 1/k
                       the centroid of every weight vector consistent with
                       the ranking, w_1 >= w_2 >= ... >= w_n >= 0, sum 1
                       (Barron & Barrett 1996).  n = 4: 25/48, 13/48, 7/48, 3/48.
  rank-sum             w_i = 2 (n + 1 - i) / (n (n + 1))
                       proportional to the reversed rank (Stillwell, Seaver
                       & Edwards 1981).  n = 4: 4/10, 3/10, 2/10, 1/10.
  rank-reciprocal      w_i = (1/i) / sum_{k=1..n} 1/k
                       proportional to the reciprocal of the rank (Stillwell
                       et al. 1981).  n = 4: 12/25, 6/25, 4/25, 3/25.

Parameters (the stage spec, e.g. "pipeline": {"weighting": {"name":
"rank-order-centroid", "ranking": ["cost", ["safety", "comfort"], "style"]}}):
  ranking  optional; the criteria, most important first, as
           - a list of criterion ids; an entry may itself be a list of ids
             that are tied: they share equally the weights of the ranks they
             occupy (each gets the mean of those ranks' weights), so the
             weights still sum to 1; or
           - a string "a > b = c > d" ('>' between ranks, '=' between tied
             ids; spaces around them are ignored), handy on the command line:
             --weighting 'rank-order-centroid:ranking=a>b=c>d'.
           Every criterion of the model must appear exactly once.
           Default: the model's criteria order, first most important.
A bad ranking is bad input (exit status 2).

Each returns the weights by criterion id, and diagnostics {ranks = {id =
rank}} (a tied group shows the mean of its ranks, e.g. 2.5).

The three share this file: a plugin cannot require another file, so one
file returns the list of the three plugins.

References:
- F. H. Barron and B. E. Barrett (1996), Decision quality using ranked
  attribute weights, Management Science 42(11): 1515-1523.
- W. G. Stillwell, D. A. Seaver and W. Edwards (1981), A comparison of weight
  approximation techniques in multiattribute utility decision making,
  Organizational Behavior and Human Performance 28(1): 62-77.
]==]

-- The ranking as a list of groups (lists of criterion ids), most important
-- first, checked against the model.  Raises a message naming the stage.
local function read_ranking(model, params, who)
  local known, n = {}, 0
  for _, c in ipairs(model.criteria) do
    known[c.id] = true
    n = n + 1
  end
  for key in pairs(params) do
    if key ~= "ranking" then
      invalid(who .. ": unknown parameter '" .. tostring(key) .. "' (expected: ranking)", 0)
    end
  end
  local r = params.ranking
  local groups = {}
  if r == nil then
    for i, c in ipairs(model.criteria) do groups[i] = {c.id} end
    return groups, n
  end
  if type(r) == "string" then
    -- "a > b = c > d": split on '>' into ranks, each rank on '='.
    for part in (r .. ">"):gmatch("([^>]*)>") do
      local g = {}
      for id in (part .. "="):gmatch("([^=]*)=") do
        id = id:match("^%s*(.-)%s*$")
        if id == "" then
          invalid(who .. ": ranking '" .. r .. "' has an empty criterion id "
                .. "(write it as 'a > b = c', '>' between ranks, '=' between ties)", 0)
        end
        g[#g + 1] = id
      end
      groups[#groups + 1] = g
    end
  elseif type(r) == "table" then
    for i, entry in ipairs(r) do
      if type(entry) == "string" then
        groups[i] = {entry}
      elseif type(entry) == "table" and #entry > 0 then
        local g = {}
        for j, id in ipairs(entry) do
          if type(id) ~= "string" then
            invalid(string.format("%s: ranking[%d][%d] is a %s; expected a criterion id",
                                who, i, j, type(id)), 0)
          end
          g[j] = id
        end
        groups[i] = g
      else
        invalid(string.format("%s: ranking[%d] is %s; expected a criterion id or a non-empty "
                            .. "list of tied ids", who, i,
                            type(entry) == "table" and "an empty list" or "a " .. type(entry)), 0)
      end
    end
    if #groups == 0 then
      invalid(who .. ": ranking is empty; list the criteria, most important first", 0)
    end
  else
    invalid(who .. ": ranking is a " .. type(r) .. "; expected a list of criterion ids or a "
          .. "string 'a > b = c'", 0)
  end
  local seen, count = {}, 0
  for _, g in ipairs(groups) do
    for _, id in ipairs(g) do
      if not known[id] then
        invalid(who .. ": ranking names '" .. id .. "', which is not a criterion of the model", 0)
      end
      if seen[id] then
        invalid(who .. ": ranking names '" .. id .. "' twice", 0)
      end
      seen[id] = true
      count = count + 1
    end
  end
  if count < n then
    local missing = {}
    for _, c in ipairs(model.criteria) do
      if not seen[c.id] then missing[#missing + 1] = "'" .. c.id .. "'" end
    end
    invalid(who .. ": ranking leaves out " .. table.concat(missing, ", ")
          .. "; rank every criterion of the model", 0)
  end
  return groups, n
end

-- Weights of a ranking: each group of tied ids shares the mean of the
-- positional weights pos(k, n) of the ranks it occupies.
local function rank_weights(groups, n, pos)
  local w, ranks, k = {}, {}, 1
  for _, g in ipairs(groups) do
    local m, sum = #g, 0
    for j = k, k + m - 1 do sum = sum + pos(j, n) end
    for _, id in ipairs(g) do
      w[id] = sum / m
      ranks[id] = k + (m - 1) / 2
    end
    k = k + m
  end
  return w, ranks
end

-- Positional weights of rank i among n.
local function centroid(i, n)
  local s = 0
  for k = i, n do s = s + 1 / k end
  return s / n
end

local function rank_sum(i, n)
  return 2 * (n + 1 - i) / (n * (n + 1))
end

local function reciprocal(i, n)
  local s = 0
  for k = 1, n do s = s + 1 / k end
  return (1 / i) / s
end

local function plugin(name, summary, pos)
  return {
    api = 1,
    kind = "weighting",
    name = name,
    summary = summary,
    weights = function(model, params)
      local groups, n = read_ranking(model, params, name)
      local w, ranks = rank_weights(groups, n, pos)
      return w, {ranks = ranks}
    end,
  }
end

return {
  plugin("rank-order-centroid",
         "Centroid weights from a ranking of the criteria (Barron & Barrett 1996)", centroid),
  plugin("rank-sum",
         "Weights proportional to the reversed rank of each criterion (Stillwell et al. 1981)",
         rank_sum),
  plugin("rank-reciprocal",
         "Weights proportional to the reciprocal of each criterion's rank "
         .. "(Stillwell et al. 1981)", reciprocal),
}
