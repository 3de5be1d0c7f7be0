-- string_build: append pieces to a string, restarting it past 100 characters.
-- Usage: string_build.lua N
local function build(n)
  local total = 0
  local s = ""
  for i = 0, n - 1 do
    if i % 5 == 0 then
      s = s .. "abc"
    elseif i % 3 == 0 then
      s = s .. "de"
    else
      s = s .. "f"
    end
    if #s > 100 then
      total = total + #s
      s = ""
    end
  end
  return total + #s
end

print(string.format("%.0f", build(tonumber(arg[1]))))
