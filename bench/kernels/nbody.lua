-- nbody: a star and four planets, N steps of symplectic Euler (dt = 0.01). Usage: nbody.lua N
-- Flat state as in nbody.atl, 1-based: body b (0..4) has x, y, z, vx, vy, vz at 6*b+1 .. 6*b+6.
local sqrt = math.sqrt

local function energy(s, m, nb)
  local e = 0.0
  for i = 0, nb - 1 do
    local a = 6 * i
    e = e + 0.5 * m[i + 1] * (s[a + 4] * s[a + 4] + s[a + 5] * s[a + 5] + s[a + 6] * s[a + 6])
    for j = i + 1, nb - 1 do
      local b = 6 * j
      local dx = s[a + 1] - s[b + 1]
      local dy = s[a + 2] - s[b + 2]
      local dz = s[a + 3] - s[b + 3]
      e = e - m[i + 1] * m[j + 1] / sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

local function offset_momentum(s, m, nb)
  local px, py, pz = 0.0, 0.0, 0.0
  for i = 0, nb - 1 do
    px = px + m[i + 1] * s[6 * i + 4]
    py = py + m[i + 1] * s[6 * i + 5]
    pz = pz + m[i + 1] * s[6 * i + 6]
  end
  s[4] = -px / m[1]
  s[5] = -py / m[1]
  s[6] = -pz / m[1]
end

local function advance(s, m, nb, steps, dt)
  for _ = 1, steps do
    for i = 0, nb - 1 do
      local a = 6 * i
      for j = i + 1, nb - 1 do
        local b = 6 * j
        local dx = s[a + 1] - s[b + 1]
        local dy = s[a + 2] - s[b + 2]
        local dz = s[a + 3] - s[b + 3]
        local d2 = dx * dx + dy * dy + dz * dz
        local mag = dt / (d2 * sqrt(d2))
        local mi = m[i + 1] * mag
        local mj = m[j + 1] * mag
        s[a + 4] = s[a + 4] - dx * mj
        s[a + 5] = s[a + 5] - dy * mj
        s[a + 6] = s[a + 6] - dz * mj
        s[b + 4] = s[b + 4] + dx * mi
        s[b + 5] = s[b + 5] + dy * mi
        s[b + 6] = s[b + 6] + dz * mi
      end
    end
    for k = 0, nb - 1 do
      local c = 6 * k
      s[c + 1] = s[c + 1] + dt * s[c + 4]
      s[c + 2] = s[c + 2] + dt * s[c + 5]
      s[c + 3] = s[c + 3] + dt * s[c + 6]
    end
  end
end

local masses = {1.0, 0.002, 0.0005, 0.0001, 0.00004}
local state = {
  0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
  1.0, 0.0, 0.01, 0.0, 1.0, 0.0,
  0.0, -1.7, 0.0, 0.77, 0.0, 0.02,
  -2.6, 0.2, -0.05, 0.05, -0.62, 0.0,
  0.3, 3.9, 0.1, -0.5, 0.03, -0.01,
}
offset_momentum(state, masses, 5)
print(string.format("%.0f", math.floor(energy(state, masses, 5) * 1e12)))
advance(state, masses, 5, tonumber(arg[1]), 0.01)
print(string.format("%.0f", math.floor(energy(state, masses, 5) * 1e12)))
