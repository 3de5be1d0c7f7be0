-- spectral_norm: power method on A^T A for A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1).
-- Usage: spectral_norm.lua N. Indices run from 0 like the other versions.
local function entry(i, j)
  return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)
end

local function times_a(n, x, out)
  for i = 0, n - 1 do
    local total = 0.0
    for j = 0, n - 1 do
      total = total + entry(i, j) * x[j]
    end
    out[i] = total
  end
end

local function times_at(n, x, out)
  for i = 0, n - 1 do
    local total = 0.0
    for j = 0, n - 1 do
      total = total + entry(j, i) * x[j]
    end
    out[i] = total
  end
end

local function spectral_norm(n)
  local u, v, scratch = {}, {}, {}
  for i = 0, n - 1 do
    u[i], v[i], scratch[i] = 1.0, 0.0, 0.0
  end
  for _ = 1, 10 do
    times_a(n, u, scratch)
    times_at(n, scratch, v)
    times_a(n, v, scratch)
    times_at(n, scratch, u)
  end
  local uv, vv = 0.0, 0.0
  for i = 0, n - 1 do
    uv = uv + u[i] * v[i]
    vv = vv + v[i] * v[i]
  end
  return math.sqrt(uv / vv)
end

print(string.format("%.0f", math.floor(spectral_norm(tonumber(arg[1])) * 1e9)))
