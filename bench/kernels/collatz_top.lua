-- collatz_top: collatz_fn's loops in the main chunk (chunk-level locals, which is
-- how top-level Lua is written). Usage: collatz_top.lua N
local limit = tonumber(arg[1])
local best, best_steps = 1, 0
local start = 1
while start < limit do
  local n = start
  local steps = 0
  while n ~= 1 do
    if n % 2 == 0 then
      n = n / 2
    else
      n = 3 * n + 1
    end
    steps = steps + 1
  end
  if steps > best_steps then
    best, best_steps = start, steps
  end
  start = start + 1
end
print(string.format("%.0f", best))
print(string.format("%.0f", best_steps))
