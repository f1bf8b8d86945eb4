-- csv.lua — the ranking and the utilities as one flat CSV table (RFC 4180),
-- for spreadsheets and data tools.  One header line, then one line per
-- strategy in ranking order (best first; tied strategies keep the ranking's
-- order).  The columns, in this order:
--   strategy                  the strategy's id
--   name                      its name (only with names=true)
--   rank                      its rank (tied strategies share one: 1, 2, 2, 4)
--   score                     its score (see the result's order: a higher or a
--                             lower score is better)
--   utility:<scenario id>     its utility in that scenario, one column per
--                             scenario in the model's order (a model without
--                             scenarios has the one column utility:base)
-- Numbers are written in the shortest form that reads back as the same
-- double (as the JSON format does; at most 17 significant digits), or with
-- a fixed number of decimals (digits=N); a missing number is an empty field.
-- A field holding a comma, a double quote, a CR or an LF is put in double
-- quotes, a double quote in it doubled.  Lines end with CRLF, as RFC 4180
-- says (eol=lf for LF alone).  Nothing else of the result is written: the
-- json format has it all.
--
-- Parameters (--format csv:key=value,...):
--   names   true (or 1, yes): add the name column (default false)
--   digits  write numbers with this many decimals (0-17; default: shortest
--           round-trip form)
--   eol     crlf (default) or lf

local KNOWN = {names = true, digits = true, eol = true}

local function flag(v, key)
  if v == nil then return false end
  local t = {["true"] = true, ["1"] = true, yes = true, on = true,
    ["false"] = false, ["0"] = false, no = false, off = false}
  local b = t[tostring(v)]
  if b == nil then
    invalid("format csv: " .. key .. " must be true or false, not '" .. tostring(v) .. "'", 0)
  end
  return b
end

-- The shortest of %.15g, %.16g, %.17g that reads back as v.
local function shortest(v)
  if math.type(v) == "integer" then return string.format("%d", v) end
  for p = 15, 17 do
    local s = string.format("%." .. p .. "g", v)
    if tonumber(s) == v then return s end
  end
  return string.format("%.17g", v)
end

local function field(s)
  s = tostring(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

return {
  api = 1,
  kind = "format",
  name = "csv",
  summary = "CSV (RFC 4180): strategy, rank, score and one utility column per scenario",
  write = function(result, out, params)
    for k in pairs(params) do
      if not KNOWN[k] then
        invalid("format csv: unknown parameter '" .. tostring(k) .. "' (parameters: digits, eol, "
          .. "names)", 0)
      end
    end
    local names = flag(params.names, "names")
    local eol = params.eol or "crlf"
    if eol ~= "crlf" and eol ~= "lf" then
      invalid("format csv: eol must be crlf or lf, not '" .. tostring(eol) .. "'", 0)
    end
    eol = eol == "crlf" and "\r\n" or "\n"
    local digits = params.digits
    if digits ~= nil then
      digits = tonumber(digits)
      if math.type(digits) ~= "integer" or digits < 0 or digits > 17 then
        invalid("format csv: digits must be a whole number from 0 to 17, not '"
          .. tostring(params.digits) .. "'", 0)
      end
    end
    local function num(v)
      if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then return "" end
      if digits then
        local s = string.format("%." .. digits .. "f", v)
        if s:match("^%-[0.]*$") then s = s:sub(2) end -- no "-0.00"
        return s
      end
      return shortest(v)
    end

    local m = result.model or {}
    local scen = m.scenarios or {}
    local sname = {}
    for _, s in ipairs(m.strategies or {}) do sname[s.id] = s.name or s.id end
    local function line(fields)
      for i, f in ipairs(fields) do fields[i] = field(f) end
      out:write(table.concat(fields, ","), eol)
    end
    local head = {"strategy"}
    if names then head[#head + 1] = "name" end
    head[#head + 1] = "rank"
    head[#head + 1] = "score"
    for _, k in ipairs(scen) do head[#head + 1] = "utility:" .. k.id end
    line(head)
    local utilities = result.utilities or {}
    for _, r in ipairs(result.ranking or {}) do
      local row = {r.strategy}
      if names then row[#row + 1] = sname[r.strategy] or r.strategy end
      row[#row + 1] = r.rank ~= nil and string.format("%d", r.rank) or ""
      row[#row + 1] = num(r.score)
      local u = utilities[r.strategy] or {}
      for _, k in ipairs(scen) do row[#row + 1] = num(u[k.id]) end
      line(row)
    end
  end,
}
