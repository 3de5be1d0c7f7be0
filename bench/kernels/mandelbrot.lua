-- mandelbrot: summed escape counts (at most 50) on an N x N grid. Usage: mandelbrot.lua N
local function mandel(n)
  local total = 0
  for row = 0, n - 1 do
    local ci = row * 2.5 / n - 1.25
    for col = 0, n - 1 do
      local cr = col * 2.5 / n - 2.0
      local zr, zi = 0.0, 0.0
      local it = 0
      while it < 50 and zr * zr + zi * zi <= 4.0 do
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        it = it + 1
      end
      total = total + it
    end
  end
  return total
end

print(string.format("%.0f", mandel(tonumber(arg[1]))))
