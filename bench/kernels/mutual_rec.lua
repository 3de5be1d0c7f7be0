-- mutual_rec: is_even / is_odd mutual recursion, depth at most 400. Usage: mutual_rec.lua N
local is_odd

local function is_even(n)
  if n == 0 then
    return true
  end
  return is_odd(n - 1)
end

is_odd = function(n)
  if n == 0 then
    return false
  end
  return is_even(n - 1)
end

local function parity_sum(rounds)
  local total = 0
  local k = 0
  for _ = 1, rounds do
    if is_even(k) then
      total = total + k
    else
      total = total + 1
    end
    k = k + 1
    if k == 400 then
      k = 0
    end
  end
  return total
end

print(string.format("%.0f", parity_sum(tonumber(arg[1]))))
