-- report.lua — the result as a document, in three formats that lay out the
-- same content: "markdown", "html" and "latex" (a plugin cannot load
-- another file, so the three share this one, which returns the list of
-- them).  The content comes first, built once as a list of blocks; each
-- format's writer follows in its own section.
--
-- ==== markdown ================================================================
-- markdown.lua — the result as GitHub-flavoured Markdown: a "# model name"
-- title, then "##" sections with pipe tables: the pipeline, the ranking
-- (rank, strategy, id, score), the strategies' descriptions and notes, the
-- criteria with their weights, the scenarios with their probabilities and
-- notes, the utilities (strategy x scenario, ranking order), the actors
-- (their weights, their rankings side by side, Kendall's tau-b between
-- them), the value of information, Monte Carlo and SMAA results when the
-- result has them (other analyses are named, not shown), and the stages'
-- diagnostics, one row per value.
--
-- Every text from the model is escaped: a backslash goes before each of
-- \ ` * _ { } [ ] < > # + ! | ~ & $ (so "|" cannot end a table cell and
-- "<b>" is not read as HTML), line breaks become spaces, and a paragraph
-- that would start a list or a heading gets its first mark escaped.
--
-- Parameters (--format markdown:key=value,...):
--   digits  decimals of the numbers shown (0-12, default 4; scientific
--           notation below 10^-digits and from 10^9)
--   top     show only the best N strategies in the per-strategy tables
--           (default: all)

-- ==== html ====================================================================
-- html.lua — the result as one self-contained HTML5 page: no request leaves
-- it (no external style sheet, script, font or image; the style is inline
-- and the charts are inline SVG).  It shows the model's name and
-- description, the pipeline, the ranking as a horizontal bar chart of the
-- scores and a table, the strategies' descriptions and notes, the criteria
-- with their weights, the scenarios with their probabilities and notes, the
-- utilities as a heat map (strategy x scenario, ranking order, a sequential
-- colour scale with its legend) and a table, the actors (their weights,
-- their rankings side by side, Kendall's tau-b between them), the value of
-- information, Monte Carlo and SMAA results when the result has them (other
-- analyses are named, not shown), and the stages' diagnostics.
--
-- Every text is HTML-escaped (& < > " ' become entities), in element text
-- and in attributes alike.  Every element is closed; void elements are
-- written self-closed (<meta ... />), so the page also parses as XML.
-- Numbers in tables and charts share one format (see digits).
--
-- Parameters (--format html:key=value,...):
--   digits  decimals of the numbers shown (0-12, default 4; scientific
--           notation below 10^-digits and from 10^9)
--   top     show only the best N strategies in the per-strategy tables
--           and charts (default: all)

-- ==== latex ===================================================================
-- latex.lua — the result as LaTeX: one \section* per part of the result
-- (\subsection* in a fragment), each table a booktabs tabular (\toprule,
-- \midrule, \bottomrule) in a table environment with a caption: the
-- pipeline, the ranking (rank, strategy, id, score), the strategies'
-- descriptions and notes, the criteria with their weights, the scenarios
-- with their probabilities and notes, the utilities (strategy x scenario,
-- ranking order), the actors (their weights, their rankings side by side,
-- Kendall's tau-b between them), the value of information, Monte Carlo and
-- SMAA results when the result has them (other analyses are named, not
-- shown), and the stages' diagnostics.  A table of more than 40 rows is a
-- longtable instead (it may break across pages; same rules, same caption).
--
-- Every text from the model is escaped: # $ % & _ { } become \# \$ \% \&
-- \_ \{ \}; ~ ^ \ become \textasciitilde{} \textasciicircum{}
-- \textbackslash{}; < > | become \textless{} \textgreater{} \textbar{}
-- (which the default font encoding would misprint); line breaks become
-- spaces; "--" stays two hyphens.  A number's minus sign is set as $-$.
-- A table too wide for the line gets a smaller type size (down to
-- \scriptsize) and its long text columns become p{} columns that wrap.
--
-- By default the output is a fragment for \input{} into a document that
-- loads booktabs (and longtable, should a table be that long).
--
-- Parameters (--format latex:key=value,...):
--   standalone  true (or 1, yes): a complete document, \documentclass{article}
--               with booktabs, longtable, float, T1 fonts, UTF-8 input and
--               2 cm margins, ready for pdflatex (default false)
--   digits      decimals of the numbers shown (0-12, default 4; scientific
--               notation below 10^-digits and from 10^9)
--   top         show only the best N strategies in the per-strategy tables
--               (default: all)
--   placement   the tables' float placement, letters of !htbpH (default H
--               in a standalone document, which loads float; !htbp otherwise)

-- ---- the report's content ----------------------------------------------------
-- Shared by the three writers below.
-- build(result, params, who, extra) checks the parameters (digits, top and
-- the writer's own, named in the set `extra`; `who` names the format in
-- messages) and turns the result into a list of blocks whose texts are
-- raw, unescaped strings; the writer below escapes them:
--   {kind = "title", text = ...}     the model's name
--   {kind = "section", text = ...}   a section heading
--   {kind = "para", text = ...}      a paragraph
--   {kind = "table", title = ..., head = {...}, align = "lrr", rows = {{...}},
--    note = ... or nil}              numbers already formatted; "r" = numeric
--   {kind = "bars", ...}, {kind = "heatmap", ...}   charts (html.lua draws them)

local SCORING_STAGES = {"weighting", "normalization", "aggregation", "rule"}
local KNOWN_ANALYSES = {evpi = true, montecarlo = true, smaa = true}
local MAX_RANK_COLUMNS = 12 -- rank-probability columns before they are cut

-- A number with `digits` decimals; scientific notation where fixed point
-- would hide the value (tiny) or stretch the column (huge), as the text
-- report does.  JSON null arrives as nil: "n/a".
local function fmtnum(v, digits)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then return "n/a" end
  local a = math.abs(v)
  if v ~= 0 and (a < 10.0 ^ -digits or a >= 1e9) then
    return string.format("%." .. digits .. "e", v)
  end
  local s = string.format("%." .. digits .. "f", v)
  if s:match("^%-[0.]*$") then s = s:sub(2) end -- no "-0.0000"
  return s
end

-- Parameters as given (0.6, not 0.6000).
local function fmtparam(v)
  if math.type(v) == "float" then return string.format("%.14g", v) end
  return tostring(v)
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "number"
  end)
  return keys
end

-- A JSON array arrives as a table with keys 1..n only.
local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 then return false end
    n = n + 1
  end
  return n > 0 and n == #t
end

-- A compact one-line text of any JSON-like value.
local function show(v, numfmt, depth)
  depth = depth or 0
  if type(v) == "number" then return numfmt(v) end
  if type(v) ~= "table" then return tostring(v) end
  if depth > 16 then return "..." end
  local parts = {}
  if is_array(v) then
    for i = 1, #v do parts[i] = show(v[i], numfmt, depth + 1) end
    return "[" .. table.concat(parts, ", ") .. "]"
  end
  for _, k in ipairs(sorted_keys(v)) do
    parts[#parts + 1] = tostring(k) .. ": " .. show(v[k], numfmt, depth + 1)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- Rows {path, value} of a nested value: one row per scalar, an array of
-- scalars on one row.
local function flatten(v, path, rows, numfmt, depth)
  if type(v) ~= "table" or depth > 16 then
    rows[#rows + 1] = {path, show(v, numfmt)}
    return
  end
  local arr = is_array(v)
  if arr then
    local scalars = true
    for i = 1, #v do scalars = scalars and type(v[i]) ~= "table" end
    if scalars then
      rows[#rows + 1] = {path, show(v, numfmt)}
      return
    end
  end
  if next(v) == nil then
    rows[#rows + 1] = {path, "{}"}
    return
  end
  for _, k in ipairs(sorted_keys(v)) do
    local sub = arr and (path .. "[" .. k .. "]") or (path == "" and tostring(k))
      or (path .. "." .. tostring(k))
    flatten(v[k], sub, rows, numfmt, depth + 1)
  end
end

-- Free-form notes (any JSON value) as one line: {potential_outcomes = "..."}
-- reads "Potential outcomes: ...".
local function notes_text(notes, numfmt)
  if notes == nil then return "" end
  if type(notes) ~= "table" or is_array(notes) then return show(notes, numfmt) end
  local parts = {}
  for _, k in ipairs(sorted_keys(notes)) do
    local label = tostring(k):gsub("_", " ")
    label = label:sub(1, 1):upper() .. label:sub(2)
    parts[#parts + 1] = label .. ": " .. show(notes[k], numfmt)
  end
  return table.concat(parts, " ")
end

-- Whether a higher utility is better.  The result says so for the score
-- (order); a rule that is itself lower-is-better (regret) keeps utilities
-- where higher is better, while an ascending order under any other rule
-- comes from a lower-is-better aggregation, whose utilities are too.
-- A result field "utility_order", when present, decides.
local function utility_higher_better(result)
  if result.utility_order then return result.utility_order ~= "ascending" end
  if result.order ~= "ascending" then return true end
  local rule = result.pipeline and result.pipeline.rule
  return type(rule) == "table" and rule.name == "minimax-regret"
end

-- The model's one implicit scenario "base" (no scenarios given).
local function implicit_scenario(scen)
  return #scen == 1 and scen[1].id == "base" and scen[1].name == "base" and not scen[1].notes
    and scen[1].params == nil
end

local function plural(n, one, many) return n .. " " .. (n == 1 and one or many) end

-- Checks the common parameters; `extra` names the writer's own.
local function check_params(params, who, extra)
  local known = {digits = true, top = true}
  for k in pairs(extra or {}) do known[k] = true end
  for k in pairs(params) do
    if not known[k] then
      local names = sorted_keys(known)
      invalid(string.format("format %s: unknown parameter '%s' (parameters: %s)", who, tostring(k),
        table.concat(names, ", ")), 0)
    end
  end
  local digits = params.digits or 4
  if math.type(tonumber(digits)) ~= "integer" or tonumber(digits) < 0
    or tonumber(digits) > 12 then
    invalid(string.format("format %s: digits must be a whole number from 0 to 12, not '%s'", who,
      tostring(digits)), 0)
  end
  local top = params.top
  if top ~= nil and (math.type(tonumber(top)) ~= "integer" or tonumber(top) < 1) then
    invalid(string.format("format %s: top must be a whole number from 1 up, not '%s'", who,
      tostring(top)), 0)
  end
  return tonumber(digits), top and tonumber(top)
end

local function build(result, params, who, extra)
  local digits, top = check_params(params, who, extra)
  local function num(v) return fmtnum(v, digits) end
  local m = result.model or {}
  local crit, strat, scen, actors = m.criteria or {}, m.strategies or {}, m.scenarios or {},
    m.actors or {}
  local sname, cname, kname, aname = {}, {}, {}, {}
  for _, s in ipairs(strat) do sname[s.id] = s.name or s.id end
  for _, c in ipairs(crit) do cname[c.id] = c.name or c.id end
  for _, k in ipairs(scen) do kname[k.id] = k.name or k.id end
  for _, a in ipairs(actors) do aname[a.id] = a.name or a.id end
  local function sn(id) return sname[id] or tostring(id) end
  local ranking = result.ranking or {}
  local analyses = result.analyses or {}
  local shown = #ranking
  if top and top < shown then shown = top end
  local cut = shown < #ranking
    and string.format("Showing the best %d of %d strategies.", shown, #ranking) or nil
  local better = result.order == "ascending" and "lower" or "higher"
  local implicit = implicit_scenario(scen)

  local doc = {}
  local function add(b) doc[#doc + 1] = b end
  local function section(text) add({kind = "section", text = text}) end
  local function tbl(title, head, align, rows, note)
    add({kind = "table", title = title, head = head, align = align, rows = rows, note = note})
  end

  add({kind = "title", text = (m.name and m.name ~= "") and m.name or "Parley result"})
  if m.description and m.description ~= "" then add({kind = "para", text = m.description}) end
  local size = plural(#strat, "strategy", "strategies") .. ", " .. plural(#crit, "criterion",
    "criteria") .. ", " .. (implicit and "no scenarios" or plural(#scen, "scenario", "scenarios"))
  if #actors > 0 then size = size .. ", " .. plural(#actors, "actor", "actors") end
  add({kind = "para", text = size .. "."})

  -- The pipeline: the four scoring stages, then any other the result names.
  local pipeline = result.pipeline or {}
  local rows, seen = {}, {}
  local function stage_row(kind)
    local st = pipeline[kind]
    seen[kind] = true
    if type(st) ~= "table" then return end
    local ps = {}
    for _, k in ipairs(sorted_keys(st)) do
      if k ~= "name" then ps[#ps + 1] = tostring(k) .. "=" .. show(st[k], fmtparam) end
    end
    rows[#rows + 1] = {kind, tostring(st.name or ""), table.concat(ps, ", ")}
  end
  for _, kind in ipairs(SCORING_STAGES) do stage_row(kind) end
  for _, kind in ipairs(sorted_keys(pipeline)) do
    if not seen[kind] then stage_row(kind) end
  end
  section("Pipeline")
  tbl("Pipeline", {"Stage", "Method", "Parameters"}, "lll", rows)

  -- The ranking.
  section("Ranking")
  local bars = {}
  rows = {}
  for i = 1, shown do
    local r = ranking[i]
    bars[i] = {label = sn(r.strategy), value = r.score, rank = r.rank}
    rows[i] = {tostring(r.rank), sn(r.strategy), tostring(r.strategy), num(r.score)}
  end
  add({kind = "bars", items = bars, better = better, num = num})
  local note = "A " .. better .. " score is better." .. (cut and (" " .. cut) or "")
  tbl("Ranking", {"Rank", "Strategy", "Id", "Score"}, "rllr", rows, note)

  -- The strategies' descriptions and notes, when the model gives any.
  local any_desc, any_notes = false, false
  for _, s in ipairs(strat) do
    any_desc = any_desc or (s.description ~= nil and s.description ~= "")
    any_notes = any_notes or s.notes ~= nil
  end
  if any_desc or any_notes then
    section("Strategies")
    local head, align = {"Strategy", "Id"}, "ll"
    if any_desc then head[#head + 1], align = "Description", align .. "l" end
    if any_notes then head[#head + 1], align = "Notes", align .. "l" end
    rows = {}
    for _, s in ipairs(strat) do
      local row = {sn(s.id), tostring(s.id)}
      if any_desc then row[#row + 1] = s.description or "" end
      if any_notes then row[#row + 1] = notes_text(s.notes, fmtparam) end
      rows[#rows + 1] = row
    end
    tbl("Strategies", head, align, rows)
  end

  -- The criteria and their weights.
  section("Criteria and weights")
  local any_unit, any_scale = false, false
  for _, c in ipairs(crit) do
    any_unit = any_unit or c.unit ~= nil
    any_scale = any_scale or c.scale ~= nil
  end
  local head, align = {"Criterion", "Id", "Direction"}, "lll"
  if any_unit then head[#head + 1], align = "Unit", align .. "l" end
  if any_scale then head[#head + 1], align = "Scale", align .. "l" end
  head[#head + 1], align = "Weight", align .. "r"
  rows = {}
  local weights = result.weights or {}
  for _, c in ipairs(crit) do
    local row = {cname[c.id], tostring(c.id), c.direction == "min" and "min (less is better)"
      or "max (more is better)"}
    if any_unit then row[#row + 1] = c.unit or "" end
    if any_scale then
      row[#row + 1] = c.scale and ("[" .. fmtparam(c.scale[1]) .. ", " .. fmtparam(c.scale[2])
        .. "]") or ""
    end
    row[#row + 1] = num(weights[c.id])
    rows[#rows + 1] = row
  end
  tbl("Criteria and weights", head, align, rows, "Weights as the run used them (summing to 1).")

  -- The scenarios, their probabilities and notes.
  local probs = result.probabilities
  if not implicit then
    local any_pos, any_neg = false, false
    for _, k in ipairs(scen) do
      any_pos = any_pos or (k.notes ~= nil and k.notes.positive ~= nil)
      any_neg = any_neg or (k.notes ~= nil and k.notes.negative ~= nil)
    end
    section("Scenarios")
    head, align = {"Scenario", "Id"}, "ll"
    if probs then head[#head + 1], align = "Probability", align .. "r" end
    if any_pos then head[#head + 1], align = "Positive", align .. "l" end
    if any_neg then head[#head + 1], align = "Negative", align .. "l" end
    rows = {}
    for _, k in ipairs(scen) do
      local row = {kname[k.id], tostring(k.id)}
      if probs then row[#row + 1] = num(probs[k.id]) end
      if any_pos then row[#row + 1] = k.notes and k.notes.positive or "" end
      if any_neg then row[#row + 1] = k.notes and k.notes.negative or "" end
      rows[#rows + 1] = row
    end
    tbl("Scenarios", head, align, rows)
  end

  -- Utilities, strategy x scenario, strategies in ranking order (not for
  -- the one implicit scenario, where they repeat the scores).
  local utilities = result.utilities or {}
  local higher = utility_higher_better(result)
  if not implicit then
    section("Utilities (strategy × scenario)")
    head, align = {"Strategy"}, "l"
    for _, k in ipairs(scen) do head[#head + 1], align = kname[k.id], align .. "r" end
    rows = {}
    local cells = {}
    for i = 1, shown do
      local id = ranking[i].strategy
      local row, crow = {sn(id)}, {}
      local u = utilities[id] or {}
      for j, k in ipairs(scen) do
        row[#row + 1] = num(u[k.id])
        crow[j] = u[k.id]
      end
      rows[#rows + 1] = row
      cells[i] = crow
    end
    local cols = {}
    for j, k in ipairs(scen) do cols[j] = kname[k.id] end
    local rlabels = {}
    for i = 1, shown do rlabels[i] = sn(ranking[i].strategy) end
    add({kind = "heatmap", rows = rlabels, cols = cols, cells = cells, higher = higher, num = num})
    tbl("Utilities", head, align, rows, "Each strategy's utility in each scenario (a "
      .. (higher and "higher" or "lower") .. " utility is better)." .. (cut and (" " .. cut) or ""))
  end

  -- Actors: who they are, their weights, their rankings, their agreement.
  local ractors = result.actors
  if #actors > 0 and type(ractors) == "table" then
    section("Actors")
    local any_desc_a = false
    for _, a in ipairs(actors) do any_desc_a = any_desc_a or a.description ~= nil end
    head, align = {"Actor", "Id", "Influence"}, "llr"
    if any_desc_a then head[#head + 1], align = "Description", align .. "l" end
    rows = {}
    for _, a in ipairs(actors) do
      local row = {aname[a.id], tostring(a.id), num(a.influence)}
      if any_desc_a then row[#row + 1] = a.description or "" end
      rows[#rows + 1] = row
    end
    tbl("Actors", head, align, rows)

    head, align = {"Criterion"}, "l"
    for _, a in ipairs(actors) do head[#head + 1], align = aname[a.id], align .. "r" end
    rows = {}
    for _, c in ipairs(crit) do
      local row = {cname[c.id]}
      for _, a in ipairs(actors) do
        row[#row + 1] = num(((ractors[a.id] or {}).weights or {})[c.id])
      end
      rows[#rows + 1] = row
    end
    tbl("Actors' weights", head, align, rows, "Each actor's weights as the run used them.")

    head, align = {"Place"}, "r"
    for _, a in ipairs(actors) do head[#head + 1], align = aname[a.id], align .. "l" end
    rows = {}
    for i = 1, shown do
      local row = {tostring(i)}
      for _, a in ipairs(actors) do
        local r = ((ractors[a.id] or {}).ranking or {})[i]
        row[#row + 1] = r and string.format("%s. %s (%s)", tostring(r.rank), sn(r.strategy),
          num(r.score)) or ""
      end
      rows[#rows + 1] = row
    end
    tbl("Actors' rankings", head, align, rows, "Each actor's ranking under its own weights "
      .. "(rank. strategy (score)); a " .. better .. " score is better." .. (cut and (" " .. cut)
      or ""))

    local taus = result.actor_agreement and result.actor_agreement.kendall_tau
    if type(taus) == "table" and #taus > 0 then
      local tau = {}
      for _, p in ipairs(taus) do
        tau[tostring(p.a) .. "\0" .. tostring(p.b)] = p.tau
        tau[tostring(p.b) .. "\0" .. tostring(p.a)] = p.tau
      end
      head, align = {"Actor"}, "l"
      for _, a in ipairs(actors) do head[#head + 1], align = aname[a.id], align .. "r" end
      rows = {}
      for _, a in ipairs(actors) do
        local row = {aname[a.id]}
        for _, b in ipairs(actors) do
          row[#row + 1] = a.id == b.id and num(1) or num(tau[a.id .. "\0" .. b.id])
        end
        rows[#rows + 1] = row
      end
      tbl("Agreement between actors", head, align, rows,
        "Kendall's tau-b between the actors' rankings: 1 the same order, -1 the reverse.")
    end
  end

  -- Analyses: the value of information, Monte Carlo, SMAA; others are named.
  local ev = analyses.evpi
  if type(ev) == "table" then
    section("Value of information")
    tbl("Value of information", {"Quantity", "Value"}, "lr", {
      {"Expected value of the best strategy", num(ev.expected_value)},
      {"Expected value with perfect information", num(ev.expected_value_perfect_information)},
      {"EVPI (expected value of perfect information)", num(ev.evpi)}},
      "What knowing the scenario before choosing would be worth, in utility.")
  end

  local function run_line(a, what)
    local s = what .. ": " .. tostring(a.n or "?") .. " draws, seed " .. tostring(a.seed or "?")
    if a.partial then
      s = s .. "; partial: the analysis stopped early, the figures use the draws done"
    end
    return s .. "."
  end
  local function rank_heads(head, align)
    local nr = #ranking
    local k = nr <= MAX_RANK_COLUMNS and nr or MAX_RANK_COLUMNS - 2
    for r = 1, k do head[#head + 1], align = "P(rank " .. r .. ")", align .. "r" end
    return k, align, k < nr and string.format(" Ranks past %d are in the JSON format.", k) or ""
  end

  local mc = analyses.montecarlo
  if type(mc) == "table" then
    section("Monte Carlo")
    add({kind = "para", text = run_line(mc, "Monte Carlo simulation")})
    head, align = {"Strategy", "Mean", "SD", "5%", "Median", "95%"}, "lrrrrr"
    local k, more
    k, align, more = rank_heads(head, align)
    rows = {}
    local ms = mc.strategies or {}
    for i = 1, shown do
      local id = ranking[i].strategy
      local s = ms[id] or {}
      local row = {sn(id), num(s.mean), num(s.sd), num(s.q05), num(s.q50), num(s.q95)}
      local rp = s.rank_probabilities or {}
      for r = 1, k do row[#row + 1] = num(rp[r]) end
      rows[#rows + 1] = row
    end
    tbl("Monte Carlo", head, align, rows, "Score distribution over the draws and the "
      .. "probability of each rank (1 = best)." .. more .. (cut and (" " .. cut) or ""))
  end

  local smaa = analyses.smaa
  if type(smaa) == "table" then
    section("SMAA")
    add({kind = "para", text = run_line(smaa, "Stochastic multicriteria acceptability analysis")})
    head, align = {"Strategy"}, "l"
    local k, more
    k, align, more = rank_heads(head, align)
    head[#head + 1], align = "Confidence", align .. "r"
    rows = {}
    local acc, conf = smaa.acceptability or {}, smaa.confidence or {}
    for i = 1, shown do
      local id = ranking[i].strategy
      local row = {sn(id)}
      local a = acc[id] or {}
      for r = 1, k do row[#row + 1] = num(a[r]) end
      row[#row + 1] = num(conf[id])
      rows[#rows + 1] = row
    end
    tbl("Rank acceptability", head, align, rows, "The share of weights that give each strategy "
      .. "each rank; confidence: how often the central weights make it the best." .. more
      .. (cut and (" " .. cut) or ""))
    if type(smaa.central_weights) == "table" then
      head, align = {"Strategy"}, "l"
      for _, c in ipairs(crit) do head[#head + 1], align = cname[c.id], align .. "r" end
      rows = {}
      for i = 1, shown do
        local id = ranking[i].strategy
        local w = smaa.central_weights[id] or {}
        local row = {sn(id)}
        for _, c in ipairs(crit) do row[#row + 1] = num(w[c.id]) end
        rows[#rows + 1] = row
      end
      tbl("Central weights", head, align, rows,
        "The mean of the weights that make each strategy the best.")
    end
    if type(smaa.winning) == "table" then
      head, align = {"Strategy"}, "l"
      for i = 1, shown do head[#head + 1], align = sn(ranking[i].strategy), align .. "r" end
      rows = {}
      for i = 1, shown do
        local id = ranking[i].strategy
        local w = smaa.winning[id] or {}
        local row = {sn(id)}
        for j = 1, shown do
          local other = ranking[j].strategy
          row[#row + 1] = other == id and "" or num(w[other])
        end
        rows[#rows + 1] = row
      end
      tbl("Pairwise winning", head, align, rows,
        "How often the row's strategy ranks above the column's.")
    end
  end

  local unknown = {}
  for _, name in ipairs(sorted_keys(analyses)) do
    if not KNOWN_ANALYSES[name] then unknown[#unknown + 1] = tostring(name) end
  end
  if #unknown > 0 then
    section("Other analyses")
    add({kind = "para", text = "Also in the result, not shown by this format: "
      .. table.concat(unknown, ", ") .. " (see --format json)."})
  end

  -- Diagnostics the stages reported: one row per value.
  local diag = result.diagnostics
  if type(diag) == "table" and next(diag) ~= nil then
    section("Diagnostics")
    rows = {}
    local order, dseen = {}, {}
    for _, kind in ipairs(SCORING_STAGES) do
      if diag[kind] ~= nil then order[#order + 1], dseen[kind] = kind, true end
    end
    for _, kind in ipairs(sorted_keys(diag)) do
      if not dseen[kind] then order[#order + 1] = kind end
    end
    -- Counts stay whole numbers; other numbers get the table's format.
    local function dnum(v) return math.type(v) == "integer" and tostring(v) or num(v) end
    for _, kind in ipairs(order) do
      local flat = {}
      flatten(diag[kind], "", flat, dnum, 0)
      for _, f in ipairs(flat) do rows[#rows + 1] = {tostring(kind), f[1], f[2]} end
    end
    tbl("Diagnostics", {"Stage", "Item", "Value"}, "lll", rows)
  end

  local version = result.parley and result.parley.version or "?"
  local foot = "Written by parley " .. tostring(version)
  if m.sha256 then foot = foot .. " from the model file with SHA-256 " .. tostring(m.sha256) end
  add({kind = "para", text = foot .. ".", foot = true})
  return doc
end
-- ---- end of the report's content ---------------------------------------------

local markdown_plugin
do
-- ---- Markdown ----------------------------------------------------------------
local PAD_LIMIT = 48 -- columns wider than this are not padded

local function esc(s)
  s = tostring(s):gsub("[\r\n]+", " ")
  return (s:gsub("[\\`*_{}%[%]<>#+!|~&$]", "\\%0"))
end

-- A paragraph: escaped, and a first mark that would make it a list item,
-- a heading underline or a numbered item is escaped too.
local function para(s)
  s = esc(s)
  if s:match("^[-=]") then return "\\" .. s end
  local digits, rest = s:match("^(%d+)([.)].*)$")
  if digits then return digits .. "\\" .. rest end
  return s
end

local function width(s) return utf8.len(s) or #s end

local function table_md(out, t)
  local ncol = #t.head
  local w = {}
  local head, rows = {}, {}
  for c = 1, ncol do
    head[c] = esc(t.head[c])
    w[c] = math.max(3, width(head[c]))
  end
  for i, r in ipairs(t.rows) do
    rows[i] = {}
    for c = 1, ncol do
      rows[i][c] = esc(r[c] or "")
      w[c] = math.max(w[c], width(rows[i][c]))
    end
  end
  for c = 1, ncol do w[c] = math.min(w[c], PAD_LIMIT) end
  local function line(cells)
    local parts = {}
    for c = 1, ncol do
      local s = cells[c]
      local gap = string.rep(" ", math.max(0, w[c] - width(s)))
      parts[c] = t.align:sub(c, c) == "r" and (gap .. s) or (s .. gap)
    end
    out:write("| ", table.concat(parts, " | "), " |\n")
  end
  line(head)
  local rule = {}
  for c = 1, ncol do
    rule[c] = t.align:sub(c, c) == "r" and (string.rep("-", w[c] - 1) .. ":")
      or (":" .. string.rep("-", w[c] - 1))
  end
  out:write("| ", table.concat(rule, " | "), " |\n")
  for _, r in ipairs(rows) do line(r) end
  out:write("\n")
  if t.note then out:write(para(t.note), "\n\n") end
end

markdown_plugin = {
  api = 1,
  kind = "format",
  name = "markdown",
  summary = "GitHub-flavoured Markdown: the whole result as headed sections and tables",
  write = function(result, out, params)
    local doc = build(result, params, "markdown")
    local current
    for _, b in ipairs(doc) do
      if b.kind == "title" then
        out:write("# ", esc(b.text), "\n\n")
      elseif b.kind == "section" then
        current = b.text
        out:write("## ", esc(b.text), "\n\n")
      elseif b.kind == "para" then
        if b.foot then out:write("---\n\n") end
        out:write(para(b.text), "\n\n")
      elseif b.kind == "table" then
        if b.title ~= current and not (current or ""):find(b.title, 1, true) then
          out:write("### ", esc(b.title), "\n\n")
        end
        table_md(out, b)
      end
    end
  end,
}
end

local html_plugin
do
-- ---- HTML ----------------------------------------------------------------------
local ENTITIES = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;",
  ["'"] = "&#39;"}

local function esc(s) return (tostring(s):gsub("[&<>\"']", ENTITIES)) end

-- SVG coordinates: one decimal is plenty.
local function px(v) return string.format("%.1f", v) end

local STYLE = [[
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1f2328; max-width: 75rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .5rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de;
     padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { padding: .3rem .7rem; text-align: left; vertical-align: top;
         border-bottom: 1px solid #d8dee4; }
thead th { border-bottom: 2px solid #8c959f; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
p.note { color: #57606a; font-size: .9rem; margin-top: .2rem; }
svg { display: block; max-width: 100%; height: auto; margin: .6rem 0; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
           sans-serif; font-size: 12px; fill: #1f2328; }
footer { margin-top: 2.5rem; color: #57606a; font-size: .85rem; word-break: break-all; }
]]

-- Perceptual sequential scale (viridis), from low to high.
local SCALE = {{0.00, 68, 1, 84}, {0.25, 59, 82, 139}, {0.50, 33, 145, 140},
  {0.75, 94, 201, 98}, {1.00, 253, 231, 37}}

local function colour(t)
  if t ~= t then t = 0.5 end
  t = math.max(0, math.min(1, t))
  for i = 2, #SCALE do
    local a, b = SCALE[i - 1], SCALE[i]
    if t <= b[1] then
      local f = (t - a[1]) / (b[1] - a[1])
      local r = a[2] + f * (b[2] - a[2])
      local g = a[3] + f * (b[3] - a[3])
      local bl = a[4] + f * (b[4] - a[4])
      -- Relative luminance decides whether the value is printed dark or light.
      local lum = (0.2126 * r + 0.7152 * g + 0.0722 * bl) / 255
      return string.format("#%02x%02x%02x", math.floor(r + 0.5), math.floor(g + 0.5),
        math.floor(bl + 0.5)), lum > 0.45 and "#1f2328" or "#ffffff"
    end
  end
  return "#fde725", "#1f2328"
end

-- A label cut to n characters (UTF-8 aware), with an ellipsis.
local function cut(s, n)
  s = tostring(s):gsub("[\r\n]+", " ")
  local len = utf8.len(s)
  if not len then
    if #s <= n then return s end
    return s:sub(1, n - 1) .. "…"
  end
  if len <= n then return s end
  return s:sub(1, utf8.offset(s, n) - 1) .. "…"
end

local function textlen(s) return utf8.len(s) or #s end

local CHAR_W = 6.6    -- rough width of a 12px character, for laying out labels
local CHART_ROWS = 100 -- strategies a chart shows at most (the tables have them all)

-- A chart of many strategies shows the best CHART_ROWS and says so.
local function chart_note(out, n)
  if n > CHART_ROWS then
    out:write('<p class="note">', esc(string.format("The chart shows the best %d of %d "
      .. "strategies; the table has them all.", CHART_ROWS, n)), "</p>\n")
  end
end

-- The scores as horizontal bars from zero, best first.
local function bars_svg(out, b)
  local items = table.move(b.items, 1, math.min(#b.items, CHART_ROWS), 1, {})
  if #items == 0 then return end
  local labels, maxlen = {}, 4
  local lo, hi = 0, 0
  for i, it in ipairs(items) do
    labels[i] = cut(it.label, 48)
    maxlen = math.max(maxlen, textlen(labels[i]))
    if type(it.value) == "number" and it.value == it.value then
      lo, hi = math.min(lo, it.value), math.max(hi, it.value)
    end
  end
  if hi == lo then hi = lo + 1 end
  local labw = math.floor(maxlen * CHAR_W + 16)
  local plotw, valw, rowh, top = 420, 90, 24, 8
  local w, h = labw + plotw + valw, top + #items * rowh + 24
  local function x(v) return labw + (v - lo) / (hi - lo) * plotw end
  out:write('<svg class="bars" width="', w, '" height="', h, '" viewBox="0 0 ', w, " ", h,
    '" role="img" aria-label="', esc("Scores, best first; a " .. b.better
    .. " score is better"), '">\n')
  out:write("<title>", esc("Scores, best first (a " .. b.better .. " score is better)"),
    "</title>\n")
  for i, it in ipairs(items) do
    local y = top + (i - 1) * rowh
    local v = type(it.value) == "number" and it.value == it.value and it.value or 0
    local x0, x1 = x(0), x(v)
    local value = b.num(it.value)
    out:write("<g><title>", esc(tostring(it.rank) .. ". " .. it.label .. ": " .. value), "</title>")
    out:write('<text x="', px(labw - 8), '" y="', px(y + 16), '" text-anchor="end">',
      esc(labels[i]), "</text>")
    out:write('<rect x="', px(math.min(x0, x1)), '" y="', px(y + 4), '" width="',
      px(math.max(math.abs(x1 - x0), 1)), '" height="16" fill="', i == 1 and "#0969da"
      or "#54aeff", '"/>')
    out:write('<text x="', px(labw + plotw + 8), '" y="', px(y + 16), '">', esc(value),
      "</text></g>\n")
  end
  local base = top + #items * rowh
  out:write('<line x1="', px(x(0)), '" y1="', top, '" x2="', px(x(0)), '" y2="', base,
    '" stroke="#57606a" stroke-width="1"/>\n')
  out:write('<line x1="', labw, '" y1="', base, '" x2="', labw + plotw, '" y2="', base,
    '" stroke="#d0d7de" stroke-width="1"/>\n')
  local ticks = {lo, hi}
  if lo < 0 and hi > 0 then ticks[3] = 0 end
  for _, t in ipairs(ticks) do
    out:write('<text x="', px(x(t)), '" y="', base + 16, '" text-anchor="middle">',
      esc(b.num(t)), "</text>\n")
  end
  out:write("</svg>\n")
  chart_note(out, #b.items)
end

-- Utilities strategy x scenario as coloured cells, with the scale's legend.
local function heatmap_svg(out, b)
  local nr, nc = math.min(#b.rows, CHART_ROWS), #b.cols
  if nr == 0 or nc == 0 then return end
  local lo, hi
  for i = 1, nr do
    for j = 1, nc do
      local v = b.cells[i][j]
      if type(v) == "number" and v == v then
        lo, hi = math.min(lo or v, v), math.max(hi or v, v)
      end
    end
  end
  lo, hi = lo or 0, hi or 1
  local rlabels, maxr = {}, 4
  for i = 1, nr do
    rlabels[i] = cut(b.rows[i], 48)
    maxr = math.max(maxr, textlen(rlabels[i]))
  end
  local clabels, maxc = {}, 4
  for j = 1, nc do
    clabels[j] = cut(b.cols[j], 32)
    maxc = math.max(maxc, textlen(clabels[j]))
  end
  local labw = math.floor(maxr * CHAR_W + 16)
  local cw, ch = 76, 26
  -- Column labels slant up at 35 degrees from each column's middle.
  local headh = math.floor(maxc * CHAR_W * 0.574 + 20)
  local overhang = math.floor(maxc * CHAR_W * 0.819)
  local legend = 56
  local w = labw + nc * cw + math.max(overhang - cw / 2, 0) + 10
  local h = headh + nr * ch + legend
  w = math.max(w, labw + 300)
  out:write('<svg class="heatmap" width="', w, '" height="', h, '" viewBox="0 0 ', w, " ", h,
    '" role="img" aria-label="', esc("Utilities, strategy by scenario"), '">\n')
  out:write("<title>", esc("Utilities, strategy by scenario (a " .. (b.higher and "higher"
    or "lower") .. " utility is better)"), "</title>\n")
  out:write('<defs><linearGradient id="parley-utility-scale" x1="0" y1="0" x2="1" y2="0">')
  for _, s in ipairs(SCALE) do
    out:write('<stop offset="', s[1], '" stop-color="', string.format("#%02x%02x%02x", s[2],
      s[3], s[4]), '"/>')
  end
  out:write("</linearGradient></defs>\n")
  for j = 1, nc do
    local cx = labw + (j - 0.5) * cw
    out:write('<text x="', px(cx), '" y="', headh - 8, '" transform="rotate(-35 ', px(cx), " ",
      headh - 8, ')"><title>', esc(b.cols[j]), "</title>", esc(clabels[j]), "</text>\n")
  end
  for i = 1, nr do
    local y = headh + (i - 1) * ch
    out:write('<text x="', px(labw - 8), '" y="', px(y + ch / 2 + 4), '" text-anchor="end">',
      "<title>", esc(b.rows[i]), "</title>", esc(rlabels[i]), "</text>\n")
    for j = 1, nc do
      local v = b.cells[i][j]
      local fill, ink = "#d0d7de", "#1f2328"
      if type(v) == "number" and v == v then
        fill, ink = colour(hi > lo and (v - lo) / (hi - lo) or 0.5)
      end
      local x = labw + (j - 1) * cw
      local value = b.num(v)
      out:write("<g><title>", esc(b.rows[i] .. " / " .. b.cols[j] .. ": " .. value), "</title>",
        '<rect x="', px(x), '" y="', px(y), '" width="', cw - 2, '" height="', ch - 2,
        '" fill="', fill, '"/>', '<text x="', px(x + (cw - 2) / 2), '" y="', px(y + ch / 2 + 3),
        '" text-anchor="middle" style="fill:', ink, '">', esc(value), "</text></g>\n")
    end
  end
  -- The legend: the scale from the lowest to the highest utility shown.
  local ly = headh + nr * ch + 14
  out:write('<g class="legend"><text x="', labw, '" y="', ly + 10, '" text-anchor="end" dx="-8">',
    esc("utility"), "</text>")
  out:write('<rect x="', labw, '" y="', ly, '" width="200" height="12" ',
    'fill="url(#parley-utility-scale)"/>')
  out:write('<text x="', labw, '" y="', ly + 28, '" text-anchor="start">', esc(b.num(lo)),
    "</text>")
  out:write('<text x="', labw + 100, '" y="', ly + 28, '" text-anchor="middle">',
    esc(b.num((lo + hi) / 2)), "</text>")
  out:write('<text x="', labw + 200, '" y="', ly + 28, '" text-anchor="end">', esc(b.num(hi)),
    "</text>")
  out:write('<text x="', labw + 212, '" y="', ly + 10, '">', esc("(a " .. (b.higher and "higher"
    or "lower") .. " utility is better)"), "</text></g>\n")
  out:write("</svg>\n")
  chart_note(out, #b.rows)
end

local function table_html(out, t)
  out:write("<table>\n<thead><tr>")
  for c, h in ipairs(t.head) do
    out:write(t.align:sub(c, c) == "r" and '<th class="n">' or "<th>", esc(h), "</th>")
  end
  out:write("</tr></thead>\n<tbody>\n")
  for _, r in ipairs(t.rows) do
    out:write("<tr>")
    for c = 1, #t.head do
      out:write(t.align:sub(c, c) == "r" and '<td class="n">' or "<td>", esc(r[c] or ""),
        "</td>")
    end
    out:write("</tr>\n")
  end
  out:write("</tbody>\n</table>\n")
  if t.note then out:write('<p class="note">', esc(t.note), "</p>\n") end
end

html_plugin = {
  api = 1,
  kind = "format",
  name = "html",
  summary = "One self-contained HTML5 page with inline SVG charts (score bars, utility heat map)",
  write = function(result, out, params)
    local doc = build(result, params, "html")
    local title = doc[1].text
    out:write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8"/>\n',
      '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n',
      "<title>", esc(title), "</title>\n<style>\n", STYLE, "</style>\n</head>\n<body>\n")
    local current, open, main = nil, false, false
    for _, b in ipairs(doc) do
      if b.kind == "title" then
        out:write("<header>\n<h1>", esc(b.text), "</h1>\n</header>\n<main>\n")
        main = true
      elseif b.kind == "section" then
        if open then out:write("</section>\n") end
        out:write("<section>\n<h2>", esc(b.text), "</h2>\n")
        current, open = b.text, true
      elseif b.kind == "para" and b.foot then
        if open then out:write("</section>\n") end
        if main then out:write("</main>\n") end
        open, main = false, false
        out:write("<footer>\n<p>", esc(b.text), "</p>\n</footer>\n")
      elseif b.kind == "para" then
        out:write("<p>", esc(b.text), "</p>\n")
      elseif b.kind == "table" then
        if b.title ~= current and not (current or ""):find(b.title, 1, true) then
          out:write("<h3>", esc(b.title), "</h3>\n")
        end
        table_html(out, b)
      elseif b.kind == "bars" then
        bars_svg(out, b)
      elseif b.kind == "heatmap" then
        heatmap_svg(out, b)
      end
    end
    if open then out:write("</section>\n") end
    if main then out:write("</main>\n") end
    out:write("</body>\n</html>\n")
  end,
}
end

local latex_plugin
do
-- ---- LaTeX ---------------------------------------------------------------------
local LONG_TABLE = 40 -- rows past which a table becomes a longtable
local WRAP_AT = 24    -- characters past which a text column wraps (p{})

local SPECIAL = {["#"] = "\\#", ["$"] = "\\$", ["%"] = "\\%", ["&"] = "\\&", ["_"] = "\\_",
  ["{"] = "\\{", ["}"] = "\\}", ["~"] = "\\textasciitilde{}", ["^"] = "\\textasciicircum{}",
  ["\\"] = "\\textbackslash{}", ["<"] = "\\textless{}", [">"] = "\\textgreater{}",
  ["|"] = "\\textbar{}"}

local function esc(s)
  s = tostring(s):gsub("[\r\n]+", " ")
  s = s:gsub("[#$%%&_{}~^\\<>|]", SPECIAL)
  -- "--" would print as a dash: keep each hyphen a hyphen.
  s = s:gsub("%-%-", "-{}-"):gsub("%-%-", "-{}-")
  return s
end

-- A number: its minus sign is a real minus.
local function escnum(s)
  local rest = s:match("^%-(.*)$")
  if rest then return "$-$" .. esc(rest) end
  return esc(s)
end

local function width(s) return utf8.len(s) or #s end

local function longest_word(s)
  local n = 0
  for w in tostring(s):gmatch("%S+") do n = math.max(n, width(w)) end
  return n
end

local function flag(v, who, key)
  if v == nil then return false end
  local t = {["true"] = true, ["1"] = true, yes = true, on = true,
    ["false"] = false, ["0"] = false, no = false, off = false}
  local b = t[tostring(v)]
  if b == nil then
    invalid(string.format("format %s: %s must be true or false, not '%s'", who, key, tostring(v)), 0)
  end
  return b
end

-- Type sizes a table may take to fit the line: the command, the space
-- between two columns (2 \tabcolsep) in that size's em, and the line's
-- width in that size's em relative to the normal size's.
local SIZES = {
  {cmd = "", sep = 1.2, scale = 1.0},
  {cmd = "\\small", sep = 1.35, scale = 1.1},
  {cmd = "\\footnotesize\\setlength{\\tabcolsep}{3pt}", sep = 0.75, scale = 1.25},
  {cmd = "\\scriptsize\\setlength{\\tabcolsep}{2pt}", sep = 0.57, scale = 1.43},
}
local MIN_WRAP = 8 -- em: the narrowest a wrapped column gets

local function table_tex(out, t, line_em, placement)
  local ncol = #t.head
  -- Widths in em, from the characters (an em is about two of them).  A
  -- heading longer than the numbers under it wraps in a \parbox.  Text
  -- columns longer than WRAP_AT may wrap: they then share what the others
  -- leave of the line, in proportion to the square root of their length
  -- (so a column of names is not squeezed by one of long notes).
  local nat, headw, cand = {}, {}, {}
  local fixed, nwrap, total = 0, 0, 0
  for c = 1, ncol do
    local content = 0
    for _, r in ipairs(t.rows) do content = math.max(content, width(r[c] or "")) end
    local a = t.align:sub(c, c)
    if a == "r" and width(t.head[c]) > content and t.head[c]:find(" ") then
      headw[c] = math.ceil(math.max(content, longest_word(t.head[c])) * 0.55 * 2) / 2
      nat[c] = headw[c]
    else
      nat[c] = math.max(content, width(t.head[c])) * 0.5
    end
    total = total + nat[c]
    if a ~= "r" and math.max(content, width(t.head[c])) > WRAP_AT then
      cand[c], nwrap = math.sqrt(nat[c]), nwrap + 1
    else
      fixed = fixed + nat[c]
    end
  end
  -- The largest size at which the table fits as it is, or with its long
  -- text columns wrapped; the smallest when nothing fits.
  local size, wrapping = SIZES[#SIZES], nwrap > 0
  for _, sz in ipairs(SIZES) do
    local avail = line_em * sz.scale - ncol * sz.sep
    if total <= avail then
      size, wrapping = sz, false
      break
    elseif nwrap > 0 and fixed + MIN_WRAP * nwrap <= avail then
      size, wrapping = sz, true
      break
    end
  end
  local spec, wrap, share = {}, {}, 0
  for c = 1, ncol do
    if wrapping and cand[c] then wrap[c], share = cand[c], share + cand[c] end
  end
  for c = 1, ncol do
    if wrap[c] then
      local pct = math.max(1, math.floor(100 * wrap[c] / share))
      spec[c] = string.format("p{\\dimexpr(\\linewidth-%.1fem)*%d/100\\relax}",
        fixed + ncol * size.sep, pct)
    else
      spec[c] = t.align:sub(c, c) == "r" and "r" or "l"
    end
  end
  local function cell(c, s)
    if t.align:sub(c, c) == "r" then return escnum(s) end
    if not wrap[c] then return esc(s) end
    -- A dotted path (a diagnostic's item) may break after each dot.
    return "\\raggedright " .. esc(s):gsub("(%D)%.(%S)", "%1.\\allowbreak{}%2")
  end
  local function head_cell(c, s)
    -- A long heading over a column of numbers wraps instead of widening it.
    if headw[c] then
      return "\\parbox[b]{" .. headw[c] .. "em}{\\raggedleft\\hspace{0pt}" .. esc(s) .. "}"
    end
    return cell(c, s)
  end
  local head = {}
  for c = 1, ncol do head[c] = head_cell(c, t.head[c]) end
  local headline = "    " .. table.concat(head, " & ") .. " \\tabularnewline\n"
  local long = #t.rows > LONG_TABLE
  local sizecmd = size.cmd ~= "" and (size.cmd .. "\n") or ""
  if long then
    out:write("{", sizecmd, "\\begin{longtable}{", table.concat(spec), "}\n")
    out:write("  \\caption{", esc(t.title), "} \\\\\n")
    out:write("    \\toprule\n", headline, "    \\midrule\n  \\endfirsthead\n")
    out:write("    \\toprule\n", headline, "    \\midrule\n  \\endhead\n")
    out:write("    \\bottomrule\n  \\endfoot\n")
  else
    out:write("\\begin{table}[", placement, "]\n  \\centering\n")
    if sizecmd ~= "" then out:write("  ", sizecmd) end
    out:write("  \\caption{", esc(t.title), "}\n")
    out:write("  \\begin{tabular}{", table.concat(spec), "}\n")
    out:write("    \\toprule\n", headline, "    \\midrule\n")
  end
  for _, r in ipairs(t.rows) do
    local cells = {}
    for c = 1, ncol do cells[c] = cell(c, r[c] or "") end
    out:write("    ", table.concat(cells, " & "), " \\tabularnewline\n")
  end
  if long then
    out:write("\\end{longtable}}\n")
    if t.note then out:write("{\\footnotesize ", esc(t.note), "\\par}\n") end
    out:write("\n")
  else
    out:write("    \\bottomrule\n  \\end{tabular}\n")
    if t.note then out:write("  \\par\\smallskip{\\footnotesize ", esc(t.note), "\\par}\n") end
    out:write("\\end{table}\n\n")
  end
end

latex_plugin = {
  api = 1,
  kind = "format",
  name = "latex",
  summary = "LaTeX booktabs tables, a table environment per section (standalone=true: a document)",
  write = function(result, out, params)
    local standalone = flag(params.standalone, "latex", "standalone")
    local doc = build(result, params, "latex", {standalone = true, placement = true})
    -- A standalone document keeps each table under its heading (float's H).
    local placement = params.placement or (standalone and "H" or "!htbp")
    if not tostring(placement):match("^[!htbpH]+$") then
      invalid("format latex: placement must be letters of !htbpH (a table float's placement), "
        .. "not '" .. tostring(placement) .. "'", 0)
    end
    local sec = standalone and "\\section*{" or "\\subsection*{"
    if standalone then
      out:write("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n",
        "\\usepackage[utf8]{inputenc}\n\\usepackage[margin=2cm]{geometry}\n",
        "\\usepackage{booktabs}\n\\usepackage{longtable}\n\\usepackage{float}\n",
        "\\title{", esc(doc[1].text), "}\n\\author{}\n\\date{}\n",
        "\\begin{document}\n\\maketitle\n\n")
    end
    for _, b in ipairs(doc) do
      if b.kind == "title" then
        if not standalone then out:write("\\section*{", esc(b.text), "}\n\n") end
      elseif b.kind == "section" then
        out:write(sec, esc(b.text), "}\n\n")
      elseif b.kind == "para" then
        if b.foot then
          -- The model's SHA-256 may break every eight digits.
          local text = esc(b.text):gsub("(%x%x%x%x%x%x%x%x)", "%1\\allowbreak{}")
          out:write("\\bigskip\n{\\footnotesize ", text, "\\par}\n\n")
        else
          out:write(esc(b.text), "\n\n")
        end
      elseif b.kind == "table" then
        table_tex(out, b, standalone and 48 or 34, placement)
      end
    end
    if standalone then out:write("\\end{document}\n") end
  end,
}
end

return {markdown_plugin, html_plugin, latex_plugin}
