--[==[
csv.lua — scenarios read from a CSV file beside the model: one row per
scenario, its id, optional name and probability, and its params.

The file (read through host:read, so it must sit beside the model file or
below it, named without "..") is CSV as RFC 4180 defines it:
  - records end with CRLF, LF or a lone CR; the last may end without one;
    a UTF-8 byte-order mark at the start is skipped; empty lines are skipped;
  - fields are separated by commas; a field may be quoted with '"', and then
    holds commas, line breaks and quotes written twice ("");
  - a quote inside an unquoted field, or anything but a comma or a line
    break after a closing quote, is an error;
  - unquoted fields are trimmed of surrounding spaces and tabs; quoted
    fields are kept exactly as written.
The first record is the header.  It names each column: "id" (required),
"name" and "probability" (optional, in any position), and any other name is
a scenario parameter.  Column names must be unique and non-empty.  Every
later record has as many fields as the header.
  - id: required, non-empty, unique;
  - name: the scenario's name (empty: none);
  - probability: a number in [0, 1], in every row or in none (a column left
    empty throughout gives no probabilities); the engine checks that they
    sum to 1;
  - a parameter cell becomes a number when it is unquoted and reads as a
    decimal number ([+-] digits [. digits] [e|E [+-] digits], or starting
    with '.'), otherwise text; quote a cell to keep it text ("007"); an
    empty cell leaves that parameter out of the scenario's params.
Errors name the file and the line of the problem ("scen.csv:4: ..."); for a
whole record, the line where it starts.

Example, with "scenarios": {"generator": "csv", "file": "scenarios.csv"}:
  id,name,probability,demand,region
  low,Weak demand,0.25,80,north
  high,"Strong demand, south",0.75,120,south

Parameters (the model file's "scenarios": {"generator": "csv", ...}):
  file   required; the CSV file's name, relative to the model file.

Reference: Y. Shafranovich (2005), Common Format and MIME Type for
Comma-Separated Values (CSV) Files, RFC 4180, IETF.
]==]

local WHO = "csv"

local function trim(s)
  return (s:gsub("^[ \t]+", ""):gsub("[ \t]+$", ""))
end

-- The value of a decimal-looking text, or nil.  (tonumber alone would also
-- take hexadecimal, "inf" spellings and surrounding spaces.)
local function decimal(s)
  local body = s:match("^[+-]?(.*)$")
  local mant, exp = body:match("^([%d.]+)([eE][+-]?%d+)$")
  if not mant then mant = body end
  if not (mant:match("^%d+%.?%d*$") or mant:match("^%.%d+$")) then return nil end
  return tonumber(s)
end

-- The records of text: a list of {line = N (where the record starts),
-- fields = {...}, quoted = {...}}.
-- Raises "FILE:LINE: message" on a malformed record.
local function parse(text, file)
  local function fail(line, fmt, ...)
    invalid(string.format("%s:%d: ", file, line) .. string.format(fmt, ...), 0)
  end
  local records = {}
  local pos, line, len = 1, 1, #text
  if text:sub(1, 3) == "\239\187\191" then pos = 4 end
  while pos <= len do
    local rec = {line = line, fields = {}, quoted = {}}
    while true do
      local field, quoted
      if text:sub(pos, pos) == '"' then
        local parts, p = {}, pos + 1
        while true do
          local q = text:find('"', p, true)
          if not q then fail(rec.line, "a quoted field is not closed") end
          parts[#parts + 1] = text:sub(p, q - 1)
          if text:sub(q + 1, q + 1) == '"' then
            parts[#parts + 1] = '"'
            p = q + 2
          else
            p = q + 1
            break
          end
        end
        field, quoted = table.concat(parts), true
        for _ in field:gmatch("\n") do line = line + 1 end
        pos = p
        local after = text:sub(pos, pos)
        if after ~= "," and after ~= "\n" and after ~= "\r" and after ~= "" then
          fail(line, "'%s' after a closing quote; a quote inside a quoted field is written "
               .. "twice (\"\")", after)
        end
      else
        local stop = text:find('[,\r\n"]', pos) or len + 1
        if text:sub(stop, stop) == '"' then
          fail(line, "a quote inside an unquoted field; quote the whole field and write the "
               .. "quote twice (\"\")")
        end
        field, quoted = trim(text:sub(pos, stop - 1)), false
        pos = stop
      end
      rec.fields[#rec.fields + 1] = field
      rec.quoted[#rec.quoted + 1] = quoted
      local sep = text:sub(pos, pos)
      if sep == "," then
        pos = pos + 1
      else
        if sep == "\r" and text:sub(pos + 1, pos + 1) == "\n" then
          pos = pos + 2
        elseif sep ~= "" then
          pos = pos + 1
        end
        if sep ~= "" then line = line + 1 end
        break
      end
    end
    local blank = #rec.fields == 1 and rec.fields[1] == "" and not rec.quoted[1]
    if not blank then records[#records + 1] = rec end
  end
  return records
end

return {
  api = 1,
  kind = "scenarios",
  name = "csv",
  summary = "Scenarios from a CSV file beside the model: id, name, probability, params",
  scenarios = function(model, params, host)
    for key in pairs(params) do
      if key ~= "file" then
        invalid(WHO .. ": unknown parameter '" .. tostring(key) .. "' (expected: file)", 0)
      end
    end
    local file = params.file
    if type(file) ~= "string" or file == "" then
      invalid(WHO .. ": " .. (file == nil and "missing parameter 'file'" or "file must be a string")
            .. " (the name of the CSV file, beside the model file)", 0)
    end
    local text = host:read(file)
    local records = parse(text, file)
    local function fail(line, fmt, ...)
      invalid(string.format("%s:%d: ", file, line) .. string.format(fmt, ...), 0)
    end
    if #records == 0 then
      fail(1, "the file is empty; expected a header id,name,probability,...")
    end

    local header = records[1]
    local col = {}
    for i, h in ipairs(header.fields) do
      if h == "" then fail(header.line, "column %d of the header has no name", i) end
      if col[h] then fail(header.line, "the header names column '%s' twice", h) end
      col[h] = i
    end
    if not col.id then
      fail(header.line, "the header has no 'id' column (expected id[,name][,probability],"
           .. "<params...>)")
    end
    if #records == 1 then fail(header.line, "no scenarios: the file has only its header") end

    local ncol = #header.fields
    local out, first_line = {}, {}
    local with_p, without_p = nil, nil -- first rows with and without a probability
    for r = 2, #records do
      local rec = records[r]
      local f = rec.fields
      if #f ~= ncol then
        fail(rec.line, "%d field%s; the header has %d", #f, #f == 1 and "" or "s", ncol)
      end
      local id = f[col.id]
      if id == "" then fail(rec.line, "the id is empty") end
      if first_line[id] then
        fail(rec.line, "the id '%s' is already used on line %d", id, first_line[id])
      end
      first_line[id] = rec.line
      local sc = {id = id, params = {}}
      if col.name and f[col.name] ~= "" then sc.name = f[col.name] end
      if col.probability then
        local text_p = f[col.probability]
        if text_p == "" then
          without_p = without_p or rec.line
        else
          local p = decimal(text_p)
          if not p or p < 0 or p > 1 then
            fail(rec.line, "probability '%s' is not a number in [0, 1]", text_p)
          end
          sc.probability = p
          with_p = with_p or rec.line
        end
      end
      for i, h in ipairs(header.fields) do
        if h ~= "id" and h ~= "name" and h ~= "probability" and f[i] ~= "" then
          local v = not rec.quoted[i] and decimal(f[i]) or nil
          sc.params[h] = v == nil and f[i] or v
        end
      end
      out[#out + 1] = sc
    end
    if with_p and without_p then
      fail(without_p, "no probability, while line %d has one; give a probability in every "
           .. "row or in none", with_p)
    end
    return out
  end,
}
