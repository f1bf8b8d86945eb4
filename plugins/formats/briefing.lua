-- briefing.lua — the result as a plain-text briefing for negotiators, in the
-- shape of a diplomatic briefing note: a title and the situation (the
-- model's description), the bottom line (the recommended strategy, each
-- delegation's first choice, how far the delegations agree, the value of
-- perfect information), then
--   Scenarios                each scenario's probability and its positive
--                            and negative outcomes (the scenario's notes)
--   Strategies               each strategy's description and potential
--                            outcomes (its notes.potential_outcomes, then its
--                            best and worst scenario with their utilities)
--   Potential outcomes by scenario   utilities strategy x scenario
--   Overall ranking          rank, strategy, score
--   Ranking per delegation   each actor's ranking side by side, and the
--                            criterion weights overall and per delegation
--   Robustness               Monte Carlo / SMAA chances of ranking first,
--                            when the result has them
-- Headings are Markdown-like ("#", "##"); tables are aligned plain text whose
-- long cells wrap within their column, so the note reads well in a terminal,
-- an e-mail or a Markdown viewer's code block.  Stage diagnostics and
-- analyses other than the value of information, Monte Carlo and SMAA are
-- only named at the end (the markdown, html, latex and json formats have
-- them).
--
-- Parameters (--format briefing:key=value,...):
--   digits  decimals of scores and utilities (0-12, default 2); probabilities
--           are shown as percentages
--   width   the line width tables and paragraphs fit in (40-1000, default 100)
--   actor   what an actor is called (default "delegation"; e.g. actor=party)
--   top     show only the best N strategies in the per-strategy tables
--           (default: all)

local KNOWN = {digits = true, width = true, actor = true, top = true}

local function fmtnum(v, digits)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then return "n/a" end
  local a = math.abs(v)
  if v ~= 0 and (a < 10.0 ^ -digits or a >= 1e9) then
    return string.format("%." .. digits .. "e", v)
  end
  local s = string.format("%." .. digits .. "f", v)
  if s:match("^%-[0.]*$") then s = s:sub(2) end -- no "-0.00"
  return s
end

-- A probability as a percentage: "30%", "12.5%".
local function percent(p)
  if type(p) ~= "number" or p ~= p then return "n/a" end
  local s = string.format("%.1f", p * 100):gsub("%.0$", "")
  return s .. "%"
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

-- ---- text layout ---------------------------------------------------------------
local function width(s) return utf8.len(s) or #s end

-- Characters i..j of s (UTF-8 aware; bytes when s is not UTF-8).
local function usub(s, i, j)
  if not utf8.len(s) then return s:sub(i, j) end
  local n = utf8.len(s)
  j = math.min(j or n, n)
  if i > j then return "" end
  local a = utf8.offset(s, i)
  local b = utf8.offset(s, j + 1)
  return s:sub(a, (b or #s + 1) - 1)
end

local function clean(s) return (tostring(s):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

-- Lines of at most w characters, broken at spaces; a longer word is cut.
local function wrap(text, w)
  local lines, line = {}, ""
  for word in clean(text):gmatch("%S+") do
    while width(word) > w do
      if line ~= "" then lines[#lines + 1], line = line, "" end
      lines[#lines + 1] = usub(word, 1, w)
      word = usub(word, w + 1)
    end
    if line == "" then
      line = word
    elseif width(line) + 1 + width(word) <= w then
      line = line .. " " .. word
    else
      lines[#lines + 1], line = line, word
    end
  end
  if line ~= "" or #lines == 0 then lines[#lines + 1] = line end
  return lines
end

local function paragraph(out, text, w)
  for _, l in ipairs(wrap(text, w)) do out:write(l, "\n") end
  out:write("\n")
end

local function longest_word(s)
  local n = 0
  for word in clean(s):gmatch("%S+") do n = math.max(n, width(word)) end
  return n
end

-- An aligned table, indented two spaces, columns two spaces apart.  When
-- the natural widths overflow `total`, the widest columns give way (down to
-- their longest word, or 12) and their cells wrap; rows are then separated
-- by a blank line so that each reads as one.
local function grid(out, head, align, rows, total)
  local ncol = #head
  local w, minw, content = {}, {}, {}
  for c = 1, ncol do
    content[c] = 0
    minw[c] = math.min(math.max(longest_word(head[c]), 4), 12)
    for _, r in ipairs(rows) do
      local s = clean(r[c] or "")
      content[c] = math.max(content[c], width(s))
      minw[c] = math.max(minw[c], math.min(longest_word(s), 12))
    end
    w[c] = math.max(content[c], width(clean(head[c])))
  end
  local used = 2 + 2 * (ncol - 1)
  for c = 1, ncol do used = used + w[c] end
  -- First a heading wider than its column's cells wraps, then the widest
  -- columns give way.
  for c = 1, ncol do
    if used <= total then break end
    local want = math.max(content[c], longest_word(head[c]), minw[c])
    if want < w[c] then
      local give = math.min(w[c] - want, used - total)
      w[c], used = w[c] - give, used - give
    end
  end
  while used > total do
    local widest
    for c = 1, ncol do
      if w[c] > minw[c] and (not widest or w[c] > w[widest]) then widest = c end
    end
    if not widest then break end
    w[widest], used = w[widest] - 1, used - 1
  end
  local wrapped = false
  local function cells(r)
    local lines, n = {}, 1
    for c = 1, ncol do
      lines[c] = wrap(r[c] or "", w[c])
      n = math.max(n, #lines[c])
    end
    if n > 1 then wrapped = true end
    return lines, n
  end
  local function emit(lines, n)
    for i = 1, n do
      local parts = {}
      for c = 1, ncol do
        local s = lines[c][i] or ""
        local gap = string.rep(" ", w[c] - width(s))
        parts[c] = align:sub(c, c) == "r" and (gap .. s) or (s .. gap)
      end
      out:write(("  " .. table.concat(parts, "  ")):gsub("%s+$", ""), "\n")
    end
  end
  local body = {}
  for i, r in ipairs(rows) do body[i] = {cells(r)} end
  emit(cells(head))
  local rule = {}
  for c = 1, ncol do rule[c] = string.rep("-", w[c]) end
  out:write("  ", table.concat(rule, "  "), "\n")
  for i, b in ipairs(body) do
    if wrapped and i > 1 then out:write("\n") end
    emit(b[1], b[2])
  end
  out:write("\n")
end

-- ---- the briefing --------------------------------------------------------------
local function check(params)
  for k in pairs(params) do
    if not KNOWN[k] then
      invalid("format briefing: unknown parameter '" .. tostring(k) .. "' (parameters: "
        .. table.concat(sorted_keys(KNOWN), ", ") .. ")", 0)
    end
  end
  local function whole(key, default, lo, hi)
    local v = params[key]
    if v == nil then return default end
    local n = tonumber(v)
    if math.type(n) ~= "integer" or n < lo or (hi and n > hi) then
      invalid(string.format("format briefing: %s must be a whole number from %d%s, not '%s'", key,
        lo, hi and (" to " .. hi) or " up", tostring(v)), 0)
    end
    return n
  end
  local actor = params.actor ~= nil and clean(params.actor) or "delegation"
  if actor == "" then invalid("format briefing: actor must not be empty", 0) end
  return whole("digits", 2, 0, 12), whole("width", 100, 40, 1000), actor,
    whole("top", nil, 1, nil)
end

local function capital(s) return usub(s, 1, 1):upper() .. usub(s, 2) end

-- The strategy's potential outcomes as its notes tell them.
local function outcome_notes(notes)
  if type(notes) == "string" then return notes end
  if type(notes) ~= "table" then return nil end
  local parts = {}
  if type(notes.potential_outcomes) == "string" then parts[1] = notes.potential_outcomes end
  for _, k in ipairs(sorted_keys(notes)) do
    local v = notes[k]
    if k ~= "potential_outcomes" and type(v) == "string" then
      parts[#parts + 1] = capital(tostring(k):gsub("_", " ")) .. ": " .. v
    end
  end
  return #parts > 0 and table.concat(parts, " ") or nil
end

-- Whether a higher utility is better: see the note in markdown.lua.
local function utility_higher_better(result)
  if result.utility_order then return result.utility_order ~= "ascending" end
  if result.order ~= "ascending" then return true end
  local rule = result.pipeline and result.pipeline.rule
  return type(rule) == "table" and rule.name == "minimax-regret"
end

return {
  api = 1,
  kind = "format",
  name = "briefing",
  summary = "A plain-text diplomatic briefing: scenarios, strategies, the ranking overall "
    .. "and per delegation",
  write = function(result, out, params)
    local digits, W, actor, top = check(params)
    local actors_word = actor .. "s"
    local function num(v) return fmtnum(v, digits) end
    local m = result.model or {}
    local crit, strat, scen, actors = m.criteria or {}, m.strategies or {}, m.scenarios or {},
      m.actors or {}
    local sname, kname, aname = {}, {}, {}
    for _, s in ipairs(strat) do sname[s.id] = clean(s.name or s.id) end
    for _, k in ipairs(scen) do kname[k.id] = clean(k.name or k.id) end
    for _, a in ipairs(actors) do aname[a.id] = clean(a.name or a.id) end
    local function sn(id) return sname[id] or tostring(id) end
    local ranking = result.ranking or {}
    local utilities = result.utilities or {}
    local probs = result.probabilities
    local analyses = result.analyses or {}
    local ractors = type(result.actors) == "table" and result.actors or {}
    local better = result.order == "ascending" and "lower" or "higher"
    local higher = utility_higher_better(result)
    local implicit = #scen == 1 and scen[1].id == "base" and scen[1].name == "base"
      and not scen[1].notes
    local shown = top and math.min(top, #ranking) or #ranking
    local cut = shown < #ranking
      and string.format("Showing the best %d of %d strategies.", shown, #ranking) or nil

    -- Title and situation.
    local title = "Briefing: " .. clean((m.name and m.name ~= "") and m.name or "decision")
    out:write("# ", title, "\n\n")
    if m.description and m.description ~= "" then paragraph(out, m.description, W) end
    local facts = string.format("%d %s judged on %d %s", #strat,
      #strat == 1 and "strategy" or "strategies", #crit, #crit == 1 and "criterion" or "criteria")
    if not implicit then
      facts = facts .. string.format(" across %d %s", #scen, #scen == 1 and "scenario" or
        "scenarios")
    end
    if #actors > 0 then
      facts = facts .. string.format(", for %d %s", #actors, #actors == 1 and actor or
        actors_word)
    end
    local stages = {}
    for _, kind in ipairs({"weighting", "normalization", "aggregation", "rule"}) do
      local st = (result.pipeline or {})[kind]
      if type(st) == "table" and st.name then stages[#stages + 1] = kind .. " " .. st.name end
    end
    paragraph(out, facts .. ". Method: " .. table.concat(stages, ", ") .. ".", W)

    -- The bottom line.
    out:write("## Bottom line\n\n")
    local lines = {}
    if ranking[1] then
      local s = "Recommended: " .. sn(ranking[1].strategy) .. " (score " .. num(ranking[1].score)
        .. "; a " .. better .. " score is better)"
      local after = {}
      for i = 2, math.min(3, #ranking) do
        after[#after + 1] = sn(ranking[i].strategy) .. " (" .. num(ranking[i].score) .. ")"
      end
      if #after > 0 then s = s .. ", ahead of " .. table.concat(after, " and ") end
      lines[#lines + 1] = s .. "."
      if ranking[2] and ranking[2].rank == ranking[1].rank then
        lines[#lines + 1] = "Tied first: " .. sn(ranking[2].strategy) .. "."
      end
    end
    for _, a in ipairs(actors) do
      local r = ((ractors[a.id] or {}).ranking or {})[1]
      if r then lines[#lines + 1] = aname[a.id] .. " ranks first: " .. sn(r.strategy) .. "." end
    end
    local taus = result.actor_agreement and result.actor_agreement.kendall_tau
    if type(taus) == "table" and #taus > 0 then
      local parts = {}
      for _, p in ipairs(taus) do
        parts[#parts + 1] = (aname[p.a] or tostring(p.a)) .. " and " .. (aname[p.b] or
          tostring(p.b)) .. " " .. fmtnum(p.tau, 2)
      end
      lines[#lines + 1] = "Agreement between the " .. actors_word .. "' rankings (Kendall "
        .. "tau-b; 1 = the same order, 0 = unrelated, -1 = reversed): "
        .. table.concat(parts, "; ") .. "."
    end
    local ev = analyses.evpi
    if type(ev) == "table" then
      lines[#lines + 1] = "Value of perfect information (EVPI): " .. num(ev.evpi) .. " -- what "
        .. "knowing the scenario before choosing would add to the expected value of "
        .. num(ev.expected_value) .. "."
    end
    for _, l in ipairs(lines) do
      local wl = wrap(l, W - 2)
      for i, x in ipairs(wl) do out:write(i == 1 and "- " or "  ", x, "\n") end
    end
    out:write("\n")

    -- Scenarios: probability, positive and negative outcomes.
    if not implicit then
      out:write("## Scenarios\n\n")
      local any_pos, any_neg = false, false
      for _, k in ipairs(scen) do
        any_pos = any_pos or (k.notes ~= nil and k.notes.positive ~= nil)
        any_neg = any_neg or (k.notes ~= nil and k.notes.negative ~= nil)
      end
      local head, align = {"#", "Scenario"}, "rl"
      if probs then head[#head + 1], align = "Probability", align .. "r" end
      if any_pos then head[#head + 1], align = "Positive outcomes", align .. "l" end
      if any_neg then head[#head + 1], align = "Negative outcomes", align .. "l" end
      local rows = {}
      for i, k in ipairs(scen) do
        local row = {tostring(i), kname[k.id]}
        if probs then row[#row + 1] = percent(probs[k.id]) end
        if any_pos then row[#row + 1] = k.notes and k.notes.positive or "" end
        if any_neg then row[#row + 1] = k.notes and k.notes.negative or "" end
        rows[i] = row
      end
      grid(out, head, align, rows, W)
    end

    -- Strategies: description and potential outcomes.
    local function best_worst(id)
      local u = utilities[id] or {}
      local best, worst
      for _, k in ipairs(scen) do
        local v = u[k.id]
        if type(v) == "number" then
          local b = best and u[best.id]
          local w = worst and u[worst.id]
          if not best or (higher and v > b or not higher and v < b) then best = k end
          if not worst or (higher and v < w or not higher and v > w) then worst = k end
        end
      end
      return best, worst
    end
    local rows, any_desc, any_text = {}, false, false
    for _, s in ipairs(strat) do
      local text = outcome_notes(s.notes) or ""
      if not implicit and #scen > 1 then
        local best, worst = best_worst(s.id)
        if best then
          local u = utilities[s.id]
          text = (text ~= "" and (text .. " ") or "") .. "Best case: " .. kname[best.id] .. " ("
            .. num(u[best.id]) .. "); worst case: " .. kname[worst.id] .. " ("
            .. num(u[worst.id]) .. ")."
        end
      end
      any_desc = any_desc or (s.description or "") ~= ""
      any_text = any_text or text ~= ""
      rows[#rows + 1] = {sname[s.id], s.description or "", text}
    end
    -- Only the columns that have something to say; none: no section.
    if any_desc or any_text then
      out:write("## Strategies\n\n")
      local head, align = {"Strategy"}, "l"
      if any_desc then head[#head + 1], align = "Description", align .. "l" end
      if any_text then head[#head + 1], align = "Potential outcomes", align .. "l" end
      for i, r in ipairs(rows) do
        local row = {r[1]}
        if any_desc then row[#row + 1] = r[2] end
        if any_text then row[#row + 1] = r[3] end
        rows[i] = row
      end
      grid(out, head, align, rows, W)
    end

    -- Utilities by scenario.
    if not implicit then
      out:write("## Potential outcomes by scenario\n\n")
      paragraph(out, "Utility of each strategy in each scenario (a " .. (higher and "higher" or
        "lower") .. " utility is better), strategies in ranking order." .. (cut and (" " .. cut)
        or ""), W)
      local head, align = {"Strategy"}, "l"
      for _, k in ipairs(scen) do head[#head + 1], align = kname[k.id], align .. "r" end
      rows = {}
      for i = 1, shown do
        local id = ranking[i].strategy
        local u = utilities[id] or {}
        local row = {sn(id)}
        for _, k in ipairs(scen) do row[#row + 1] = num(u[k.id]) end
        rows[#rows + 1] = row
      end
      grid(out, head, align, rows, W)
    end

    -- The overall ranking.
    out:write("## Overall ranking\n\n")
    rows = {}
    for i = 1, shown do
      local r = ranking[i]
      rows[i] = {tostring(r.rank), sn(r.strategy), num(r.score)}
    end
    grid(out, {"Rank", "Strategy", "Score"}, "rlr", rows, W)
    local rule = ((result.pipeline or {}).rule or {}).name
    paragraph(out, "A " .. better .. " score is better" .. (rule and (" (rule: " .. tostring(rule)
      .. ")") or "") .. "." .. (cut and (" " .. cut) or ""), W)

    -- The ranking per actor, and the weights behind it.
    if #actors > 0 then
      out:write("## Ranking per ", actor, "\n\n")
      local head, align = {"Rank"}, "r"
      for _, a in ipairs(actors) do head[#head + 1], align = aname[a.id], align .. "l" end
      rows = {}
      for i = 1, shown do
        local row = {tostring(i)}
        for _, a in ipairs(actors) do
          local r = ((ractors[a.id] or {}).ranking or {})[i]
          row[#row + 1] = r and (sn(r.strategy) .. " (" .. num(r.score) .. ")"
            .. (r.rank ~= i and (" =" .. tostring(r.rank)) or "")) or ""
        end
        rows[i] = row
      end
      grid(out, head, align, rows, W)
      paragraph(out, "Each " .. actor .. "'s ranking under its own weights (score in brackets; "
        .. "\"=N\" marks a tie at rank N).", W)

      out:write("### Weights\n\n")
      head, align = {"Criterion", "Overall"}, "lr"
      for _, a in ipairs(actors) do head[#head + 1], align = aname[a.id], align .. "r" end
      rows = {}
      for _, c in ipairs(crit) do
        local row = {clean(c.name or c.id) .. (c.direction == "min" and " (less is better)" or
          ""), percent((result.weights or {})[c.id])}
        for _, a in ipairs(actors) do
          row[#row + 1] = percent(((ractors[a.id] or {}).weights or {})[c.id])
        end
        rows[#rows + 1] = row
      end
      grid(out, head, align, rows, W)
    end

    -- Robustness, when a simulation ran.
    local mc, smaa = analyses.montecarlo, analyses.smaa
    if type(mc) == "table" or type(smaa) == "table" then
      out:write("## Robustness\n\n")
      local head, align = {"Strategy"}, "l"
      if type(mc) == "table" then
        head[#head + 1], align = "Monte Carlo: P(first)", align .. "r"
        head[#head + 1], align = "5%-95% score", align .. "r"
      end
      if type(smaa) == "table" then
        head[#head + 1], align = "SMAA: P(first)", align .. "r"
        head[#head + 1], align = "Confidence", align .. "r"
      end
      rows = {}
      for i = 1, shown do
        local id = ranking[i].strategy
        local row = {sn(id)}
        if type(mc) == "table" then
          local s = (mc.strategies or {})[id] or {}
          row[#row + 1] = percent((s.rank_probabilities or {})[1])
          row[#row + 1] = num(s.q05) .. " to " .. num(s.q95)
        end
        if type(smaa) == "table" then
          row[#row + 1] = percent(((smaa.acceptability or {})[id] or {})[1])
          row[#row + 1] = percent((smaa.confidence or {})[id])
        end
        rows[#rows + 1] = row
      end
      grid(out, head, align, rows, W)
      local runs = {}
      for _, a in ipairs({{mc, "Monte Carlo"}, {smaa, "SMAA"}}) do
        if type(a[1]) == "table" then
          runs[#runs + 1] = a[2] .. ": " .. tostring(a[1].n or "?") .. " draws, seed "
            .. tostring(a[1].seed or "?") .. (a[1].partial and ", stopped early (partial)" or "")
        end
      end
      paragraph(out, table.concat(runs, "; ") .. ".", W)
    end

    -- What this briefing leaves out.
    local left = {}
    for _, k in ipairs(sorted_keys(analyses)) do
      if k ~= "evpi" and k ~= "montecarlo" and k ~= "smaa" then
        left[#left + 1] = "the " .. tostring(k) .. " analysis"
      end
    end
    if type(result.diagnostics) == "table" then
      for _, k in ipairs(sorted_keys(result.diagnostics)) do
        left[#left + 1] = "the diagnostics of the " .. tostring(k) .. " stage"
      end
    end
    local version = result.parley and result.parley.version or "?"
    out:write("---\n")
    local foot = "Prepared with parley " .. tostring(version) .. "."
    if #left > 0 then
      foot = foot .. " Not in this briefing: " .. table.concat(left, ", ")
        .. " (see --format markdown or --format json)."
    end
    paragraph(out, foot, W)
  end,
}
