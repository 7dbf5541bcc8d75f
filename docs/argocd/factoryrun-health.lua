-- Argo CD health of a FactoryRun (darkfactory.dev/v1alpha1), the operator's record of one
-- intent generation being built, from its status.phase:
--   Progressing  not yet seen by the operator, Queued under the concurrency cap, or Running;
--                while an attempt runs several trials, the message counts them
--   Healthy      Succeeded: an attempt passed every check; also Cancelled, because a run is
--                cancelled only when a newer generation of its intent supersedes it
--   Degraded     Failed: the budget ran out (attempts, time or tokens); the message says which
-- Custom health checks get only Lua's base and table libraries, so nothing else is used.

local function reconcilingMessage()
  if obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == "Reconciling" and c.message ~= nil then
        return c.message
      end
    end
  end
  return "Run " .. obj.status.phase
end

-- "; trials of attempt 2: 1 passed, 1 failed of 3" while the latest attempt tests its image in
-- more than one trial, else nothing.
local function trialsMessage()
  local attempts = obj.status.attempts
  if attempts == nil or #attempts == 0 then
    return ""
  end
  local attempt = attempts[#attempts]
  if attempt.phase ~= "Testing" or attempt.trials == nil or #attempt.trials < 2 then
    return ""
  end
  local passed, failed = 0, 0
  for _, t in ipairs(attempt.trials) do
    if t.phase == "Passed" then
      passed = passed + 1
    elseif t.phase == "Failed" then
      failed = failed + 1
    end
  end
  return "; trials of attempt " .. attempt.number .. ": " .. passed .. " passed, " .. failed
      .. " failed of " .. #attempt.trials
end

if obj.metadata.deletionTimestamp ~= nil then
  return { status = "Progressing", message = "Being deleted" }
end

if obj.status == nil or obj.status.phase == nil or obj.status.observedGeneration == nil
    or obj.status.observedGeneration < obj.metadata.generation then
  return { status = "Progressing", message = "Waiting for the operator to start the run" }
end

local phase = obj.status.phase
if phase == "Succeeded" then
  return { status = "Healthy", message = obj.status.message or "Succeeded" }
end
if phase == "Failed" then
  return { status = "Degraded", message = (obj.status.reason or "Failed") .. ": " .. (obj.status.message or "") }
end
if phase == "Cancelled" then
  return { status = "Healthy", message = "Cancelled: " .. (obj.status.message or "superseded") }
end
return { status = "Progressing", message = reconcilingMessage() .. trialsMessage() }
