-- loop_sum: a tight loop with a loop-carried float, s = s * 0.5 + i. Usage: loop_sum.lua N
local function loop_sum(n)
  local s = 0.0
  local i = 0
  while i < n do
    s = s * 0.5 + i
    i = i + 1
  end
  return s
end

print(string.format("%.0f", math.floor(loop_sum(tonumber(arg[1])))))
