-- sieve: N passes of the sieve of Eratosthenes over 8192 flags (index 0 .. 8191,
-- as in the other versions). Usage: sieve.lua N
local function sieve(flags, size, passes)
  local found = 0
  for _ = 1, passes do
    for k = 0, size - 1 do
      flags[k] = 1
    end
    flags[0] = 0
    flags[1] = 0
    for i = 2, size - 1 do
      if flags[i] == 1 then
        found = found + 1
        for multiple = i * i, size - 1, i do
          flags[multiple] = 0
        end
      end
    end
  end
  return found
end

local flags = {}
for k = 0, 8191 do
  flags[k] = 0
end
print(string.format("%.0f", sieve(flags, 8192, tonumber(arg[1]))))
