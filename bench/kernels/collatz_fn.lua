-- collatz_fn: the start below N with the longest Collatz chain, inside functions.
-- Usage: collatz_fn.lua N
local function chain_length(n)
  local steps = 0
  while n ~= 1 do
    if n % 2 == 0 then
      n = n / 2
    else
      n = 3 * n + 1
    end
    steps = steps + 1
  end
  return steps
end

local function longest_chain(limit)
  local best, best_steps = 1, 0
  for start = 1, limit - 1 do
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
  end
  return best
end

local winner = longest_chain(tonumber(arg[1]))
print(string.format("%.0f", winner))
print(string.format("%.0f", chain_length(winner)))
