-- Argo CD health of a FactoryRun (darkfactory.dev/v1alpha1), the operator's record of one
-- intent generation being built, from its status.phase:
--   Progressing  not yet seen by the operator, Queued under the concurrency cap, or Running
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
return { status = "Progressing", message = reconcilingMessage() }
