-- Argo CD health of a SoftwareIntent (darkfactory.dev/v1alpha1), from what the operator
-- writes under the Kubernetes API conventions:
--   Progressing  the operator has not seen the latest spec yet (status.observedGeneration
--                lags metadata.generation), or a run is queued or building (Reconciling=True)
--   Suspended    spec.paused is true: no new runs and no rollout changes
--   Degraded     Stalled=True: the spec cannot work, or the latest run failed
--   Healthy      Ready=True: the image that passed the checks serves; the message adds the
--                satisfaction it passed its gate with (share of trials in which all passed)
-- Custom health checks get only Lua's base and table libraries, so nothing else is used.

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil then
    return c.message
  end
  return fallback
end

if obj.metadata.deletionTimestamp ~= nil then
  return { status = "Progressing", message = "Being deleted" }
end

if obj.status == nil or obj.status.observedGeneration == nil
    or obj.status.observedGeneration < obj.metadata.generation then
  return { status = "Progressing",
           message = "Waiting for the operator to observe generation " .. obj.metadata.generation }
end

if obj.spec.paused == true then
  return { status = "Suspended", message = messageOf(condition("Reconciling"), "spec.paused is true") }
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  return { status = "Degraded", message = messageOf(stalled, stalled.reason) }
end

-- "; satisfaction 0.67 (2 of 3 trials)", or nothing when the status has none.
local function satisfaction()
  local s = obj.status.satisfaction
  if s == nil or s.value == nil then
    return ""
  end
  return "; satisfaction " .. s.value .. " (" .. (s.trialsPassed or 0) .. " of "
      .. (s.trialsRun or 0) .. " trials)"
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  return { status = "Healthy", message = messageOf(ready, "Ready") .. satisfaction() }
end

return { status = "Progressing",
         message = messageOf(condition("Reconciling"), messageOf(ready, "Waiting for the operator")) }
