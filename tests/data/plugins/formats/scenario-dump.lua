-- scenario-dump.lua — a format for the tests of the shipped scenario
-- generators: one line per scenario of the result's model, in model order,
--   ID <tab> NAME <tab> PROBABILITY <tab> key=value:type;key=value:type...
-- (params in sorted key order, numbers with 17 significant digits, CR and
-- LF in text written as \r and \n, "-" for a missing probability), so that
-- a shell script can check what a generator made.
local function show(v)
  if math.type(v) == "integer" then return string.format("%d", v) .. ":integer" end
  if type(v) == "number" then return string.format("%.17g", v) .. ":float" end
  return tostring(v):gsub("\r", "\\r"):gsub("\n", "\\n") .. ":" .. type(v)
end

return {
  api = 1, kind = "format", name = "scenario-dump",
  summary = "Scenarios and their params, one line each (tests)",
  write = function(result, out)
    for _, sc in ipairs(result.model.scenarios) do
      local keys, parts = {}, {}
      for k in pairs(sc.params or {}) do keys[#keys + 1] = k end
      table.sort(keys)
      for i, k in ipairs(keys) do parts[i] = k .. "=" .. show(sc.params[k]) end
      out:write(sc.id, "\t", sc.name or "-", "\t",
                sc.probability and string.format("%.17g", sc.probability) or "-", "\t",
                table.concat(parts, ";"), "\n")
    end
  end,
}
