-- Used by bench/run.py: method, headers and body come from the environment; with
-- BENCH_ALTERNATE set, requests alternate between the path and BENCH_ALTERNATE (vote / unvote).
-- BENCH_MEMBERS ("cookie<TAB>csrf" per line) spreads the requests over several signed-in members:
-- each thread takes every BENCH_THREADS-th member and uses them in turn, so with at least as many
-- members per thread as connections no two requests in flight come from the same member, and each
-- member alternates vote and take-back as a person clicking the button twice would.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local alternate = os.getenv("BENCH_ALTERNATE")
local threads_made = 0

setup = function(thread)
  thread:set("thread_number", threads_made)
  threads_made = threads_made + 1
end

local members = {}
local turn = 0

init = function(args)
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local index = 0
  for line in (os.getenv("BENCH_MEMBERS") or ""):gmatch("[^\n]+") do
    local member_cookie, member_csrf = line:match("^(.-)\t(.*)$")
    if index % threads == (thread_number or 0) then
      members[#members + 1] = {cookie = member_cookie, csrf = member_csrf, sent = 0}
    end
    index = index + 1
  end
  if #members == 0 then members[1] = {cookie = "", csrf = "", sent = 0} end  -- anonymous
end

request = function()
  turn = turn % #members + 1
  local member = members[turn]
  local headers = {}
  if member.cookie ~= "" then headers["Cookie"] = member.cookie end
  if member.csrf ~= "" then headers["X-CSRFToken"] = member.csrf end
  if os.getenv("BENCH_HTMX") == "1" then headers["HX-Request"] = "true" end
  if body and body ~= "" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  local path = wrk.path
  member.sent = member.sent + 1
  if alternate and alternate ~= "" and member.sent % 2 == 0 then path = alternate end
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
