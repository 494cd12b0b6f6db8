-- Used by bench/run.py: method, headers and body come from the environment; with
-- BENCH_ALTERNATE set, requests alternate between the path and BENCH_ALTERNATE (vote / unvote).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local alternate = os.getenv("BENCH_ALTERNATE")
local counter = 0

request = function()
  local headers = {}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if csrf and csrf ~= "" then headers["X-CSRFToken"] = csrf end
  if os.getenv("BENCH_HTMX") == "1" then headers["HX-Request"] = "true" end
  if body and body ~= "" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  local path = wrk.path
  counter = counter + 1
  if alternate and alternate ~= "" and counter % 2 == 0 then path = alternate end
  return wrk.format(method, path, headers, body ~= "" and body or nil)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
